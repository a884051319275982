package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"govs/datapath"
	"govs/ofproto/reconcile"
	"govs/ofproto/unixctl"
	"govs/ovsdb/client"
	"govs/ovsdb/db"
	"govs/ovsdb/schema"
	"govs/ovsdb/server"
	"govs/ovsdb/storage"
)

const (
	// dbSockName is the embedded server's socket in rundir.
	dbSockName = "db.sock"
	// dirPerm and filePerm are the modes of directories and files we create.
	dirPerm  = 0o755
	filePerm = 0o644
	// versionText is what `version` replies.
	versionText = programName + " (Open vSwitch) " + reconcile.OVSVersion
	// initTimeout bounds the embedded database initialisation.
	initTimeout = 10 * time.Second
)

// daemon is one running govs-vswitchd.
type daemon struct {
	cfg    *Config
	vlog   *vlog
	log    *slog.Logger
	cancel context.CancelFunc
	rec    *reconcile.Reconciler
	// metrics registers per-bridge collectors (nil when disabled).
	metrics *metrics
	// ready is closed once the daemon serves (for --detach).
	ready func()
	// ofb are the bridges' OpenFlow servers.
	ofb ofBridges
}

// cleanups run in reverse order at shutdown.
type cleanups struct {
	mu  sync.Mutex
	fns []func()
}

func (c *cleanups) add(fn func()) {
	c.mu.Lock()
	c.fns = append(c.fns, fn)
	c.mu.Unlock()
}

func (c *cleanups) run() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.fns) - 1; i >= 0; i-- {
		c.fns[i]()
	}
	c.fns = nil
}

// Run runs govs-vswitchd until ctx is done or the "exit" command, then
// shuts down cleanly: bridges and ports closed (TAP devices removed),
// database flushed, sockets and pidfile removed. console receives the
// console log (nil: none). ready, if not nil, is called once serving.
func Run(ctx context.Context, cfg *Config, console io.Writer, ready func()) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var cl cleanups
	defer cl.run()

	var logFile *os.File
	if cfg.LogFile != "" {
		if err := os.MkdirAll(filepath.Dir(cfg.LogFile), dirPerm); err != nil {
			return err
		}
		f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, filePerm)
		if err != nil {
			return fmt.Errorf("could not open log file %s: %w", cfg.LogFile, err)
		}
		logFile = f
	}
	var fileW io.Writer
	if logFile != nil {
		fileW = logFile
	}
	v := newVlog(console, fileW)
	cl.add(func() {
		if c := v.setFile(nil); c != nil {
			_ = c.Close()
		}
	})
	for _, spec := range cfg.Verbose {
		if err := v.set(spec); err != nil {
			return err
		}
	}
	d := &daemon{cfg: cfg, vlog: v, log: v.logger("vswitchd"), cancel: cancel, ready: ready}

	if err := os.MkdirAll(cfg.Rundir, dirPerm); err != nil {
		return err
	}
	if cfg.Pidfile != "" {
		if err := os.MkdirAll(filepath.Dir(cfg.Pidfile), dirPerm); err != nil {
			return err
		}
		pf, err := createPidfile(cfg.Pidfile)
		if err != nil {
			return err
		}
		cl.add(func() {
			_ = os.Remove(cfg.Pidfile)
			_ = pf.Close()
		})
	}

	dial, err := d.openDatabase(ctx, &cl)
	if err != nil {
		return err
	}

	if cfg.MetricsAddr != "" {
		m, err := startMetrics(cfg.MetricsAddr, v.logger("metrics"))
		if err != nil {
			return err
		}
		d.metrics = m
		cl.add(m.close)
	}

	rec, err := reconcile.New(reconcile.Config{
		Dial:                dial,
		Datapath:            datapath.Config{Workers: cfg.Workers},
		Logger:              v.logger("reconcile"),
		OnBridge:            d.onBridge,
		OnControllers:       d.onControllers,
		ControllerConnected: d.controllerConnected,
	})
	if err != nil {
		return err
	}
	d.rec = rec
	recDone := make(chan struct{})
	recCtx, recCancel := context.WithCancel(context.Background())
	go func() { _ = rec.Run(recCtx); close(recDone) }()
	cl.add(func() {
		recCancel()
		<-recDone
		rec.Close()
		d.stopAllOpenFlow()
	})

	removeStaleCtl(cfg.Rundir, d.log)
	ctl := unixctl.NewServer(versionText)
	d.registerCommands(ctl)
	ctlPath := unixctl.CtlFileName(cfg.Rundir, programName, os.Getpid())
	l, err := unixctl.Listen(ctlPath)
	if err != nil {
		return fmt.Errorf("could not listen on %s: %w", ctlPath, err)
	}
	go func() { _ = ctl.Serve(l) }()
	cl.add(func() { _ = ctl.Close() })

	d.log.Info("govs-vswitchd started", "version", reconcile.OVSVersion, "rundir", cfg.Rundir, "db", dbDesc(cfg), "pid", os.Getpid())
	if ready != nil {
		ready()
	}
	<-ctx.Done()
	d.log.Info("govs-vswitchd exiting")
	return nil
}

func dbDesc(cfg *Config) string {
	if cfg.DB != "" {
		return cfg.DB
	}
	return "embedded:" + filepath.Join(cfg.DBDir, storage.FileName)
}

// openDatabase starts the embedded server (or prepares the external
// remote) and returns the reconciler's Dial.
func (d *daemon) openDatabase(ctx context.Context, cl *cleanups) (func(context.Context) (*client.Client, error), error) {
	if d.cfg.DB != "" {
		if !strings.HasPrefix(d.cfg.DB, "unix:") && !strings.HasPrefix(d.cfg.DB, "tcp:") {
			return nil, fmt.Errorf("%s: unsupported database remote (use unix:FILE or tcp:IP:PORT)", d.cfg.DB)
		}
		return reconcile.RemoteDial(d.cfg.DB), nil
	}
	if err := os.MkdirAll(d.cfg.DBDir, dirPerm); err != nil {
		return nil, err
	}
	lf, err := lockDBDir(d.cfg.DBDir, storage.FileName)
	if err != nil {
		return nil, err
	}
	if lf != nil {
		cl.add(func() { _ = lf.Close() })
	}
	vdb := db.New(schema.Vswitch())
	olog := d.vlog.logger("ovsdb")
	log, err := storage.Open(d.cfg.DBDir, vdb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(d.cfg.DBDir, storage.FileName), err)
	}
	cl.add(func() {
		if err := log.Close(); err != nil {
			olog.Warn("closing database", "err", err)
		}
	})
	if err := initDatabase(ctx, vdb); err != nil {
		return nil, err
	}
	srv := server.New(vdb)
	cl.add(func() { _ = srv.Close() })
	sock := filepath.Join(d.cfg.Rundir, dbSockName)
	l, err := server.Listen("punix:" + sock)
	if err != nil {
		return nil, fmt.Errorf("could not listen on punix:%s: %w", sock, err)
	}
	cl.add(func() { _ = os.Remove(sock) })
	go func() { _ = srv.Serve(l) }()
	pl := reconcile.NewPipeListener()
	go func() { _ = srv.Serve(pl) }()
	olog.Info("embedded OVSDB server", "socket", "punix:"+sock, "file", filepath.Join(d.cfg.DBDir, storage.FileName))
	return pl.Dial, nil
}

// initDatabase does, for the embedded database, what OVS's ovs-ctl does
// for its ovsdb-server on every start: `ovs-vsctl init` (insert the
// Open_vSwitch row if the table is empty), then set db_version (the
// schema's), ovs_version (dbOVSVersion), system_type and system_version
// (ID and VERSION_ID of /etc/os-release, else "unknown", as ovs-ctl).
// ovs-vswitchd itself writes none of these, so with --db (the host's
// ovsdb-server, started by ovs-ctl) govs leaves them to ovs-ctl.
func initDatabase(ctx context.Context, vdb *db.DB) error {
	ctx, cancel := context.WithTimeout(ctx, initTimeout)
	defer cancel()
	var ops []any
	if len(vdb.Rows("Open_vSwitch")) == 0 {
		ops = append(ops, map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{}})
	}
	row := map[string]any{"db_version": schema.Vswitch().Version, "ovs_version": dbOVSVersion}
	// ovs-ctl sets each only when it has a value.
	sysType, sysVersion := systemIDs(osReleaseFile)
	if sysType != "" {
		row["system_type"] = sysType
	}
	if sysVersion != "" {
		row["system_version"] = sysVersion
	}
	ops = append(ops, map[string]any{"op": "update", "table": "Open_vSwitch", "where": []any{}, "row": row})
	res := vdb.Transact(ctx, nil, ops)
	if len(res) < len(ops) {
		return fmt.Errorf("initialising database: %v", res)
	}
	for _, r := range res {
		if m, ok := r.(map[string]any); ok && m["error"] != nil {
			return fmt.Errorf("initialising database: %v: %v", m["error"], m["details"])
		}
	}
	return nil
}

// dbOVSVersion is what govs-vswitchd writes to Open_vSwitch.ovs_version
// in embedded mode (ovs-ctl writes OVS's version there; `ovs-vsctl show`
// prints it as its last line). It says both what govs behaves as (OVS
// reconcile.OVSVersion) and that it is not OVS: "+govs" is semantic-
// versioning build metadata, so scripts that compare versions see 3.1.0
// while a human reading `ovs-vsctl show` sees govs.
const dbOVSVersion = reconcile.OVSVersion + "+govs"

// osReleaseFile is where ovs-ctl reads the system type and version.
const osReleaseFile = "/etc/os-release"

// systemIDs returns ID and VERSION_ID from an os-release file, or
// "unknown" for both when the file has no ID, as ovs-ctl.
func systemIDs(path string) (typ, version string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "unknown", "unknown"
	}
	vals := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		} else {
			v = strings.Trim(v, "'")
		}
		vals[k] = v
	}
	if vals["ID"] == "" {
		return "unknown", "unknown"
	}
	return vals["ID"], vals["VERSION_ID"]
}

// processAlive reports whether pid exists (signal 0).
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// removeStaleCtl deletes <rundir>/govs-vswitchd.<pid>.ctl sockets of
// processes that no longer exist (left by kill -9).
func removeStaleCtl(rundir string, log *slog.Logger) {
	matches, _ := filepath.Glob(filepath.Join(rundir, programName+".*.ctl"))
	for _, m := range matches {
		pidStr := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), programName+"."), ".ctl")
		pid, err := strconv.Atoi(pidStr)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		if err := os.Remove(m); err == nil {
			log.Info("removed stale control socket", "path", m)
		}
	}
}
