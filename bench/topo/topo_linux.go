package topo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"sync"
	"time"

	"govs/internal/netns"
)

const (
	// ExecTimeout bounds every command run by this package.
	ExecTimeout = 15 * time.Second
)

// NS is a named network namespace.
type NS struct{ Name string }

// registry holds the namespaces created and not yet deleted.
var registry struct {
	sync.Mutex
	names map[string]bool // guarded by Mutex
}

func register(name string, on bool) {
	registry.Lock()
	defer registry.Unlock()
	if registry.names == nil {
		registry.names = make(map[string]bool)
	}
	if on {
		registry.names[name] = true
	} else {
		delete(registry.names, name)
	}
}

// Live returns the names of the namespaces created and not yet deleted.
func Live() []string {
	registry.Lock()
	defer registry.Unlock()
	var out []string
	for n := range registry.names {
		out = append(out, n)
	}
	return out
}

// CleanupAll deletes every namespace this process created and has not
// deleted yet (with their veths). For signal handlers and error paths.
func CleanupAll() {
	for _, n := range Live() {
		_ = (&NS{Name: n}).Delete()
	}
}

// NewNS creates a namespace named after prefix, with loopback up and IPv6
// off (no router solicitations in the measurements).
func NewNS(prefix string) (*NS, error) {
	ns := &NS{Name: UniqueName(prefix)}
	if out, err := run(exec.Command("ip", "netns", "add", ns.Name)); err != nil {
		return nil, fmt.Errorf("ip netns add %s: %w: %s", ns.Name, err, out)
	}
	register(ns.Name, true)
	for _, args := range [][]string{
		{"ip", "link", "set", "lo", "up"},
		{"sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"},
	} {
		if _, err := ns.Run(args...); err != nil {
			_ = ns.Delete()
			return nil, err
		}
	}
	return ns, nil
}

// Delete removes the namespace (and the interfaces in it).
func (ns *NS) Delete() error {
	out, err := run(exec.Command("ip", "netns", "del", ns.Name))
	if err != nil && !strings.Contains(out, "No such file") {
		return fmt.Errorf("ip netns del %s: %w: %s", ns.Name, err, out)
	}
	register(ns.Name, false)
	return nil
}

// Command returns an unstarted command running args in the namespace.
func (ns *NS) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns.Name}, args...)...)
}

// Run runs args in the namespace with ExecTimeout and returns the
// combined output; the error includes it.
func (ns *NS) Run(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ExecTimeout)
	defer cancel()
	out, err := run(ns.Command(ctx, args...))
	if err != nil {
		return out, fmt.Errorf("ip netns exec %s %s: %w: %s", ns.Name, strings.Join(args, " "), err, strings.TrimSpace(out))
	}
	return out, nil
}

// run runs cmd (with ExecTimeout unless it has a context already) and
// returns its combined output.
func run(cmd *exec.Cmd) (string, error) {
	if cmd.Cancel == nil {
		ctx, cancel := context.WithTimeout(context.Background(), ExecTimeout)
		defer cancel()
		cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Do runs f on a new OS thread that joined the namespace and waits for
// it. Sockets f opens belong to the namespace.
func (ns *NS) Do(f func() error) error { return netns.Do(ns.Name, f) }

// Topology is the lab: generator, switch and sink namespaces; in the
// tunnel lab (NewTunnel) a second switch namespace holds the sink's veth
// and an underlay veth pair joins the two switch namespaces.
type Topology struct {
	Gen, Switch, Sink  *NS
	GenDev, SwGenDev   string // the generator's veth pair
	SinkDev, SwSinkDev string // the sink's veth pair (SwSinkDev in SinkSwitch())
	// Switch2 is the second switch namespace of the tunnel lab, nil
	// otherwise. UnderDev (in Switch) and Under2Dev (in Switch2) are the
	// underlay veth pair, with MTU UnderlayMTU.
	Switch2             *NS
	UnderDev, Under2Dev string
	closeOnce           sync.Once
	closeErr            error
}

// UnderlayMTU is the MTU of the tunnel lab's underlay veths: room for a
// 1500-byte inner frame plus the Geneve/VXLAN, UDP and IPv4 headers.
const UnderlayMTU = 1600

// SinkSwitch returns the namespace that holds SwSinkDev: Switch2 in the
// tunnel lab, Switch otherwise.
func (t *Topology) SinkSwitch() *NS {
	if t.Switch2 != nil {
		return t.Switch2
	}
	return t.Switch
}

// New builds the topology; on error it removes whatever it created.
func New() (t *Topology, err error) { return build(false) }

// NewTunnel builds the tunnel lab: generator → Switch ⇄ underlay veth ⇄
// Switch2 → sink (the underlay veths get no address: the switches put
// their underlay addresses where they want them).
func NewTunnel() (t *Topology, err error) { return build(true) }

func build(tunnel bool) (t *Topology, err error) {
	t = &Topology{}
	defer func() {
		if err != nil {
			_ = t.Close()
			t = nil
		}
	}()
	if t.Switch, err = NewNS("gbw"); err != nil {
		return t, err
	}
	if tunnel {
		if t.Switch2, err = NewNS("gbx"); err != nil {
			return t, err
		}
		t.UnderDev, t.Under2Dev = UniqueName("gbwu"), UniqueName("gbxu")
		if _, err = t.Switch.Run("ip", "link", "add", t.UnderDev, "mtu", fmt.Sprint(UnderlayMTU), "type", "veth",
			"peer", "name", t.Under2Dev, "mtu", fmt.Sprint(UnderlayMTU), "netns", t.Switch2.Name); err != nil {
			return t, err
		}
		if _, err = t.Switch.Run("ip", "link", "set", t.UnderDev, "up"); err != nil {
			return t, err
		}
		if _, err = t.Switch2.Run("ip", "link", "set", t.Under2Dev, "up"); err != nil {
			return t, err
		}
	}
	if t.Gen, err = NewNS("gbg"); err != nil {
		return t, err
	}
	if t.Sink, err = NewNS("gbk"); err != nil {
		return t, err
	}
	t.SwGenDev, t.GenDev = UniqueName("gbwg"), UniqueName("gbgg")
	t.SwSinkDev, t.SinkDev = UniqueName("gbwk"), UniqueName("gbkk")
	for _, v := range []struct {
		sw   *NS
		a, b string
		peer *NS
		mac  net.HardwareAddr
	}{{t.Switch, t.SwGenDev, t.GenDev, t.Gen, GenMAC}, {t.SinkSwitch(), t.SwSinkDev, t.SinkDev, t.Sink, SinkDevMAC}} {
		if _, err = v.sw.Run("ip", "link", "add", v.a, "type", "veth", "peer", "name", v.b, "netns", v.peer.Name); err != nil {
			return t, err
		}
		if _, err = v.sw.Run("ip", "link", "set", v.a, "up"); err != nil {
			return t, err
		}
		if _, err = v.peer.Run("ip", "link", "set", v.b, "address", v.mac.String(), "up"); err != nil {
			return t, err
		}
	}
	return t, nil
}

// Close deletes the namespaces (and so the veths). It is idempotent.
func (t *Topology) Close() error {
	t.closeOnce.Do(func() {
		var errs []error
		for _, ns := range []*NS{t.Gen, t.Sink, t.Switch, t.Switch2} {
			if ns != nil {
				errs = append(errs, ns.Delete())
			}
		}
		t.closeErr = errors.Join(errs...)
	})
	return t.closeErr
}
