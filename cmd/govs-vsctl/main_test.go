package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	envRunMain  = "GOVS_VSCTL_TEST_MAIN"
	testTimeout = 20 * time.Second
)

// TestMain lets the test binary act as govs-vsctl when re-executed.
func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		os.Args = append([]string{"govs-vsctl"}, os.Args[1:]...)
		main()
		return
	}
	os.Exit(m.Run())
}

func runSelf(t *testing.T, args ...string) (string, string, *exec.ExitError) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), envRunMain+"=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), ee
}

// TestTimeoutDiesOfSIGALRM: a server that never answers; --timeout=1
// must end the process by SIGALRM (shell status 142), like ovs-vsctl.
func TestTimeoutDiesOfSIGALRM(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "db.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // never answers
		}
	}()
	_, stderr, ee := runSelf(t, "--db=unix:"+sock, "--timeout=1", "list-br")
	if ee == nil {
		t.Fatal("exited 0, want SIGALRM")
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGALRM {
		t.Fatalf("status %v, want death by SIGALRM", ee)
	}
	if !strings.Contains(stderr, "|fatal_signal|WARN|terminating with signal 14 (Alarm clock)") {
		t.Fatalf("stderr %q lacks the alarm warning", stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{args: []string{"nosuch"}, want: "govs-vsctl: unknown command 'nosuch'; use --help for help\n"},
		{args: []string{"--db=unix:/nonexistent/db.sock", "list-br"}, want: "govs-vsctl: unix:/nonexistent/db.sock: database connection failed (No such file or directory)\n"},
	}
	for _, tc := range tests {
		_, stderr, ee := runSelf(t, tc.args...)
		if ee == nil || ee.ExitCode() != 1 || stderr != tc.want {
			t.Errorf("%v: exit %v stderr %q, want 1 and %q", tc.args, ee, stderr, tc.want)
		}
	}
}
