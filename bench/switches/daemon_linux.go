package switches

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// cmdTimeout bounds every external command but the rule load.
	cmdTimeout = 30 * time.Second
	// ruleLoadTimeout bounds one ovs-ofctl add-flows (100 000 rules take
	// tens of seconds on a loaded 2-core host).
	ruleLoadTimeout = 10 * time.Minute
	// daemonStopTimeout is how long a daemon gets to exit on SIGTERM.
	daemonStopTimeout = 5 * time.Second
	// readyTimeout bounds waiting for a socket or an interface to appear.
	readyTimeout = 15 * time.Second
	pollInterval = 50 * time.Millisecond
)

// runCmd runs cmd with cmdTimeout (or ctx's deadline) and returns its
// combined output; the error includes the command and its output.
func runCmd(ctx context.Context, env []string, name string, args ...string) (string, error) {
	return runCmdTimeout(ctx, cmdTimeout, env, name, args...)
}

// runCmdTimeout is runCmd with its own timeout.
func runCmdTimeout(ctx context.Context, timeout time.Duration, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// waitFor polls cond until it returns true, ctx ends or timeout passes.
func waitFor(ctx context.Context, timeout time.Duration, what string, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v waiting for %s", timeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
		}
	}
	return nil
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// readPid reads a pidfile.
func readPid(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return 0, fmt.Errorf("pidfile %s: bad pid %q", path, b)
	}
	return pid, nil
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// State is the field after the ")" that closes the command name.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// stopPidfile stops the daemon whose pid is in path: SIGTERM, then
// SIGKILL after daemonStopTimeout. A missing pidfile is not an error.
func stopPidfile(path string) error {
	pid, err := readPid(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return stopPid(pid)
}

func stopPid(pid int) error {
	if !alive(pid) {
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	if waitFor(context.Background(), daemonStopTimeout, "exit", func() bool { return !alive(pid) }) == nil {
		return nil
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	if err := waitFor(context.Background(), daemonStopTimeout, "exit after SIGKILL", func() bool { return !alive(pid) }); err != nil {
		return fmt.Errorf("pid %d: %w", pid, err)
	}
	return nil
}

// tail returns the last n bytes of a log file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
