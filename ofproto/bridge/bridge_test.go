package bridge_test

import (
	"encoding/binary"
	"testing"

	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/normal"
	"govs/ofproto/reconcile"
	"govs/ports"
	"govs/ports/memport"
)

const (
	etherTypeIPv4  = 0x0800
	etherTypeVLAN  = 0x8100
	testFrameLen   = 64
	vidMask        = 0x0fff
	memportCap     = 64
	ethHeaderLen   = 14
	vlanTagLen     = 4
	broadcastByte  = 0xff
	testPortsCount = 4
)

var bcast = [6]byte{broadcastByte, broadcastByte, broadcastByte, broadcastByte, broadcastByte, broadcastByte}

func mac(b byte) [6]byte { return [6]byte{0x02, 0, 0, 0, 0, b} }

// frame builds an Ethernet frame, tagged with vid when vid >= 0.
func frame(dst, src [6]byte, vid int) []byte {
	f := make([]byte, testFrameLen)
	copy(f, dst[:])
	copy(f[6:], src[:])
	off := 12
	if vid >= 0 {
		binary.BigEndian.PutUint16(f[off:], etherTypeVLAN)
		binary.BigEndian.PutUint16(f[off+2:], uint16(vid))
		off += vlanTagLen
	}
	binary.BigEndian.PutUint16(f[off:], etherTypeIPv4)
	return f
}

// frameVID returns the VID of a frame, or -1 when untagged.
func frameVID(f []byte) int {
	if binary.BigEndian.Uint16(f[12:]) != etherTypeVLAN {
		return -1
	}
	return int(binary.BigEndian.Uint16(f[14:]) & vidMask)
}

type testBridge struct {
	b     *bridge.Bridge
	ports map[flow.PortNo]*memport.Port
	batch *ports.Batch
}

// newTestBridge builds an unstarted bridge running govs-vswitchd's
// OpenFlow pipeline (standalone: the NORMAL flow) with memports:
// 1 access 10, 2 access 10, 3 access 20, 4 trunk (all VLANs).
func newTestBridge(t *testing.T) *testBridge {
	t.Helper()
	b, err := bridge.New(bridge.Config{Name: "br-test", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	b.SetPipeline(reconcile.NewOFPipeline(b))
	tb := &testBridge{b: b, ports: map[flow.PortNo]*memport.Port{}, batch: ports.NewBatch()}
	tags := map[flow.PortNo]int64{1: 10, 2: 10, 3: 20, 4: -1}
	for no := flow.PortNo(1); no <= testPortsCount; no++ {
		p, err := memport.New("p"+string(rune('0'+no)), memportCap)
		if err != nil {
			t.Fatal(err)
		}
		tb.ports[no] = p
		vc, _, err := normal.PortFromDB(no, p.Name(), tags[no], nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := b.AddPort(bridge.PortInfo{OFPort: no, Name: p.Name(), VLAN: vc}, p); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// send injects f on port in and processes it; it returns the frames each
// port transmitted.
func (tb *testBridge) send(t *testing.T, in flow.PortNo, f []byte) map[flow.PortNo][][]byte {
	t.Helper()
	b := tb.batch
	b.Reset()
	copy(b.Bufs[0][ports.Headroom:], f)
	b.Len[0] = len(f)
	b.N = 1
	tb.b.Datapath().Worker(0).ProcessBatch(in, b)
	out := map[flow.PortNo][][]byte{}
	for no, p := range tb.ports {
		if fr := p.DrainFrames(); len(fr) > 0 {
			out[no] = fr
		}
	}
	return out
}

func TestNormalVLANs(t *testing.T) {
	tests := []struct {
		name   string
		in     flow.PortNo
		dst    [6]byte
		src    byte
		vid    int
		expect map[flow.PortNo]int // port -> expected VID of its one frame (-1 untagged)
	}{
		{"access10 broadcast", 1, bcast, 1, -1, map[flow.PortNo]int{2: -1, 4: 10}},
		{"access20 broadcast", 3, bcast, 3, -1, map[flow.PortNo]int{4: 20}},
		{"trunk vlan20 broadcast", 4, bcast, 4, 20, map[flow.PortNo]int{3: -1}},
		{"trunk untagged broadcast", 4, bcast, 5, -1, map[flow.PortNo]int{}},
		{"access tagged dropped", 1, bcast, 6, 10, map[flow.PortNo]int{}},
		{"learned unicast", 2, mac(1), 2, -1, map[flow.PortNo]int{1: -1}},
		{"other vlan floods", 3, mac(1), 3, -1, map[flow.PortNo]int{4: 20}},
	}
	tb := newTestBridge(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tb.send(t, tt.in, frame(tt.dst, mac(tt.src), tt.vid))
			if len(got) != len(tt.expect) {
				t.Fatalf("outputs %v, want ports %v", keys(got), tt.expect)
			}
			for no, vid := range tt.expect {
				fr := got[no]
				if len(fr) != 1 || frameVID(fr[0]) != vid {
					t.Fatalf("port %d got %d frames (vid %v), want vid %d", no, len(fr), vids(fr), vid)
				}
			}
		})
	}
	if tb.b.MACTable().Len() == 0 {
		t.Fatal("nothing learned")
	}
}

func keys(m map[flow.PortNo][][]byte) []flow.PortNo {
	var out []flow.PortNo
	for k := range m {
		out = append(out, k)
	}
	return out
}

func vids(fr [][]byte) []int {
	var out []int
	for _, f := range fr {
		out = append(out, frameVID(f))
	}
	return out
}

func TestFailModeSecureDrops(t *testing.T) {
	tb := newTestBridge(t)
	tb.b.SetFailMode(bridge.FailSecure)
	if n := tb.b.Pipeline().(*reconcile.OFPipeline).Tables().Len(); n != 0 {
		t.Fatalf("secure bridge has %d flows", n)
	}
	if got := tb.send(t, 1, frame(bcast, mac(1), -1)); len(got) != 0 {
		t.Fatalf("secure bridge forwarded to %v", keys(got))
	}
	tb.b.SetFailMode(bridge.FailStandalone)
	if got := tb.send(t, 1, frame(bcast, mac(1), -1)); len(got) != 2 {
		t.Fatalf("standalone again: outputs %v", keys(got))
	}
}

func TestVLANChangeRevalidates(t *testing.T) {
	tb := newTestBridge(t)
	f := frame(bcast, mac(1), -1)
	if got := tb.send(t, 1, f); len(got[2]) != 1 {
		t.Fatal("p2 should get the broadcast")
	}
	vc, _, _ := normal.PortFromDB(2, "p2", 20, nil, "")
	if changed, err := tb.b.SetPortInfo(bridge.PortInfo{OFPort: 2, Name: "p2", VLAN: vc}); !changed || err != nil {
		t.Fatal(changed, err)
	}
	if got := tb.send(t, 1, f); len(got[2]) != 0 {
		t.Fatal("cached flow still outputs to p2 after its tag changed")
	}
	if err := tb.b.RemovePort(4); err != nil {
		t.Fatal(err)
	}
	if got := tb.send(t, 1, f); len(got) != 0 {
		t.Fatalf("removed trunk still gets frames: %v", keys(got))
	}
	if err := tb.b.RemovePort(4); err == nil {
		t.Fatal("double remove succeeded")
	}
}

// TestPortConfigRevalidates: SetPortConfig applies at once to cached
// flows and survives a VLAN update by SetPortInfo.
func TestPortConfigRevalidates(t *testing.T) {
	tb := newTestBridge(t)
	f := frame(bcast, mac(1), -1)
	if got := tb.send(t, 1, f); len(got[2]) != 1 {
		t.Fatal("p2 should get the broadcast")
	}
	if changed, err := tb.b.SetPortConfig(2, bridge.PortNoFlood, bridge.PortNoFlood); !changed || err != nil {
		t.Fatal(changed, err)
	}
	if got := tb.send(t, 1, f); len(got[2]) != 0 {
		t.Fatal("cached flow still floods to a no-flood port")
	}
	vc, _, _ := normal.PortFromDB(2, "p2", 10, nil, "")
	if _, err := tb.b.SetPortInfo(bridge.PortInfo{OFPort: 2, Name: "p2", VLAN: vc}); err != nil {
		t.Fatal(err)
	}
	if in := tb.b.Ports()[1]; in.Config != bridge.PortNoFlood || !in.VLAN.NoFlood {
		t.Fatalf("SetPortInfo lost the port config: %+v", in)
	}
	if changed, _ := tb.b.SetPortConfig(2, bridge.PortNoFlood, bridge.PortNoFlood); changed {
		t.Fatal("setting the same bits reported a change")
	}
	if _, err := tb.b.SetPortConfig(2, 1, 1); err == nil {
		t.Fatal("PORT_DOWN accepted by SetPortConfig")
	}
	if _, err := tb.b.SetPortConfig(9, 0, bridge.PortNoFlood); err == nil {
		t.Fatal("unknown port accepted")
	}
	if _, err := tb.b.SetPortConfig(2, 0, bridge.PortNoFlood); err != nil {
		t.Fatal(err)
	}
	if got := tb.send(t, 1, f); len(got[2]) != 1 {
		t.Fatal("p2 does not get the broadcast after flood")
	}
}
