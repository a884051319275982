package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	t.Setenv("OVS_RUNDIR", "/r")
	t.Setenv("OVS_DBDIR", "/d")
	t.Setenv("OVS_LOGDIR", "/l")
	tests := []struct {
		name string
		args []string
		want Config
		err  string
	}{
		{"defaults", nil, Config{Rundir: "/r", DBDir: "/d", MetricsAddr: defaultMetricsAddr}, ""},
		{"pidfile default", []string{"--pidfile", "--log-file"}, Config{Rundir: "/r", DBDir: "/d", MetricsAddr: defaultMetricsAddr, Pidfile: "/r/govs-vswitchd.pid", LogFile: "/l/govs-vswitchd.log"}, ""},
		{"pidfile relative", []string{"--rundir=/x", "--pidfile=p.pid"}, Config{Rundir: "/x", DBDir: "/d", MetricsAddr: defaultMetricsAddr, Pidfile: "/x/p.pid"}, ""},
		{"positional db", []string{"unix:/s", "--workers", "2", "--metrics-addr="}, Config{Rundir: "/r", DBDir: "/d", DB: "unix:/s", Workers: 2}, ""},
		{"verbose", []string{"-v", "-vreconcile:file:dbg", "--verbose=warn"}, Config{Rundir: "/r", DBDir: "/d", MetricsAddr: defaultMetricsAddr, Verbose: []string{"dbg", "reconcile:file:dbg", "warn"}}, ""},
		{"bad workers", []string{"--workers=0"}, Config{}, "--workers"},
		{"unknown", []string{"--frob"}, Config{}, "unrecognized option"},
		{"missing value", []string{"--db"}, Config{}, "requires an argument"},
		{"two dbs", []string{"unix:/a", "unix:/b"}, Config{}, "non-option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFlags(tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Rundir != tt.want.Rundir || got.DBDir != tt.want.DBDir || got.DB != tt.want.DB || got.Pidfile != tt.want.Pidfile ||
				got.LogFile != tt.want.LogFile || got.MetricsAddr != tt.want.MetricsAddr || got.Workers != tt.want.Workers ||
				strings.Join(got.Verbose, "|") != strings.Join(tt.want.Verbose, "|") {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestVlog(t *testing.T) {
	var console, file bytes.Buffer
	v := newVlog(&console, &file)
	log := v.logger("reconcile")
	log.Debug("hidden")
	log.Info("shown", "k", 1)
	if strings.Contains(file.String(), "hidden") || !strings.Contains(file.String(), "|reconcile|INFO|shown k=1\n") {
		t.Fatalf("file log %q", file.String())
	}
	if err := v.set("reconcile:file:dbg"); err != nil {
		t.Fatal(err)
	}
	log.Debug("now shown")
	if !strings.Contains(file.String(), "|reconcile|DBG|now shown") || strings.Contains(console.String(), "now shown") {
		t.Fatalf("file %q console %q", file.String(), console.String())
	}
	if err := v.set("bogus"); err == nil || err.Error() != `no destination, level, or module "bogus"` {
		t.Fatal(err)
	}
	list := v.list()
	if !strings.Contains(list, "reconcile         INFO       INFO        DBG\n") {
		t.Fatalf("list:\n%s", list)
	}
	if err := v.set("ANY:console:off"); err != nil {
		t.Fatal(err)
	}
	log.Warn("file only")
	if strings.Contains(console.String(), "file only") {
		t.Fatal("console not off")
	}
}

func FuzzParseFlags(f *testing.F) {
	for _, s := range []string{"--pidfile", "--db=unix:/x", "-vdbg", "--workers=3", "--pidfile=a b", "--", "-", "x y z", "--verbose"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := parseFlags(strings.Fields(s))
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
	})
}

func FuzzVlogSet(f *testing.F) {
	for _, s := range []string{"dbg", "reconcile:file:warn", "ANY:ANY:off", "bogus", "::", "console,info"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := newVlog(nil, nil)
		_ = v.set(s)
		_ = v.list()
	})
}
