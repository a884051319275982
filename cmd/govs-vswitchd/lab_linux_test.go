package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"govs/internal/buildtest"
)

const (
	// labTimeout bounds one run of bench/lab.sh.
	labTimeout = 90 * time.Second
)

// labExpect are the result lines bench/lab.sh must print, in order.
var labExpect = []string{
	"-> OK: untagged: ping works, as expected",
	"-> OK: tags 10/20: ping fails, as expected",
	"-> OK: tags 10/10: ping works, as expected",
	"-> OK: default NORMAL flow present",
	"-> OK: drop flow added",
	"-> OK: drop flow: ping fails, as expected",
	"-> OK: after del-flows: ping works, as expected",
	"-> OK: NORMAL flow counted packets",
	"-> OK: bridges deleted",
}

// labSummary matches the last line of a fully passing run.
var labSummary = regexp.MustCompile(`(?m)^lab: [1-9][0-9]* OK, 0 FAILED, 0 SKIPPED$`)

// TestSeedLab runs the seed lab (bench/lab.sh) against freshly built
// binaries, driven once by govs-vsctl/govs-ofctl and once by the real
// ovs-vsctl/ovs-ofctl, with namespace, veth and bridge names unique to
// this process.
func TestSeedLab(t *testing.T) {
	buildtest.Need(t, true, "ip", "ping", "ovs-vsctl", "ovs-ofctl", "go", "bash")
	for _, ns := range []string{"ns1", "ns2"} {
		if _, err := os.Stat(filepath.Join("/var/run/netns", ns)); err == nil {
			t.Skipf("seed lab namespace %s exists (a lab is running)", ns)
		}
	}
	for _, l := range []string{"veth11", "veth22"} {
		if exec.Command("ip", "link", "show", l).Run() == nil {
			t.Skipf("seed lab link %s exists (a lab is running)", l)
		}
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := buildtest.Build(t, "govs/cmd/govs-vswitchd", "govs/cmd/govs-vsctl", "govs/cmd/govs-ofctl")

	// The lab must not need the default metrics port: another daemon (a
	// second lab, a test, a real deployment) may hold it. Hold it here;
	// if something else already does, the check is the same.
	if l, err := net.Listen("tcp", defaultMetricsAddr); err == nil {
		t.Cleanup(func() { l.Close() })
	}
	for i, tools := range []string{"govs", "ovs"} {
		t.Run(tools, func(t *testing.T) {
			p := fmt.Sprintf("gl%d%d", os.Getpid()%100000, i) // ≤ 8 chars + suffix ≤ 15
			ctx, cancel := context.WithTimeout(context.Background(), labTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "bench/lab.sh"))
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "LAB_TOOLS="+tools, "BINDIR="+bin,
				"LAB_NS1="+p+"n1", "LAB_NS2="+p+"n2", "LAB_VETH1="+p+"v1", "LAB_VETH2="+p+"v2",
				"LAB_PEER1="+p+"p1", "LAB_PEER2="+p+"p2", "LAB_BR1="+p+"b1", "LAB_BR2="+p+"b2")
			// The script cleans up after itself (trap on EXIT); this is
			// the safety net for a killed script.
			t.Cleanup(func() {
				for _, ns := range []string{p + "n1", p + "n2"} {
					_ = exec.Command("ip", "netns", "del", ns).Run()
				}
				for _, l := range []string{p + "v1", p + "v2"} {
					_ = exec.Command("ip", "link", "del", l).Run()
				}
			})
			out, err := cmd.CombinedOutput()
			text := string(out)
			if ctx.Err() != nil {
				t.Fatalf("lab.sh timed out after %v:\n%s", labTimeout, text)
			}
			if err != nil {
				t.Fatalf("lab.sh: %v\n%s", err, text)
			}
			rest := text
			for _, want := range labExpect {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("missing (or out of order) %q in:\n%s", want, text)
				}
				rest = rest[i+len(want):]
			}
			if strings.Contains(text, "-> FAILED") || strings.Contains(text, "-> SKIP") || !labSummary.MatchString(text) {
				t.Fatalf("lab did not pass cleanly:\n%s", text)
			}
		})
	}
}
