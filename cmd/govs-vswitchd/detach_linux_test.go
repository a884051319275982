package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDetach starts the daemon with --detach (embedded database, no
// bridges: no root needed) and stops it with govs-appctl exit.
func TestDetach(t *testing.T) {
	bin, appctl := binaries(t)
	dir := t.TempDir()
	rundir := filepath.Join(dir, "run")
	_, se, code := run(t, bin, "--detach", "--pidfile", "--rundir="+rundir, "--dbdir="+filepath.Join(dir, "db"),
		"--log-file="+filepath.Join(dir, "log"), "--metrics-addr=")
	if code != 0 {
		t.Fatalf("--detach exit %d: %s", code, se)
	}
	data, err := os.ReadFile(filepath.Join(rundir, "govs-vswitchd.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || !processAlive(pid) {
		t.Fatalf("pid %q not running", data)
	}
	t.Cleanup(func() {
		if processAlive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	if _, err := os.Stat(filepath.Join(rundir, "db.sock")); err != nil {
		t.Fatal("db.sock missing after --detach returned")
	}
	// A second instance refuses the live pidfile.
	_, se, code = run(t, bin, "--pidfile", "--rundir="+rundir, "--dbdir="+filepath.Join(dir, "db2"), "--metrics-addr=")
	if code == 0 || !strings.Contains(se, "already running") {
		t.Fatalf("second instance: exit %d %q", code, se)
	}
	mustRun(t, appctl, "-t", filepath.Join(rundir, "govs-vswitchd."+strconv.Itoa(pid)+".ctl"), "exit")
	deadline := time.Now().Add(stopTimeout)
	for processAlive(pid) && !zombie(pid) {
		if time.Now().After(deadline) {
			t.Fatal("detached daemon did not exit")
		}
		time.Sleep(pollEvery)
	}
	if _, err := os.Stat(filepath.Join(rundir, "govs-vswitchd.pid")); err == nil {
		t.Fatal("pidfile left")
	}
}

// zombie reports whether pid has exited but was not reaped yet.
func zombie(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	f := strings.Fields(string(data))
	const stateField = 2
	return len(f) > stateField && f[stateField] == "Z"
}
