package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Frame timing of the OpenFlow traffic tests.
const (
	frameTimeout  = 5 * time.Second
	absentTimeout = 700 * time.Millisecond
)

// ofLab is a govs daemon with one bridge and two ports (ofport 1 and 2)
// whose veth peers live in two namespaces, with a capture on each peer.
type ofLab struct {
	d          *testDaemon
	br         string
	target     string // unix:<rundir>/<br>.mgmt
	h1, h2     string // bridge-side veths
	ns1, ns2   string
	cap1, cap2 *capture
}

func newOFLab(t *testing.T, tag string) *ofLab {
	t.Helper()
	needRoot(t, "ovs-vsctl", "ovs-ofctl")
	l := &ofLab{d: newTestDaemon(t), br: uniq(tag + "b"), ns1: uniq(tag + "n1"), ns2: uniq(tag + "n2")}
	l.target = "unix:" + filepath.Join(l.d.rundir, l.br+mgmtSuffix)
	l.h1, l.h2 = uniq(tag+"h1"), uniq(tag+"h2")
	c1, c2 := uniq(tag+"c1"), uniq(tag+"c2")
	netns(t, l.ns1)
	netns(t, l.ns2)
	vethPair(t, l.h1, c1)
	vethPair(t, l.h2, c2)
	for _, x := range []struct{ ns, c string }{{l.ns1, c1}, {l.ns2, c2}} {
		mustRun(t, "ip", "link", "set", x.c, "netns", x.ns)
		mustRun(t, "ip", "-n", x.ns, "link", "set", x.c, "up")
	}
	mustRun(t, "ip", "link", "set", l.h1, "up")
	mustRun(t, "ip", "link", "set", l.h2, "up")
	sock := l.d.sock()
	vsctl(t, sock, "add-br", l.br)
	vsctl(t, sock, "add-port", l.br, l.h1, "--", "set", "interface", l.h1, "ofport_request=1")
	vsctl(t, sock, "add-port", l.br, l.h2, "--", "set", "interface", l.h2, "ofport_request=2")
	l.cap1 = captureInNS(t, l.ns1, c1)
	l.cap2 = captureInNS(t, l.ns2, c2)
	return l
}

// ofctl runs the real ovs-ofctl (govs false) or govs-ofctl (true).
func (l *ofLab) ofctl(t *testing.T, govs bool, args ...string) (string, string, int) {
	t.Helper()
	bin := "ovs-ofctl"
	if govs {
		bin = govsOfctl(t)
	}
	return run(t, bin, args...)
}

func (l *ofLab) mustOfctl(t *testing.T, govs bool, args ...string) string {
	t.Helper()
	so, se, code := l.ofctl(t, govs, args...)
	if code != 0 {
		t.Fatalf("ofctl %s: exit %d: %s%s", strings.Join(args, " "), code, so, se)
	}
	return so
}

// Frame construction.
const (
	ethLen       = 14
	arpLen       = 28
	ipv4Len      = 20
	ethTypeARP   = 0x0806
	ethTypeIPv4  = 0x0800
	ipProtoICMP  = 1
	defaultTTL   = 64
	arpOpRequest = 1
)

var broadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// arpFrame is an ARP request from src (spa) for tpa; the addresses make
// it unique in a capture.
func arpFrame(src net.HardwareAddr, spa, tpa net.IP) []byte {
	f := make([]byte, ethLen+arpLen)
	copy(f[0:], broadcast)
	copy(f[6:], src)
	binary.BigEndian.PutUint16(f[12:], ethTypeARP)
	a := f[ethLen:]
	binary.BigEndian.PutUint16(a[0:], 1) // Ethernet
	binary.BigEndian.PutUint16(a[2:], ethTypeIPv4)
	a[4], a[5] = 6, 4
	binary.BigEndian.PutUint16(a[6:], arpOpRequest)
	copy(a[8:], src)
	copy(a[14:], spa.To4())
	copy(a[24:], tpa.To4())
	return f
}

// icmpFrame is an ICMP echo request src→dst with payload.
func icmpFrame(dstMAC, srcMAC net.HardwareAddr, src, dst net.IP, payload string) []byte {
	icmp := make([]byte, icmpHeaderLen+len(payload))
	icmp[0] = icmpEchoRequest
	binary.BigEndian.PutUint16(icmp[4:], icmpID)
	copy(icmp[icmpHeaderLen:], payload)
	binary.BigEndian.PutUint16(icmp[2:], icmpChecksum(icmp))
	ip := make([]byte, ipv4Len)
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(ipv4Len+len(icmp)))
	ip[8], ip[9] = defaultTTL, ipProtoICMP
	copy(ip[12:], src.To4())
	copy(ip[16:], dst.To4())
	binary.BigEndian.PutUint16(ip[10:], icmpChecksum(ip))
	f := append(append([]byte(nil), dstMAC...), srcMAC...)
	f = binary.BigEndian.AppendUint16(f, ethTypeIPv4)
	return append(append(f, ip...), icmp...)
}

func mustMAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// TestPacketOut sends PACKET_OUTs with the real ovs-ofctl and with
// govs-ofctl, in both syntaxes, and checks the frames on the veth peers:
// in_port CONTROLLER/NONE/a port, output:TABLE through a flow (which
// counts it), output to the input port skipped unless IN_PORT, rewrites.
func TestPacketOut(t *testing.T) {
	l := newOFLab(t, "po")
	src := mustMAC("02:00:00:00:70:01")
	for i, govs := range []bool{false, true} {
		name := map[bool]string{false: "ovs-ofctl", true: "govs-ofctl"}[govs]
		spa := net.IPv4(10, 99, byte(i), 1)
		// Old syntax, in_port CONTROLLER, to port 1.
		f := arpFrame(src, spa, net.IPv4(10, 99, byte(i), 2))
		l.mustOfctl(t, govs, "packet-out", l.target, "CONTROLLER", "output:1", hex.EncodeToString(f))
		if _, ok := l.cap1.waitFrame(frameTimeout, func(b []byte) bool { return bytes.HasPrefix(b, f) }); !ok {
			t.Fatalf("%s: packet-out CONTROLLER output:1: frame not seen on port 1's peer", name)
		}
		// New syntax, in_port NONE, rewriting the source MAC, to port 2.
		f = arpFrame(src, spa, net.IPv4(10, 99, byte(i), 3))
		newSrc := "02:00:00:00:70:aa"
		l.mustOfctl(t, govs, "packet-out", l.target,
			"in_port=NONE,packet="+hex.EncodeToString(f)+",actions=mod_dl_src:"+newSrc+",output:2")
		want := append([]byte(nil), f...)
		copy(want[6:], mustMAC(newSrc))
		if _, ok := l.cap2.waitFrame(frameTimeout, func(b []byte) bool { return bytes.HasPrefix(b, want) }); !ok {
			t.Fatalf("%s: packet-out in_port=NONE mod_dl_src,output:2: rewritten frame not seen on port 2's peer", name)
		}
		// Output to the input port is skipped; IN_PORT sends it back.
		f = arpFrame(src, spa, net.IPv4(10, 99, byte(i), 4))
		l.mustOfctl(t, govs, "packet-out", l.target, "1", "output:1", hex.EncodeToString(f))
		if _, ok := l.cap1.waitFrame(absentTimeout, func(b []byte) bool { return bytes.HasPrefix(b, f) }); ok {
			t.Fatalf("%s: packet-out in_port=1 output:1 was sent back to the input port", name)
		}
		l.mustOfctl(t, govs, "packet-out", l.target, "1", "in_port", hex.EncodeToString(f))
		if _, ok := l.cap1.waitFrame(frameTimeout, func(b []byte) bool { return bytes.HasPrefix(b, f) }); !ok {
			t.Fatalf("%s: packet-out in_port=1 IN_PORT: frame not seen on port 1's peer", name)
		}
	}

	// OpenFlow 1.3 checks the actions against the packet (real OVS 3.1:
	// "OFPT_ERROR (OF1.3) (xid=0x6): OFPBAC_MATCH_INCONSISTENT", exit 1).
	arp := hex.EncodeToString(arpFrame(src, net.IPv4(10, 99, 9, 1), net.IPv4(10, 99, 9, 2)))
	for _, govs := range []bool{false, true} {
		_, se, code := l.ofctl(t, govs, "-O", "OpenFlow13", "packet-out", l.target,
			"in_port=1,packet="+arp+",actions=set_field:1.2.3.4->ip_dst,output:2")
		if code != 1 || !strings.Contains(se, "OFPT_ERROR (OF1.3) (xid=0x") ||
			!strings.Contains(se, "): OFPBAC_MATCH_INCONSISTENT\nOFPT_PACKET_OUT (OF1.3)") {
			t.Fatalf("OF1.3 packet-out set_field ip_dst on ARP: exit %d, stderr:\n%s", code, se)
		}
	}

	// output:TABLE runs the frame through the tables as received on
	// port 2; the flow that forwards it counts it.
	l.mustOfctl(t, false, "del-flows", l.target)
	l.mustOfctl(t, false, "add-flow", l.target, "priority=10,in_port=2,icmp,actions=mod_nw_dst:10.98.0.9,output:1")
	for i, govs := range []bool{false, true} {
		payload := "table-" + string(rune('a'+i))
		f := icmpFrame(broadcast, src, net.IPv4(10, 98, 0, 1), net.IPv4(10, 98, 0, 2), payload)
		l.mustOfctl(t, govs, "packet-out", l.target, "2", "output:TABLE", hex.EncodeToString(f))
		got, ok := l.cap1.waitFrame(frameTimeout, hasPayload([]byte(payload)))
		if !ok {
			t.Fatalf("packet-out 2 output:TABLE: frame not forwarded by the in_port=2 flow")
		}
		if dst := net.IP(got[ethLen+16 : ethLen+20]); !dst.Equal(net.IPv4(10, 98, 0, 9)) {
			t.Fatalf("output:TABLE frame has ip dst %v, want the flow's mod_nw_dst 10.98.0.9", dst)
		}
		if icmpChecksum(got[ethLen:ethLen+ipv4Len]) != 0 {
			t.Fatalf("rewritten IPv4 header checksum is wrong: % x", got[ethLen:ethLen+ipv4Len])
		}
	}
	flows := l.mustOfctl(t, false, "dump-flows", l.target)
	if !strings.Contains(flows, "n_packets=2,") {
		t.Fatalf("the output:TABLE flow did not count both packet-outs:\n%s", flows)
	}
}

// portLines returns the lines of `ovs-ofctl show` for port no (its
// "addr" line and the indented lines after it).
func portLines(show string, no string) string {
	var out []string
	in := false
	for _, ln := range strings.Split(show, "\n") {
		switch {
		case strings.HasPrefix(ln, " "+no+"("):
			in = true
		case !strings.HasPrefix(ln, "     "):
			in = false
		}
		if in {
			out = append(out, ln)
		}
	}
	return strings.Join(out, "\n")
}

// TestPortMod applies `mod-port` with the real ovs-ofctl and govs-ofctl
// and checks what OVS 3.1 does: the config flags in show (OpenFlow 1.0)
// and dump-ports-desc (1.3, which has no NO_STP/NO_RECV_STP/NO_FLOOD),
// no-flood leaving FLOOD/NORMAL flooding but not ALL, no-forward
// dropping every output, no-receive dropping every received frame, and
// down/up switching the device's administrative state.
func TestPortMod(t *testing.T) {
	l := newOFLab(t, "pm")
	src := mustMAC("02:00:00:00:71:01")
	seen := func(c *capture, f []byte, timeout time.Duration) bool {
		_, ok := c.waitFrame(timeout, func(b []byte) bool { return bytes.HasPrefix(b, f) })
		return ok
	}
	frame := func(n byte) []byte { return arpFrame(src, net.IPv4(10, 97, n, 1), net.IPv4(10, 97, n, 2)) }
	for i, govs := range []bool{false, true} {
		base := byte(10 * i)
		for _, a := range []string{"no-flood", "no-receive", "no-forward", "no-stp", "no-receive-stp", "no-packet-in"} {
			l.mustOfctl(t, govs, "mod-port", l.target, l.h1, a)
		}
		show := l.mustOfctl(t, false, "show", l.target)
		if got := portLines(show, "1"); !strings.Contains(got, "\n     config:     NO_STP NO_RECV NO_RECV_STP NO_FLOOD NO_FWD NO_PACKET_IN\n     state:      0\n") {
			t.Fatalf("show after mod-port (govs-ofctl %v):\n%s", govs, show)
		}
		desc := l.mustOfctl(t, false, "-O", "OpenFlow13", "dump-ports-desc", l.target)
		if got := portLines(desc, "1"); !strings.Contains(got, "\n     config:     NO_RECV NO_FWD NO_PACKET_IN\n     state:      LIVE\n") {
			t.Fatalf("OF1.3 dump-ports-desc after mod-port:\n%s", desc)
		}
		for _, a := range []string{"receive", "forward", "stp", "receive-stp", "packet-in"} {
			l.mustOfctl(t, govs, "mod-port", l.target, "1", a)
		}
		if got := portLines(l.mustOfctl(t, false, "show", l.target), "1"); !strings.Contains(got, "config:     NO_FLOOD\n") {
			t.Fatalf("show after restoring all but no-flood:\n%s", got)
		}
		// no-flood: NORMAL and FLOOD skip port 1, ALL does not.
		for j, act := range []string{"NORMAL", "FLOOD"} {
			f := frame(base + byte(j))
			l.mustOfctl(t, govs, "packet-out", l.target, "2", act, hex.EncodeToString(f))
			if seen(l.cap1, f, absentTimeout) {
				t.Fatalf("%s flooded to a no-flood port", act)
			}
		}
		f := frame(base + 2)
		l.mustOfctl(t, govs, "packet-out", l.target, "2", "ALL", hex.EncodeToString(f))
		if !seen(l.cap1, f, frameTimeout) {
			t.Fatal("ALL skipped a no-flood port")
		}
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "flood")
		f = frame(base + 3)
		l.mustOfctl(t, govs, "packet-out", l.target, "2", "NORMAL", hex.EncodeToString(f))
		if !seen(l.cap1, f, frameTimeout) {
			t.Fatal("NORMAL does not flood to port 1 after mod-port flood")
		}
		// no-forward: nothing is output to port 1.
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "no-forward")
		f = frame(base + 4)
		l.mustOfctl(t, govs, "packet-out", l.target, "CONTROLLER", "output:1", hex.EncodeToString(f))
		if seen(l.cap1, f, absentTimeout) {
			t.Fatal("output to a no-forward port")
		}
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "forward")
		// no-receive: frames arriving on port 1 are not switched.
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "no-receive")
		f = frame(base + 5)
		l.cap1.send(t, f)
		if seen(l.cap2, f, absentTimeout) {
			t.Fatal("a frame received on a no-receive port was forwarded")
		}
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "receive")
		f = frame(base + 6)
		l.cap1.send(t, f)
		if !seen(l.cap2, f, frameTimeout) {
			t.Fatal("a frame received on port 1 is not forwarded after mod-port receive")
		}
		// down/up: the device's IFF_UP, shown as PORT_DOWN / LINK_DOWN.
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "down")
		if link := mustRun(t, "ip", "-o", "link", "show", l.h1); strings.Contains(link, ",UP") || strings.Contains(link, "<UP") {
			t.Fatalf("mod-port down left the device up: %s", link)
		}
		if got := portLines(l.mustOfctl(t, false, "show", l.target), "1"); !strings.Contains(got, "config:     PORT_DOWN\n     state:      LINK_DOWN\n") {
			t.Fatalf("show after mod-port down:\n%s", got)
		}
		l.mustOfctl(t, govs, "mod-port", l.target, l.h1, "up")
		if link := mustRun(t, "ip", "-o", "link", "show", l.h1); !strings.Contains(link, ",UP") && !strings.Contains(link, "<UP") {
			t.Fatalf("mod-port up left the device down: %s", link)
		}
		l.d.waitFor("port 1 live again", frameTimeout, func() bool {
			return strings.Contains(portLines(l.mustOfctl(t, false, "show", l.target), "1"), "config:     0\n     state:      0\n")
		})
	}
}

// TestShowDatapathID: FEATURES_REPLY carries the datapath id OVS picks
// (bridge_configure_datapath_id) and the LOCAL port gets the bridge's
// Ethernet address, as a real OVS 3.1 shows for the same bridge:
// "dpid:0000021122334455" and "LOCAL(br): addr:02:11:22:33:44:55" for
// other_config:hwaddr=02:11:22:33:44:55; other_config:datapath-id wins.
func TestShowDatapathID(t *testing.T) {
	needRoot(t, "ovs-vsctl", "ovs-ofctl")
	d := newTestDaemon(t)
	br := uniq("dp")
	target := "unix:" + filepath.Join(d.rundir, br+mgmtSuffix)
	vsctl(t, d.sock(), "add-br", br, "--", "set", "bridge", br, "other_config:hwaddr=02:11:22:33:44:55")
	show := func() string { so, _, _ := run(t, "ovs-ofctl", "show", target); return so }
	d.waitFor("dpid from hwaddr", frameTimeout, func() bool {
		return strings.HasPrefix(show(), "OFPT_FEATURES_REPLY (xid=0x2): dpid:0000021122334455\n")
	})
	if s := show(); !strings.Contains(s, "\n LOCAL("+br+"): addr:02:11:22:33:44:55\n") {
		t.Fatalf("LOCAL port does not have the bridge's address:\n%s", s)
	}
	if got := get(t, d.sock(), "bridge", br, "datapath_id"); got != `"0000021122334455"` {
		t.Fatalf("datapath_id column %s", got)
	}
	for _, govs := range []bool{false, true} {
		bin := "ovs-ofctl"
		if govs {
			bin = govsOfctl(t)
		}
		so := mustRun(t, bin, "-O", "OpenFlow13", "show", target)
		if !strings.HasPrefix(so, "OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:0000021122334455\n") {
			t.Fatalf("%s -O OpenFlow13 show:\n%s", bin, so)
		}
	}
	// A veth port shows OVS's feature and speed lines (netdev-linux:
	// 10000 Mb/s full duplex, twisted pair).
	h, c := uniq("dph"), uniq("dpc")
	vethPair(t, h, c)
	mustRun(t, "ip", "link", "set", h, "up")
	mustRun(t, "ip", "link", "set", c, "up")
	vsctl(t, d.sock(), "add-port", br, h, "--", "set", "interface", h, "ofport_request=1")
	ifc, err := net.InterfaceByName(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ opt, state string }{{"OpenFlow10", "0"}, {"OpenFlow13", "LIVE"}} {
		want := " 1(" + h + "): addr:" + ifc.HardwareAddr.String() + "\n     config:     0\n     state:      " + v.state +
			"\n     current:    10GB-FD COPPER\n     speed: 10000 Mbps now, 0 Mbps max"
		if got := portLines(mustRun(t, "ovs-ofctl", "-O", v.opt, "show", target), "1"); got != want {
			t.Fatalf("%s show, port 1:\n%s\nwant (as OVS 3.1 shows a veth):\n%s", v.opt, got, want)
		}
	}
	vsctl(t, d.sock(), "set", "bridge", br, "other_config:datapath-id=00000000000000ab")
	d.waitFor("dpid from other_config:datapath-id", frameTimeout, func() bool {
		return strings.HasPrefix(show(), "OFPT_FEATURES_REPLY (xid=0x2): dpid:00000000000000ab\n")
	})
}
