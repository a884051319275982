package ofp

import (
	"encoding/hex"
	"testing"

	"govs/flowtable"
)

func goldenFlowMods(tb testing.TB) [][]byte {
	var out [][]byte
	for _, g := range loadGolden(tb) {
		if g.text != "" {
			b, _ := hex.DecodeString(g.hex)
			out = append(out, b)
		}
	}
	return out
}

func benchPacketIn() *PacketIn {
	var m flowtable.Match
	m.SetInPort(3)
	return &PacketIn{Header: Header{Version: Version13, Xid: 1}, BufferID: NoBuffer, TotalLen: 64, InPort: 3,
		Reason: PacketInAction, Match: m, Data: make([]byte, 64)}
}

// TestAppendPacketInAllocs: appending a packet-in (the message a switch
// sends per missed packet) into a buffer with room allocates nothing.
func TestAppendPacketInAllocs(t *testing.T) {
	for _, v := range []uint8{Version10, Version13} {
		m := benchPacketIn()
		m.Version = v
		buf := make([]byte, 0, 512)
		n := testing.AllocsPerRun(100, func() {
			if _, err := m.AppendBinary(buf[:0]); err != nil {
				t.Fatal(err)
			}
		})
		if n != 0 {
			t.Errorf("version %d: %v allocs per AppendBinary, want 0", v, n)
		}
	}
}

func BenchmarkEncodePacketIn(b *testing.B) {
	m := benchPacketIn()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := m.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeFlowMod(b *testing.B) {
	msgs := goldenFlowMods(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = Decode(msgs[i%len(msgs)])
	}
}

func BenchmarkEncodeFlowMod(b *testing.B) {
	var ms []Message
	for _, raw := range goldenFlowMods(b) {
		if m, err := Decode(raw); err == nil {
			ms = append(ms, m)
		}
	}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ms[i%len(ms)].AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}
