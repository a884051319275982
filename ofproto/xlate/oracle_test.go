package xlate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/internal/ovsoracle"
	"govs/ofproto/bridge"
	"govs/ofproto/tables"
)

// The differential test runs a private ovsdb-server and ovs-vswitchd
// (OVS 3.1, --enable-dummy=override: dummy netdevs, no kernel devices,
// no traffic) with a netdev bridge, installs each rule set with
// ovs-ofctl, and compares ofproto/trace's "Megaflow:" and "Datapath
// actions:" lines with Trace for the same packets. Datapath port numbers
// are mapped back to OpenFlow numbers, and outputs are compared as a set
// of (port, packet state) pairs, since NORMAL's flood order is OVS's
// hash order.

const (
	oracleBridge = "br0"
)

type ovsOracle struct {
	*ovsoracle.OVS
	t    *testing.T
	mgmt string
	dp   map[string]string // datapath port number → OpenFlow number text
}

func startOVS(t *testing.T) *ovsOracle {
	o := ovsoracle.Start(t, ovsoracle.Options{DirPrefix: "gvx", Tools: []string{"ovs-ofctl"},
		NeedRoot: true, SkipShort: true, DisableSystem: true})
	return &ovsOracle{OVS: o, t: t, mgmt: o.Mgmt(oracleBridge)}
}

// oracleBridgePorts: p1, p2 access VLAN 10 (the seed lab), p3 trunk.
func (o *ovsOracle) configure(t *testing.T) []bridge.PortInfo {
	o.Vsctl("add-br", oracleBridge, "--", "set", "bridge", oracleBridge, "datapath_type=netdev",
		"protocols=OpenFlow10,OpenFlow13",
		"--", "add-port", oracleBridge, "p1", "--", "set", "interface", "p1", "ofport_request=1",
		"--", "set", "port", "p1", "tag=10",
		"--", "add-port", oracleBridge, "p2", "--", "set", "interface", "p2", "ofport_request=2",
		"--", "set", "port", "p2", "tag=10",
		"--", "add-port", oracleBridge, "p3", "--", "set", "interface", "p3", "ofport_request=3")
	o.dp = map[string]string{}
	for dp, of := range o.DatapathPorts() {
		o.dp[strconv.Itoa(dp)] = strconv.Itoa(of)
	}
	if len(o.dp) != 4 {
		t.Fatalf("dpif/show mapping %v", o.dp)
	}
	return []bridge.PortInfo{port(t, 1, "p1", 10), port(t, 2, "p2", 10), port(t, 3, "p3", -1),
		port(t, flow.PortLocal, oracleBridge, -1)}
}

// traceLine returns the text after prefix in a trace.
func traceLine(tr, prefix string) string {
	for _, l := range strings.Split(tr, "\n") {
		if strings.HasPrefix(l, prefix) {
			return strings.TrimPrefix(l, prefix)
		}
	}
	return "<missing>"
}

// normActions turns datapath actions into sorted "port@state" entries,
// state being the VLAN stack (starting from the packet's own tag, as the
// push_vlan that would create it) and set() actions applied so far; dp
// maps port numbers (nil: identity).
func normActions(s string, dp map[string]string, k *flow.Key) []string {
	if s == "drop" {
		return nil
	}
	var vlans []string
	if _, tci := k.VLAN(0); tci&flow.VLANCFI != 0 {
		vlans = append(vlans, fmt.Sprintf("push_vlan(vid=%d,pcp=%d)", tci&0xfff, tci>>13))
	}
	sets := map[string]string{}
	var out []string
	for _, a := range ovsoracle.SplitActions(s) {
		switch {
		case strings.HasPrefix(a, "push_vlan("):
			vlans = append([]string{a}, vlans...)
		case a == "pop_vlan":
			if len(vlans) > 0 {
				vlans = vlans[1:]
			} else {
				vlans = append(vlans, "pop")
			}
		case strings.HasPrefix(a, "set("):
			k := a
			if i := strings.Index(a, "="); i > 0 {
				k = a[:i]
			}
			sets[k] = a
		default:
			p := a
			if dp != nil {
				if m, ok := dp[a]; ok {
					p = m
				}
			}
			var st []string
			for _, v := range sets {
				st = append(st, v)
			}
			slices.Sort(st)
			out = append(out, p+"@"+strings.Join(vlans, "/")+"|"+strings.Join(st, ";"))
		}
	}
	slices.Sort(out)
	return out
}

func TestOracleTrace(t *testing.T) {
	o := startOVS(t)
	infos := o.configure(t)
	// fail_mode standalone: a new bridge has one visible NORMAL flow,
	// which tables.AddDefaultNormal reproduces; del-flows removes it.
	dump := o.Run("ovs-ofctl", "dump-flows", o.mgmt)
	tb := tables.New(tables.Config{})
	tb.AddDefaultNormal()
	all := tables.SelectAll()
	ours := string(flowsyntax.AppendFlowStats(nil, &tb.FlowStats(&all)[0], &flowsyntax.StatsOptions{Version: ofpact.OF10}))
	if lines := strings.Split(strings.TrimSpace(dump), "\n"); len(lines) != 2 || !strings.HasSuffix(lines[1], " "+ours) {
		t.Fatalf("new bridge flows:\n%s\nwant one flow ending %q", dump, ours)
	}
	o.Run("ovs-ofctl", "del-flows", o.mgmt)
	if dump := o.Run("ovs-ofctl", "dump-flows", o.mgmt); strings.Count(dump, "\n") != 1 {
		t.Fatalf("after del-flows:\n%s", dump)
	}
	cases := []struct {
		name  string
		flows []string // OF1.0 unless prefixed "OF13:"
		pkts  []string // ofproto/trace flows
	}{
		{name: "normal", flows: []string{"priority=0,actions=NORMAL"}, pkts: []string{
			"in_port=1,dl_src=00:00:00:00:01:01,dl_dst=00:00:00:00:01:02,dl_type=0x0800,nw_src=10.0.0.1,nw_dst=10.0.0.2",
			"in_port=3,dl_vlan=10,dl_src=00:00:00:00:01:03,dl_dst=00:00:00:00:01:04,dl_type=0x0800,nw_src=10.0.0.3,nw_dst=10.0.0.4",
			"in_port=3,dl_vlan=20,dl_src=00:00:00:00:01:05,dl_dst=00:00:00:00:01:06,dl_type=0x0800",
			"in_port=1,dl_vlan=5,dl_src=00:00:00:00:01:07,dl_dst=00:00:00:00:01:08,dl_type=0x0800"}},
		{name: "seed drop flow", flows: []string{"priority=0,actions=NORMAL", "priority=2,in_port=1,actions=drop"}, pkts: []string{
			"in_port=1,dl_src=00:00:00:00:02:01,dl_dst=00:00:00:00:02:02,dl_type=0x0800,nw_src=10.0.0.1,nw_dst=10.0.0.2",
			"in_port=2,dl_src=00:00:00:00:02:02,dl_dst=00:00:00:00:02:03,dl_type=0x0800,nw_src=10.0.0.2,nw_dst=10.0.0.1"}},
		{name: "resubmit and rewrites", flows: []string{
			"table=0,priority=10,ip,actions=mod_nw_src:1.2.3.4,resubmit(,1),output:1",
			"table=1,priority=10,ip,nw_dst=10.0.0.1,actions=mod_dl_dst:00:00:00:00:00:09,output:1,dec_ttl,output:3"},
			pkts: []string{
				"in_port=2,dl_src=00:00:00:00:03:02,dl_dst=00:00:00:00:03:01,dl_type=0x0800,nw_src=10.0.0.2,nw_dst=10.0.0.1,nw_ttl=64,nw_proto=17",
				"in_port=2,dl_src=00:00:00:00:03:02,dl_dst=00:00:00:00:03:01,dl_type=0x0800,nw_src=10.0.0.2,nw_dst=10.0.0.7,nw_ttl=64,nw_proto=6"}},
		{name: "vlan actions", flows: []string{"in_port=3,actions=mod_vlan_vid:5,output:1,strip_vlan,output:2",
			"in_port=1,actions=strip_vlan,mod_vlan_pcp:3,output:3"},
			pkts: []string{
				"in_port=3,dl_src=00:00:00:00:04:01,dl_dst=00:00:00:00:04:02,dl_type=0x0800",
				"in_port=3,dl_vlan=7,dl_src=00:00:00:00:04:01,dl_dst=00:00:00:00:04:02,dl_type=0x0800",
				"in_port=1,dl_src=00:00:00:00:04:01,dl_dst=00:00:00:00:04:02,dl_type=0x0800"}},
		{name: "l4 and prefix", flows: []string{"priority=5,tcp,nw_dst=10.0.0.0/8,actions=mod_tp_dst:99,output:3",
			"priority=1,actions=drop"},
			pkts: []string{
				"in_port=1,dl_src=00:00:00:00:05:01,dl_dst=00:00:00:00:05:02,dl_type=0x0800,nw_proto=6,nw_src=1.1.1.1,nw_dst=10.1.2.3,tp_dst=80",
				"in_port=1,dl_src=00:00:00:00:05:01,dl_dst=00:00:00:00:05:02,dl_type=0x0800,nw_proto=6,nw_src=1.1.1.1,nw_dst=192.168.1.1,tp_dst=80"}},
		{name: "resubmit loop", flows: []string{"priority=20,udp,actions=resubmit(,0)"}, pkts: []string{
			"in_port=2,dl_src=00:00:00:00:06:02,dl_dst=00:00:00:00:06:01,dl_type=0x0800,nw_proto=17,nw_ttl=64"}},
		{name: "action set", flows: []string{
			"OF13:table=0,icmp,actions=write_actions(output:3),goto_table:3",
			"OF13:table=3,icmp,actions=mod_nw_dst:10.1.1.1,write_actions(output:2)"},
			pkts: []string{
				"in_port=1,dl_src=00:00:00:00:07:02,dl_dst=00:00:00:00:07:01,dl_type=0x0800,nw_proto=1,nw_ttl=64"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o.Run("ovs-ofctl", "del-flows", o.mgmt)
			p := newTestPipeline(t, nil, infos, tc.flows...)
			for _, f := range tc.flows {
				if rest, ok := strings.CutPrefix(f, "OF13:"); ok {
					o.Run("ovs-ofctl", "-O", "OpenFlow13", "add-flow", o.mgmt, rest)
				} else {
					o.Run("ovs-ofctl", "add-flow", o.mgmt, f)
				}
			}
			for _, pkt := range tc.pkts {
				want := o.Appctl("ofproto/trace", oracleBridge, pkt)
				k := keyFromTraceFlow(t, pkt)
				got := p.Trace(&k, nil)
				if g, w := traceLine(got, "Megaflow: "), traceLine(want, "Megaflow: "); g != w {
					t.Errorf("%s\nMegaflow:\n got %s\nwant %s\n--- govs\n%s--- OVS\n%s", pkt, g, w, got, want)
				}
				if g, w := treeOf(got), treeOf(want); g != w {
					t.Errorf("%s\ntrace tree:\n--- govs\n%s--- OVS\n%s", pkt, g, w)
				}
				g := normActions(traceLine(got, "Datapath actions: "), nil, &k)
				w := normActions(traceLine(want, "Datapath actions: "), o.dp, &k)
				if !slices.Equal(g, w) {
					t.Errorf("%s\nDatapath actions:\n got %q\nwant %q\n--- govs\n%s--- OVS\n%s", pkt, g, w, got, want)
				}
			}
		})
	}
}

// keyFromTraceFlow builds the key ofproto/trace builds from a flow string.
func keyFromTraceFlow(t *testing.T, s string) flow.Key {
	t.Helper()
	fm, _, err := flowsyntax.ParseMatch(s, nil)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	k := fm.Match.Key
	k.SetInPort(flow.PortNo(fm.Match.InPort))
	if tpid, tci := k.VLAN(0); tci&flow.VLANCFI != 0 && tpid == 0 {
		k.SetVLAN(0, 0x8100, tci)
	}
	return k
}

// treeOf returns the table/action tree of a trace (from the bridge line
// to "Final flow:").
func treeOf(tr string) string {
	i := strings.Index(tr, "bridge(")
	j := strings.Index(tr, "\nFinal flow:")
	if i < 0 || j < i {
		return tr
	}
	return tr[i:j]
}
