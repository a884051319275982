package unixctl

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testVersion = "govs-vswitchd (govs) 3.1.0"

// startServer serves a test server on a socket in a temp dir.
func startServer(t *testing.T) (*Server, string) {
	t.Helper()
	s := NewServer(testVersion)
	s.Register("echo/args", "[arg...]", 0, Unlimited, func(a []string) (string, error) {
		return strings.Join(a, ","), nil
	})
	s.Register("fail", "", 0, 0, func([]string) (string, error) { return "", errors.New("no such bridge") })
	s.Register("two", "a b", 2, 2, func(a []string) (string, error) { return a[0] + a[1], nil })
	path := filepath.Join(t.TempDir(), "t.ctl")
	l, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func TestRunErrors(t *testing.T) {
	s, _ := startServer(t)
	tests := []struct {
		name   string
		method string
		args   []string
		want   string
		failed bool
	}{
		{"version", "version", nil, testVersion + "\n", false},
		{"unknown", "foo", nil, "\"foo\" is not a valid command (use \"list-commands\" to see a list of valid commands)\n", true},
		{"too many", "version", []string{"x"}, "\"version\" command takes at most 0 arguments\n", true},
		{"too few", "two", []string{"x"}, "\"two\" command requires at least 2 arguments\n", true},
		{"handler error", "fail", nil, "no such bridge\n", true},
		{"empty body", "echo/args", nil, "", false},
		{"args", "echo/args", []string{"a", "b"}, "a,b\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failed := s.Run(tt.method, tt.args)
			if got != tt.want || failed != tt.failed {
				t.Fatalf("Run(%s) = %q,%v want %q,%v", tt.method, got, failed, tt.want, tt.failed)
			}
		})
	}
}

func TestListCommands(t *testing.T) {
	s, _ := startServer(t)
	got, _ := s.Run("list-commands", nil)
	if !strings.HasPrefix(got, "The available commands are:\n") {
		t.Fatalf("got %q", got)
	}
	if !strings.Contains(got, "  echo/args               [arg...]\n") {
		t.Fatalf("usage column wrong: %q", got)
	}
}

func TestClientServer(t *testing.T) {
	_, path := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Several requests on one connection, answered in order.
	for i := 0; i < 3; i++ {
		r, err := c.Call(ctx, "echo/args", []string{"x", "y"})
		if err != nil || r.Failed || r.Result != "x,y\n" {
			t.Fatalf("call %d: %+v %v", i, r, err)
		}
	}
	r, err := c.Call(ctx, "foo", nil)
	if err != nil || !r.Failed || !strings.HasPrefix(r.Error, "\"foo\" is not a valid command") {
		t.Fatalf("unknown: %+v %v", r, err)
	}
}

func TestNonStringParam(t *testing.T) {
	s, _ := startServer(t)
	out, _ := s.handle([]byte(`{"id":7,"method":"version","params":[1]}`))
	rep, err := DecodeReply(out)
	if err != nil || !rep.Failed || rep.Error != "command has non-string argument: 1\n" {
		t.Fatalf("%s %+v %v", out, rep, err)
	}
	if !strings.HasPrefix(string(out), `{"id":7,`) {
		t.Fatalf("id not echoed: %s", out)
	}
	if out, _ := s.handle([]byte(`[1,2]`)); out != nil {
		t.Fatal("non-request got a reply")
	}
}

func TestResolveTarget(t *testing.T) {
	dir := t.TempDir()
	if p, err := ResolveTarget(dir, "/x/y.ctl"); err != nil || p != "/x/y.ctl" {
		t.Fatal(p, err)
	}
	if _, err := ResolveTarget(dir, "nope"); err == nil || !strings.Contains(err.Error(), "cannot read pidfile") {
		t.Fatal(err)
	}
}

// TestRealOVSAppctl checks that the real ovs-appctl talks to our server.
func TestRealOVSAppctl(t *testing.T) {
	bin, err := exec.LookPath("ovs-appctl")
	if err != nil {
		t.Skip("ovs-appctl not installed")
	}
	_, path := startServer(t)
	tests := []struct {
		name     string
		args     []string
		stdout   string
		exitCode int
		stderr   string
	}{
		{"version", []string{"version"}, testVersion + "\n", 0, ""},
		{"list-commands", []string{"list-commands"}, "The available commands are:\n", 0, ""},
		{"unknown", []string{"foo"}, "", 2, "\"foo\" is not a valid command"},
		{"args", []string{"echo/args", "p", "q"}, "p,q\n", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, append([]string{"-t", path}, tt.args...)...)
			var so, se strings.Builder
			cmd.Stdout, cmd.Stderr = &so, &se
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.exitCode || !strings.HasPrefix(so.String(), tt.stdout) || !strings.Contains(se.String(), tt.stderr) {
				t.Fatalf("exit %d stdout %q stderr %q", code, so.String(), se.String())
			}
		})
	}
}
