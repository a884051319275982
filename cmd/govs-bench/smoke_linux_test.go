package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"govs/bench/report"
	"govs/bench/topo"
	"govs/internal/buildtest"
)

// smokeTimeout bounds the whole smoke run.
const smokeTimeout = 90 * time.Second

func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipping: ip (iproute2) not found")
	}
}

// hostState is what must be the same before and after a run: the
// namespaces, the host's links and the daemons started from a
// govs-bench run directory.
func hostState(t *testing.T) (netns, links, daemons string) {
	t.Helper()
	out := func(args ...string) string {
		b, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v: %s", args, err, b)
		}
		return string(b)
	}
	// Link indexes and names only: counters and flags of other
	// engineers' links may change meanwhile.
	ifname := regexp.MustCompile(`(?m)^\d+: [^:]+:`)
	links = strings.Join(ifname.FindAllString(out("ip", "-o", "link", "show"), -1), "\n")
	var ours []string
	for _, l := range strings.Split(out("ps", "-eo", "stat=,args="), "\n") {
		if strings.Contains(l, "govs-bench-") && !strings.HasPrefix(strings.TrimSpace(l), "Z") {
			ours = append(ours, l)
		}
	}
	return filterOurs(out("ip", "netns", "list")), links, strings.Join(ours, "\n")
}

// filterOurs keeps the namespace lines of this process (pid-named), so
// other engineers' namespaces coming and going do not matter.
func filterOurs(list string) string {
	var keep []string
	for _, l := range strings.Split(list, "\n") {
		if l != "" && isOurs(l) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// pidModulo is topo's: names carry the pid modulo it.
const pidModulo = 100000

func isOurs(l string) bool {
	return strings.HasPrefix(l, "gb") && strings.Contains(l, fmt.Sprintf("%dx", os.Getpid()%pidModulo))
}

// TestQuickSmoke runs `govs-bench -quick` against the Linux bridge, OVS
// and the in-process govs datapath (those that are available) and checks
// the table, the JSON and the chart, and that nothing is left behind.
func TestQuickSmoke(t *testing.T) {
	requireRoot(t)
	switches := []string{"bridge", "govs-datapath"}
	for _, tool := range []string{"ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Logf("%s not installed: OVS not measured", tool)
			switches = switches[:2:2]
			break
		}
		if tool == "ovs-vsctl" {
			switches = append(switches, "ovs")
		}
	}
	dir := t.TempDir()
	jsonFile, chartFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.png")
	ns0, links0, daemons0 := hostState(t)

	ctx, cancel := context.WithTimeout(context.Background(), smokeTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := mainErr(ctx, []string{"-quick", "-switches", strings.Join(switches, ","), "-json", jsonFile, "-chart", chartFile}, &stdout, &stderr)
	t.Logf("stderr:\n%s\nstdout:\n%s", stderr.String(), stdout.String())
	if code != exitOK {
		t.Fatalf("exit code %d", code)
	}
	for _, sw := range switches {
		if !regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(sw) + `\s+64\s+1000\s`).MatchString(stdout.String()) {
			t.Errorf("table has no row for %s", sw)
		}
		if !strings.Contains(stderr.String(), sw+": starting") {
			t.Errorf("no progress line for %s", sw)
		}
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Cases) != len(switches) {
		t.Fatalf("JSON has %d cases, want %d", len(rep.Cases), len(switches))
	}
	for _, c := range rep.Cases {
		if c.Switch == "bridge" && (c.Unavailable != "" || len(c.Runs) != 1 || c.Runs[0].Received == 0) {
			t.Errorf("the Linux bridge forwarded nothing: %+v", c)
		}
	}
	pf, err := os.Open(chartFile)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	if _, err := png.Decode(pf); err != nil {
		t.Fatalf("chart: %v", err)
	}

	ns1, links1, daemons1 := hostState(t)
	if ns1 != ns0 {
		t.Errorf("namespaces left behind:\nbefore %q\nafter  %q", ns0, ns1)
	}
	if links1 != links0 {
		t.Errorf("host links changed:\nbefore %s\nafter  %s", links0, links1)
	}
	if daemons1 != daemons0 {
		t.Errorf("daemons left behind: %s", daemons1)
	}
	if left := topo.Live(); len(left) != 0 {
		t.Errorf("registry still holds %v", left)
	}
}

// TestCancelled checks that a cancelled run (as on SIGINT) returns
// promptly and removes the lab.
func TestCancelled(t *testing.T) {
	requireRoot(t)
	ns0, _, _ := hostState(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(1500*time.Millisecond, cancel)
	start := time.Now()
	var stdout, stderr bytes.Buffer
	code := mainErr(ctx, []string{"-switches", "bridge", "-sizes", "64", "-flows", "1", "-runs", "5", "-duration", "10s", "-rules", "0", "-flow-setup=false"}, &stdout, &stderr)
	if code == exitOK {
		t.Errorf("cancelled run exited 0")
	}
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("cancelled run took %v", d)
	}
	if ns1, _, _ := hostState(t); ns1 != ns0 {
		t.Errorf("namespaces left behind: %q", ns1)
	}
	if !strings.Contains(stderr.String(), "lab removed") {
		t.Errorf("no cleanup line:\n%s", stderr.String())
	}
}

// TestTunnelSmoke runs `govs-bench -quick -tunnel geneve` for govs
// (freshly built) and OVS, and checks that frames crossed the tunnel for
// both and that nothing is left behind.
func TestTunnelSmoke(t *testing.T) {
	requireRoot(t)
	buildtest.Need(t, false, "go", "ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl")
	bin := buildtest.Build(t, "govs/cmd/govs-vswitchd", "govs/cmd/govs-vsctl")
	jsonFile := filepath.Join(t.TempDir(), "r.json")
	ns0, links0, daemons0 := hostState(t)
	ctx, cancel := context.WithTimeout(context.Background(), smokeTimeout)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := mainErr(ctx, []string{"-quick", "-tunnel", "geneve", "-flows", "1", "-bin-dir", bin, "-json", jsonFile}, &stdout, &stderr)
	t.Logf("stderr:\n%s\nstdout:\n%s", stderr.String(), stdout.String())
	if code != exitOK {
		t.Fatalf("exit code %d", code)
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range rep.Cases {
		if c.Unavailable != "" || len(c.Runs) != 1 || c.Runs[0].Received == 0 {
			t.Errorf("%s: nothing crossed the tunnel: %+v", c.Switch, c)
		}
		got[c.Switch] = true
	}
	if !got["govs+geneve"] || !got["ovs+geneve"] || len(rep.Cases) != 2 {
		t.Errorf("cases %v, want govs+geneve and ovs+geneve", got)
	}
	// Only this process's links count: other tests on the host may add
	// and remove theirs meanwhile.
	ns1, links1, daemons1 := hostState(t)
	if ns1 != ns0 || ourLinks(links1) != ourLinks(links0) || daemons1 != daemons0 {
		t.Errorf("left behind: namespaces %q -> %q, links %q -> %q, daemons %q", ns0, ns1, ourLinks(links0), ourLinks(links1), daemons1)
	}
}

// ourLinks keeps the lines of hostState's link list whose name is one
// of this process's (topo.UniqueName).
func ourLinks(links string) string {
	var keep []string
	for _, l := range strings.Split(links, "\n") {
		if _, name, ok := strings.Cut(l, ": "); ok && isOurs(strings.TrimSuffix(name, ":")) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
