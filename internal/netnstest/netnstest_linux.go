package netnstest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"govs/internal/netns"
)

// execTimeout bounds every command Exec runs.
const execTimeout = 10 * time.Second

// NS is a named network namespace created for one test.
type NS struct {
	Name string
}

// Require skips tb unless the process is root and the ip tool exists.
func Require(tb testing.TB) {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("skipping: needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		tb.Skip("skipping: ip (iproute2) not found")
	}
}

// New creates a namespace named after prefix, with loopback up and IPv6
// disabled, and deletes it when tb ends. It skips tb when not root.
func New(tb testing.TB, prefix string) *NS {
	tb.Helper()
	Require(tb)
	ns := &NS{Name: UniqueName(prefix)}
	ctx, cancel := context.WithTimeout(context.Background(), execTimeout)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "ip", "netns", "add", ns.Name).CombinedOutput(); err != nil {
		if strings.Contains(string(out), "Operation not permitted") {
			tb.Skipf("skipping: ip netns add: %s", out)
		}
		tb.Fatalf("ip netns add %s: %v: %s", ns.Name, err, out)
	}
	tb.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns.Name).Run() })
	ns.Exec(tb, "ip", "link", "set", "lo", "up")
	ns.Exec(tb, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	return ns
}

// Exec runs a command inside the namespace, fails tb on error and returns
// the combined output.
func (ns *NS) Exec(tb testing.TB, args ...string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), execTimeout)
	defer cancel()
	out, err := ns.Command(ctx, args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("ip netns exec %s %s: %v: %s", ns.Name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Command returns an unstarted command that runs args inside the
// namespace; it is killed when ctx is done.
func (ns *NS) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns.Name}, args...)...)
}

// Do runs f on a new OS thread that has joined the namespace and waits for
// it. The thread is never reused: it stays locked and exits with its
// goroutine. Sockets and devices f creates belong to the namespace;
// sockets may be used from any goroutine afterwards.
func (ns *NS) Do(f func() error) error { return netns.Do(ns.Name, f) }

// Veth creates a veth pair with end a in ns and end b in peer, both up,
// IPv6 disabled on both.
func Veth(tb testing.TB, ns *NS, a string, peer *NS, b string) {
	tb.Helper()
	ns.Exec(tb, "ip", "link", "add", a, "type", "veth", "peer", "name", b, "netns", peer.Name)
	for _, x := range []struct {
		ns  *NS
		dev string
	}{{ns, a}, {peer, b}} {
		x.ns.Exec(tb, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/"+x.dev+"/disable_ipv6")
		x.ns.Exec(tb, "ip", "link", "set", x.dev, "up")
	}
}
