package xlate

import (
	"fmt"
	"testing"

	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/tables"
)

// Building blocks of random rule sets.
var (
	fuzzMatches = []string{"", "in_port=1", "in_port=2", "ip", "udp", "tcp,tp_dst=80", "dl_vlan=10",
		"ip,nw_dst=10.0.0.0/8", "dl_dst=00:00:00:00:00:02", "reg0=1", "metadata=0x5", "icmp"}
	fuzzActions = []string{"drop", "output:1", "output:2", "NORMAL", "FLOOD", "ALL", "IN_PORT", "LOCAL",
		"CONTROLLER", "mod_dl_src:00:00:00:00:00:aa", "mod_vlan_vid:7", "strip_vlan", "push_vlan:0x8100",
		"dec_ttl", "resubmit(,0)", "resubmit(,1)", "resubmit(,2)", "resubmit(2,3)", "load:1->NXM_NX_REG0[]",
		"write_metadata:0x5", "note:01", "set_tunnel:9", "goto_table:3", "clear_actions",
		"write_actions(output:2)", "mod_tp_dst:99", "mod_nw_dst:1.2.3.4"}
)

// fuzzRules turns bytes into up to 12 rules over tables 0..3.
func fuzzRules(data []byte) []string {
	var out []string
	for i := 0; i+3 < len(data) && len(out) < 12; i += 4 {
		table := data[i] % 4
		m := fuzzMatches[int(data[i+1])%len(fuzzMatches)]
		a1 := fuzzActions[int(data[i+2])%len(fuzzActions)]
		a2 := fuzzActions[int(data[i+3])%len(fuzzActions)]
		s := fmt.Sprintf("OF13:table=%d,priority=%d", table, data[i+1]%5)
		if m != "" {
			s += "," + m
		}
		out = append(out, s+",actions="+a1+","+a2)
	}
	return out
}

func FuzzTranslate(f *testing.F) {
	f.Add([]byte{0, 0, 14, 1, 1, 2, 15, 3}, byte(1), byte(17), byte(0))
	f.Add([]byte{0, 0, 14, 14, 0, 3, 3, 3}, byte(2), byte(6), byte(10))
	f.Add([]byte{0, 4, 10, 1, 3, 5, 22, 24, 1, 6, 11, 12}, byte(3), byte(1), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, in, proto, vlan byte) {
		ports := append(seedPorts(t), port(t, 3, "p3", -1))
		tb := tables.New(tables.Config{})
		for _, s := range fuzzRules(data) {
			fm, _, err := flowsyntax.ParseFlow(s[5:], flowsyntax.CmdAdd, nil)
			if err != nil {
				continue // e.g. an action the match makes inconsistent
			}
			tb.Apply(fm, ofpact.OF13)
		}
		p := New(Config{Bridge: "br0", Tables: tb})
		p.PortsChanged(ports)
		k := ipKey(flow.PortNo(in%4), in, 2, proto, in)
		if vlan != 0 {
			k.SetVLAN(0, 0x8100, uint16(vlan)&0xfff|flow.VLANCFI)
		}
		c := p.newCtx(&k, true)
		c.run()
		if c.resubmits > MaxResubmits+1 || c.depth != 0 {
			t.Fatalf("budget: %d lookups, depth %d left", c.resubmits, c.depth)
		}
		if c.fail != FailNone && len(c.acts) != 0 {
			t.Fatalf("failed translation kept actions %v", c.acts)
		}
		m := c.finishMask()
		if m.InPort() != flow.PortNo(^uint32(0)) || m.EthType() != 0xffff {
			t.Fatalf("mask lacks in_port/dl_type: %x", m.W[:2])
		}
		_ = p.Trace(&k, nil)
	})
}
