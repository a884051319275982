package datapathtest

import (
	"encoding/binary"
	"testing"
)

// ipv4Header returns a 20-byte IPv4 header for an ICMP datagram.
func ipv4Header() []byte {
	h := make([]byte, ipv4MinHdrLen)
	h[0] = 0x45
	h[ipv4ProtoOff] = ipProtoICMP
	return h
}

func echoReply(id, seq uint16) []byte {
	r := AppendEchoRequest(ipv4Header(), id, seq, pingPayload)
	r[ipv4MinHdrLen] = icmpEchoReply
	return r
}

func TestEchoRequestChecksum(t *testing.T) {
	req := AppendEchoRequest(nil, 0x1234, 7, []byte("abc"))
	if got := ipv4Checksum(req); got != 0 {
		t.Fatalf("checksum over a checksummed message = %#x, want 0", got)
	}
	if req[0] != icmpEchoRequest || binary.BigEndian.Uint16(req[icmpIDOff:]) != 0x1234 ||
		binary.BigEndian.Uint16(req[icmpSeqOff:]) != 7 {
		t.Fatalf("request %x", req)
	}
}

func TestParseEchoReply(t *testing.T) {
	withOptions := append(ipv4Header(), make([]byte, ipv4WordLen)...)
	withOptions[0] = 0x46
	withOptions = AppendEchoRequest(withOptions, 5, 6, nil)
	withOptions[ipv4MinHdrLen+ipv4WordLen] = icmpEchoReply
	tests := []struct {
		name    string
		pkt     []byte
		id, seq uint16
		ok      bool
	}{
		{"reply", echoReply(9, 3), 9, 3, true},
		{"reply after IP options", withOptions, 5, 6, true},
		{"request", AppendEchoRequest(ipv4Header(), 9, 3, nil), 0, 0, false},
		{"empty", nil, 0, 0, false},
		{"IP header only", ipv4Header(), 0, 0, false},
		{"truncated ICMP", echoReply(1, 1)[:ipv4MinHdrLen+icmpHdrLen-1], 0, 0, false},
		{"not ICMP", func() []byte { p := echoReply(1, 1); p[ipv4ProtoOff] = ipProtoUDP; return p }(), 0, 0, false},
		{"IPv6 version", func() []byte { p := echoReply(1, 1); p[0] = 0x65; return p }(), 0, 0, false},
		{"IHL too small", func() []byte { p := echoReply(1, 1); p[0] = 0x44; return p }(), 0, 0, false},
		{"IHL past the end", func() []byte { p := echoReply(1, 1); p[0] = 0x4f; return p }(), 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, seq, ok := ParseEchoReply(tt.pkt)
			if id != tt.id || seq != tt.seq || ok != tt.ok {
				t.Fatalf("ParseEchoReply = %d, %d, %v; want %d, %d, %v", id, seq, ok, tt.id, tt.seq, tt.ok)
			}
		})
	}
}

func FuzzParseEchoReply(f *testing.F) {
	f.Add(echoReply(9, 3))
	f.Add(ipv4Header())
	f.Add([]byte{0x4f, 0, 0, 0})
	f.Fuzz(func(t *testing.T, pkt []byte) {
		id, seq, ok := ParseEchoReply(pkt)
		if !ok && (id != 0 || seq != 0) {
			t.Fatalf("not ok but id %d seq %d", id, seq)
		}
		if ok && len(pkt) < ipv4MinHdrLen+icmpHdrLen {
			t.Fatalf("ok on a %d-byte packet", len(pkt))
		}
	})
}
