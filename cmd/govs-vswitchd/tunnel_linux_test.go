package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newTestDaemonIn starts govs-vswitchd inside network namespace ns (ip
// netns exec execs the daemon, so the pid and control socket name are the
// daemon's).
func newTestDaemonIn(t *testing.T, ns string) *testDaemon {
	t.Helper()
	bin, _ := binaries(t)
	dir := t.TempDir()
	d := &testDaemon{t: t, bin: "ip", rundir: dir + "/run", dbdir: dir + "/db", log: dir + "/vswitchd.log"}
	d.args = []string{"netns", "exec", ns, bin, "--rundir=" + d.rundir, "--dbdir=" + d.dbdir, "--pidfile",
		"--log-file=" + d.log, "--metrics-addr="}
	d.start()
	t.Cleanup(func() { d.stop(15) })
	return d
}

// nsRun runs a command in namespace ns and fails t on error.
func nsRun(t *testing.T, ns string, args ...string) string {
	t.Helper()
	return mustRun(t, "ip", append([]string{"netns", "exec", ns}, args...)...)
}

// tunnelLab is two "hosts" (namespaces with a govs-vswitchd each) joined
// by an underlay veth 10.1.1.41/24 <-> 10.1.1.42/24, each with an
// endpoint namespace (192.168.1.10 / .20) on br-int through an AF_PACKET
// port p1.
type tunnelLab struct {
	host, ep [2]string
	d        [2]*testDaemon
}

func newTunnelLab(t *testing.T, tag string) *tunnelLab { return newTunnelLabN(t, tag, 2) }

// newTunnelLabN is newTunnelLab with govs-vswitchd on the first n hosts
// only (the others have just the underlay and the endpoint namespace).
func newTunnelLabN(t *testing.T, tag string, n int) *tunnelLab {
	t.Helper()
	l := &tunnelLab{}
	for i := range 2 {
		l.host[i] = uniq(tag + "h" + string(rune('a'+i)))
		l.ep[i] = uniq(tag + "e" + string(rune('a'+i)))
		for _, ns := range []string{l.host[i], l.ep[i]} {
			netns(t, ns)
			nsRun(t, ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
			nsRun(t, ns, "ip", "link", "set", "lo", "up")
		}
	}
	mustRun(t, "ip", "-n", l.host[0], "link", "add", "u0", "type", "veth", "peer", "name", "u0", "netns", l.host[1])
	for i := range 2 {
		h, e := l.host[i], l.ep[i]
		mustRun(t, "ip", "-n", h, "addr", "add", []string{"10.1.1.41/24", "10.1.1.42/24"}[i], "dev", "u0")
		mustRun(t, "ip", "-n", h, "link", "set", "u0", "up")
		mustRun(t, "ip", "-n", h, "link", "add", "p1", "type", "veth", "peer", "name", "e0", "netns", e)
		mustRun(t, "ip", "-n", h, "link", "set", "p1", "up")
		mustRun(t, "ip", "-n", e, "addr", "add", []string{"192.168.1.10/24", "192.168.1.20/24"}[i], "dev", "e0")
		mustRun(t, "ip", "-n", e, "link", "set", "e0", "up")
		if i < n {
			l.d[i] = newTestDaemonIn(t, h)
		}
	}
	return l
}

// addTunnel creates br-int with p1 and tunnel port t0 on host i.
func (l *tunnelLab) addTunnel(t *testing.T, i int, typ string, opts ...string) {
	t.Helper()
	remote := []string{"10.1.1.42", "10.1.1.41"}[i]
	args := []string{"add-br", "br-int", "--", "add-port", "br-int", "p1", "--", "add-port", "br-int", "t0",
		"--", "set", "interface", "t0", "type=" + typ, "options:remote_ip=" + remote}
	for _, o := range opts {
		args = append(args, "options:"+o)
	}
	vsctl(t, l.d[i].sock(), args...)
	if got := get(t, l.d[i].sock(), "Interface", "t0", "error"); got != "[]" {
		t.Fatalf("t0 error: %s", got)
	}
	if got := get(t, l.d[i].sock(), "Interface", "t0", "ofport"); got != "2" {
		t.Fatalf("t0 ofport %s", got)
	}
}

func (l *tunnelLab) debug() string {
	s := l.d[0].debug("br-int")
	if l.d[1] != nil {
		s += "\n--- host B ---\n" + l.d[1].debug("br-int")
	}
	return s
}

// capture runs tcpdump on host i's underlay until n packets matching
// filter were seen or timeout passes, and returns its text. start is
// called once tcpdump listens.
func (l *tunnelLab) capture(t *testing.T, i, n int, filter string, timeout time.Duration, start func()) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", l.host[i], "tcpdump", "-nn", "-l", "-i", "u0",
		"-c", itoa(n), filter)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "listening on") {
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	start()
	_ = cmd.Wait()
	return out.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestTunnelTwoHosts is the two-node lab over Geneve and over VXLAN:
// ping both ways between the endpoints, the underlay capture decoded by
// tcpdump with the right VNI, the datapath flows with tnl_push/tnl_pop,
// key isolation, and (Geneve) key=flow with set_field:...->tun_id and
// tun_id matching.
func TestTunnelTwoHosts(t *testing.T) {
	needRoot(t, "ovs-vsctl", "ovs-appctl", "ovs-ofctl", "tcpdump", "sysctl")
	for _, tc := range []struct {
		typ, port, want string
	}{
		{"geneve", "6081", "Geneve, Flags [none], vni 0x1:"},
		{"vxlan", "4789", "VXLAN, flags [I] (0x08), vni 1"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			l := newTunnelLab(t, tc.typ[:1])
			for i := range 2 {
				l.addTunnel(t, i, tc.typ, "key=1")
			}
			a := icmpInNS(t, l.ep[0])
			b := icmpInNS(t, l.ep[1])
			var reached bool
			text := l.capture(t, 0, 2, "udp port "+tc.port, 15*time.Second, func() {
				reached = pingReach(a, "192.168.1.20", reachTimeout)
			})
			if !reached {
				t.Fatalf("no connectivity over %s\n%s", tc.typ, l.debug())
			}
			if !pingReach(b, "192.168.1.10", reachTimeout) {
				t.Fatalf("no connectivity over %s from B to A\n%s", tc.typ, l.debug())
			}
			if !strings.Contains(text, "10.1.1.4") || !strings.Contains(text, tc.want) {
				t.Fatalf("underlay capture does not show %q:\n%s", tc.want, text)
			}
			flows := mustRun(t, "ovs-appctl", "-t", l.d[0].ctlPath(), "dpctl/dump-flows")
			if !strings.Contains(flows, "tnl_push(tnl_port(2),header(size=50,type=") || !strings.Contains(flows, "tnl_pop(") {
				t.Fatalf("dpctl/dump-flows lacks tnl_push/tnl_pop:\n%s", flows)
			}
			ports := mustRun(t, "ovs-ofctl", "dump-ports", "unix:"+l.d[0].rundir+"/br-int.mgmt", "t0")
			if !strings.Contains(ports, "port  2: rx pkts=") || strings.Contains(ports, "rx pkts=0,") || strings.Contains(ports, "tx pkts=0,") {
				t.Fatalf("tunnel port counters:\n%s", ports)
			}
			lp := mustRun(t, "ovs-appctl", "-t", l.d[0].ctlPath(), "tnl/ports/show")
			if want := "Listening ports:\n" + map[string]string{"geneve": "genev_sys_6081", "vxlan": "vxlan_sys_4789"}[tc.typ] + " (65296) ref_cnt=1\n"; lp != want {
				t.Fatalf("tnl/ports/show:\n%s\nwant\n%s", lp, want)
			}
			show, _ := vsctl(t, l.d[0].sock(), "show")
			if !strings.Contains(show, "type: "+tc.typ) || !strings.Contains(show, `options: {key="1", remote_ip="10.1.1.42"}`) {
				t.Fatalf("ovs-vsctl show:\n%s", show)
			}

			// Oversize: a 1500-byte inner packet with DF does not fit the
			// 1500-byte underlay once encapsulated; it is dropped, counted
			// and logged, never truncated or fragmented.
			if _, _, code := run(t, "ip", "netns", "exec", l.ep[0], "ping", "-c", "1", "-W", "1", "-M", "do", "-s", "1472", "192.168.1.20"); code == 0 {
				t.Fatal("an encapsulated packet over the underlay MTU got through")
			}
			l.d[0].waitFor("oversize log", 5*time.Second, func() bool {
				b, _ := os.ReadFile(l.d[0].log)
				return strings.Contains(string(b), "tunnel packet larger than the underlay MTU dropped")
			})
			if !pingReach(a, "192.168.1.20", reachTimeout) {
				t.Fatal("no connectivity after an oversize packet")
			}

			// Key isolation: B moves to key 2, A stays on key 1.
			vsctl(t, l.d[1].sock(), "set", "interface", "t0", "options:key=2")
			if pingReach(a, "192.168.1.20", isolateTimeout) {
				t.Fatal("traffic crossed between tunnel keys 1 and 2")
			}
			vsctl(t, l.d[1].sock(), "set", "interface", "t0", "options:key=1")
			if !pingReach(a, "192.168.1.20", reachTimeout) {
				t.Fatalf("no connectivity after restoring key 1\n%s", l.debug())
			}
			if tc.typ != "geneve" {
				return
			}
			// key=flow on A: OpenFlow sets tun_id on output and matches
			// it on input (fail_mode secure: only these flows).
			vsctl(t, l.d[0].sock(), "set", "interface", "t0", "options:key=flow", "--",
				"set", "bridge", "br-int", "fail_mode=secure")
			mgmt := "unix:" + l.d[0].rundir + "/br-int.mgmt"
			mustRun(t, "ovs-ofctl", "add-flow", mgmt, "in_port=p1,actions=set_field:0x1->tun_id,output:t0")
			mustRun(t, "ovs-ofctl", "add-flow", mgmt, "in_port=t0,tun_id=0x1,tun_src=10.1.1.42,actions=output:p1")
			if !pingReach(a, "192.168.1.20", reachTimeout) {
				t.Fatalf("no connectivity with key=flow\n%s", l.debug())
			}
			mustRun(t, "ovs-ofctl", "mod-flows", mgmt, "in_port=p1,actions=set_tunnel:2,output:t0")
			if pingReach(a, "192.168.1.20", isolateTimeout) {
				t.Fatal("set_tunnel:2 still reached the key-1 peer")
			}

			// Geneve options: both hosts map OVN's option (class 0x102,
			// type 0x80, len 4) to tun_metadata0; A sets it on output, B
			// forwards only packets carrying the value it matches.
			tlvMap := "{class=0x0102,type=0x80,len=4}->tun_metadata0"
			mgmtB := "unix:" + l.d[1].rundir + "/br-int.mgmt"
			mustRun(t, "ovs-ofctl", "add-tlv-map", mgmt, tlvMap)
			mustRun(t, "ovs-ofctl", "add-tlv-map", mgmtB, tlvMap)
			vsctl(t, l.d[1].sock(), "set", "bridge", "br-int", "fail_mode=secure")
			mustRun(t, "ovs-ofctl", "del-flows", mgmtB)
			mustRun(t, "ovs-ofctl", "add-flow", mgmtB, "in_port=p1,actions=output:t0")
			mustRun(t, "ovs-ofctl", "add-flow", mgmtB, "in_port=t0,tun_metadata0=0x0a0b0c0d,actions=output:p1")
			mustRun(t, "ovs-ofctl", "-O", "OpenFlow13", "mod-flows", mgmt,
				"in_port=p1,actions=set_field:0x1->tun_id,set_field:0x0a0b0c0d->tun_metadata0,output:t0")
			var optReached bool
			text = l.capture(t, 0, 1, "udp dst port "+tc.port+" and dst host 10.1.1.42", 15*time.Second, func() {
				optReached = pingReach(a, "192.168.1.20", reachTimeout)
			})
			if !optReached {
				t.Fatalf("no connectivity with tun_metadata0 set and matched\n%s", l.debug())
			}
			// tcpdump (without -v) shows the C bit and the option area
			// size (4-byte option header + 4 bytes); B's match checks the
			// value.
			if !strings.Contains(text, "Geneve, Flags [C], vni 0x1, options [8 bytes]") {
				t.Fatalf("underlay capture lacks the critical 8-byte option:\n%s", text)
			}
			flows = mustRun(t, "ovs-appctl", "-t", l.d[0].ctlPath(), "dpctl/dump-flows")
			if !strings.Contains(flows, "geneve(crit,vni=0x1,options({class=0x102,type=0x80,len=4,0xa0b0c0d}))") {
				t.Fatalf("dpctl/dump-flows lacks the option in tnl_push:\n%s", flows)
			}
			tr := mustRun(t, "ovs-appctl", "-t", l.d[1].ctlPath(), "ofproto/trace", "br-int", "in_port=t0,tun_metadata0=0x0a0b0c0d")
			if !strings.Contains(tr, "0. tun_metadata0=0xa0b0c0d,in_port=2, priority 32768") || !strings.Contains(tr, "Datapath actions: 1") {
				t.Fatalf("ofproto/trace with tun_metadata0:\n%s", tr)
			}
			mustRun(t, "ovs-ofctl", "-O", "OpenFlow13", "mod-flows", mgmt,
				"in_port=p1,actions=set_field:0x1->tun_id,set_field:0x0a0b0c0e->tun_metadata0,output:t0")
			if pingReach(a, "192.168.1.20", isolateTimeout) {
				t.Fatal("a packet whose tun_metadata0 does not match B's flow got through")
			}
		})
	}
}

// TestTunnelLinuxVXLAN is an interop smoke test: govs's vxlan port on
// host A against a Linux kernel vxlan device on host B (VNI 100, its
// endpoint address on the device itself); ping both ways and tcpdump
// decoding the kernel's packets as VXLAN.
func TestTunnelLinuxVXLAN(t *testing.T) {
	needRoot(t, "ovs-vsctl", "ovs-appctl", "tcpdump", "sysctl")
	l := newTunnelLabN(t, "k", 1)
	hb := l.host[1]
	if _, se, code := run(t, "ip", "-n", hb, "link", "add", "vx0", "type", "vxlan", "id", "100", "remote", "10.1.1.41",
		"local", "10.1.1.42", "dstport", "4789", "dev", "u0"); code != 0 {
		t.Skipf("no vxlan link type: %s", se)
	}
	// The kernel device replaces B's endpoint namespace: 192.168.1.20 on vx0.
	mustRun(t, "ip", "-n", hb, "addr", "add", "192.168.1.20/24", "dev", "vx0")
	mustRun(t, "ip", "-n", hb, "link", "set", "vx0", "up")
	l.addTunnel(t, 0, "vxlan", "key=100")
	a := icmpInNS(t, l.ep[0])
	var reached bool
	text := l.capture(t, 0, 2, "udp port 4789 and src host 10.1.1.42", 15*time.Second, func() {
		reached = pingReach(a, "192.168.1.20", reachTimeout)
	})
	if !reached {
		t.Fatalf("govs -> Linux vxlan: no reply\n%s", l.debug())
	}
	if !strings.Contains(text, "VXLAN, flags [I] (0x08), vni 100") {
		t.Fatalf("capture:\n%s", text)
	}
	// The kernel side starts a conversation too.
	if _, se, code := run(t, "ip", "netns", "exec", hb, "ping", "-c", "2", "-W", "2", "192.168.1.10"); code != 0 {
		t.Fatalf("Linux vxlan -> govs: %s\n%s", se, l.debug())
	}
}
