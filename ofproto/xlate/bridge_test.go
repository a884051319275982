package xlate

import (
	"testing"

	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/ofproto/bridge"
	"govs/ofproto/tables"
	"govs/ports"
	"govs/ports/memport"
)

// TestBridgePlugIn runs the pipeline as a bridge's Pipeline: the
// implicit NORMAL flow forwards with VLAN treatment, a flow mod plus
// Bridge.Revalidate takes effect on the very next batch.
func TestBridgePlugIn(t *testing.T) {
	br, err := bridge.New(bridge.Config{Name: "br0", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { br.Close() })
	tb := tables.New(tables.Config{})
	tb.AddDefaultNormal()
	p := New(Config{Bridge: "br0", Tables: tb, Datapath: br.Datapath()})
	br.SetPipeline(p)
	mps := map[flow.PortNo]*memport.Port{}
	for _, info := range []bridge.PortInfo{port(t, 1, "p1", 10), port(t, 2, "p2", 10), port(t, 3, "p3", -1)} {
		m, err := memport.New(info.Name, rigPortCap)
		if err != nil {
			t.Fatal(err)
		}
		if err := br.AddPort(info, m); err != nil {
			t.Fatal(err)
		}
		mps[info.OFPort] = m
	}
	frame := udpFrame(1, 2, 53)
	send := func() {
		b := ports.NewBatch()
		copy(b.Bufs[0][b.Off[0]:], frame)
		b.Len[0], b.N = len(frame), 1
		br.Datapath().Worker(0).ProcessBatch(1, b)
	}
	send()
	p2, p3 := mps[2].DrainFrames(), mps[3].DrainFrames()
	if len(p2) != 1 || len(p3) != 1 || len(p3[0]) != len(frame)+4 {
		t.Fatalf("NORMAL flood: p2 %d frames, p3 %d frames", len(p2), len(p3))
	}
	fm, _, err := flowsyntax.ParseFlow("priority=2,in_port=1,actions=drop", flowsyntax.CmdAdd, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tb.Apply(fm, 1); err != nil {
		t.Fatal(err)
	}
	br.Revalidate()
	send()
	if n2, n3 := len(mps[2].DrainFrames()), len(mps[3].DrainFrames()); n2 != 0 || n3 != 0 {
		t.Fatalf("after drop flow: p2 %d p3 %d", n2, n3)
	}
}
