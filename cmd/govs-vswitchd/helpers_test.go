package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const (
	cmdTimeout   = 30 * time.Second
	startTimeout = 20 * time.Second
	stopTimeout  = 20 * time.Second
	pollEvery    = 20 * time.Millisecond
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// binaries builds govs-vswitchd and govs-appctl once per test binary.
func binaries(t *testing.T) (vswitchd, appctl string) {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "govs-vswitchd-test")
		if buildErr != nil {
			return
		}
		for _, pkg := range []string{".", "../govs-appctl", "../govs-ofctl"} {
			out, err := exec.Command("go", "build", "-o", buildDir, pkg).CombinedOutput()
			if err != nil {
				buildErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "govs-vswitchd"), filepath.Join(buildDir, "govs-appctl")
}

// govsOfctl returns the govs-ofctl binary built by binaries.
func govsOfctl(t *testing.T) string {
	t.Helper()
	binaries(t)
	return filepath.Join(buildDir, "govs-ofctl")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// needRoot skips unless root with the named tools.
func needRoot(t *testing.T, tools ...string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	for _, tool := range append([]string{"ip"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
}

// uniq returns a short unique interface-name prefix (names stay < 16 chars).
func uniq(tag string) string {
	return fmt.Sprintf("g%s%d", tag, os.Getpid()%100000)
}

// daemon is a running govs-vswitchd process.
type testDaemon struct {
	t      *testing.T
	bin    string
	rundir string
	dbdir  string
	args   []string
	cmd    *exec.Cmd
	done   chan error
	log    string
}

func newTestDaemon(t *testing.T, extra ...string) *testDaemon {
	t.Helper()
	bin, _ := binaries(t)
	dir := t.TempDir()
	d := &testDaemon{t: t, bin: bin, rundir: filepath.Join(dir, "run"), dbdir: filepath.Join(dir, "db"), log: filepath.Join(dir, "vswitchd.log")}
	d.args = append([]string{"--rundir=" + d.rundir, "--dbdir=" + d.dbdir, "--pidfile", "--log-file=" + d.log, "--metrics-addr="}, extra...)
	d.start()
	t.Cleanup(func() { d.stop(syscall.SIGTERM) })
	return d
}

func (d *testDaemon) start() {
	d.t.Helper()
	d.cmd = exec.Command(d.bin, d.args...)
	d.cmd.Stdout, d.cmd.Stderr = nil, nil
	if err := d.cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	d.done = make(chan error, 1)
	go func(c *exec.Cmd, ch chan error) { ch <- c.Wait() }(d.cmd, d.done)
	d.waitFor("control socket", startTimeout, func() bool {
		_, err := os.Stat(d.ctlPath())
		return err == nil
	})
}

func (d *testDaemon) ctlPath() string {
	return filepath.Join(d.rundir, "govs-vswitchd."+strconv.Itoa(d.cmd.Process.Pid)+".ctl")
}

func (d *testDaemon) sock() string { return filepath.Join(d.rundir, "db.sock") }

// stop sends sig and waits for the process (killing it after stopTimeout).
func (d *testDaemon) stop(sig syscall.Signal) {
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Signal(sig)
	select {
	case <-d.done:
	case <-time.After(stopTimeout):
		_ = d.cmd.Process.Kill()
		<-d.done
		d.t.Errorf("daemon did not stop on %v", sig)
	}
	d.cmd = nil
}

func (d *testDaemon) waitFor(what string, timeout time.Duration, cond func() bool) {
	d.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			logData, _ := os.ReadFile(d.log)
			d.t.Fatalf("timeout waiting for %s; daemon log:\n%s", what, logData)
		}
		time.Sleep(pollEvery)
	}
}

// run runs a command with a timeout and returns stdout, stderr, exit code.
func run(t *testing.T, name string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %v: timed out", name, args)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return so.String(), se.String(), code
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, name string, args ...string) string {
	t.Helper()
	so, se, code := run(t, name, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d: %s%s", name, strings.Join(args, " "), code, so, se)
	}
	return so
}

// vsctl runs the real ovs-vsctl against sock WITHOUT --no-wait (its
// timeout only bounds a broken test).
func vsctl(t *testing.T, sock string, args ...string) (string, string) {
	t.Helper()
	so, se, code := run(t, "ovs-vsctl", append([]string{"--db=unix:" + sock, "--timeout=20"}, args...)...)
	if code != 0 {
		t.Fatalf("ovs-vsctl %s: exit %d: %s%s", strings.Join(args, " "), code, so, se)
	}
	return so, se
}

// get reads one column with ovs-vsctl get.
func get(t *testing.T, sock, table, rec, col string) string {
	t.Helper()
	so, _ := vsctl(t, sock, "get", table, rec, col)
	return strings.TrimSpace(so)
}

// linkExists reports whether a network device exists (host namespace).
func linkExists(name string) bool {
	_, err := os.Stat("/sys/class/net/" + name)
	return err == nil
}

// vethPair creates a veth pair in the host namespace, removed at cleanup.
func vethPair(t *testing.T, a, b string) {
	t.Helper()
	mustRun(t, "ip", "link", "add", a, "type", "veth", "peer", "name", b)
	t.Cleanup(func() { _, _, _ = run(t, "ip", "link", "del", a) })
}

// netns creates a namespace, removed at cleanup.
func netns(t *testing.T, name string) {
	t.Helper()
	mustRun(t, "ip", "netns", "add", name)
	t.Cleanup(func() { _, _, _ = run(t, "ip", "netns", "del", name) })
}
