package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// xdpAttached reports whether `ip link show` lists an XDP program on dev
// (host namespace).
func xdpAttached(t *testing.T, dev string) bool {
	t.Helper()
	return strings.Contains(mustRun(t, "ip", "link", "show", "dev", dev), "xdp")
}

// TestTrafficAFXDP: two namespaces on one bridge whose ports are
// type=afxdp (one native, one generic); ICMP echo crosses the bridge;
// Interface.error is empty; deleting a port and stopping the daemon
// leave no XDP program; refused options are Interface.error.
func TestTrafficAFXDP(t *testing.T) {
	needRoot(t, "ovs-vsctl")
	d := newTestDaemon(t)
	sock := d.sock()
	br := uniq("b")
	h1, h2, a, peer := twoHosts(t, "10.78.0")

	vsctl(t, sock, "add-br", br)
	vsctl(t, sock, "add-port", br, h1, "--", "set", "interface", h1, "type=afxdp")
	vsctl(t, sock, "add-port", br, h2, "--", "set", "interface", h2, "type=afxdp", "options:xdp-mode=generic")
	for _, h := range []string{h1, h2} {
		if e := get(t, sock, "Interface", h, "error"); e != "[]" {
			t.Fatalf("%s error %s", h, e)
		}
		if !xdpAttached(t, h) {
			t.Fatalf("no XDP program on %s", h)
		}
	}
	if out := mustRun(t, "ip", "link", "show", "dev", h2); !strings.Contains(out, "xdpgeneric") {
		t.Fatalf("%s not in generic mode:\n%s", h2, out)
	}
	if !pingReach(a, peer, reachTimeout) {
		t.Fatalf("no connectivity through afxdp ports\n%s", d.debug(br))
	}
	logData, _ := os.ReadFile(d.log)
	for _, want := range []string{"interface=" + h1 + " type=afxdp ofport=1 xdp-mode-in-use=native", "interface=" + h2 + " type=afxdp ofport=2 xdp-mode-in-use=generic"} {
		if !strings.Contains(string(logData), want) {
			t.Errorf("log lacks %q:\n%s", want, logData)
		}
	}

	// n_rxq > 1 is refused with Interface.error; the port is gone.
	vsctl(t, sock, "set", "interface", h2, "options:n_rxq=2")
	d.waitFor(h2+" error", reachTimeout, func() bool {
		return strings.Contains(get(t, sock, "Interface", h2, "error"), "n_rxq=2 is not supported")
	})
	if xdpAttached(t, h2) {
		t.Fatalf("XDP program left on %s after its port failed", h2)
	}
	vsctl(t, sock, "remove", "interface", h2, "options", "n_rxq")
	d.waitFor(h2+" back", reachTimeout, func() bool { return get(t, sock, "Interface", h2, "error") == "[]" })
	if !pingReach(a, peer, reachTimeout) {
		t.Fatalf("no connectivity after re-creating %s\n%s", h2, d.debug(br))
	}

	vsctl(t, sock, "del-port", br, h2)
	if xdpAttached(t, h2) {
		t.Fatalf("XDP program left on %s after del-port", h2)
	}
	d.stop(syscall.SIGKILL) // no Close: the kernel detaches the BPF link
	d.waitFor("XDP program gone after SIGKILL", reachTimeout, func() bool { return !xdpAttached(t, h1) })
}
