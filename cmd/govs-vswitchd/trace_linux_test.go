package main

import (
	"strings"
	"testing"
)

// traceCase is one ofproto/trace with the text a real OVS 3.1 printed for
// the same bridge, ports and flows ({BR}, {P1}, {P2} stand for the names;
// {DASH} the underline of the bridge line; OVS's datapath numbered LOCAL
// 1, govs's datapath numbers are OpenFlow numbers, so {LOCAL} is 65534).
type traceCase struct {
	flow  string
	extra []string
	want  string
}

// normalTrace is the text OVS 3.1 prints for a trace on a bridge whose
// only flow is "priority 0, NORMAL": flow is the Flow line, normal the
// lines NORMAL printed (each ending in a newline), then the Megaflow and
// the Datapath actions.
func normalTrace(flow, normal, megaflow, actions string) string {
	return "Flow: " + flow + `

bridge("{BR}")
{DASH}
 0. priority 0
    NORMAL
` + normal + `
Final flow: unchanged
Megaflow: ` + megaflow + `
Datapath actions: ` + actions + "\n"
}

// traceFlood is NORMAL's line for a destination it has not learned.
const traceFlood = "     -> no learned MAC for destination, flooding\n"

// traceVLANDrop is NORMAL's lines for a frame tagged vid arriving on
// {P1}, the VLAN 10 access port.
func traceVLANDrop(vid string) string {
	return "     >>>> dropping VLAN " + vid + " tagged packet received on port {P1} configured as VLAN 10 access port <<<<\n" +
		"     >> disallowed VLAN VID for this input port, dropping\n"
}

// seedVLANTraces are the seed lab's VLAN step: p1 tag=10, p2 tag=20.
var seedVLANTraces = []traceCase{
	{flow: "in_port={P1},dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff", want: normalTrace(
		"in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		traceFlood,
		"recirc_id=0,eth,in_port=1,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		"push_vlan(vid=10,pcp=0),{LOCAL}")},
	{flow: "in_port={P1},dl_vlan=5,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff", want: normalTrace(
		"in_port=1,dl_vlan=5,dl_vlan_pcp=0,vlan_tci1=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		traceVLANDrop("5"),
		"recirc_id=0,eth,in_port=1,dl_vlan=5,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		"drop")},
	{flow: "in_port={P2},dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:01,dl_type=0x0800,nw_src=10.0.0.2,nw_dst=10.0.0.1", want: normalTrace(
		"ip,in_port=2,vlan_tci=0x0000,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:01,nw_src=10.0.0.2,nw_dst=10.0.0.1,nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no",
		traceFlood,
		"recirc_id=0,eth,ip,in_port=2,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:01,nw_frag=no",
		"push_vlan(vid=20,pcp=0),{LOCAL}")},
	{flow: "in_port={P2},dl_src=00:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff", extra: []string{"-generate"}, want: normalTrace(
		"in_port=2,vlan_tci=0x0000,dl_src=00:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		"     -> learned that 00:00:00:00:00:02 is on port {P2} in VLAN 20\n"+traceFlood,
		"recirc_id=0,eth,in_port=2,dl_src=00:00:00:00:00:02,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000",
		"push_vlan(vid=20,pcp=0),{LOCAL}")},
}

// qinqFrame is an 802.1ad (VLAN 100) + 802.1Q (VLAN 10, PCP 3) tagged
// IPv4/UDP broadcast from 00:00:00:00:00:01.
const qinqFrame = "ffffffffffff00000000000188a800648100600a0800450000200000000040110000c0000201c000020200010002000c000068656c6c6f"

// qinqTraces trace qinqFrame from the VLAN 10 access port {P1}: with OVS's
// default vlan-limit (1) only the outer tag is in the flow (dl_type is
// the inner TPID); with vlan-limit=0 (unlimited) both tags and the UDP
// headers are. Texts printed by a real OVS 3.1.
var qinqTraces = []struct {
	vlanLimit string // "" leaves other_config:vlan-limit unset
	tc        traceCase
}{
	{"", traceCase{flow: "in_port={P1}", extra: []string{qinqFrame}, want: normalTrace(
		"in_port=1,dl_vlan=100,dl_vlan_pcp=0,vlan_tci1=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x8100",
		traceVLANDrop("100"),
		"recirc_id=0,eth,in_port=1,dl_vlan=100,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x8100",
		"drop")}},
	{"0", traceCase{flow: "in_port={P1}", extra: []string{qinqFrame}, want: normalTrace(
		"udp,in_port=1,dl_vlan=100,dl_vlan_pcp=0,dl_vlan1=10,dl_vlan_pcp1=3,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,nw_src=192.0.2.1,nw_dst=192.0.2.2,nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1,tp_dst=2",
		traceVLANDrop("100"),
		"recirc_id=0,eth,ip,in_port=1,dl_vlan=100,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,nw_frag=no",
		"drop")}},
}

// seedDropTrace is the seed lab's drop flow, priority=2,in_port=P1.
var seedDropTrace = traceCase{flow: "in_port={P1},dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff", want: `Flow: in_port=1,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0000

bridge("{BR}")
{DASH}
 0. in_port=1, priority 2
    drop

Final flow: unchanged
Megaflow: recirc_id=0,eth,in_port=1,dl_type=0x0000
Datapath actions: drop
`}

// traceErrors are refused traces with OVS 3.1's message (exit 2).
var traceErrors = []struct{ args, want string }{
	{"nosuchbr in_port=1", "nosuchbr: unknown bridge"},
	{"{BR} bogus=1", "Bad openflow flow syntax: bogus=1: unknown field bogus"},
	{"{BR} in_port=1,nw_src=1.2.3.4", "Bad openflow flow syntax: in_port=1,nw_src=1.2.3.4: prerequisites not met for setting nw_src"},
	{"{BR} in_port=1,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00", "Bad openflow flow syntax: in_port=1,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00: bad value for dl_dst (01:00:00:00:00:00/01:00:00:00:00:00: wildcards not allowed here)"},
	{"{BR} in_port=nosuch", "Bad openflow flow syntax: in_port=nosuch: bad value for in_port (nosuch: invalid or unknown port for in_port)"},
	{"in_port=1", "syntax error at in_port=1 (or the bridge name was omitted)"},
	{"{BR} in_port=1 junk", "Trailing garbage in packet data"},
	{"{BR} in_port=1 extra junk", "too many arguments"},
}

// TestOfprotoTrace runs ofproto/trace through govs-appctl and the real
// ovs-appctl on the seed lab's VLAN and drop-flow configurations and
// compares with the text a real OVS 3.1 printed for them.
func TestOfprotoTrace(t *testing.T) {
	needRoot(t, "ovs-vsctl", "ovs-ofctl", "ovs-appctl")
	_, appctl := binaries(t)
	d := newTestDaemon(t)
	sock := d.sock()
	br, p1, p2, q1, q2 := uniq("tb"), uniq("tp1"), uniq("tp2"), uniq("tq1"), uniq("tq2")
	vethPair(t, p1, q1)
	vethPair(t, p2, q2)
	vsctl(t, sock, "add-br", br)
	vsctl(t, sock, "add-port", br, p1, "tag=10", "--", "set", "interface", p1, "ofport_request=1")
	vsctl(t, sock, "add-port", br, p2, "tag=20", "--", "set", "interface", p2, "ofport_request=2")
	subst := strings.NewReplacer("{BR}", br, "{P1}", p1, "{P2}", p2, "{LOCAL}", "65534",
		"{DASH}", strings.Repeat("-", len(`bridge("`+br+`")`)))
	trace := func(tool string, args ...string) (string, string, int) {
		return run(t, tool, append([]string{"-t", d.ctlPath(), "ofproto/trace"}, args...)...)
	}
	check := func(tc traceCase) {
		t.Helper()
		for _, tool := range []string{appctl, "ovs-appctl"} {
			mustRun(t, "ovs-appctl", "-t", d.ctlPath(), "fdb/flush")
			args := append([]string{br, subst.Replace(tc.flow)}, tc.extra...)
			so, se, code := trace(tool, args...)
			if want := subst.Replace(tc.want); code != 0 || so != want {
				t.Errorf("%s ofproto/trace %s: exit %d %s\n--- got\n%s--- want (real OVS 3.1)\n%s", tool, strings.Join(args, " "), code, se, so, want)
			}
		}
	}
	for _, tc := range seedVLANTraces {
		check(tc)
	}
	for _, q := range qinqTraces {
		if q.vlanLimit == "" {
			vsctl(t, sock, "remove", "Open_vSwitch", ".", "other_config", "vlan-limit")
		} else {
			vsctl(t, sock, "set", "Open_vSwitch", ".", "other_config:vlan-limit="+q.vlanLimit)
		}
		check(q.tc)
	}
	mustRun(t, "ovs-ofctl", "add-flow", "unix:"+d.rundir+"/"+br+mgmtSuffix, "priority=2,in_port="+p1+",actions=drop")
	check(seedDropTrace)
	for _, e := range traceErrors {
		for _, tool := range []string{appctl, "ovs-appctl"} {
			_, se, code := trace(tool, strings.Fields(subst.Replace(e.args))...)
			if code != 2 || !strings.HasPrefix(se, e.want+"\n") {
				t.Errorf("%s ofproto/trace %s: exit %d, stderr %q, want %q", tool, e.args, code, se, e.want)
			}
		}
	}
}
