package xlate

import (
	"strings"
	"testing"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable/ofpact"
)

// threePorts: p1, p2, p3 trunks (no VLAN processing) plus LOCAL.
func threePorts(t testing.TB) []bridgePort {
	return []bridgePort{{1, "p1", -1}, {2, "p2", -1}, {3, "p3", -1}}
}

type bridgePort struct {
	no   flow.PortNo
	name string
	tag  int64
}

func TestTranslate(t *testing.T) {
	tests := []struct {
		name  string
		flows []string
		key   flow.Key
		acts  string
		fail  Failure
	}{
		{name: "empty table drops", key: ipKey(1, 1, 2, 6, 64), acts: "drop"},
		{name: "drop rule", flows: []string{"in_port=1,actions=drop"}, key: ipKey(1, 1, 2, 6, 64), acts: "drop"},
		{name: "output", flows: []string{"in_port=1,actions=output:2,output:3"}, key: ipKey(1, 1, 2, 6, 64), acts: "2,3"},
		{name: "output to input port skipped", flows: []string{"actions=output:1,output:2"}, key: ipKey(1, 1, 2, 6, 64), acts: "2"},
		{name: "in_port output", flows: []string{"actions=in_port"}, key: ipKey(1, 1, 2, 6, 64), acts: "1"},
		{name: "nonexistent port", flows: []string{"actions=output:9"}, key: ipKey(1, 1, 2, 6, 64), acts: "drop"},
		{name: "local", flows: []string{"actions=LOCAL"}, key: ipKey(1, 1, 2, 6, 64), acts: "65534"},
		{name: "flood and all", flows: []string{"actions=FLOOD"}, key: ipKey(2, 1, 2, 6, 64), acts: "1,3,65534"},
		{name: "mod_dl and mod_nw before output only",
			flows: []string{"actions=output:2,mod_dl_src:00:00:00:00:00:aa,mod_nw_dst:10.9.9.9,output:3"},
			key:   ipKey(1, 1, 2, 6, 64),
			acts:  "2,set(eth(src=00:00:00:00:00:aa)),set(ipv4(dst=10.9.9.9)),3"},
		{name: "set unchanged value emits nothing",
			flows: []string{"actions=mod_dl_src:00:00:00:00:00:01,output:2"},
			key:   ipKey(1, 1, 2, 6, 64), acts: "2"},
		{name: "mod_tp_dst", flows: []string{"tcp,actions=mod_tp_dst:99,output:2"}, key: ipKey(1, 1, 2, 6, 64),
			acts: "set(tcp(dst=99)),2"},
		{name: "dec_ttl", flows: []string{"ip,actions=dec_ttl,output:2"}, key: ipKey(1, 1, 2, 6, 64),
			acts: "set(ipv4(ttl=63)),2"},
		{name: "dec_ttl expiring goes to controller", flows: []string{"ip,actions=dec_ttl,output:2"},
			key: ipKey(1, 1, 2, 6, 1), acts: "userspace"},
		{name: "push vlan and set vid", flows: []string{"actions=mod_vlan_vid:5,output:2,strip_vlan,output:3"},
			key: ipKey(1, 1, 2, 6, 64), acts: "push_vlan(vid=5,pcp=0),2,pop_vlan,3"},
		{name: "resubmit", flows: []string{"table=0,actions=resubmit(,1),output:3", "table=1,actions=output:2"},
			key: ipKey(1, 1, 2, 6, 64), acts: "2,3"},
		{name: "resubmit with in_port", flows: []string{"table=0,in_port=1,actions=resubmit(2,1)",
			"table=1,in_port=2,actions=output:3,output:2"}, key: ipKey(1, 1, 2, 6, 64), acts: "3"},
		{name: "goto_table", flows: []string{"OF13:table=0,actions=goto_table:5", "OF13:table=5,actions=output:2"},
			key: ipKey(1, 1, 2, 6, 64), acts: "2"},
		{name: "set_field and registers", flows: []string{
			"table=0,actions=load:0x2->NXM_NX_REG3[],resubmit(,1)",
			"table=1,ip,reg3=2,actions=move:NXM_NX_REG3[0..5]->NXM_OF_IP_TOS[2..7],output:2"},
			key: ipKey(1, 1, 2, 6, 64), acts: "set(ipv4(tos=0x8)),2"},
		{name: "write_metadata", flows: []string{"OF13:table=0,actions=write_metadata:0x5/0xff,goto_table:1",
			"OF13:table=1,metadata=0x5,actions=output:2"}, key: ipKey(1, 1, 2, 6, 64), acts: "2"},
		{name: "action set runs at the end", flows: []string{
			"OF13:table=0,actions=mod_dl_dst:00:00:00:00:00:0b,write_actions(output:3),goto_table:1",
			"OF13:table=1,actions=write_actions(output:2)"},
			key: ipKey(1, 1, 2, 6, 64), acts: "set(eth(dst=00:00:00:00:00:0b)),2"},
		{name: "clear_actions", flows: []string{
			"OF13:table=0,actions=write_actions(output:3),goto_table:1",
			"OF13:table=1,actions=clear_actions"},
			key: ipKey(1, 1, 2, 6, 64), acts: "drop"},
		{name: "controller", flows: []string{"actions=controller"}, key: ipKey(1, 1, 2, 6, 64), acts: "userspace"},
		{name: "resubmit loop is cut", flows: []string{"actions=resubmit(,0)"}, key: ipKey(1, 1, 2, 6, 64),
			acts: "drop", fail: FailDepth},
		{name: "resubmit fan-out exceeds lookups", flows: []string{
			"table=0,actions=resubmit(,1),resubmit(,1),resubmit(,1),resubmit(,1)",
			"table=1,actions=resubmit(,2),resubmit(,2),resubmit(,2),resubmit(,2)",
			"table=2,actions=resubmit(,3),resubmit(,3),resubmit(,3),resubmit(,3)",
			"table=3,actions=resubmit(,4),resubmit(,4),resubmit(,4),resubmit(,4)",
			"table=4,actions=resubmit(,5),resubmit(,5),resubmit(,5),resubmit(,5)",
			"table=5,actions=resubmit(,6),resubmit(,6),resubmit(,6),resubmit(,6)",
			"table=6,actions=resubmit(,7),resubmit(,7)"},
			key: ipKey(1, 1, 2, 6, 64), acts: "drop", fail: FailResubmits},
		{name: "ARP responder (move/load, in_port)", flows: []string{"arp,arp_op=1,arp_tpa=10.0.0.254,actions=" +
			"move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:02:00:00:00:00:fe,load:0x2->NXM_OF_ARP_OP[]," +
			"move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]," +
			"load:0x0200000000fe->NXM_NX_ARP_SHA[],load:0x0a0000fe->NXM_OF_ARP_SPA[],in_port"},
			key: arpRequestKey(1, 0x0a000001, 0x0a0000fe),
			acts: "set(eth(src=02:00:00:00:00:fe)),set(eth(dst=00:00:00:00:00:01)),set(arp(op=2)),set(arp(sip=10.0.0.254))," +
				"set(arp(tip=10.0.0.1)),set(arp(sha=02:00:00:00:00:fe)),set(arp(tha=00:00:00:00:00:01)),1"},
		{name: "unsupported rewrite", flows: []string{"ipv6,actions=set_field:::1->ipv6_src,output:2"},
			key: ip6Key(1), acts: "drop", fail: FailUnsupportedSet},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ports := seedPorts(t)[2:] // LOCAL
			for _, bp := range threePorts(t) {
				ports = append(ports, port(t, bp.no, bp.name, bp.tag))
			}
			p := newTestPipeline(t, nil, ports, tc.flows...)
			got, _ := translate(t, p, tc.key)
			if tc.acts == "userspace" {
				if !strings.HasPrefix(got, "userspace(") {
					t.Fatalf("actions %s, want userspace", got)
				}
			} else if got != tc.acts {
				t.Fatalf("actions %s, want %s\n%s", got, tc.acts, p.Trace(&tc.key, nil))
			}
			if n := p.Stats().Failures[tc.fail]; tc.fail != FailNone && n != 1 {
				t.Fatalf("failure %v counted %d times", tc.fail, n)
			}
		})
	}
}

// arpRequestKey is an ARP request from 00:00:00:00:00:01 (spa) for tpa.
func arpRequestKey(in flow.PortNo, spa, tpa uint32) flow.Key {
	var k flow.Key
	k.SetInPort(in)
	k.SetEthSrc([6]byte{0, 0, 0, 0, 0, 1})
	k.SetEthDst([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	k.SetEthType(0x0806)
	k.SetNwProto(1)
	k.SetIPv4Src(spa)
	k.SetIPv4Dst(tpa)
	k.SetArpSha([6]byte{0, 0, 0, 0, 0, 1})
	return k
}

func ip6Key(in flow.PortNo) flow.Key {
	var k flow.Key
	k.SetInPort(in)
	k.SetEthType(0x86dd)
	k.SetNwProto(17)
	k.SetNwTTL(64)
	return k
}

func TestControllerInfo(t *testing.T) {
	p := newTestPipeline(t, nil, seedPorts(t), "table=0,cookie=0x77,actions=resubmit(,4)",
		"table=4,cookie=0x99,actions=controller(reason=no_match,max_len=128,id=3)")
	k := ipKey(1, 1, 2, 6, 64)
	var mask flow.Key
	var acts datapath.Actions
	if _, err := p.UpcallCookie(&k, &mask, &acts, 60); err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 || acts[0].Kind != datapath.ActUserspace {
		t.Fatalf("actions %v", acts)
	}
	ci, ok := p.ControllerInfo(acts[0].Arg)
	want := ControllerInfo{Reason: ofpact.ReasonNoMatch, Table: 4, Cookie: 0x99, MaxLen: 128, ID: 3}
	if !ok || ci != want {
		t.Fatalf("ControllerInfo = %+v %v, want %+v", ci, ok, want)
	}
	if _, ok := p.ControllerInfo(12345); ok {
		t.Fatal("foreign argument decoded")
	}
}

func TestMaskSeedLab(t *testing.T) {
	// The seed lab: p1, p2 access VLAN 10, NORMAL plus
	// priority=2,in_port=1,actions=drop (OVS 3.1 ofproto/trace values).
	p := newTestPipeline(t, nil, seedPorts(t), "priority=0,actions=NORMAL", "priority=2,in_port=1,actions=drop")
	k := ipKey(1, 1, 2, 0, 0)
	acts, mask := translate(t, p, k)
	if acts != "drop" {
		t.Fatalf("p1: %s", acts)
	}
	if got := string(appendMegaflow(nil, &k, &mask, nil)); got != "recirc_id=0,eth,ip,in_port=1,vlan_tci=0x0000/0x1fff,nw_frag=no" {
		t.Fatalf("p1 datapath mask %s", got)
	}
	tr := p.Trace(&k, nil)
	if !strings.Contains(tr, "\nMegaflow: recirc_id=0,eth,ip,in_port=1,nw_frag=no\n") ||
		!strings.Contains(tr, " 0. in_port=1, priority 2\n    drop\n") {
		t.Fatalf("trace:\n%s", tr)
	}
	k = ipKey(2, 2, 1, 0, 0)
	acts, _ = translate(t, p, k)
	if acts != "1,push_vlan(vid=10,pcp=0),65534" {
		t.Fatalf("p2: %s", acts)
	}
	tr = p.Trace(&k, nil)
	if !strings.Contains(tr, "\nMegaflow: recirc_id=0,eth,ip,in_port=2,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:01,nw_frag=no\n") {
		t.Fatalf("trace:\n%s", tr)
	}
}

func TestNormalLearnsAndRevalidationDoesNot(t *testing.T) {
	p := newTestPipeline(t, nil, seedPorts(t), "priority=0,actions=NORMAL")
	k := ipKey(1, 1, 2, 0, 0)
	var mask flow.Key
	var acts datapath.Actions
	p.SetRevalidating(true)
	p.UpcallCookie(&k, &mask, &acts, 0)
	p.SetRevalidating(false)
	if p.MACTable().Len() != 0 {
		t.Fatal("learned while revalidating")
	}
	// A re-translation (frameLen 0) after the bridge's revalidation ended:
	// a datapath worker catching up with Revalidate.
	p.UpcallCookie(&k, &mask, &acts, 0)
	if p.MACTable().Len() != 0 {
		t.Fatal("learned in a re-translation")
	}
	p.UpcallCookie(&k, &mask, &acts, 60)
	if p.MACTable().Len() != 1 {
		t.Fatal("did not learn")
	}
	if !p.Tick(newFakeClock().now()) {
		t.Fatal("Tick did not ask for revalidation after learning")
	}
	k2 := ipKey(2, 2, 1, 0, 0)
	if got, _ := translate(t, p, k2); got != "1" {
		t.Fatalf("to learned port: %s", got)
	}
}

// TestMACRevalidationPacing: after a revalidation that took d, new MAC
// entries ask for the next one only once macRevalDutyFactor*d (at most
// macRevalMaxDelay) has passed on Tick's clock; a MAC move asks at once.
func TestMACRevalidationPacing(t *testing.T) {
	p := newTestPipeline(t, nil, seedPorts(t), "priority=0,actions=NORMAL")
	clk := newFakeClock()
	learn := func(in flow.PortNo, src byte) {
		k := ipKey(in, src, 99, 0, 0)
		var mask flow.Key
		var acts datapath.Actions
		p.UpcallCookie(&k, &mask, &acts, 60)
	}
	learn(1, 1)
	if !p.Tick(clk.now()) {
		t.Fatal("first learn: no revalidation asked")
	}
	p.SetRevalidating(true)
	p.SetRevalidating(false)
	p.revalCost = 20 * time.Millisecond // as if re-translating took that long
	learn(1, 2)
	clk.advance(100 * time.Millisecond)
	if p.Tick(clk.now()) {
		t.Fatal("new MAC 100 ms after a 20 ms revalidation: revalidated, want paced to 200 ms")
	}
	clk.advance(100 * time.Millisecond)
	if !p.Tick(clk.now()) {
		t.Fatal("new MAC 200 ms after a 20 ms revalidation: not revalidated")
	}
	p.revalCost = time.Hour
	learn(1, 3)
	clk.advance(macRevalMaxDelay - time.Millisecond)
	if p.Tick(clk.now()) {
		t.Fatal("revalidated before macRevalMaxDelay")
	}
	clk.advance(time.Millisecond)
	if !p.Tick(clk.now()) {
		t.Fatal("not revalidated after macRevalMaxDelay")
	}
	learn(2, 3) // mac 3 moves from port 1 to port 2
	if !p.Tick(clk.now()) {
		t.Fatal("MAC move: revalidation not asked at once")
	}
}
