package xlate

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"govs/datapath"
	"govs/datapath/datapathtest"
	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/ofproto/tables"
	"govs/ports"
	"govs/ports/memport"
)

// dpRig is a pipeline driving a non-started datapath with memports.
type dpRig struct {
	p   *Pipeline
	dp  *datapath.Datapath
	mp  map[flow.PortNo]*memport.Port
	clk *fakeClock
	b   *ports.Batch
}

const rigPortCap = 256

func newRig(t testing.TB, flows ...string) *dpRig {
	t.Helper()
	clk := newFakeClock()
	pl := []bridgePort{{1, "p1", -1}, {2, "p2", -1}, {3, "p3", -1}}
	var infos = seedPorts(t)[2:]
	for _, bp := range pl {
		infos = append(infos, port(t, bp.no, bp.name, bp.tag))
	}
	p := newTestPipeline(t, clk, infos, flows...)
	dp, err := datapath.New(p, datapath.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dp.Close() })
	r := &dpRig{p: p, dp: dp, mp: map[flow.PortNo]*memport.Port{}, clk: clk, b: ports.NewBatch()}
	for _, bp := range pl {
		m, err := memport.New(bp.name, rigPortCap)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		if err := dp.AddPort(bp.no, m); err != nil {
			t.Fatal(err)
		}
		r.mp[bp.no] = m
	}
	p.SetDatapath(dp)
	return r
}

func udpFrame(src, dst byte, dport uint16) []byte {
	return datapathtest.UDPFrame(datapathtest.UDP{
		Src: net.HardwareAddr{0, 0, 0, 0, 0, src}, Dst: net.HardwareAddr{0, 0, 0, 0, 0, dst},
		SrcIP: netip.AddrFrom4([4]byte{10, 0, 0, src}), DstIP: netip.AddrFrom4([4]byte{10, 0, 0, dst}),
		SrcPort: 1000, DstPort: dport})
}

// send runs n copies of frame through the datapath as received on in.
func (r *dpRig) send(in flow.PortNo, frame []byte, n int) {
	b := r.b
	b.Reset()
	for i := 0; i < n; i++ {
		copy(b.Bufs[i][b.Off[i]:], frame)
		b.Len[i] = len(frame)
	}
	b.N = n
	r.dp.Worker(0).ProcessBatch(in, b)
}

func (r *dpRig) received(no flow.PortNo) int { return len(r.mp[no].DrainFrames()) }

func ruleStats(t *testing.T, tb *tables.Tables, s string) flowsyntax.FlowStats {
	t.Helper()
	fm, _, err := flowsyntax.ParseFlow(s, flowsyntax.CmdStats, nil)
	if err != nil {
		t.Fatal(err)
	}
	sel := tables.SelectionOf(fm)
	fs := tb.FlowStats(&sel)
	if len(fs) != 1 {
		t.Fatalf("%q selects %d flows", s, len(fs))
	}
	return fs[0]
}

func TestRuleCountersFromDatapath(t *testing.T) {
	r := newRig(t, "table=0,in_port=1,actions=resubmit(,1)", "table=1,udp,actions=output:2")
	frame := udpFrame(1, 2, 53)
	r.send(1, frame, 1) // upcall: credited at once
	r.send(1, frame, 4) // megaflow hits: credited by Tick
	if got := r.received(2); got != 5 {
		t.Fatalf("p2 got %d frames", got)
	}
	tb := r.p.Tables()
	if s := ruleStats(t, tb, "table=1"); s.NPackets != 1 || s.NBytes != uint64(len(frame)) {
		t.Fatalf("before Tick: %d packets %d bytes", s.NPackets, s.NBytes)
	}
	r.clk.advance(time.Second)
	r.p.Tick(r.clk.now())
	for _, sel := range []string{"table=0", "table=1"} {
		if s := ruleStats(t, tb, sel); s.NPackets != 5 || s.NBytes != 5*uint64(len(frame)) {
			t.Fatalf("%s after Tick: %d packets %d bytes", sel, s.NPackets, s.NBytes)
		}
	}
	// A second pull adds only the new traffic.
	r.send(1, frame, 2)
	r.clk.advance(time.Second)
	r.p.Tick(r.clk.now())
	if s := ruleStats(t, tb, "table=1"); s.NPackets != 7 {
		t.Fatalf("after second Tick: %d packets", s.NPackets)
	}
	// Traffic of a megaflow deleted before the pull is not lost.
	r.send(1, frame, 3)
	r.dp.Flush()
	r.clk.advance(time.Second)
	r.p.Tick(r.clk.now())
	if s := ruleStats(t, tb, "table=1"); s.NPackets != 10 {
		t.Fatalf("after flush: %d packets", s.NPackets)
	}
}

func TestTickAllocsPerFlow(t *testing.T) {
	// mod_tp_dst un-wildcards tp_dst: one megaflow per destination port.
	r := newRig(t, "udp,actions=mod_tp_dst:7,output:2")
	frames := make([][]byte, 20)
	for i := range frames {
		frames[i] = udpFrame(1, 2, uint16(100+i))
		r.send(1, frames[i], 1)
	}
	if r.dp.FlowCount() != len(frames) {
		t.Fatalf("%d megaflows", r.dp.FlowCount())
	}
	allocs := func(n int) float64 {
		return testing.AllocsPerRun(20, func() {
			for _, f := range frames[:n] {
				r.send(1, f, 1)
			}
			r.dp.PullStats(r.p.creditFn)
		})
	}
	one, all := allocs(1), allocs(len(frames))
	if all != one {
		t.Fatalf("stats pull allocates per flow: %.0f allocs for 1 flow, %.0f for %d", one, all, len(frames))
	}
}

func TestRevalidationUsesNewRule(t *testing.T) {
	r := newRig(t, "in_port=1,actions=output:2")
	frame := udpFrame(1, 2, 53)
	r.send(1, frame, 2)
	if got := r.received(2); got != 2 {
		t.Fatalf("p2 got %d", got)
	}
	fm, _, err := flowsyntax.ParseFlow("in_port=1,actions=output:3", flowsyntax.CmdModify, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.p.Tables().Apply(fm, 1); err != nil {
		t.Fatal(err)
	}
	r.p.SetRevalidating(true)
	r.dp.Revalidate()
	r.p.SetRevalidating(false)
	r.send(1, frame, 1)
	if p2, p3 := r.received(2), r.received(3); p2 != 0 || p3 != 1 {
		t.Fatalf("after modify: p2 %d p3 %d", p2, p3)
	}
	// A delete makes the next batch drop.
	fm, _, _ = flowsyntax.ParseFlow("in_port=1", flowsyntax.CmdDelete, nil)
	r.p.Tables().Apply(fm, 1)
	r.dp.Revalidate()
	r.send(1, frame, 1)
	if r.received(3) != 0 {
		t.Fatal("deleted rule still forwards")
	}
}

func TestIdleTimeoutUsesPulledStats(t *testing.T) {
	var removed []tables.Removed
	r := newRig(t, "idle_timeout=2,send_flow_rem,udp,actions=output:2")
	r.p.onRemoved = func(rm []tables.Removed) { removed = append(removed, rm...) }
	frame := udpFrame(1, 2, 53)
	r.send(1, frame, 1)
	for range 4 {
		r.clk.advance(time.Second)
		r.send(1, frame, 1)
		r.p.Tick(r.clk.now())
	}
	if len(removed) != 0 {
		t.Fatal("busy flow expired")
	}
	r.clk.advance(3 * time.Second)
	if !r.p.Tick(r.clk.now()) || len(removed) != 1 || removed[0].Reason != tables.ReasonIdleTimeout ||
		removed[0].Packets != 5 {
		t.Fatalf("idle flow: removed %+v", removed)
	}
}
