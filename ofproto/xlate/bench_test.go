package xlate

import (
	"testing"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
)

// BenchmarkUpcall is one slow-path translation (upcall path; it may
// allocate): resubmit chain, rewrite, output.
func BenchmarkUpcall(b *testing.B) {
	p := newTestPipeline(b, nil, seedPorts(b), "table=0,in_port=1,actions=resubmit(,1)",
		"table=1,ip,actions=mod_nw_dst:10.9.9.9,output:2")
	k := ipKey(1, 1, 2, 17, 64)
	var mask flow.Key
	var acts datapath.Actions
	b.ReportAllocs()
	for b.Loop() {
		mask.Reset()
		p.UpcallCookie(&k, &mask, &acts, 0)
	}
}

// BenchmarkUpcallNormal translates through the implicit NORMAL flow.
func BenchmarkUpcallNormal(b *testing.B) {
	p := newTestPipeline(b, nil, seedPorts(b), "priority=0,actions=NORMAL")
	k := ipKey(1, 1, 2, 17, 64)
	var mask flow.Key
	var acts datapath.Actions
	b.ReportAllocs()
	for b.Loop() {
		mask.Reset()
		p.UpcallCookie(&k, &mask, &acts, 0)
	}
}

// BenchmarkStatsPull is Tick's stats pull over 20 megaflows with traffic.
func BenchmarkStatsPull(b *testing.B) {
	r := newRig(b, "udp,actions=mod_tp_dst:7,output:2")
	frames := make([][]byte, 20)
	for i := range frames {
		frames[i] = udpFrame(1, 2, uint16(100+i))
		r.send(1, frames[i], 1)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range frames {
			r.send(1, f, 1)
		}
		r.clk.advance(time.Second)
		r.p.Tick(r.clk.now())
	}
}
