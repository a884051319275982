package ovsoracle

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SchemaPath is the real vswitch schema installed with OVS.
const SchemaPath = "/usr/share/openvswitch/vswitch.ovsschema"

// CmdTimeout bounds every command an OVS value runs.
const CmdTimeout = 20 * time.Second

// Tools are the OVS programs Start needs.
var Tools = []string{"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl"}

// localPort is OpenFlow's LOCAL port (OFPP_LOCAL).
const localPort = 0xfffe

const (
	stopPolls   = 100
	stopPoll    = 20 * time.Millisecond
	logTailSize = 3000
)

// Options say when to skip and how to start ovs-vswitchd.
type Options struct {
	// DirPrefix names the temp directory (keep it short).
	DirPrefix string
	// Tools are further programs the test needs (e.g. "ovs-ofctl"); the
	// test is skipped when one is missing.
	Tools []string
	// NeedRoot skips the test when it does not run as root.
	NeedRoot bool
	// SkipShort skips the test in -short mode.
	SkipShort bool
	// DisableSystem passes --disable-system to ovs-vswitchd.
	DisableSystem bool
	// SystemNetdevs starts ovs-vswitchd without --enable-dummy=override:
	// ports are the host's real devices (use a netdev bridge, unique
	// device names, and delete the bridge's TAP in Cleanup).
	SystemNetdevs bool
	// SkipOnStartError skips the test (instead of failing it) when the
	// daemons do not start.
	SkipOnStartError bool
}

// OVS is a running private ovsdb-server + ovs-vswitchd.
type OVS struct {
	t   testing.TB
	Dir string   // rundir, dbdir, logdir and sysconfdir
	Env []string // the environment every command runs with (OVS_RUNDIR=Dir, ...)
	DB  string   // "unix:<Dir>/db.sock"
	Ctl string   // ovs-vswitchd's unixctl socket
}

// Start starts the private OVS with an initialised, empty database.
func Start(t testing.TB, opt Options) *OVS {
	t.Helper()
	if opt.SkipShort && testing.Short() {
		t.Skip("differential test against OVS skipped in -short mode")
	}
	for _, b := range append(append([]string{}, Tools...), opt.Tools...) {
		if _, err := exec.LookPath(b); err != nil {
			t.Skipf("%s not installed", b)
		}
	}
	if opt.NeedRoot && os.Geteuid() != 0 {
		t.Skip("differential test against OVS needs root")
	}
	if _, err := os.Stat(SchemaPath); err != nil {
		t.Skipf("OVS schema not installed: %v", err)
	}
	prefix := opt.DirPrefix
	if prefix == "" {
		prefix = "ovso"
	}
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	o := &OVS{t: t, Dir: dir, DB: "unix:" + filepath.Join(dir, "db.sock"), Ctl: filepath.Join(dir, "ovs-vswitchd.ctl")}
	o.Env = append(os.Environ(), "OVS_RUNDIR="+dir, "OVS_DBDIR="+dir, "OVS_LOGDIR="+dir, "OVS_SYSCONFDIR="+dir)
	t.Cleanup(func() {
		o.stop("ovs-vswitchd")
		o.stop("ovsdb-server")
		if t.Failed() {
			o.logTail()
		}
		os.RemoveAll(dir)
	})
	vswitchd := []string{o.DB}
	if !opt.SystemNetdevs {
		vswitchd = append(vswitchd, "--enable-dummy=override")
	}
	if opt.DisableSystem {
		vswitchd = append(vswitchd, "--disable-system")
	}
	vswitchd = append(vswitchd, "--pidfile="+o.path("ovs-vswitchd.pid"), "--unixctl="+o.Ctl,
		"--log-file="+o.path("ovs-vswitchd.log"), "--detach")
	steps := [][]string{
		{"ovsdb-tool", "create", o.path("conf.db"), SchemaPath},
		{"ovsdb-server", o.path("conf.db"), "--remote=p" + o.DB,
			"--pidfile=" + o.path("ovsdb-server.pid"), "--unixctl=" + o.path("ovsdb-server.ctl"),
			"--log-file=" + o.path("ovsdb-server.log"), "--detach"},
		{"ovs-vsctl", "--db=" + o.DB, "--no-wait", "init"},
		append([]string{"ovs-vswitchd"}, vswitchd...),
	}
	for _, s := range steps {
		stdout, stderr, code := o.Exec("", s[0], s[1:]...)
		if code == 0 {
			continue
		}
		if opt.SkipOnStartError {
			t.Skipf("cannot start a private OVS: %v: exit %d: %s%s", s, code, stdout, stderr)
		}
		t.Fatalf("%s: exit %d\n%s%s", strings.Join(s, " "), code, stdout, stderr)
	}
	return o
}

func (o *OVS) path(name string) string { return filepath.Join(o.Dir, name) }

// Exec runs an OVS program in the private environment (working directory
// Dir) with stdin and returns its stdout, stderr and exit code. It fails
// the test only when the program cannot be run at all.
func (o *OVS) Exec(stdin, name string, args ...string) (stdout, stderr string, code int) {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), CmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = o.Env
	cmd.Dir = o.Dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			o.t.Fatalf("%s %v: %v", name, args, err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

// Run runs an OVS program and returns its combined output; a non-zero
// exit fails the test.
func (o *OVS) Run(name string, args ...string) string {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), CmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = o.Env
	cmd.Dir = o.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		o.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Vsctl runs ovs-vsctl against the private database.
func (o *OVS) Vsctl(args ...string) string {
	o.t.Helper()
	return o.Run("ovs-vsctl", append([]string{"--db=" + o.DB}, args...)...)
}

// Appctl runs ovs-appctl against the private ovs-vswitchd.
func (o *OVS) Appctl(args ...string) string {
	o.t.Helper()
	return o.Run("ovs-appctl", append([]string{"-t", o.Ctl}, args...)...)
}

// Mgmt is the OpenFlow management socket of bridge, as ovs-ofctl takes it.
func (o *OVS) Mgmt(bridge string) string { return "unix:" + o.MgmtPath(bridge) }

// MgmtPath is the file name of bridge's management socket.
func (o *OVS) MgmtPath(bridge string) string { return o.path(bridge + ".mgmt") }

// WaitMgmt waits (bounded by CmdTimeout) until bridge's management socket
// exists.
func (o *OVS) WaitMgmt(bridge string) {
	o.t.Helper()
	deadline := time.Now().Add(CmdTimeout)
	for {
		if _, err := os.Stat(o.MgmtPath(bridge)); err == nil {
			return
		}
		if time.Now().After(deadline) {
			o.t.Fatalf("%s never appeared", o.MgmtPath(bridge))
		}
		time.Sleep(stopPoll)
	}
}

// stop asks daemon name to exit, then terminates it by the pid in its
// pidfile, waiting (bounded) for it to go and killing it if it does not.
func (o *OVS) stop(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), CmdTimeout)
	defer cancel()
	args := []string{"-t", o.path(name + ".ctl"), "exit"}
	if name == "ovs-vswitchd" {
		// --cleanup deletes the datapaths too: a netdev datapath's
		// "ovs-netdev" TAP would otherwise outlive the test.
		args = append(args, "--cleanup")
	}
	cmd := exec.CommandContext(ctx, "ovs-appctl", args...)
	cmd.Env = o.Env
	_ = cmd.Run()
	b, err := os.ReadFile(o.path(name + ".pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	for i := 0; i < stopPolls; i++ {
		if gone(pid) {
			return
		}
		time.Sleep(stopPoll)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
}

// gone reports whether pid has exited. A detached daemon's parent is PID
// 1, which may not reap it here, so a zombie counts as gone.
func gone(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return true
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// "pid (comm) S ...": the state follows the last ')'.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] == 'Z' || s[i+2] == 'X'
	}
	return false
}

func (o *OVS) logTail() {
	b, err := os.ReadFile(o.path("ovs-vswitchd.log"))
	if err != nil {
		return
	}
	if len(b) > logTailSize {
		b = b[len(b)-logTailSize:]
	}
	o.t.Logf("ovs-vswitchd.log tail:\n%s", b)
}

// reDPPort is a port line of `ovs-appctl dpif/show`:
// "    p1 1/3: (dummy)" (name, OpenFlow port, datapath port).
var reDPPort = regexp.MustCompile(`(?m)^\s+(\S+) (\d+|LOCAL)/(\d+):`)

// DatapathPorts maps ovs-vswitchd's datapath port numbers to OpenFlow
// port numbers (LOCAL is 65534), from `ovs-appctl dpif/show`: OVS's
// datapath numbers its ports in order of creation, govs's use the
// OpenFlow numbers, so traces and dumps are compared through this map.
func (o *OVS) DatapathPorts() map[int]int {
	o.t.Helper()
	m := map[int]int{}
	for _, l := range reDPPort.FindAllStringSubmatch(o.Appctl("dpif/show"), -1) {
		of, err := strconv.Atoi(l[2])
		if l[2] == "LOCAL" {
			of, err = localPort, nil
		}
		dp, err2 := strconv.Atoi(l[3])
		if err != nil || err2 != nil {
			o.t.Fatalf("dpif/show: bad port line %q", l[0])
		}
		m[dp] = of
	}
	return m
}

// SplitActions splits an OVS datapath action list (the text after
// "Datapath actions: " in ofproto/trace, or "actions:" in dpctl/dump-flows)
// at the commas outside parentheses, so that "push_vlan(vid=10,pcp=0),1"
// is two actions.
func SplitActions(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
