package ofctl

import (
	"testing"

	"govs/ofproto/ofp"
)

func BenchmarkParseArgs(b *testing.B) {
	args := []string{"-O", "OpenFlow13", "--sort=in_port", "dump-flows", "br0", "in_port=1"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseArgs(args); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrintPortStats(b *testing.B) {
	raw, err := ofp.Encode(&ofp.PortStatsReply{Ports: make([]ofp.PortStats, 8)}, ofp.Version13, 2)
	if err != nil {
		b.Fatal(err)
	}
	m := &msg{raw: raw}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = msgString(m, nil)
	}
}
