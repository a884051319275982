package reconcile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath"
	"govs/ofproto/bridge"
	"govs/ovsdb/client"
	"govs/ovsdb/schema"
)

// Defaults and names.
const (
	// DBName is the database govs-vswitchd configures itself from.
	DBName = "Open_vSwitch"
	// LockName is the OVSDB lock ovs-vswitchd holds (bridge.c bridge_init).
	LockName = "ovs_vswitchd"
	// DefaultStatsInterval is other_config:stats-update-interval's
	// default (and minimum), 5000 ms.
	DefaultStatsInterval = 5 * time.Second
	// DefaultRetryInterval is the pause before reconnecting or retrying
	// a failed write-back.
	DefaultRetryInterval = time.Second
	// txnTimeout bounds one write-back transaction.
	txnTimeout = 10 * time.Second
	// monitorID names our monitor.
	monitorID = "govs-vswitchd"
)

// monitoredTables are the tables whose rows drive reconfiguration (all
// columns).
var monitoredTables = []string{tblOpenVSwitch, tblBridge, tblPort, tblInterface, tblController}

// Config configures a Reconciler.
type Config struct {
	// Dial connects to the OVSDB server: client.Dial for an external
	// server, or an in-process connection to the embedded one. Both go
	// through the same code path.
	Dial func(ctx context.Context) (*client.Client, error)
	// Opener opens system, internal and tap devices (SystemOpener{} if nil).
	Opener Opener
	// Datapath configures every bridge's datapath (workers...).
	Datapath datapath.Config
	// Logger receives reconfiguration logs (slog.Default() if nil).
	Logger *slog.Logger
	// StatsInterval is how often Interface statistics are written and
	// failed interfaces retried (DefaultStatsInterval if 0).
	StatsInterval time.Duration
	// RetryInterval is the reconnect/retry pause (DefaultRetryInterval if 0).
	RetryInterval time.Duration
	// OnBridge, if set, is called on the Run goroutine after a bridge is
	// created (added=true) and before one is closed (metrics registration).
	OnBridge func(name string, br *bridge.Bridge, added bool)
	// OnControllers, if set, is called on the Run goroutine when a live
	// bridge's controller targets (Bridge.controller → Controller.target,
	// sorted) or their largest inactivity probe (DefaultProbeInterval if
	// none is larger) change, also after OnBridge for a new bridge that
	// has controllers. The daemon connects and listens accordingly.
	OnControllers func(name string, br *bridge.Bridge, targets []string, probe time.Duration)
	// ControllerConnected, if set, reports whether bridge's controller
	// target is connected; it is written to Controller.is_connected.
	ControllerConnected func(bridge, target string) bool
}

// Reconciler keeps bridges and ports equal to the database.
type Reconciler struct {
	cfg Config
	log *slog.Logger

	// mu guards eng.bridges for readers (Bridge, BridgeNames); the
	// engine itself runs only on the Run goroutine.
	mu     sync.Mutex
	eng    *engine
	locked atomic.Bool
	passes atomic.Uint64
	// lastErr is the last write-back or session error, for tests/logs.
	lastErr atomic.Pointer[string]
}

// New returns a Reconciler; call Run to start it and Close to tear down
// every bridge.
func New(cfg Config) (*Reconciler, error) {
	if cfg.Dial == nil {
		return nil, errors.New("reconcile: Config.Dial is required")
	}
	if cfg.Opener == nil {
		cfg.Opener = SystemOpener{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.StatsInterval <= 0 {
		cfg.StatsInterval = DefaultStatsInterval
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = DefaultRetryInterval
	}
	r := &Reconciler{cfg: cfg, log: cfg.Logger}
	r.eng = newEngine(cfg.Opener, cfg.Logger, cfg.Datapath)
	r.eng.onBridge = cfg.OnBridge
	r.eng.onControllers = cfg.OnControllers
	r.eng.connected = cfg.ControllerConnected
	return r, nil
}

// lockFn takes r.mu and returns its unlock.
func (r *Reconciler) lockFn() func() {
	r.mu.Lock()
	return r.mu.Unlock
}

// Bridge returns the live bridge called name, or nil.
func (r *Reconciler) Bridge(name string) *bridge.Bridge {
	r.mu.Lock()
	defer r.mu.Unlock()
	if lb := r.eng.bridges[name]; lb != nil {
		return lb.br
	}
	return nil
}

// BridgeNames returns the live bridges' names, sorted.
func (r *Reconciler) BridgeNames() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.eng.bridges))
	for n := range r.eng.bridges {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// HasLock reports whether the ovs_vswitchd lock is held.
func (r *Reconciler) HasLock() bool { return r.locked.Load() }

// Passes is the number of reconcile passes run so far.
func (r *Reconciler) Passes() uint64 { return r.passes.Load() }

// Run connects, takes the lock, monitors and reconciles until ctx is
// done, reconnecting after connection loss (bridges keep forwarding
// meanwhile). It returns nil when ctx is done. Bridges stay up: call Close.
func (r *Reconciler) Run(ctx context.Context) error {
	for {
		err := r.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		r.locked.Store(false)
		msg := err.Error()
		r.lastErr.Store(&msg)
		r.log.Warn("database connection lost, reconnecting", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.cfg.RetryInterval):
		}
	}
}

// Close deletes every bridge (closing ports and TAP devices). Call it
// after Run has returned.
func (r *Reconciler) Close() {
	r.eng.closeAll(r.lockFn)
}

// snapshot copies the replica's rows (Cache.Apply edits row maps in place).
func snapshot(c *client.Cache) map[string]rows {
	out := make(map[string]rows, len(c.Tables))
	for tn, t := range c.Tables {
		ct := make(rows, len(t))
		for u, row := range t {
			cr := make(map[string]schema.Datum, len(row))
			for k, v := range row {
				cr[k] = v
			}
			ct[u] = cr
		}
		out[tn] = ct
	}
	return out
}

// signal does a non-blocking send on a 1-buffered wake channel.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// session runs one database connection.
func (r *Reconciler) session(ctx context.Context) error {
	c, err := r.cfg.Dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := c.GetSchema(ctx, DBName)
	if err != nil {
		return err
	}
	lockCh := make(chan bool, 1)
	c.OnLock(func(name string, locked bool) {
		if name != LockName {
			return
		}
		select {
		case <-lockCh:
		default:
		}
		lockCh <- locked
	})
	granted, err := c.Lock(ctx, LockName)
	if err != nil {
		return fmt.Errorf("lock %s: %w", LockName, err)
	}
	r.locked.Store(granted)
	if !granted {
		r.log.Info("waiting for database lock", "lock", LockName)
	}

	var cmu sync.Mutex
	cache := client.NewCache(s)
	wake := make(chan struct{}, 1)
	reqs := make(map[string]client.MonitorRequest, len(monitoredTables))
	for _, t := range monitoredTables {
		reqs[t] = client.MonitorRequest{}
	}
	_, initial, err := c.MonitorCond(ctx, DBName, monitorID, reqs, func(u client.Updates) {
		cmu.Lock()
		cache.Apply(u)
		cmu.Unlock()
		signal(wake)
	})
	if err != nil {
		return err
	}
	cmu.Lock()
	cache.Apply(initial)
	cmu.Unlock()
	signal(wake)

	stats := time.NewTicker(r.cfg.StatsInterval)
	defer stats.Stop()
	var retry <-chan time.Time
	for {
		withStats := false
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-c.Done():
			return client.ErrClosed
		case l := <-lockCh:
			r.locked.Store(l)
			r.log.Info("database lock", "lock", LockName, "held", l)
		case <-wake:
		case <-retry:
			retry = nil
		case <-stats.C:
			withStats = true
		}
		if !r.locked.Load() {
			continue
		}
		cmu.Lock()
		st := parseState(snapshot(cache))
		cmu.Unlock()
		if err := r.pass(ctx, c, s, st, withStats); err != nil {
			msg := err.Error()
			r.lastErr.Store(&msg)
			r.log.Warn("database write-back failed, will retry", "err", err)
			retry = time.After(r.cfg.RetryInterval)
		}
	}
}

// pass reconfigures from st and writes the results back in one
// transaction (guarded by the lock assertion).
func (r *Reconciler) pass(ctx context.Context, c *client.Client, s *schema.Schema, st *dbState, withStats bool) error {
	r.eng.apply(st, r.lockFn)
	r.eng.syncBridgeIDs(st, lookupNetdev)
	r.passes.Add(1)
	ops := r.eng.writeOps(s, st, withStats, lookupNetdev)
	if len(ops) == 0 {
		return nil
	}
	ops = append([]any{map[string]any{"op": "assert", "lock": LockName}}, ops...)
	tctx, cancel := context.WithTimeout(ctx, txnTimeout)
	defer cancel()
	_, err := c.Transact(tctx, DBName, ops...)
	return err
}
