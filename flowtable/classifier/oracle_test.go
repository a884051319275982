package classifier

import (
	"testing"

	"govs/datapath/flow"
)

// TestWildcardsOVSOracle compares the megaflow mask (classifier bits plus
// AddAlwaysExact) with what OVS 3.1 produced for the same flows and
// packets: `ovs-appctl ofproto/trace br <packet>` on a dummy-datapath
// bridge (fail_mode=secure) holding exactly these flows. The OVS
// "Megaflow:" line is quoted for each case.
func TestWildcardsOVSOracle(t *testing.T) {
	nested := []string{
		"priority=20,ip,nw_dst=10.1.0.0/16,actions=drop",
		"priority=10,ip,nw_dst=10.0.0.0/8,actions=drop",
		"priority=0,actions=output:2",
	}
	twoTries := []string{
		"priority=10,ip,nw_src=192.168.0.0/16,actions=drop",
		"priority=9,ip,nw_dst=10.0.0.0/8,nw_src=10.0.0.0/8,actions=drop",
		"priority=0,actions=output:2",
	}
	ports := []string{"priority=5,tcp,tp_dst=80,actions=drop", "priority=0,actions=output:2"}
	inPort := []string{"priority=2,in_port=1,actions=drop", "priority=0,actions=output:2"}
	tests := []struct {
		ovs   string // OVS 3.1 megaflow
		flows []string
		p     pkt
		wc    wantWC
	}{
		{"recirc_id=0,eth,ip,in_port=1,nw_dst=10.2.0.0/15,nw_frag=no", nested,
			pkt{inPort: 1, ethType: 0x0800, dst: ipv4(10, 2, 0, 0)}, wantWC{dstBits: 15}},
		{"recirc_id=0,eth,ip,in_port=1,nw_dst=128.0.0.0/1,nw_frag=no", nested,
			pkt{inPort: 1, ethType: 0x0800, dst: ipv4(192, 168, 1, 1)}, wantWC{dstBits: 1}},
		{"recirc_id=0,eth,ip,in_port=1,nw_dst=8.0.0.0/7,nw_frag=no", nested,
			pkt{inPort: 1, ethType: 0x0800, dst: ipv4(8, 0, 0, 1)}, wantWC{dstBits: 7}},
		{"recirc_id=0,eth,ip,in_port=1,nw_dst=10.1.0.0/16,nw_frag=no", nested,
			pkt{inPort: 1, ethType: 0x0800, dst: ipv4(10, 1, 5, 5)}, wantWC{dstBits: 16}},
		{"recirc_id=0,eth,ip,in_port=1,nw_dst=11.0.0.0/8,nw_frag=no", nested,
			pkt{inPort: 1, ethType: 0x0800, dst: ipv4(11, 0, 0, 0)}, wantWC{dstBits: 8}},
		{"recirc_id=0,eth,tcp,in_port=1,nw_frag=no,tp_dst=0x100/0xff00", ports,
			pkt{inPort: 1, ethType: 0x0800, proto: 6, tpDst: 443}, wantWC{proto: true, tpDst: 0xff00}},
		{"recirc_id=0,eth,ip,in_port=2,nw_frag=no", inPort,
			pkt{inPort: 2, ethType: 0x0800}, wantWC{inPort: true}},
		{"recirc_id=0,eth,ip,in_port=1,nw_frag=no", inPort,
			pkt{inPort: 1, ethType: 0x0800}, wantWC{inPort: true}},
		{"recirc_id=0,eth,ip,in_port=1,nw_src=10.0.0.0/8,nw_dst=11.0.0.0/8,nw_frag=no", twoTries,
			pkt{inPort: 1, ethType: 0x0800, src: ipv4(10, 0, 0, 1), dst: ipv4(11, 1, 1, 1)}, wantWC{srcBits: 8, dstBits: 8}},
		{"recirc_id=0,eth,ip,in_port=1,nw_src=192.169.0.0/16,nw_frag=no", twoTries,
			pkt{inPort: 1, ethType: 0x0800, src: ipv4(192, 169, 0, 1), dst: ipv4(10, 1, 1, 1)}, wantWC{srcBits: 16}},
	}
	for _, tc := range tests {
		t.Run(tc.ovs, func(t *testing.T) {
			c := load(t, tc.flows...)
			k, st := tc.p.key()
			var wc Wildcards
			c.Lookup(&k, &st, &wc)
			wc.AddAlwaysExact(&k)
			want := tc.wc.build()
			want.AddAlwaysExact(&k)
			if wc.Key != want.Key {
				t.Errorf("megaflow mask\n got %x\nwant %x", wc.Key.W, want.Key.W)
			}
		})
	}
}

// TestWildcardsOVSOracleIPv6: OVS 3.1 with ipv6_dst=2001:db8::/32 and a
// packet to 2001:db9::1 gives ipv6_dst=2001:db9::/32 (the trie leaves
// the rule's prefix at its last bit).
func TestWildcardsOVSOracleIPv6(t *testing.T) {
	c := load(t, "priority=20,ipv6,ipv6_dst=2001:db8::/32,actions=drop", "priority=0,actions=output:2")
	var k flow.Key
	k.SetEthType(0x86dd)
	k.SetIPv6Dst([16]byte{0x20, 0x01, 0x0d, 0xb9, 15: 1})
	st := pkt{}
	_, ps := st.key()
	var wc Wildcards
	c.Lookup(&k, &ps, &wc)
	var want flow.Key
	want.SetEthType(0xffff)
	want.SetIPv6Dst([16]byte{0xff, 0xff, 0xff, 0xff})
	if wc.Key != want {
		t.Errorf("got %x\nwant %x", wc.Key.W, want.W)
	}
}
