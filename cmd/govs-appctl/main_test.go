package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"govs/ofproto/unixctl"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	pid := os.Getpid()
	path := unixctl.CtlFileName(dir, "govs-vswitchd", pid)
	s := unixctl.NewServer("govs-vswitchd (Open vSwitch) 3.1.0")
	s.Register("fail", "", 0, 0, func([]string) (string, error) { return "", errors.New("no such bridge") })
	l, err := unixctl.Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	if err := os.WriteFile(filepath.Join(dir, "govs-vswitchd.pid"), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OVS_RUNDIR", dir)
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"default target", []string{"version"}, exitOK, "govs-vswitchd (Open vSwitch) 3.1.0\n", ""},
		{"path target", []string{"-t", path, "version"}, exitOK, "govs-vswitchd (Open vSwitch) 3.1.0\n", ""},
		{"target=", []string{"--target=" + path, "--timeout=5", "version"}, exitOK, "govs-vswitchd (Open vSwitch) 3.1.0\n", ""},
		{"server error", []string{"fail"}, exitServerError, "", "no such bridge\ngovs-appctl: " + path + ": server returned an error\n"},
		{"unknown", []string{"foo"}, exitServerError, "", "\"foo\" is not a valid command (use \"list-commands\" to see a list of valid commands)\ngovs-appctl: " + path + ": server returned an error\n"},
		{"no command", nil, exitFailure, "", "govs-appctl: at least one non-option argument is required (use --help for help)\n"},
		{"bad option", []string{"--frob", "x"}, exitFailure, "", "govs-appctl: unrecognized option '--frob'\n"},
		{"no pidfile", []string{"-t", "nothing", "version"}, exitFailure, "", "govs-appctl: cannot read pidfile \"" + filepath.Join(dir, "nothing.pid") + "\" (No such file or directory)\n"},
		{"no socket", []string{"-t", filepath.Join(dir, "x.ctl"), "version"}, exitFailure, "", "govs-appctl: cannot connect to \"" + filepath.Join(dir, "x.ctl") + "\" (No such file or directory)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var so, se bytes.Buffer
			code := run(tt.args, &so, &se)
			if code != tt.code || so.String() != tt.stdout || se.String() != tt.stderr {
				t.Fatalf("exit %d stdout %q stderr %q", code, so.String(), se.String())
			}
		})
	}
}
