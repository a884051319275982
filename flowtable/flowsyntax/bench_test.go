package flowsyntax

import (
	"testing"

	"govs/flowtable/ofpact"
)

const benchFlow = "table=1,priority=100,tcp,in_port=3,dl_vlan=10,nw_dst=10.0.0.0/8,tp_dst=80,reg0=0x5/0xff,actions=mod_nw_src:1.2.3.4,load:5->reg1[0..3],resubmit(,2),output:3"

func BenchmarkParseFlow(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, err := ParseFlow(benchFlow, CmdAdd, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendFlowStats(b *testing.B) {
	fm, _, err := ParseFlow("tcp,in_port=3,nw_dst=10.0.0.0/8,tp_dst=80,actions=resubmit(,2),output:3", CmdAdd, nil)
	if err != nil {
		b.Fatal(err)
	}
	fs := FlowStats{DurationSec: 12, DurationNsec: 345e6, NPackets: 1000, NBytes: 64000, IdleAge: 1, HardAge: -1,
		Priority: fm.Priority, Match: fm.Match, Actions: fm.Actions}
	o := &StatsOptions{ShowStats: true, Version: ofpact.AsParsed}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendFlowStats(buf[:0], &fs, o)
	}
}

func TestAppendFlowStatsAllocs(t *testing.T) {
	fm, _, err := ParseFlow("tcp,in_port=3,nw_dst=10.0.0.0/8,tp_dst=80,actions=resubmit(,2),output:3", CmdAdd, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs := FlowStats{DurationSec: 12, NPackets: 1, IdleAge: 1, HardAge: -1, Priority: fm.Priority, Match: fm.Match, Actions: fm.Actions}
	o := &StatsOptions{ShowStats: true, Version: ofpact.AsParsed}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = AppendFlowStats(buf[:0], &fs, o) }); n != 0 {
		t.Fatalf("AppendFlowStats allocates %v times", n)
	}
}
