package vsctl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"govs/ovsdb/internal/ovstest"
)

// Output orderings ovs-vsctl leaves unspecified (hash order in the IDL),
// canonicalised before comparing.
const (
	orderFixed  = iota
	orderBlocks // list/find records separated by blank lines
	orderShow   // show: sibling blocks by indentation
	orderLines  // one record per line after the header lines
)

type step struct {
	args     []string
	order    int
	header   int  // header lines kept in place for orderLines
	realOnly bool // depends on the server's own error text
}

// script is run by the real ovs-vsctl and by govs-vsctl, each on its own
// fresh database.
var script = []step{
	{args: []string{"init"}},
	{args: []string{"get", "Open_vSwitch", ".", "_uuid"}},
	{args: []string{"init"}},
	{args: []string{"add-br", "br0"}},
	{args: []string{"get", "port", "br0", "_uuid"}},
	{args: []string{"get", "interface", "br0", "_uuid"}},
	{args: []string{"get", "bridge", "br0", "_uuid"}},
	{args: []string{"add-br", "br0"}},
	{args: []string{"--may-exist", "add-br", "br0"}},
	{args: []string{"add-port", "br0", "p1", "tag=10", "other_config:priority-tags=true"}},
	{args: []string{"get", "port", "p1", "_uuid"}},
	{args: []string{"get", "interface", "p1", "_uuid"}},
	{args: []string{"set", "interface", "p1", "type=internal", "options:remote_ip=1.2.3.4", `options:key="x y"`}},
	{args: []string{"add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal", "--", "set", "port", "p2", "trunks=1,2,3"}},
	{args: []string{"get", "port", "p2", "_uuid"}},
	{args: []string{"get", "interface", "p2", "_uuid"}},
	{args: []string{"set", "port", "p2", "trunks=[10,20]"}},
	{args: []string{"add", "port", "p2", "trunks", "30-32"}},
	{args: []string{"remove", "port", "p2", "trunks", "31"}},
	{args: []string{"get", "port", "p2", "trunks"}},
	{args: []string{"set", "port", "p1", "tag=5000"}},
	{args: []string{"set", "port", "p1", "trunks=10,10"}},
	{args: []string{"set", "port", "p1", "tagx=1"}},
	{args: []string{"set", "port", "p1", "tag"}},
	{args: []string{"set", "bridge", "br0", "other_config=a"}},
	{args: []string{"set", "bridge", "br0", "other_config:hwaddr=00:11:22:33:44:55", "fail_mode=secure"}},
	{args: []string{"get", "bridge", "br0", "other_config", "fail_mode", "other_config:hwaddr"}},
	{args: []string{"add", "bridge", "br0", "other_config", "hwaddr=00:00:00:00:00:01", "n=1"}},
	{args: []string{"add", "bridge", "br0", "other_config", "n=2", "--", "get", "bridge", "br0", "other_config"}},
	{args: []string{"remove", "bridge", "br0", "other_config", "n", "hwaddr=nomatch"}},
	{args: []string{"get", "bridge", "br0", "other_config:nokey"}},
	{args: []string{"--if-exists", "get", "bridge", "br0", "other_config:nokey"}},
	{args: []string{"show"}, order: orderShow},
	{args: []string{"--oneline", "list-br", "--", "list-ports", "br0"}},
	{args: []string{"list", "port", "p1"}},
	{args: []string{"list", "interface", "p2"}},
	{args: []string{"list", "bridge"}, order: orderBlocks},
	{args: []string{"find", "interface", "type=internal"}, order: orderBlocks},
	{args: []string{"find", "port", "tag=10"}},
	{args: []string{"--columns=name,trunks", "find", "port", "trunks{>=}10"}},
	{args: []string{"--format=table", "--columns=name,tag", "list", "port"}, order: orderLines, header: 2},
	{args: []string{"--format=csv", "--columns=name,tag", "list", "port"}, order: orderLines, header: 1},
	{args: []string{"--bare", "--columns=name", "find", "port", "name=p1"}},
	{args: []string{"--format=json", "--columns=name,trunks", "find", "port", "name=p2"}},
	{args: []string{"list-br"}},
	{args: []string{"list-ports", "br0"}},
	{args: []string{"list-ifaces", "br0"}},
	{args: []string{"port-to-br", "p1"}},
	{args: []string{"iface-to-br", "p2"}},
	{args: []string{"port-to-br", "nope"}},
	{args: []string{"br-exists", "br0"}},
	{args: []string{"br-exists", "br9"}},
	{args: []string{"br-to-vlan", "br0"}},
	{args: []string{"br-to-parent", "br0"}},
	{args: []string{"add-port", "br0", "p1"}},
	{args: []string{"--may-exist", "add-port", "br0", "p1"}},
	{args: []string{"add-port", "br9", "p9"}},
	{args: []string{"del-port", "nonexistent"}},
	{args: []string{"--if-exists", "del-port", "nonexistent"}},
	{args: []string{"del-port", "br0", "br0"}},
	{args: []string{"set-fail-mode", "br0", "standalone"}},
	{args: []string{"get-fail-mode", "br0"}},
	{args: []string{"set-fail-mode", "br0", "bogus"}},
	{args: []string{"del-fail-mode", "br0"}},
	{args: []string{"get-fail-mode", "br0"}},
	{args: []string{"--", "--id=@c", "create", "controller", `target="tcp:127.0.0.1:6653"`, "--", "set", "bridge", "br0", "controller=@c"}},
	{args: []string{"get-controller", "br0"}},
	{args: []string{"set-controller", "br0", "tcp:127.0.0.1:6654"}},
	{args: []string{"get-controller", "br0"}},
	{args: []string{"list", "controller"}, order: orderBlocks},
	{args: []string{"del-controller", "br0"}},
	{args: []string{"get-controller", "br0"}},
	{args: []string{"--", "--id=@q", "create", "qos", "type=linux-htb", "other_config:n=1"}},
	{args: []string{"create", "qos", "type=linux-htb", "other_config:n=2"}},
	{args: []string{"list", "qos"}, order: orderBlocks},
	{args: []string{"--all", "destroy", "qos"}},
	{args: []string{"list", "qos"}},
	{args: []string{"add", "bridge", "br0", "ports", "@nope"}},
	{args: []string{"clear", "port", "p2", "trunks"}},
	{args: []string{"clear", "port", "p2", "interfaces"}},
	{args: []string{"get", "port", "p2", "trunks", "tag"}},
	{args: []string{"wait-until", "port", "p1", "tag=10"}},
	{args: []string{"list", "nosuchtable"}},
	{args: []string{"list", "b", "br0"}, order: orderBlocks},
	{args: []string{"nosuchcommand"}},
	{args: []string{"list-br", "extra"}},
	{args: []string{"--bogus", "list-br"}},
	{args: []string{"add-bond", "br0", "bond0", "e1", "e2", "lacp=active"}},
	{args: []string{"add-bond", "br0", "bond1", "e3"}},
	{args: []string{"--may-exist", "add-bond", "br0", "bond0", "e2", "e9"}},
	{args: []string{"get", "port", "bond0", "lacp", "--", "list-ifaces", "br0", "--", "iface-to-br", "e2"}},
	{args: []string{"br-set-external-id", "br0", "k", "v", "--", "br-set-external-id", "br0", "k2", "v 2"}},
	{args: []string{"br-get-external-id", "br0", "--", "br-get-external-id", "br0", "k2"}},
	{args: []string{"set-manager", "ptcp:6640", "tcp:127.0.0.1:6640", "--", "get-manager"}},
	{args: []string{"set-manager", "bogus"}},
	{args: []string{"del-manager", "--", "get-manager"}},
	{args: []string{"create", "controller", "target=tcp:127.0.0.1:1"}},
	{args: []string{"--", "--id=@p", "create", "port", "name=zz", "--", "add", "bridge", "br0", "ports", "@p"}, realOnly: true},
	{args: []string{"del-port", "p1"}},
	{args: []string{"list-ports", "br0"}},
	{args: []string{"add-br", "br1", "--", "add-port", "br1", "q1", "--", "set", "port", "q1", "tag=7"}},
	{args: []string{"add-br", "fb5", "br1", "5"}},
	{args: []string{"get", "port", "fb5", "_uuid"}},
	{args: []string{"get", "interface", "fb5", "_uuid"}},
	{args: []string{"add-br", "fb6", "br1", "5"}},
	{args: []string{"add-br", "fb6", "fb5", "6"}},
	{args: []string{"add-port", "fb5", "fp1"}},
	{args: []string{"get", "port", "fp1", "_uuid", "tag"}},
	{args: []string{"--fake", "list-br", "--", "--real", "list-br", "--", "br-to-vlan", "fb5", "--", "br-to-parent", "fb5"}},
	{args: []string{"list-ports", "fb5", "--", "list-ports", "br1", "--", "port-to-br", "fp1"}},
	{args: []string{"del-br", "fb5"}},
	{args: []string{"list-br"}},
	{args: []string{"del-br", "br0"}},
	{args: []string{"--if-exists", "del-br", "br0"}},
	{args: []string{"del-br", "br0"}},
	{args: []string{"list-br"}},
	{args: []string{"list", "interface"}, order: orderBlocks},
	{args: []string{"show"}, order: orderShow},
}

var (
	uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	tsRE   = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|`)
	setRE  = regexp.MustCompile(`\[(#\d+(?:, #\d+)*)\]`)
)

// uuidMapper numbers UUIDs by first appearance across a transcript.
type uuidMapper map[string]int

func (m uuidMapper) apply(s string) string {
	s = uuidRE.ReplaceAllStringFunc(s, func(u string) string {
		n, ok := m[u]
		if !ok {
			n = len(m)
			m[u] = n
		}
		return "#" + strconv.Itoa(n)
	})
	// Sets of rows print in UUID order, which differs between runs.
	return setRE.ReplaceAllStringFunc(s, func(set string) string {
		items := strings.Split(strings.Trim(set, "[]"), ", ")
		sort.Strings(items)
		return "[" + strings.Join(items, ", ") + "]"
	})
}

func placeholder(s string) string { return uuidRE.ReplaceAllString(s, "<uuid>") }

func sortByPlaceholder(items []string) {
	sort.SliceStable(items, func(a, b int) bool { return placeholder(items[a]) < placeholder(items[b]) })
}

// showBlocks sorts sibling blocks (a line and its deeper-indented lines).
func showBlocks(lines []string) []string {
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	var blocks []string
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && indent(lines[j]) > indent(lines[i]) {
			j++
		}
		blocks = append(blocks, strings.Join(append([]string{lines[i]}, showBlocks(lines[i+1:j])...), "\n"))
		i = j
	}
	sortByPlaceholder(blocks)
	var out []string
	for _, b := range blocks {
		out = append(out, strings.Split(b, "\n")...)
	}
	return out
}

func canonicalOrder(out string, st step) string {
	switch st.order {
	case orderBlocks:
		blocks := strings.Split(strings.TrimSuffix(out, "\n"), "\n\n")
		sortByPlaceholder(blocks)
		return strings.Join(blocks, "\n\n") + "\n"
	case orderShow:
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) == 0 {
			return out
		}
		return strings.Join(append(lines[:1:1], showBlocks(lines[1:])...), "\n") + "\n"
	case orderLines:
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) <= st.header {
			return out
		}
		body := lines[st.header:]
		sortByPlaceholder(body)
		return strings.Join(append(lines[:st.header], body...), "\n") + "\n"
	}
	return out
}

// result is one command's observable behaviour.
type result struct{ stdout, stderr, exit string }

func normalize(r result, st step, m uuidMapper) string {
	stderr := tsRE.ReplaceAllString(r.stderr, "<time>|")
	stderr = strings.ReplaceAll(stderr, "govs-vsctl:", "ovs-vsctl:")
	return fmt.Sprintf("$ ovs-vsctl %s\n%s%s[%s]\n", strings.Join(st.args, " "),
		m.apply(canonicalOrder(r.stdout, st)), m.apply(stderr), r.exit)
}

func runReal(t *testing.T, sock string, extra []string, args []string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ovstest.CmdTimeout)
	defer cancel()
	full := append(append([]string{"--db=unix:" + sock}, extra...), args...)
	cmd := exec.CommandContext(ctx, "ovs-vsctl", full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	exit := "0"
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			exit = "signal " + ws.Signal().String()
		} else {
			exit = strconv.Itoa(ee.ExitCode())
		}
	} else if err != nil {
		t.Fatalf("ovs-vsctl: %v", err)
	}
	return result{stdout.String(), stderr.String(), exit}
}

func runGovs(sock string, extra []string, args []string) result {
	var stdout, stderr bytes.Buffer
	code := Run(Config{
		Prog:   "govs-vsctl",
		Args:   append(append([]string{"--db=unix:" + sock}, extra...), args...),
		Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" },
	})
	exit := strconv.Itoa(code)
	if code == ExitTimeout {
		exit = "signal " + syscall.SIGALRM.String()
	}
	return result{stdout.String(), stderr.String(), exit}
}

func transcript(t *testing.T, run func([]string) result, includeRealOnly bool) string {
	m := uuidMapper{}
	var b strings.Builder
	for _, st := range script {
		if st.realOnly && !includeRealOnly {
			continue
		}
		b.WriteString(normalize(run(st.args), st, m))
	}
	return b.String()
}

func diffTranscripts(t *testing.T, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	w, g := strings.Split(want, "\n$ "), strings.Split(got, "\n$ ")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			t.Errorf("first difference:\n--- ovs-vsctl:\n%s\n--- govs-vsctl:\n%s", w[i], g[i])
			return
		}
	}
	t.Errorf("transcripts differ in length: %d vs %d commands", len(w), len(g))
}

// TestDifferentialRealServer runs the script with the real ovs-vsctl and
// with govs-vsctl, each against a fresh real ovsdb-server.
func TestDifferentialRealServer(t *testing.T) {
	t.Parallel()
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-server", "ovsdb-tool")
	realSock := ovstest.StartReal(t)
	govsSock := ovstest.StartReal(t)
	noWait := []string{"--no-wait"}
	want := transcript(t, func(a []string) result { return runReal(t, realSock, noWait, a) }, true)
	got := transcript(t, func(a []string) result { return runGovs(govsSock, noWait, a) }, true)
	if n := len(script); n < 40 {
		t.Fatalf("script has %d commands, want at least 40", n)
	}
	diffTranscripts(t, want, got)
}

// TestDifferentialGovsServer runs govs-vsctl against govs's own OVSDB
// server and compares with the real tool on the real server.
func TestDifferentialGovsServer(t *testing.T) {
	t.Parallel()
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-server", "ovsdb-tool")
	realSock := ovstest.StartReal(t)
	ours := ovstest.StartGovs(t)
	noWait := []string{"--no-wait"}
	want := transcript(t, func(a []string) result { return runReal(t, realSock, noWait, a) }, false)
	got := transcript(t, func(a []string) result { return runGovs(ours.Sock, noWait, a) }, false)
	diffTranscripts(t, want, got)
}

// TestTimeoutMatchesReal checks the --timeout expiry path (no vswitchd
// ever updates cur_cfg) against the real tool: a warning, death by
// SIGALRM, and the change committed.
func TestTimeoutMatchesReal(t *testing.T) {
	t.Parallel()
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-server", "ovsdb-tool")
	realSock := ovstest.StartReal(t)
	govsSock := ovstest.StartReal(t)
	st := step{args: []string{"add-br", "brt"}}
	timeout := []string{"--timeout=1"}
	start := time.Now()
	want := normalize(runReal(t, realSock, timeout, st.args), st, uuidMapper{})
	got := normalize(runGovs(govsSock, timeout, st.args), st, uuidMapper{})
	if got != want {
		t.Errorf("timeout path differs\n--- ovs-vsctl:\n%s--- govs-vsctl:\n%s", want, got)
	}
	if !strings.Contains(got, "terminating with signal 14 (Alarm clock)") {
		t.Errorf("no alarm warning in %q", got)
	}
	if el := time.Since(start); el > 2*ovstest.CmdTimeout {
		t.Errorf("timeout path took %v", el)
	}
	after := runGovs(govsSock, []string{"--no-wait"}, []string{"list-br"})
	if after.stdout != "brt\n" {
		t.Errorf("list-br after timeout = %q, want brt", after.stdout)
	}
}
