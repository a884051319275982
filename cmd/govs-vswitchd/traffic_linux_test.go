package main

import (
	"strings"
	"testing"
	"time"
)

const (
	reachTimeout   = 5 * time.Second
	isolateTimeout = 2 * time.Second
)

// TestTrafficVLANs is the seed lab: two namespaces on one bridge; NORMAL
// switching; different access VLANs isolate, the same VLAN connects; a
// secure bridge without flows drops. Connectivity is checked with ICMP
// echo, as the lab's ping (UDP from a veth carries a partial checksum
// that the AF_PACKET port does not complete; see the report).
func TestTrafficVLANs(t *testing.T) {
	needRoot(t, "ovs-vsctl", "ovs-appctl")
	d := newTestDaemon(t)
	sock := d.sock()
	br := uniq("b")
	h1, h2, a, peer := twoHosts(t, "10.77.0")

	vsctl(t, sock, "add-br", br)
	vsctl(t, sock, "add-port", br, h1)
	vsctl(t, sock, "add-port", br, h2)
	if !pingReach(a, peer, reachTimeout) {
		t.Fatalf("no connectivity on an untagged bridge\n%s", d.debug(br))
	}
	fdb := mustRun(t, "ovs-appctl", "-t", d.ctlPath(), "fdb/show", br)
	if !strings.Contains(fdb, "    1     0 ") || !strings.Contains(fdb, "    2     0 ") {
		t.Fatalf("fdb/show did not learn both ports:\n%s", fdb)
	}
	flows := mustRun(t, "ovs-appctl", "-t", d.ctlPath(), "dpctl/dump-flows")
	if !strings.Contains(flows, "actions:") {
		t.Fatalf("dpctl/dump-flows shows no flows:\n%s", flows)
	}

	vsctl(t, sock, "set", "port", h1, "tag=10")
	vsctl(t, sock, "set", "port", h2, "tag=20")
	if pingReach(a, peer, isolateTimeout) {
		t.Fatal("traffic crossed from VLAN 10 to VLAN 20")
	}
	vsctl(t, sock, "set", "port", h2, "tag=10")
	if !pingReach(a, peer, reachTimeout) {
		t.Fatalf("no connectivity with both ports in VLAN 10\n%s", d.debug(br))
	}
	vsctl(t, sock, "set", "bridge", br, "fail_mode=secure")
	if pingReach(a, peer, isolateTimeout) {
		t.Fatal("traffic forwarded by a secure bridge without flows")
	}
}

// debug collects the switch state for a failure message.
func (d *testDaemon) debug(br string) string {
	var b strings.Builder
	for _, args := range [][]string{{"fdb/show", br}, {"dpctl/dump-flows"}, {"dpif-netdev/pmd-stats-show"}} {
		so, se, _ := run(d.t, "ovs-appctl", append([]string{"-t", d.ctlPath()}, args...)...)
		b.WriteString(strings.Join(args, " ") + ":\n" + so + se)
	}
	so, _, _ := run(d.t, "ovs-vsctl", "--db=unix:"+d.sock(), "--timeout=5", "show")
	return b.String() + so
}
