package normal

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"govs/datapath/flow"
	"govs/datapath/header"
	"govs/internal/ovsoracle"
	"govs/ofproto/maclearn"
)

// The differential test runs a private ovsdb-server and ovs-vswitchd
// (OVS 3.1) with --enable-dummy=override: every interface is an
// in-process dummy netdev, so no kernel device is created and no frame
// leaves the daemon. It configures the same ports on a netdev bridge
// and compares `ofproto/trace` (datapath actions, drop log lines,
// megaflow VLAN/ARP fields) and `fdb/show` with Decide and maclearn.

const (
	oracleLearnWait = 3 * time.Second
	oraclePoll      = 20 * time.Millisecond
	oracleBridge    = "br0"
)

type ovsOracle struct {
	*ovsoracle.OVS
	t    *testing.T
	mgmt string
	dp   map[int]flow.PortNo
}

func startOVS(t *testing.T) *ovsOracle {
	o := ovsoracle.Start(t, ovsoracle.Options{DirPrefix: "gvn", Tools: []string{"ovs-ofctl"},
		NeedRoot: true, SkipShort: true, DisableSystem: true})
	return &ovsOracle{OVS: o, t: t, mgmt: o.Mgmt(oracleBridge)}
}

// oraclePort is one port configured identically on both sides.
type oraclePort struct {
	name    string
	ofport  int
	tag     int64
	trunks  []int64
	mode    string
	noFlood bool
}

var oraclePorts = []oraclePort{
	{name: "p1", ofport: 1, tag: 10, trunks: nil, mode: ""},
	{name: "p2", ofport: 2, tag: -1, trunks: nil, mode: ""},
	{name: "p3", ofport: 3, tag: 10, trunks: nil, mode: "native-tagged"},
	{name: "p4", ofport: 4, tag: 10, trunks: nil, mode: "native-untagged"},
	{name: "p5", ofport: 5, tag: -1, trunks: []int64{10, 20}, mode: ""},
	{name: "p6", ofport: 6, tag: 20, trunks: nil, mode: ""},
	{name: "p7", ofport: 7, tag: 20, trunks: []int64{10, 20}, mode: "native-untagged"},
	{name: "p8", ofport: 8, tag: 10, trunks: nil, mode: "", noFlood: true},
	{name: "p9", ofport: 9, tag: 30, trunks: []int64{0, 20}, mode: "native-tagged"},
}

func (o *ovsOracle) configure() []PortConfig {
	args := []string{"add-br", oracleBridge, "--", "set", "bridge", oracleBridge, "datapath_type=netdev"}
	for _, p := range oraclePorts {
		args = append(args, "--", "add-port", oracleBridge, p.name, "--", "set", "interface", p.name,
			fmt.Sprintf("ofport_request=%d", p.ofport))
		if p.tag >= 0 {
			args = append(args, "--", "set", "port", p.name, fmt.Sprintf("tag=%d", p.tag))
		}
		if len(p.trunks) > 0 {
			var s []string
			for _, v := range p.trunks {
				s = append(s, strconv.FormatInt(v, 10))
			}
			args = append(args, "--", "set", "port", p.name, "trunks="+strings.Join(s, ","))
		}
		if p.mode != "" {
			args = append(args, "--", "set", "port", p.name, "vlan_mode="+p.mode)
		}
	}
	o.Vsctl(args...)
	for _, p := range oraclePorts {
		if p.noFlood {
			o.Run("ovs-ofctl", "mod-port", o.mgmt, p.name, "no-flood")
		}
	}
	o.dp = map[int]flow.PortNo{}
	for dp, of := range o.DatapathPorts() {
		o.dp[dp] = flow.PortNo(of)
	}
	if len(o.dp) != len(oraclePorts)+1 {
		o.t.Fatalf("dpif/show mapping %v", o.dp)
	}
	ports := []PortConfig{}
	lp, _, err := PortFromDB(flow.PortLocal, oracleBridge, -1, nil, "")
	if err != nil {
		o.t.Fatal(err)
	}
	ports = append(ports, lp)
	for _, p := range oraclePorts {
		pc, _, err := PortFromDB(flow.PortNo(p.ofport), p.name, p.tag, p.trunks, p.mode)
		if err != nil {
			o.t.Fatal(err)
		}
		pc.NoFlood = p.noFlood
		ports = append(ports, pc)
	}
	return ports
}

// oracleCase is one packet: in port, MACs, optional tag, optional ARP.
type oracleCase struct {
	in       flow.PortNo
	src, dst maclearn.MAC
	vid, pcp int // vid < 0: untagged
	arp      bool
	arpOp    uint8
	spa, tpa uint32
	// qinq: an outer 802.1ad tag (vid, pcp) over an 802.1Q tag
	// innerVID (PCP 0), traced in ODP syntax (needs vlan-limit=0).
	qinq     bool
	innerVID int
}

func (c *oracleCase) key() *flow.Key {
	k := pkt(c.in, c.src, c.dst, c.vid, c.pcp)
	if c.qinq {
		k.SetVLAN(0, header.EtherTypeQinQ, uint16(c.vid)|uint16(c.pcp)<<pcpShift|flow.VLANCFI)
		k.SetVLAN(1, header.EtherTypeVLAN, uint16(c.innerVID)|flow.VLANCFI)
	}
	if c.arp {
		k.SetEthType(0x0806)
		k.SetNwProto(c.arpOp)
		k.SetIPv4Src(c.spa)
		k.SetIPv4Dst(c.tpa)
	}
	return k
}

func ip4(v uint32) string { return fmt.Sprintf("%d.%d.%d.%d", v>>24, v>>16&0xff, v>>8&0xff, v&0xff) }

func (c *oracleCase) traceFlow() string {
	s := fmt.Sprintf("in_port=%s,dl_src=%s,dl_dst=%s", maclearn.PortName(c.in), c.src, c.dst)
	if c.vid >= 0 {
		s += fmt.Sprintf(",dl_vlan=%d,dl_vlan_pcp=%d", c.vid, c.pcp)
	}
	if c.arp {
		return s + fmt.Sprintf(",dl_type=0x0806,arp_op=%d,arp_spa=%s,arp_tpa=%s", c.arpOp, ip4(c.spa), ip4(c.tpa))
	}
	return s + ",dl_type=0x0800"
}

// odpPacket is the netdev-dummy/receive form of the case (an IPv4/UDP
// packet, to be learned from).
func (c *oracleCase) odpPacket(dp int) string {
	l3 := "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1,dst=2)"
	eth := fmt.Sprintf("in_port(%d),eth(src=%s,dst=%s),", dp, c.src, c.dst)
	if c.qinq {
		return eth + fmt.Sprintf("eth_type(0x88a8),vlan(vid=%d,pcp=%d),encap(eth_type(0x8100),vlan(vid=%d,pcp=0),encap(%s))",
			c.vid, c.pcp, c.innerVID, l3)
	}
	if c.vid >= 0 {
		return eth + fmt.Sprintf("eth_type(0x8100),vlan(vid=%d,pcp=%d),encap(%s)", c.vid, c.pcp, l3)
	}
	return eth + l3
}

var (
	reActions  = regexp.MustCompile(`(?m)^Datapath actions: (.*)$`)
	reMegaflow = regexp.MustCompile(`(?m)^Megaflow: (.*)$`)
	reError    = regexp.MustCompile(`>>>> (.*) <<<<`)
	rePush     = regexp.MustCompile(`^push_vlan\((?:tpid=0x([0-9a-f]+),)?vid=(\d+),pcp=(\d+)\)$`)
)

// stackString formats a VLAN stack, outer first.
func stackString(tags []Tag) string {
	var s []string
	for _, t := range tags {
		s = append(s, fmt.Sprintf("%#x:%d/%d", t.TPID, t.VID(), t.PCP()))
	}
	return "[" + strings.Join(s, " ") + "]"
}

// ovsOutputs replays OVS's datapath actions from the input tags and
// returns "ofport=stack" strings, sorted.
func (o *ovsOracle) ovsOutputs(actions string, base [vlanLevels]Tag) []string {
	o.t.Helper()
	if actions == "drop" {
		return nil
	}
	stack := slices.Clone(base[:countTags(&base)])
	var res []string
	for _, a := range ovsoracle.SplitActions(actions) {
		switch m := rePush.FindStringSubmatch(a); {
		case a == "pop_vlan":
			stack = stack[1:]
		case m != nil:
			tpid := uint64(header.EtherTypeVLAN)
			if m[1] != "" {
				tpid, _ = strconv.ParseUint(m[1], 16, 16)
			}
			vid, _ := strconv.Atoi(m[2])
			pcp, _ := strconv.Atoi(m[3])
			stack = append([]Tag{{TPID: uint16(tpid), TCI: uint16(vid) | uint16(pcp)<<pcpShift | flow.VLANCFI}}, stack...)
		default:
			dp, err := strconv.Atoi(a)
			if err != nil {
				o.t.Fatalf("unexpected datapath action %q in %q", a, actions)
			}
			res = append(res, fmt.Sprintf("%s=%s", maclearn.PortName(o.dp[dp]), stackString(stack)))
		}
	}
	slices.Sort(res)
	return res
}

func ourOutputs(d *Decision) []string {
	var res []string
	for i := range d.Outputs {
		o := &d.Outputs[i]
		res = append(res, fmt.Sprintf("%s=%s", maclearn.PortName(o.Port), stackString(o.VLANs[:countTags(&o.VLANs)])))
	}
	slices.Sort(res)
	return res
}

// compare traces c in OVS and runs Decide (no side effects) on it.
func (o *ovsOracle) compare(t *testing.T, ports []PortConfig, mt *maclearn.Table, c oracleCase) {
	t.Helper()
	var trace string
	if c.qinq {
		trace = o.Appctl("ofproto/trace", c.odpPacket(o.dpPort(c.in)))
	} else {
		trace = o.Appctl("ofproto/trace", oracleBridge, c.traceFlow())
	}
	am := reActions.FindStringSubmatch(trace)
	mm := reMegaflow.FindStringSubmatch(trace)
	if am == nil || mm == nil {
		t.Fatalf("no actions/megaflow in trace:\n%s", trace)
	}
	k := c.key()
	d := Decide(findPort(ports, c.in), k, mt, ports, Options{}, nil)
	want, got := o.ovsOutputs(am[1], keyTags(k)), ourOutputs(&d)
	if !slices.Equal(want, got) {
		t.Errorf("%s:\n OVS  %v (%s)\n govs %v (%s)", c.traceFlow(), want, am[1], got, d.Reason())
	}
	// OVS prints input-VLAN drops as ">>>> reason <<<<".
	var ovsErr string
	if em := reError.FindStringSubmatch(trace); em != nil {
		ovsErr = em[1]
	}
	if ourErr := ""; d.Drop == DropAccessTagged || d.Drop == DropVLANNotTrunked {
		ourErr = d.Reason()
		if ourErr != ovsErr {
			t.Errorf("%s: drop reason\n OVS  %q\n govs %q", c.traceFlow(), ovsErr, ourErr)
		}
	} else if ovsErr != "" {
		t.Errorf("%s: OVS logged %q, govs did not drop (%v)", c.traceFlow(), ovsErr, d.Drop)
	}
	// Consulted bits: PCP exactly when OVS's megaflow has it, ARP fields.
	mf := "," + mm[1] + ","
	_, tci := d.Mask.VLAN(0)
	if has := strings.Contains(mf, ",dl_vlan_pcp="); has != (tci&pcpMask != 0) {
		t.Errorf("%s: megaflow %q, govs PCP mask %#x", c.traceFlow(), mm[1], tci)
	}
	if has := strings.Contains(mf, ",arp_op="); has != (d.Mask.NwProto() != 0) {
		t.Errorf("%s: megaflow %q, govs arp_op mask %#x", c.traceFlow(), mm[1], d.Mask.NwProto())
	}
	if has := strings.Contains(mf, ",arp_spa="); has != (d.Mask.IPv4Src() != 0) {
		t.Errorf("%s: megaflow %q, govs arp_spa mask %#x", c.traceFlow(), mm[1], d.Mask.IPv4Src())
	}
}

// learn sends c through OVS's datapath (netdev-dummy/receive, learning
// as a real packet does) and through Decide with learning, then waits
// until OVS's fdb has as many entries as ours.
func (o *ovsOracle) learn(t *testing.T, ports []PortConfig, mt *maclearn.Table, c oracleCase) {
	t.Helper()
	dp := o.dpPort(c.in)
	name := oracleBridge
	if p := findPort(ports, c.in); p != nil {
		name = p.Name
	}
	o.Appctl("netdev-dummy/receive", name, c.odpPacket(dp))
	Decide(findPort(ports, c.in), c.key(), mt, ports, Options{Learn: true}, nil)
	o.waitFDB(t, mt)
}

// dpPort returns the datapath port number of OpenFlow port of.
func (o *ovsOracle) dpPort(of flow.PortNo) int {
	for d, p := range o.dp {
		if p == of {
			return d
		}
	}
	o.t.Fatalf("no datapath port for %d", of)
	return -1
}

// waitFDB waits until OVS's fdb/show equals ours, ages aside (OVS
// learns in its handler thread, asynchronously).
func (o *ovsOracle) waitFDB(t *testing.T, mt *maclearn.Table) {
	t.Helper()
	deadline := time.Now().Add(oracleLearnWait)
	for {
		ovs := reAge.ReplaceAllString(o.Appctl("fdb/show", oracleBridge), "")
		ours := reAge.ReplaceAllString(string(mt.AppendFDBShow(nil)), "")
		if ovs == ours {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("fdb/show (ages removed) differs\n OVS:\n%s govs:\n%s", ovs, ours)
		}
		time.Sleep(oraclePoll)
	}
}

var reAge = regexp.MustCompile(`(?m) +\d+$`)

func TestDifferentialOVS(t *testing.T) {
	o := startOVS(t)
	ports := o.configure()
	mt := maclearn.New(maclearn.Config{})

	a, b, c, d, e := maclearn.MAC{0, 0, 0, 0, 0, 0xa}, maclearn.MAC{0, 0, 0, 0, 0, 0xb},
		maclearn.MAC{0, 0, 0, 0, 0, 0xc}, maclearn.MAC{0, 0, 0, 0, 0, 0xd}, maclearn.MAC{0, 0, 0, 0, 0, 0xe}
	type tagging struct{ vid, pcp int }
	taggings := []tagging{{-1, 0}, {0, 5}, {10, 0}, {10, 3}, {20, 0}, {30, 1}, {5, 0}}
	t.Run("flood", func(t *testing.T) {
		for _, p := range ports {
			for _, tg := range taggings {
				o.compare(t, ports, mt, oracleCase{in: p.OFPort, src: a, dst: bcast, vid: tg.vid, pcp: tg.pcp})
			}
		}
	})
	t.Run("special destinations", func(t *testing.T) {
		for _, dst := range []maclearn.MAC{{0x01, 0x80, 0xc2, 0, 0, 0}, {0x01, 0x80, 0xc2, 0, 0, 0x0e},
			{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcd}, {0x01, 0x00, 0x5e, 0, 0, 1}, {0x01, 0x80, 0xc2, 0, 0, 0x20}, b} {
			o.compare(t, ports, mt, oracleCase{in: 1, src: a, dst: dst, vid: -1})
			o.compare(t, ports, mt, oracleCase{in: 5, src: a, dst: dst, vid: 20, pcp: 7})
		}
	})
	t.Run("arp", func(t *testing.T) {
		for _, ac := range []oracleCase{
			{in: 1, src: a, dst: bcast, vid: -1, arp: true, arpOp: 1, spa: 0x0a000001, tpa: 0x0a000002},
			{in: 1, src: a, dst: bcast, vid: -1, arp: true, arpOp: 1, spa: 0x0a000001, tpa: 0x0a000001},
			{in: 2, src: a, dst: bcast, vid: 10, arp: true, arpOp: 2, spa: 0x0a000001, tpa: 0x0a000002},
			{in: 2, src: a, dst: b, vid: 10, arp: true, arpOp: 2, spa: 0x0a000001, tpa: 0x0a000002},
		} {
			o.compare(t, ports, mt, ac)
		}
	})
	t.Run("learned", func(t *testing.T) {
		o.learn(t, ports, mt, oracleCase{in: 1, src: a, dst: bcast, vid: -1})              // a: VLAN 10 on p1
		o.learn(t, ports, mt, oracleCase{in: 5, src: b, dst: bcast, vid: 10})              // b: VLAN 10 on p5
		o.learn(t, ports, mt, oracleCase{in: 6, src: c, dst: bcast, vid: -1})              // c: VLAN 20 on p6
		o.learn(t, ports, mt, oracleCase{in: flow.PortLocal, src: d, dst: bcast, vid: -1}) // d: VLAN 0 on LOCAL
		o.learn(t, ports, mt, oracleCase{in: 9, src: e, dst: bcast, vid: -1})              // e: VLAN 30 on p9
		o.learn(t, ports, mt, oracleCase{in: 2, src: e, dst: bcast, vid: 20, pcp: 2})      // e: VLAN 20 on p2
		o.learn(t, ports, mt, oracleCase{in: 1, src: c, dst: bcast, vid: 5})               // refused VLAN: not learned
		for _, p := range ports {
			for _, tg := range taggings {
				for _, dst := range []maclearn.MAC{a, b, c, d, e} {
					o.compare(t, ports, mt, oracleCase{in: p.OFPort, src: maclearn.MAC{0, 0, 0, 0, 0, 0xf}, dst: dst, vid: tg.vid, pcp: tg.pcp})
				}
			}
		}
		// A move: b shows up on p3 (native-tagged 10) untagged.
		o.learn(t, ports, mt, oracleCase{in: 3, src: b, dst: bcast, vid: -1})
		o.compare(t, ports, mt, oracleCase{in: 1, src: a, dst: b, vid: -1})
		o.compare(t, ports, mt, oracleCase{in: 5, src: a, dst: b, vid: 10})
		o.compare(t, ports, mt, oracleCase{in: 3, src: a, dst: b, vid: 10})
		if got := strings.TrimSpace(o.Appctl("fdb/flush", oracleBridge)); got != maclearn.FlushReply {
			t.Errorf("fdb/flush replied %q", got)
		}
	})
	t.Run("qinq", func(t *testing.T) {
		// OVS keys one VLAN tag unless other_config:vlan-limit allows
		// more (0 = FLOW_MAX_VLAN_HEADERS = 2).
		o.Vsctl("set", "open_vswitch", ".", "other_config:vlan-limit=0")
		t.Cleanup(func() { o.Vsctl("remove", "open_vswitch", ".", "other_config", "vlan-limit") })
		for _, p := range ports {
			for _, inner := range []int{0, 5, 10} {
				for _, outer := range []int{0, 10, 20, 30} {
					o.compare(t, ports, mt, oracleCase{in: p.OFPort, src: a, dst: bcast, vid: outer, pcp: 1, qinq: true, innerVID: inner})
				}
			}
		}
	})
	t.Run("eviction", func(t *testing.T) {
		// Fair eviction at mac-table-size 10 (the minimum): p5 learns 3
		// MACs first, then p1 7; the 11th MAC (on p5) evicts p1's least
		// recently used entry, not the globally oldest (p5's first).
		const size = maclearn.MinMaxEntries
		o.Vsctl("set", "bridge", oracleBridge, fmt.Sprintf("other_config:mac-table-size=%d", size))
		o.Appctl("fdb/flush", oracleBridge)
		mt.Flush()
		mt.SetMaxEntries(size)
		o.waitFDB(t, mt)
		for i := range size + 1 {
			in, vid := flow.PortNo(1), -1
			if i < 3 || i == size {
				in, vid = 5, 10
			}
			o.learn(t, ports, mt, oracleCase{in: in, src: maclearn.MAC{2, 0, 0, 0, 0, byte(i)}, dst: bcast, vid: vid})
		}
		if s := mt.Stats(); s.Evicted != 1 || s.Entries != size {
			t.Fatalf("govs stats %+v", s)
		}
	})
}
