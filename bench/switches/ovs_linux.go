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

func (s *ovs) env() []string { return ovsEnv(s.dir) }

func ovsEnv(dir string) []string {
	return []string{"OVS_RUNDIR=" + dir, "OVS_DBDIR=" + dir, "OVS_LOGDIR=" + dir, "OVS_SYSCONFDIR=" + dir}
}

func (s *ovs) vsctl(ctx context.Context, args ...string) (string, error) {
	return ovsVsctl(ctx, s.dir, args...)
}

// ovsVsctl runs ovs-vsctl against the ovsdb-server of dir.
func ovsVsctl(ctx context.Context, dir string, args ...string) (string, error) {
	return runCmd(ctx, ovsEnv(dir), "ovs-vsctl", append([]string{"--db=unix:" + filepath.Join(dir, "db.sock"), "--timeout=20"}, args...)...)
}

func (s *ovs) Start(ctx context.Context, t *topo.Topology) error {
	s.t = t
	var err error
	if s.dir, err = startOVSDaemons(ctx, s.o, t.Switch); err != nil {
		return err
	}
	args := []string{"--", "add-br", BridgeName, "--", "set", "bridge", BridgeName, "datapath_type=netdev"}
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		args = append(args, "--", "add-port", BridgeName, dev)
		if s.afxdp {
			args = append(args, "--", "set", "interface", dev, "type=afxdp", "options:xdp-mode="+xdpMode(s.o))
		}
	}
	if _, err := s.vsctl(ctx, args...); err != nil {
		return err
	}
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		if err := waitInterface(ctx, s.dir, dev); err != nil {
			return err
		}
	}
	return nil
}

// startOVSDaemons creates a database in a new private directory and
// starts ovsdb-server and ovs-vswitchd (the latter inside ns, to see its
// devices). It returns the directory also on error (when one was made),
// for stopOVS.
func startOVSDaemons(ctx context.Context, o Options, ns *topo.NS) (string, error) {
	schema := o.OVSSchema
	if schema == "" {
		schema = DefaultOVSSchema
	}
	dir, err := os.MkdirTemp("", "govs-bench-ovs-")
	if err != nil {
		return "", err
	}
	env := ovsEnv(dir)
	dbFile := filepath.Join(dir, "conf.db")
	if _, err := runCmd(ctx, env, "ovsdb-tool", "create", dbFile, schema); err != nil {
		return dir, err
	}
	db := "unix:" + filepath.Join(dir, "db.sock")
	if _, err := runCmd(ctx, env, "ovsdb-server", dbFile,
		"--remote=p"+db,
		"--pidfile="+filepath.Join(dir, "ovsdb-server.pid"),
		"--unixctl="+filepath.Join(dir, "ovsdb-server.ctl"),
		"--log-file="+filepath.Join(dir, "ovsdb-server.log"),
		"--detach", "--no-chdir"); err != nil {
		return dir, err
	}
	if _, err := ovsVsctl(ctx, dir, "--no-wait", "init"); err != nil {
		return dir, err
	}
	vswitchdLog := filepath.Join(dir, "ovs-vswitchd.log")
	if _, err := runCmd(ctx, env, "ip", "netns", "exec", ns.Name, "ovs-vswitchd", db,
		"--pidfile="+filepath.Join(dir, "ovs-vswitchd.pid"),
		"--unixctl="+filepath.Join(dir, "ovs-vswitchd.ctl"),
		"--log-file="+vswitchdLog,
		"--detach", "--no-chdir"); err != nil {
		return dir, fmt.Errorf("%w\n%s", err, tail(vswitchdLog, logTail))
	}
	return dir, nil
}

// stopOVS stops the daemons of dir and removes dir ("" is a no-op).
func stopOVS(dir string) error {
	if dir == "" {
		return nil
	}
	return errors.Join(
		stopPidfile(filepath.Join(dir, "ovs-vswitchd.pid")),
		stopPidfile(filepath.Join(dir, "ovsdb-server.pid")),
		os.RemoveAll(dir))
}

// waitInterface waits until the OVS of dir gave dev an ofport, and
// returns the Interface's error column if it has one.
func waitInterface(ctx context.Context, dir, dev string) error {
	var ifErr error
	err := waitFor(ctx, readyTimeout, "ofport of "+dev, func() bool {
		out, err := ovsVsctl(ctx, dir, "--if-exists", "get", "interface", dev, "ofport", "error")
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

// PIDs implements Processor.
func (s *ovs) PIDs() []int {
	if s.dir == "" {
		return nil
	}
	pid, err := readPid(filepath.Join(s.dir, "ovs-vswitchd.pid"))
	if err != nil {
		return nil
	}
	return []int{pid}
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
	err := errors.Join(stopOVS(s.dir), scrub(s.t))
	s.t, s.dir = nil, ""
	return err
}
