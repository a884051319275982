package tables

import (
	"fmt"
	"testing"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

func benchTables(b testing.TB) *Tables {
	tb, _ := newClockTables()
	for i := range 100 {
		fm := fmt.Sprintf("priority=%d,ip,nw_dst=10.0.%d.0/24,actions=output:%d", 100+i, i, i%4+1)
		f, _, err := flowsyntax.ParseFlow(fm, flowsyntax.CmdAdd, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tb.Apply(f, ofpact.OF10); err != nil {
			b.Fatal(err)
		}
	}
	return tb
}

func lookupKey() (flow.Key, flowtable.PipelineState) {
	var k flow.Key
	k.SetInPort(1)
	k.SetEthType(flowtable.EthTypeIPv4)
	k.SetIPv4Dst(0x0a003205)
	return k, flowtable.PipelineState{InPort: 1}
}

func TestLookupAllocs(t *testing.T) {
	tb := benchTables(t)
	k, st := lookupKey()
	if tb.Lookup(0, &k, &st, nil) == nil {
		t.Fatal("no match")
	}
	if n := testing.AllocsPerRun(1000, func() { tb.Lookup(0, &k, &st, nil) }); n != 0 {
		t.Fatalf("Lookup allocates %.0f", n)
	}
}

func BenchmarkLookup(b *testing.B) {
	tb := benchTables(b)
	k, st := lookupKey()
	b.ReportAllocs()
	for b.Loop() {
		tb.Lookup(0, &k, &st, nil)
	}
}

// addFlowMods returns n ADD flow mods of one shape (one subtable), as
// "ovs-ofctl add-flows" of a generated file sends them.
func addFlowMods(b *testing.B, n int) []*flowsyntax.FlowMod {
	fms := make([]*flowsyntax.FlowMod, n)
	for i := range fms {
		s := fmt.Sprintf("priority=100,ip,nw_dst=10.%d.%d.%d,actions=output:1", i>>16&255, i>>8&255, i&255)
		f, _, err := flowsyntax.ParseFlow(s, flowsyntax.CmdAdd, nil)
		if err != nil {
			b.Fatal(err)
		}
		fms[i] = f
	}
	return fms
}

// BenchmarkApplyAdds loads n rules one Apply (one FLOW_MOD) each; the
// time per rule must not grow with n.
func BenchmarkApplyAdds(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			fms := addFlowMods(b, n)
			for b.Loop() {
				tb, _ := newClockTables()
				for _, f := range fms {
					if _, err := tb.Apply(f, ofpact.OF10); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/rule")
		})
	}
}
