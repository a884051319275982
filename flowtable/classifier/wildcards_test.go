package classifier

import (
	"testing"

	"govs/datapath/flow"
	"govs/flowtable"
)

// wantWC builds an expected wildcard set.
type wantWC struct {
	inPort  bool
	ethType bool
	proto   bool
	dstBits int
	srcBits int
	tpDst   uint16
}

func (w wantWC) build() Wildcards {
	var r Wildcards
	if w.inPort {
		r.InPort = flowtable.PortNone
	}
	if w.ethType {
		r.Key.SetEthType(0xffff)
	}
	if w.proto {
		r.Key.SetNwProto(0xff)
	}
	r.Key.SetIPv4Dst(prefixMask32(w.dstBits))
	r.Key.SetIPv4Src(prefixMask32(w.srcBits))
	r.Key.SetTpDst(w.tpDst)
	return r
}

func TestLookupWildcards(t *testing.T) {
	catchAll := "priority=0,actions=NORMAL"
	tests := []struct {
		name    string
		flows   []string
		p       pkt
		want    string // matched flow, "" for none
		wc      wantWC
		visited int
	}{
		{"catch-all only", []string{catchAll}, pkt{inPort: 1, ethType: 0x0800, dst: ipv4(1, 2, 3, 4)}, catchAll, wantWC{}, 1},
		{"in_port hit", []string{"priority=2,in_port=1,actions=drop", catchAll}, pkt{inPort: 1, ethType: 0x0800},
			"priority=2,in_port=1,actions=drop", wantWC{inPort: true}, 1},
		{"in_port miss", []string{"priority=2,in_port=1,actions=drop", catchAll}, pkt{inPort: 2, ethType: 0x0800},
			catchAll, wantWC{inPort: true}, 2},
		{"nw_dst/8 trie miss at bit 0", []string{"priority=10,ip,nw_dst=10.0.0.0/8,actions=drop", catchAll},
			pkt{ethType: 0x0800, dst: ipv4(192, 168, 1, 1)}, catchAll, wantWC{ethType: true, dstBits: 1}, 2},
		{"nw_dst/8 trie miss at bit 6", []string{"priority=10,ip,nw_dst=10.0.0.0/8,actions=drop", catchAll},
			pkt{ethType: 0x0800, dst: ipv4(8, 0, 0, 1)}, catchAll, wantWC{ethType: true, dstBits: 7}, 2},
		{"nw_dst/8 hit", []string{"priority=10,ip,nw_dst=10.0.0.0/8,actions=drop", catchAll},
			pkt{ethType: 0x0800, dst: ipv4(10, 9, 9, 9)}, "priority=10,ip,nw_dst=10.0.0.0/8,actions=drop",
			wantWC{ethType: true, dstBits: 8}, 1},
		{"non-IP stops at L2", []string{"priority=10,ip,nw_dst=10.0.0.0/8,actions=drop", catchAll},
			pkt{ethType: 0x0806, dst: ipv4(10, 9, 9, 9)}, catchAll, wantWC{ethType: true}, 2},
		{"nested prefixes: /16 skipped by trie", []string{
			"priority=20,ip,nw_dst=10.1.0.0/16,actions=drop",
			"priority=10,ip,nw_dst=10.0.0.0/8,actions=drop", catchAll},
			pkt{ethType: 0x0800, dst: ipv4(10, 2, 0, 0)}, "priority=10,ip,nw_dst=10.0.0.0/8,actions=drop",
			wantWC{ethType: true, dstBits: 15}, 2},
		{"nw_src trie", []string{"priority=10,ip,nw_src=192.168.0.0/16,actions=drop", catchAll},
			pkt{ethType: 0x0800, src: ipv4(10, 0, 0, 1)}, catchAll, wantWC{ethType: true, srcBits: 1}, 2},
		{"tp_dst miss: ports trie", []string{"priority=5,tcp,tp_dst=80,actions=drop", catchAll},
			pkt{ethType: 0x0800, proto: 6, tpDst: 443}, catchAll, wantWC{ethType: true, proto: true, tpDst: 0xff00}, 2},
		{"udp stops at L3", []string{"priority=5,tcp,tp_dst=80,actions=drop", catchAll},
			pkt{ethType: 0x0800, proto: 17, tpDst: 80}, catchAll, wantWC{ethType: true, proto: true}, 2},
		{"priority cut-off", []string{"priority=100,in_port=1,actions=drop", "priority=50,ip,nw_src=1.2.3.4,actions=drop"},
			pkt{inPort: 1, ethType: 0x0800, src: ipv4(1, 2, 3, 4)}, "priority=100,in_port=1,actions=drop", wantWC{inPort: true}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := load(t, tc.flows...)
			k, st := tc.p.key()
			var wc Wildcards
			r, n := c.LookupVisited(&k, &st, &wc)
			got := ""
			if r != nil {
				got = r.Value
			}
			if got != tc.want {
				t.Errorf("rule %q, want %q", got, tc.want)
			}
			if want := tc.wc.build(); wc != want {
				t.Errorf("wildcards\n got %x in_port=%#x\nwant %x in_port=%#x",
					wc.Key.W, wc.InPort, want.Key.W, want.InPort)
			}
			if n != tc.visited {
				t.Errorf("visited %d subtables, want %d", n, tc.visited)
			}
		})
	}
}

func TestAddAlwaysExact(t *testing.T) {
	tests := []struct {
		name string
		p    pkt
		frag bool
	}{
		{"ip", pkt{ethType: 0x0800}, true},
		{"arp", pkt{ethType: 0x0806}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, _ := tc.p.key()
			var wc Wildcards
			wc.AddAlwaysExact(&k)
			var want flow.Key
			want.SetInPort(^flow.PortNo(0))
			want.SetRecircID(^uint32(0))
			want.SetEthType(0xffff)
			if tc.frag {
				want.SetNwFrag(0xff)
			}
			if wc.Key != want {
				t.Errorf("got %x want %x", wc.Key.W, want.W)
			}
		})
	}
	var k flow.Key
	k.SetFlags(flow.KeyFlagTunnel)
	var wc Wildcards
	wc.AddAlwaysExact(&k)
	if wc.Key.TunID() != ^uint64(0) || wc.Key.TunDst() != ^uint32(0) {
		t.Errorf("tunnel fields not exact: %x", wc.Key.W)
	}
}

// TestWildcardsUnits checks the OpenFlow-only units round-trip.
func TestWildcardsUnits(t *testing.T) {
	var w Wildcards
	for u := 0; u < numUnits; u++ {
		w.orUnit(u, uint64(u+1)<<8|0x1)
	}
	for u := 0; u < numUnits; u++ {
		want := uint64(u+1)<<8 | 0x1
		if u == unitInPort {
			want &= uint64(^flowtable.PortNo(0))
		}
		if got := w.unit(u); got != want {
			t.Errorf("unit %d = %#x, want %#x", u, got, want)
		}
	}
}

func TestWildcardsMatch(t *testing.T) {
	c := load(t, "priority=9,in_port=1,reg3=0x5,metadata=0x1/0x1,actions=drop")
	k, st := pkt{inPort: 1}.key()
	st.Regs[3], st.Metadata = 5, 1
	var wc Wildcards
	if r := c.Lookup(&k, &st, &wc); r == nil {
		t.Fatal("no match")
	}
	m := wc.Match()
	if m.InPortMask != flowtable.PortNone || m.RegMasks[3] != ^uint32(0) || m.MetadataMask != 1 || m.Mask != (flow.Key{}) {
		t.Errorf("got %+v", m)
	}
	wc.Reset()
	if wc != (Wildcards{}) {
		t.Error("Reset left bits")
	}
}
