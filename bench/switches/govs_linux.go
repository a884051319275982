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
	o   Options
	dir string
	t   *topo.Topology
}

func newGovs(o Options) *govs { return &govs{o: o} }

func (s *govs) Name() string { return NameGovs }

func (s *govs) bin(name string) string { return filepath.Join(s.o.BinDir, name) }

func (s *govs) env() []string {
	return []string{"OVS_RUNDIR=" + s.dir, "OVS_DBDIR=" + s.dir, "OVS_LOGDIR=" + s.dir}
}

func (s *govs) Start(ctx context.Context, t *topo.Topology) error {
	for _, b := range []string{"govs-vswitchd", "govs-vsctl"} {
		if !exists(s.bin(b)) {
			return fmt.Errorf("%s not found (run make build)", s.bin(b))
		}
	}
	dir, err := os.MkdirTemp("", "govs-bench-govs-")
	if err != nil {
		return err
	}
	s.dir, s.t = dir, t
	logFile := filepath.Join(dir, "govs-vswitchd.log")
	workers := max(s.o.Workers, 1)
	if _, err := runCmd(ctx, s.env(), "ip", "netns", "exec", t.Switch.Name, s.bin("govs-vswitchd"),
		"--rundir="+dir, "--dbdir="+dir, "--pidfile="+filepath.Join(dir, "govs-vswitchd.pid"),
		"--log-file="+logFile, "--metrics-addr=", fmt.Sprintf("--workers=%d", workers), "--detach"); err != nil {
		return fmt.Errorf("%w\n%s", err, tail(logFile, logTail))
	}
	sock := filepath.Join(dir, "db.sock")
	if err := waitFor(ctx, readyTimeout, sock, func() bool { return exists(sock) }); err != nil {
		return fmt.Errorf("%w\n%s", err, tail(logFile, logTail))
	}
	db := "--db=unix:" + sock
	for _, args := range [][]string{
		{db, "add-br", BridgeName},
		{db, "add-port", BridgeName, t.SwGenDev},
		{db, "add-port", BridgeName, t.SwSinkDev},
	} {
		if _, err := runCmd(ctx, s.env(), s.bin("govs-vsctl"), args...); err != nil {
			return fmt.Errorf("%w\n%s", err, tail(logFile, logTail))
		}
	}
	return nil
}

func (s *govs) LoadRules(ctx context.Context, file string) (time.Duration, error) {
	return loadRules(ctx, s.env(), filepath.Join(s.dir, BridgeName+".mgmt"), file)
}

func (s *govs) Stop() error {
	if s.dir == "" {
		return nil
	}
	err := stopPidfile(filepath.Join(s.dir, "govs-vswitchd.pid"))
	err = errors.Join(err, scrub(s.t), os.RemoveAll(s.dir))
	s.dir, s.t = "", nil
	return err
}
