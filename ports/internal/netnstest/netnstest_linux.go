package netnstest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// NS is a named network namespace created for one test.
type NS struct {
	Name string
}

var seq atomic.Uint32

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

// UniqueName returns prefix followed by the pid and a per-process sequence
// number, cut to the 15 bytes an interface name may have.
func UniqueName(prefix string) string {
	s := fmt.Sprintf("%s%dx%d", prefix, os.Getpid()%100000, seq.Add(1))
	if len(s) > unix.IFNAMSIZ-1 {
		s = s[len(s)-(unix.IFNAMSIZ-1):]
	}
	return s
}

// New creates a namespace named after prefix with loopback up, and
// removes it when tb ends. It skips tb when not root.
func New(tb testing.TB, prefix string) *NS {
	tb.Helper()
	Require(tb)
	ns := &NS{Name: UniqueName(prefix)}
	if out, err := exec.Command("ip", "netns", "add", ns.Name).CombinedOutput(); err != nil {
		if strings.Contains(string(out), "Operation not permitted") {
			tb.Skipf("skipping: ip netns add: %s", out)
		}
		tb.Fatalf("ip netns add %s: %v: %s", ns.Name, err, out)
	}
	tb.Cleanup(func() { exec.Command("ip", "netns", "del", ns.Name).Run() })
	ns.Exec(tb, "ip", "link", "set", "lo", "up")
	// No IPv6 on devices created later: no router or neighbour
	// solicitations to filter out of captures.
	ns.Exec(tb, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6")
	return ns
}

// Exec runs a command inside the namespace and fails tb on error. It
// returns the combined output.
func (ns *NS) Exec(tb testing.TB, args ...string) string {
	tb.Helper()
	full := append([]string{"netns", "exec", ns.Name}, args...)
	out, err := exec.Command("ip", full...).CombinedOutput()
	if err != nil {
		tb.Fatalf("ip %s: %v: %s", strings.Join(full, " "), err, out)
	}
	return string(out)
}

// Do runs f on a new OS thread that has joined the namespace and waits
// for it. The thread is never reused: it stays locked and exits with its
// goroutine. Sockets and devices f creates belong to the namespace.
func (ns *NS) Do(f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		fd, err := unix.Open("/run/netns/"+ns.Name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open netns %s: %w", ns.Name, err)
			return
		}
		err = unix.Setns(fd, unix.CLONE_NEWNET)
		unix.Close(fd)
		if err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns.Name, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// Veth creates a veth pair: a in ns and b in peer, both up.
// IPv6 is disabled on both so that no router or neighbour solicitations
// add noise.
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
