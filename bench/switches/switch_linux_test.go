package switches

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"govs/bench/topo"
	"govs/datapath"
	"govs/datapath/flow"
)

func TestCrossConnect(t *testing.T) {
	tests := []struct {
		name string
		in   flow.PortNo
		out  flow.PortNo
		ok   bool
	}{
		{"gen to sink", dpPortGen, dpPortSink, true},
		{"sink to gen", dpPortSink, dpPortGen, true},
		{"unknown port", 7, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k, m flow.Key
			k.SetInPort(tt.in)
			var acts datapath.Actions
			err := crossConnect{}.Upcall(&k, &m, &acts)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v", err)
			}
			if !tt.ok {
				return
			}
			if !acts.Equal(datapath.Actions{datapath.Output(tt.out)}) {
				t.Fatalf("actions %v", acts)
			}
			if m.EthSrc() != allOnesMAC || m.EthDst() != allOnesMAC {
				t.Fatalf("mask does not match both MACs: %v %v", m.EthSrc(), m.EthDst())
			}
		})
	}
}

func TestPidfiles(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Skip("no sleep binary:", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }() // reap it, as init would
	pidfile := filepath.Join(dir, "p.pid")
	if err := os.WriteFile(pidfile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !alive(cmd.Process.Pid) {
		t.Fatal("sleep not alive")
	}
	if err := stopPidfile(pidfile); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(daemonStopTimeout):
		t.Fatal("sleep still running")
	}
	if err := stopPidfile(filepath.Join(dir, "missing.pid")); err != nil {
		t.Fatalf("missing pidfile: %v", err)
	}
	bad := filepath.Join(dir, "bad.pid")
	for _, content := range []string{"x", "1", "-5", ""} {
		os.WriteFile(bad, []byte(content), 0o644)
		if err := stopPidfile(bad); err == nil {
			t.Errorf("pidfile %q accepted", content)
		}
	}
}

func TestWaitFor(t *testing.T) {
	n := 0
	if err := waitFor(context.Background(), time.Second, "x", func() bool { n++; return n > 2 }); err != nil {
		t.Fatal(err)
	}
	err := waitFor(context.Background(), 2*pollInterval, "never", func() bool { return false })
	if err == nil || !strings.Contains(err.Error(), "never") {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := waitFor(ctx, time.Second, "x", func() bool { return false }); err == nil {
		t.Fatal("cancelled wait succeeded")
	}
}

func TestBridgeStartStop(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipping: ip not found")
	}
	tp, err := topo.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tp.Close() })
	b, _ := New(NameBridge, Options{})
	if err := b.Start(context.Background(), tp); err != nil {
		t.Fatal(err)
	}
	out, err := tp.Switch.Run("ip", "link", "show", "master", BridgeName)
	if err != nil || !strings.Contains(out, tp.SwGenDev) || !strings.Contains(out, tp.SwSinkDev) {
		t.Fatalf("bridge ports: %v %s", err, out)
	}
	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := tp.Switch.Run("ip", "link", "show", BridgeName); err == nil {
		t.Fatal("bridge left behind")
	}
}

func TestGovsMissingBinary(t *testing.T) {
	s, _ := New(NameGovs, Options{BinDir: t.TempDir()})
	err := s.Start(context.Background(), &topo.Topology{})
	if err == nil || !strings.Contains(err.Error(), "govs-vswitchd not found") {
		t.Fatalf("err = %v", err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
}

// TestScrub leaves a stale br0 tap (as a killed OVS netdev datapath does) and checks that scrub removes it and that
// the Linux bridge can then start.
func TestScrub(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs root for network namespaces")
	}
	tp, err := topo.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tp.Close() })
	if _, err := tp.Switch.Run("ip", "tuntap", "add", "dev", BridgeName, "mode", "tap"); err != nil {
		t.Fatal(err)
	}
	if err := scrub(tp); err != nil {
		t.Fatal(err)
	}
	if err := scrub(tp); err != nil {
		t.Fatalf("second scrub: %v", err)
	}
	b, _ := New(NameBridge, Options{})
	if err := b.Start(context.Background(), tp); err != nil {
		t.Fatal(err)
	}
	if err := b.Stop(); err != nil {
		t.Fatal(err)
	}
}
