package switches

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"govs/bench/topo"
)

// logTail is how much of a daemon log goes into an error.
const logTail = 600

// ovs is real Open vSwitch with the userspace (netdev) datapath.
type ovs struct {
	name  string
	afxdp bool
	o     Options
	dir   string // run, db and log directory; "" when not started
	t     *topo.Topology
}

func newOVS(name string, afxdp bool, o Options) *ovs {
	return &ovs{name: name, afxdp: afxdp, o: o}
}

func (s *ovs) Name() string { return s.name }

func (s *ovs) env() []string {
	return []string{"OVS_RUNDIR=" + s.dir, "OVS_DBDIR=" + s.dir, "OVS_LOGDIR=" + s.dir, "OVS_SYSCONFDIR=" + s.dir}
}

func (s *ovs) db() string { return "unix:" + filepath.Join(s.dir, "db.sock") }

func (s *ovs) vsctl(ctx context.Context, args ...string) (string, error) {
	return runCmd(ctx, s.env(), "ovs-vsctl", append([]string{"--db=" + s.db(), "--timeout=20"}, args...)...)
}

func (s *ovs) Start(ctx context.Context, t *topo.Topology) error {
	s.t = t
	schema := s.o.OVSSchema
	if schema == "" {
		schema = DefaultOVSSchema
	}
	dir, err := os.MkdirTemp("", "govs-bench-ovs-")
	if err != nil {
		return err
	}
	s.dir = dir
	dbFile := filepath.Join(dir, "conf.db")
	if _, err := runCmd(ctx, s.env(), "ovsdb-tool", "create", dbFile, schema); err != nil {
		return err
	}
	if _, err := runCmd(ctx, s.env(), "ovsdb-server", dbFile,
		"--remote=punix:"+filepath.Join(dir, "db.sock"),
		"--pidfile="+filepath.Join(dir, "ovsdb-server.pid"),
		"--unixctl="+filepath.Join(dir, "ovsdb-server.ctl"),
		"--log-file="+filepath.Join(dir, "ovsdb-server.log"),
		"--detach", "--no-chdir"); err != nil {
		return err
	}
	if _, err := s.vsctl(ctx, "--no-wait", "init"); err != nil {
		return err
	}
	vswitchdLog := filepath.Join(dir, "ovs-vswitchd.log")
	// ovs-vswitchd must run in the switch namespace to see the veths.
	if _, err := runCmd(ctx, s.env(), "ip", "netns", "exec", t.Switch.Name, "ovs-vswitchd", s.db(),
		"--pidfile="+filepath.Join(dir, "ovs-vswitchd.pid"),
		"--unixctl="+filepath.Join(dir, "ovs-vswitchd.ctl"),
		"--log-file="+vswitchdLog,
		"--detach", "--no-chdir"); err != nil {
		return fmt.Errorf("%w\n%s", err, tail(vswitchdLog, logTail))
	}
	args := []string{"--", "add-br", BridgeName, "--", "set", "bridge", BridgeName, "datapath_type=netdev"}
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		args = append(args, "--", "add-port", BridgeName, dev)
		if s.afxdp {
			mode := s.o.XDPMode
			if mode == "" {
				mode = "best-effort"
			}
			args = append(args, "--", "set", "interface", dev, "type=afxdp", "options:xdp-mode="+mode)
		}
	}
	if _, err := s.vsctl(ctx, args...); err != nil {
		return err
	}
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		if err := s.waitInterface(ctx, dev); err != nil {
			return err
		}
	}
	return nil
}

// waitInterface waits until OVS gave dev an ofport, and returns the
// Interface's error column if it has one.
func (s *ovs) waitInterface(ctx context.Context, dev string) error {
	var ifErr error
	err := waitFor(ctx, readyTimeout, "ofport of "+dev, func() bool {
		out, err := s.vsctl(ctx, "--if-exists", "get", "interface", dev, "ofport", "error")
		if err != nil {
			ifErr = err
			return true
		}
		f := strings.SplitN(strings.TrimSpace(out), "\n", 2)
		if len(f) == 2 && f[1] != "[]" && f[1] != "" {
			ifErr = fmt.Errorf("interface %s: %s", dev, strings.Trim(f[1], `"`))
			return true
		}
		return len(f) >= 1 && f[0] != "[]" && f[0] != "-1" && f[0] != ""
	})
	if ifErr != nil {
		return ifErr
	}
	return err
}

func (s *ovs) mgmt() string { return filepath.Join(s.dir, BridgeName+".mgmt") }

func (s *ovs) LoadRules(ctx context.Context, file string) (time.Duration, error) {
	return loadRules(ctx, s.env(), s.mgmt(), file)
}

// loadRules times ovs-ofctl add-flows of file through the management
// socket mgmt, after deleting all flows.
func loadRules(ctx context.Context, env []string, mgmt, file string) (time.Duration, error) {
	if !exists(mgmt) {
		return 0, fmt.Errorf("no OpenFlow management socket %s", mgmt)
	}
	target := "unix:" + mgmt
	if _, err := runCmdTimeout(ctx, ruleLoadTimeout, env, "ovs-ofctl", "del-flows", target); err != nil {
		return 0, err
	}
	start := time.Now()
	if _, err := runCmdTimeout(ctx, ruleLoadTimeout, env, "ovs-ofctl", "add-flows", target, file); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

func (s *ovs) Stop() error {
	if s.dir == "" {
		return nil
	}
	var errs []error
	errs = append(errs, stopPidfile(filepath.Join(s.dir, "ovs-vswitchd.pid")))
	errs = append(errs, stopPidfile(filepath.Join(s.dir, "ovsdb-server.pid")))
	errs = append(errs, scrub(s.t))
	s.t = nil
	errs = append(errs, os.RemoveAll(s.dir))
	s.dir = ""
	return errors.Join(errs...)
}
