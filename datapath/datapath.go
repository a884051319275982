package datapath

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath/flow"
	"govs/ports"
)

// Defaults, as OVS 3.1 (ofproto/ofproto.h).
const (
	// DefaultFlowLimit is OFPROTO_FLOW_LIMIT_DEFAULT.
	DefaultFlowLimit = 200000
	// DefaultMaxIdle is OFPROTO_MAX_IDLE_DEFAULT.
	DefaultMaxIdle = 10 * time.Second
	// EMCDisabled as Config.EMCInsertInvProb turns the EMC off (OVS's
	// emc-insert-inv-prob=0; the zero Config value means the default).
	EMCDisabled = -1
)

// Config configures a Datapath. The zero value gives OVS's defaults and
// one worker.
type Config struct {
	// Workers is the number of worker goroutines (PMD threads); 0 means 1.
	Workers int
	// FlowLimit caps the megaflows installed over all workers; 0 means
	// DefaultFlowLimit. At the limit a missed packet is executed but its
	// flow is not installed (counted as lost).
	FlowLimit int
	// MaxIdle removes megaflows unused for this long; 0 means DefaultMaxIdle.
	MaxIdle time.Duration
	// EMCInsertInvProb is OVS's emc-insert-inv-prob: a megaflow hit is
	// inserted in the EMC with probability 1/N (1 = always). 0 means
	// DefaultEMCInsertInvProb; EMCDisabled turns the EMC off.
	EMCInsertInvProb int
	// BusyPoll makes started workers spin instead of blocking in
	// epoll_wait when idle.
	BusyPoll bool
	// Clock returns monotonic nanoseconds; nil uses the runtime clock.
	// Tests inject a fake one to drive idle expiry and re-ranking.
	Clock func() int64
	// Seed seeds the EMC insertion PRNG (0: a fixed default).
	Seed uint64
	// VLANLimit is the number of VLAN tags flow extraction parses, OVS's
	// other_config:vlan-limit: 0 means unlimited (flow.MaxVLANs), as in
	// OVS; govs-vswitchd passes OVS's default 1 when the key is absent.
	VLANLimit int
}

// portEntry is one port of the port table.
type portEntry struct {
	port   ports.Port
	worker int
}

// Datapath is the userspace fast path: workers, their caches and the port
// table. Its methods are safe for concurrent use (see doc.go); the
// control ones are serialised and executed by each worker between batches.
type Datapath struct {
	up         Upcaller
	clock      func() int64
	maxIdle    int64
	emcInvProb uint32
	busyPoll   bool

	flowLimit atomic.Int64
	vlanLimit atomic.Int32 // tags flow.ExtractVLANs parses (1..flow.MaxVLANs)
	nflows    atomic.Int64 // megaflows installed, all workers
	// revalGen counts Revalidate calls: a worker whose revalSeen is
	// behind it re-translates its flows before it forwards again.
	revalGen atomic.Uint64
	// revalCost is how long (clock ns) the last worker revalidation
	// took (RevalidateCost).
	revalCost atomic.Int64

	// mu serialises control operations and guards the fields below.
	mu         sync.Mutex
	workers    []*Worker // fixed at New; their running state is guarded by mu
	nextWorker int       // round-robin rx assignment
	started    bool
	closed     bool

	// pt is the port table as seen by scrapes and dumps.
	pt struct {
		sync.Mutex
		m map[flow.PortNo]portEntry // guarded by pt.Mutex
	}
}

var errNilUpcaller = errors.New("datapath: nil Upcaller")

// New returns a Datapath whose misses go to up. Workers are created but not
// started: call Start to run them on goroutines, or drive them with
// Worker(i).ProcessBatch.
func New(up Upcaller, cfg Config) (*Datapath, error) {
	if up == nil {
		return nil, errNilUpcaller
	}
	if cfg.Workers < 0 || cfg.FlowLimit < 0 || cfg.VLANLimit < 0 || cfg.MaxIdle < 0 || cfg.EMCInsertInvProb < EMCDisabled {
		return nil, fmt.Errorf("datapath: invalid config %+v", cfg)
	}
	dp := &Datapath{up: up, clock: cfg.Clock, busyPoll: cfg.BusyPoll}
	if dp.clock == nil {
		start := time.Now()
		dp.clock = func() int64 { return int64(time.Since(start)) }
	}
	dp.maxIdle = int64(cmpOr(cfg.MaxIdle, DefaultMaxIdle))
	dp.flowLimit.Store(int64(cmpOr(cfg.FlowLimit, DefaultFlowLimit)))
	dp.vlanLimit.Store(int32(flow.VLANLimit(cfg.VLANLimit)))
	switch cfg.EMCInsertInvProb {
	case EMCDisabled:
		dp.emcInvProb = 0
	case 0:
		dp.emcInvProb = DefaultEMCInsertInvProb
	default:
		dp.emcInvProb = uint32(cfg.EMCInsertInvProb)
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = hashSeed
	}
	dp.pt.m = make(map[flow.PortNo]portEntry)
	for i := range max(cfg.Workers, 1) {
		dp.workers = append(dp.workers, newWorker(dp, i, seed+uint64(i)*hashMul1))
	}
	return dp, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// Worker returns worker i (0 <= i < NumWorkers).
func (dp *Datapath) Worker(i int) *Worker { return dp.workers[i] }

// NumWorkers is the number of workers.
func (dp *Datapath) NumWorkers() int { return len(dp.workers) }

// AddPort adds p as port number no: every worker may output to it and one
// worker (round robin) polls it. The Datapath does not close p.
func (dp *Datapath) AddPort(no flow.PortNo, p ports.Port) error {
	if p == nil {
		return errors.New("datapath: AddPort: nil port")
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if dp.closed {
		return ports.ErrClosed
	}
	dp.pt.Lock()
	_, dup := dp.pt.m[no]
	owner := dp.nextWorker % len(dp.workers)
	if !dup {
		dp.pt.m[no] = portEntry{port: p, worker: owner}
	}
	dp.pt.Unlock()
	if dup {
		return fmt.Errorf("datapath: port %d already exists", no)
	}
	dp.nextWorker++
	dp.doAll(func(w *Worker) {
		w.txqs[no] = &txQueue{no: no, port: p}
	})
	var err error
	dp.do(dp.workers[owner], func(w *Worker) {
		if err = w.pollAdd(p); err == nil {
			w.rx = append(w.rx, rxPort{no: no, port: p, fd: p.PollFD(), ready: true})
		}
	})
	if err != nil {
		dp.removePortLocked(no)
	}
	return err
}

// RemovePort removes port no. When it returns no worker reads from or
// writes to the port any more, and the megaflows whose in_port is no are
// gone; the caller may close the port.
func (dp *Datapath) RemovePort(no flow.PortNo) error {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	return dp.removePortLocked(no)
}

// removePortLocked is RemovePort with dp.mu held.
func (dp *Datapath) removePortLocked(no flow.PortNo) error {
	dp.pt.Lock()
	e, ok := dp.pt.m[no]
	delete(dp.pt.m, no)
	dp.pt.Unlock()
	if !ok {
		return fmt.Errorf("datapath: no port %d", no)
	}
	dp.do(dp.workers[e.worker], func(w *Worker) {
		w.pollDel(e.port)
		for i, r := range w.rx {
			if r.no == no {
				w.rx = append(w.rx[:i], w.rx[i+1:]...)
				break
			}
		}
	})
	dp.doAll(func(w *Worker) {
		delete(w.txqs, no)
		w.lastTx = nil
		if c := w.cls[no]; c != nil {
			var fs []*megaflow
			c.each(func(f *megaflow) { fs = append(fs, f) })
			for _, f := range fs {
				w.removeFlow(f)
			}
		}
	})
	return nil
}

// PortName returns the device name of port no, or "" if there is none.
// It suits the portName argument of DumpFlows.
func (dp *Datapath) PortName(no flow.PortNo) string {
	dp.pt.Lock()
	defer dp.pt.Unlock()
	if e, ok := dp.pt.m[no]; ok {
		return e.port.Name()
	}
	return ""
}

// Revalidate re-translates every cached megaflow through the Upcaller:
// flows whose translation fails or now needs a narrower mask are deleted,
// flows whose actions changed get the new actions in place. When it
// returns, no packet is or will be forwarded by a stale cached action:
// Revalidate bumps the revalidation generation, and a worker re-translates
// its flows when it sees a new generation, before its next batch or
// control request. Revalidate waits only for the workers that are in the
// middle of one (that batch may have classified with the old
// translations): each of those runs a request between batches. An idle
// worker costs nothing here; it catches up when a frame wakes it.
func (dp *Datapath) Revalidate() {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.revalGen.Add(1)
	var wg sync.WaitGroup
	for _, w := range dp.workers {
		switch {
		case !w.loop.running:
			w.catchUp()
		case w.active.Load():
			wg.Add(1)
			go func() {
				defer wg.Done()
				dp.do(w, (*Worker).catchUp) // runRequests catches up first; this is the wait
			}()
		}
	}
	wg.Wait()
}

// RevalidateCost is how long the most recent revalidation of a worker's
// flows took (by the datapath's clock): with Revalidate returning before
// idle workers re-translate, the caller's own timing misses that work.
func (dp *Datapath) RevalidateCost() time.Duration { return time.Duration(dp.revalCost.Load()) }

// Flush deletes every megaflow and clears the EMCs, with the same
// guarantee as Revalidate.
func (dp *Datapath) Flush() {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.doAll((*Worker).flush)
}

// SetControllerHook installs (or with nil removes) the userspace-action
// hook. Without one, userspace actions are counted as DropNoController.
func (dp *Datapath) SetControllerHook(h ControllerHook) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.doAll(func(w *Worker) { w.ctrl = h })
}

// SetTunnelHook installs (or with nil removes) the tunnel hook. Without
// one, tunnel actions are counted as DropNoTunnelHook.
func (dp *Datapath) SetTunnelHook(h TunnelHook) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.doAll(func(w *Worker) { w.tnl = h })
}

// SetFlowLimit changes the flow limit (n > 0). Existing flows stay.
func (dp *Datapath) SetFlowLimit(n int) error {
	if n <= 0 {
		return fmt.Errorf("datapath: flow limit %d must be positive", n)
	}
	dp.flowLimit.Store(int64(n))
	return nil
}

// SetVLANLimit applies other_config:vlan-limit (0 or negative:
// unlimited, i.e. flow.MaxVLANs). Workers read it once per batch, so the
// next batch extracts with the new limit. Installed megaflows stay: a
// frame whose tag count the change affects gets a different key (its
// eth_type becomes or stops being a TPID), so it misses them.
func (dp *Datapath) SetVLANLimit(n int) {
	dp.vlanLimit.Store(int32(flow.VLANLimit(n)))
}

// VLANLimit is the number of VLAN tags extraction parses.
func (dp *Datapath) VLANLimit() int { return int(dp.vlanLimit.Load()) }

// SetEMCInsertInvProb applies other_config:emc-insert-inv-prob (0 = EMC
// off, 1 = always insert).
func (dp *Datapath) SetEMCInsertInvProb(inv uint32) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.doAll(func(w *Worker) { w.emc.setInvProb(inv) })
}

// SetMaxIdle changes the idle timeout (d > 0).
func (dp *Datapath) SetMaxIdle(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("datapath: max idle %v must be positive", d)
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.doAll(func(w *Worker) { w.maxIdle = int64(d) })
	return nil
}

// FlowCount is the number of installed megaflows over all workers.
func (dp *Datapath) FlowCount() int { return int(dp.nflows.Load()) }

// Stats returns a snapshot of each worker's counters.
func (dp *Datapath) Stats() []WorkerStats {
	s := make([]WorkerStats, len(dp.workers))
	for i, w := range dp.workers {
		s[i] = w.c.snapshot()
	}
	return s
}

// Start runs every worker on its own goroutine (locked to an OS thread),
// polling its ports. It fails on systems without epoll.
func (dp *Datapath) Start() error {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if dp.closed {
		return ports.ErrClosed
	}
	if dp.started {
		return errors.New("datapath: already started")
	}
	for i, w := range dp.workers {
		if err := w.start(); err != nil {
			for _, s := range dp.workers[:i] {
				dp.stopWorker(s)
			}
			return err
		}
	}
	dp.started = true
	return nil
}

func (dp *Datapath) stopWorker(w *Worker) {
	dp.do(w, func(w *Worker) { w.loop.stop = true })
	<-w.loop.exited
	w.loop.running = false
	w.closeLoop()
}

// Close stops the workers (when started). Ports are not closed.
func (dp *Datapath) Close() error {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if dp.closed {
		return nil
	}
	dp.closed = true
	if dp.started {
		for _, w := range dp.workers {
			dp.stopWorker(w)
		}
	}
	return nil
}
