package topo

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipping: ip (iproute2) not found")
	}
}

func netnsList(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		t.Fatalf("ip netns list: %v: %s", err, out)
	}
	return string(out)
}

func TestTopology(t *testing.T) {
	requireRoot(t)
	tp, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tp.Close() })
	list := netnsList(t)
	for _, ns := range []*NS{tp.Gen, tp.Switch, tp.Sink} {
		if !strings.Contains(list, ns.Name) {
			t.Errorf("namespace %s missing from %q", ns.Name, list)
		}
		if !slices.Contains(Live(), ns.Name) {
			t.Errorf("namespace %s not registered", ns.Name)
		}
	}
	tests := []struct {
		ns   *NS
		dev  string
		want string
	}{
		{tp.Switch, tp.SwGenDev, "UP"},
		{tp.Switch, tp.SwSinkDev, "UP"},
		{tp.Gen, tp.GenDev, GenMAC.String()},
		{tp.Sink, tp.SinkDev, SinkDevMAC.String()},
	}
	for _, tt := range tests {
		out, err := tt.ns.Run("ip", "link", "show", tt.dev)
		if err != nil || !strings.Contains(out, tt.want) {
			t.Errorf("%s in %s: %v %q, want %q", tt.dev, tt.ns.Name, err, out, tt.want)
		}
	}
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tp.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	list = netnsList(t)
	for _, ns := range []*NS{tp.Gen, tp.Switch, tp.Sink} {
		if strings.Contains(list, ns.Name) {
			t.Errorf("namespace %s left behind", ns.Name)
		}
	}
	if len(Live()) != 0 {
		t.Errorf("registry not empty: %v", Live())
	}
}

func TestCleanupAll(t *testing.T) {
	requireRoot(t)
	ns, err := NewNS("gbt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ns.Delete() })
	CleanupAll()
	if strings.Contains(netnsList(t), ns.Name) || len(Live()) != 0 {
		t.Fatalf("CleanupAll left %s", ns.Name)
	}
}

func TestRunError(t *testing.T) {
	requireRoot(t)
	ns, err := NewNS("gbt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ns.Delete() })
	if _, err := ns.Run("ip", "link", "show", "nosuchdev0"); err == nil || !strings.Contains(err.Error(), "nosuchdev0") {
		t.Fatalf("error %v does not name the command", err)
	}
	if err := ns.Do(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
}

func TestTunnelTopology(t *testing.T) {
	requireRoot(t)
	tp, err := NewTunnel()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tp.Close() })
	if tp.SinkSwitch() != tp.Switch2 {
		t.Fatal("SinkSwitch is not Switch2")
	}
	tests := []struct {
		ns   *NS
		dev  string
		want string
	}{
		{tp.Switch, tp.SwGenDev, "UP"},
		{tp.Switch2, tp.SwSinkDev, "UP"},
		{tp.Switch, tp.UnderDev, "mtu 1600"},
		{tp.Switch2, tp.Under2Dev, "mtu 1600"},
		{tp.Gen, tp.GenDev, GenMAC.String()},
		{tp.Sink, tp.SinkDev, SinkDevMAC.String()},
	}
	for _, tt := range tests {
		out, err := tt.ns.Run("ip", "link", "show", tt.dev)
		if err != nil || !strings.Contains(out, tt.want) {
			t.Errorf("%s in %s: %v %q, want %q", tt.dev, tt.ns.Name, err, out, tt.want)
		}
	}
	names := []string{tp.Gen.Name, tp.Switch.Name, tp.Switch2.Name, tp.Sink.Name}
	if err := tp.Close(); err != nil {
		t.Fatal(err)
	}
	list := netnsList(t)
	for _, n := range names {
		if strings.Contains(list, n) {
			t.Errorf("namespace %s left after Close", n)
		}
	}
}
