package lab2

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"govs/bench/topo"
	"govs/internal/buildtest"
)

const (
	// runTimeout bounds one run of bench/lab2.sh (about 20 s when well).
	runTimeout = 150 * time.Second
)

// labCase is one run of the lab.
type labCase struct {
	name         string
	node1, node2 string // govs, ovs or linux
	tunnel       string // geneve or vxlan
	tools        string // LAB_TOOLS: govs or ovs
	csum         bool   // options:csum=true on the switches' tunnel ports
}

var cases = []labCase{
	// The oracle: real OVS on both nodes proves the story and the checks.
	{name: "ovs-ovs-geneve", node1: "ovs", node2: "ovs", tunnel: "geneve", tools: "govs"},
	{name: "govs-govs-geneve", node1: "govs", node2: "govs", tunnel: "geneve", tools: "govs"},
	{name: "govs-govs-vxlan", node1: "govs", node2: "govs", tunnel: "vxlan", tools: "govs"},
	{name: "govs-govs-geneve-ovstools", node1: "govs", node2: "govs", tunnel: "geneve", tools: "ovs"},
	// Interop with real OVS 3.1 (netdev datapath, native tunnelling).
	{name: "govs-ovs-geneve", node1: "govs", node2: "ovs", tunnel: "geneve", tools: "govs"},
	{name: "govs-ovs-geneve-csum", node1: "govs", node2: "ovs", tunnel: "geneve", tools: "govs", csum: true},
	{name: "govs-ovs-vxlan", node1: "govs", node2: "ovs", tunnel: "vxlan", tools: "govs"},
	// Interop with the Linux kernel's vxlan device: the oracle first.
	{name: "ovs-linux-vxlan-csum", node1: "ovs", node2: "linux", tunnel: "vxlan", tools: "govs", csum: true},
	{name: "govs-linux-vxlan", node1: "govs", node2: "linux", tunnel: "vxlan", tools: "govs"},
	{name: "govs-linux-vxlan-csum", node1: "govs", node2: "linux", tunnel: "vxlan", tools: "govs", csum: true},
}

// expect returns the result lines a passing run prints, in order.
func (c labCase) expect() []string {
	proto, vni, port := "Geneve", "vni 0x1", "6081"
	if c.tunnel == "vxlan" {
		proto, vni, port = "VXLAN", "vni 1", "4789"
	}
	want := []string{
		"-> OK: 192.168.1.10 -> 192.168.1.20: ping works, as expected",
		"-> OK: 192.168.1.20 -> 192.168.1.10: ping works, as expected",
		"-> OK: underlay shows " + proto + " with " + vni + " on UDP " + port + " both ways",
	}
	if c.csum {
		want = append(want, "-> OK: outer UDP checksums verified by tcpdump")
	}
	return append(want,
		"-> OK: different keys: ping fails, as expected",
		"-> OK: same key again: ping works, as expected",
		"-> OK: node1: router flows added",
		"-> OK: routed 192.168.1.10 -> 192.168.2.30: ping works with ttl=63, as expected",
		"-> OK: routed 192.168.2.30 -> 192.168.1.10: ping works with ttl=63, as expected",
		"-> OK: node1: routing flows counted packets",
	)
}

var summary = regexp.MustCompile(`(?m)^lab2: [1-9][0-9]* OK, 0 FAILED `)

// notBuilt matches govs refusing the tunnel interface type: the tunnel
// ports are not part of this build.
var notBuilt = regexp.MustCompile(`unsupported interface type \\?"(geneve|vxlan)\\?"`)

// TestTwoNodeLab runs bench/lab2.sh for every case against freshly built
// govs binaries.
func TestTwoNodeLab(t *testing.T) {
	buildtest.Need(t, true, "bash", "go", "ip", "ping", "tcpdump", "ethtool", "timeout")
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildtest.Build(t, "govs/cmd/govs-vswitchd", "govs/cmd/govs-vsctl", "govs/cmd/govs-ofctl")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runCase(t, root, bin, c) })
	}
	t.Run("linux-geneve", func(t *testing.T) {
		t.Skip("no Linux geneve interop: this kernel has no geneve link type")
	})
}

// ovsTools are what an "ovs" node (and LAB_TOOLS=ovs) needs.
var ovsTools = []string{"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl"}

func runCase(t *testing.T, root, bin string, c labCase) {
	if c.node1 == "ovs" || c.node2 == "ovs" || c.tools == "ovs" {
		for _, tool := range ovsTools {
			if _, err := exec.LookPath(tool); err != nil {
				t.Skipf("%s is missing: Open vSwitch is not installed (make deps installs it)", tool)
			}
		}
	}
	prefix := topo.UniqueName("l2")
	t.Cleanup(func() {
		for _, n := range []string{"node1", "node2", "n1ns1", "n2ns1", "n2ns2"} {
			_ = (&topo.NS{Name: prefix + "-" + n}).Delete()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "bench/lab2.sh"))
	cmd.Dir = root
	csum := "false"
	if c.csum {
		csum = "true"
	}
	cmd.Env = append(os.Environ(), "BINDIR="+bin, "LAB_TOOLS="+c.tools, "LAB2_PREFIX="+prefix,
		"LAB2_NODE1="+c.node1, "LAB2_NODE2="+c.node2, "LAB2_TUNNEL="+c.tunnel, "LAB2_CSUM="+csum)
	// SIGTERM on timeout lets the script's trap clean up.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	out, err := cmd.CombinedOutput()
	text := string(out)
	if ctx.Err() != nil {
		t.Fatalf("lab2.sh timed out after %v:\n%s", runTimeout, text)
	}
	if m := notBuilt.FindString(text); m != "" && (c.node1 == "govs" || c.node2 == "govs") {
		t.Skipf("tunnel ports not built: govs-vswitchd reports %s", m)
	}
	if err != nil {
		t.Fatalf("lab2.sh: %v\n%s", err, text)
	}
	rest := text
	for _, want := range c.expect() {
		i := strings.Index(rest, want)
		if i < 0 {
			t.Fatalf("missing (or out of order) %q in:\n%s", want, text)
		}
		rest = rest[i+len(want):]
	}
	if strings.Contains(text, "-> FAILED") || !summary.MatchString(text) {
		t.Fatalf("lab2 did not pass cleanly:\n%s", text)
	}
}
