package switches

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"govs/bench/topo"
)

// govs is the govs-vswitchd binary with its embedded OVSDB server.
type govs struct {
	name   string // NameGovs, NameGovsAFXDP or NameGovsRef
	afxdp  bool   // ports of type afxdp (options:xdp-mode from Options.XDPMode)
	binDir string
	o      Options
	dir    string
	t      *topo.Topology
}

func newGovs(name, binDir string, o Options) *govs { return &govs{name: name, binDir: binDir, o: o} }

// newGovsAFXDP is govs with type=afxdp ports.
func newGovsAFXDP(o Options) *govs {
	return &govs{name: NameGovsAFXDP, binDir: o.BinDir, o: o, afxdp: true}
}

func (s *govs) Name() string { return s.name }

func (s *govs) env() []string { return govsEnv(s.dir) }

func govsEnv(dir string) []string {
	return []string{"OVS_RUNDIR=" + dir, "OVS_DBDIR=" + dir, "OVS_LOGDIR=" + dir}
}

func (s *govs) Start(ctx context.Context, t *topo.Topology) error {
	s.t = t
	o := s.o
	o.BinDir = s.binDir // govs-ref runs another build
	var err error
	s.dir, err = startGovsDaemon(ctx, o, t.Switch)
	if err != nil {
		return err
	}
	cmds := [][]string{{"add-br", BridgeName}}
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		add := []string{"add-port", BridgeName, dev}
		if s.afxdp {
			add = append(add, "--", "set", "interface", dev, "type=afxdp", "options:xdp-mode="+xdpMode(o))
		}
		cmds = append(cmds, add)
	}
	if err := govsVsctl(ctx, o, s.dir, cmds...); err != nil {
		return err
	}
	if s.afxdp { // an afxdp port can fail to open (no XDP support...): report it
		for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
			if err := waitInterface(ctx, s.dir, dev); err != nil {
				return err
			}
		}
	}
	return nil
}

// xdpMode is options:xdp-mode for the afxdp ports of o.
func xdpMode(o Options) string {
	if o.XDPMode == "" {
		return "best-effort"
	}
	return o.XDPMode
}

// startGovsDaemon starts govs-vswitchd inside ns with a new private run
// directory, and waits for its database socket. It returns the directory
// also on error (when one was made), for stopGovs.
func startGovsDaemon(ctx context.Context, o Options, ns *topo.NS) (string, error) {
	for _, b := range []string{"govs-vswitchd", "govs-vsctl"} {
		if !exists(filepath.Join(o.BinDir, b)) {
			return "", fmt.Errorf("%s not found (run make build)", filepath.Join(o.BinDir, b))
		}
	}
	dir, err := os.MkdirTemp("", "govs-bench-govs-")
	if err != nil {
		return "", err
	}
	logFile := filepath.Join(dir, "govs-vswitchd.log")
	workers := max(o.Workers, 1)
	if _, err := runCmd(ctx, govsEnv(dir), "ip", "netns", "exec", ns.Name, filepath.Join(o.BinDir, "govs-vswitchd"),
		"--rundir="+dir, "--dbdir="+dir, "--pidfile="+filepath.Join(dir, "govs-vswitchd.pid"),
		"--log-file="+logFile, "--metrics-addr=", fmt.Sprintf("--workers=%d", workers), "--detach"); err != nil {
		return dir, fmt.Errorf("%w\n%s", err, tail(logFile, logTail))
	}
	sock := filepath.Join(dir, "db.sock")
	if err := waitFor(ctx, readyTimeout, sock, func() bool { return exists(sock) }); err != nil {
		return dir, fmt.Errorf("%w\n%s", err, tail(logFile, logTail))
	}
	return dir, nil
}

// govsVsctl runs govs-vsctl once per argument list against the daemon
// in dir; an error carries the end of the daemon's log.
func govsVsctl(ctx context.Context, o Options, dir string, cmds ...[]string) error {
	db := "--db=unix:" + filepath.Join(dir, "db.sock")
	for _, args := range cmds {
		if _, err := runCmd(ctx, govsEnv(dir), filepath.Join(o.BinDir, "govs-vsctl"), append([]string{db}, args...)...); err != nil {
			return fmt.Errorf("%w\n%s", err, tail(filepath.Join(dir, "govs-vswitchd.log"), logTail))
		}
	}
	return nil
}

// stopGovs stops the daemon of dir and removes dir ("" is a no-op).
func stopGovs(dir string) error {
	if dir == "" {
		return nil
	}
	return errors.Join(stopPidfile(filepath.Join(dir, "govs-vswitchd.pid")), os.RemoveAll(dir))
}

func (s *govs) LoadRules(ctx context.Context, file string) (time.Duration, error) {
	return loadRules(ctx, s.env(), filepath.Join(s.dir, BridgeName+".mgmt"), file)
}

func (s *govs) Stop() error {
	if s.dir == "" {
		return nil
	}
	err := errors.Join(stopGovs(s.dir), scrub(s.t))
	s.dir, s.t = "", nil
	return err
}

// PIDs implements Processor.
func (s *govs) PIDs() []int {
	if s.dir == "" {
		return nil
	}
	pid, err := readPid(filepath.Join(s.dir, "govs-vswitchd.pid"))
	if err != nil {
		return nil
	}
	return []int{pid}
}
