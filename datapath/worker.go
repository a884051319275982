package datapath

import (
	"sync"
	"sync/atomic"

	"govs/datapath/flow"
	"govs/ports"
)

// Worker timing, in clock nanoseconds.
const (
	// expireInterval is how often (in loop time) a worker looks for idle flows.
	expireInterval = 100 * 1000 * 1000
	// rerankInterval is OVS's DPCLS_OPTIMIZATION_INTERVAL: subtables are
	// re-sorted by hits this often.
	rerankInterval = 1000 * 1000 * 1000
)

// ethHeaderLen is the shortest frame the datapath processes (OVS drops
// anything shorter than an Ethernet header).
const ethHeaderLen = 14

// copyBufCount is how many frame copies one batch may make (output of a
// frame that later actions modify, tunnel actions that are not last).
const copyBufCount = 2 * ports.BatchSize

// portNoExact is the in_port mask every megaflow gets.
const portNoExact = flow.PortNo(^uint32(0))

// recircIDExact is the recirc_id mask every megaflow gets, as OVS
// xlate_wc_init un-wildcards recirc_id (so dumps start "recirc_id(0),").
const recircIDExact = ^uint32(0)

// forceExact un-wildcards what the datapath always matches exactly,
// whatever the Upcaller consulted: in_port and recirc_id.
func forceExact(mask *flow.Key) {
	mask.SetInPort(portNoExact)
	mask.SetRecircID(recircIDExact)
}

// txQueue collects one output port's frames over an rx batch. Its batch
// has no buffers of its own: Bufs point into the rx batch or into the
// worker's copy buffers, both valid until the flush at the end of the batch.
type txQueue struct {
	no    flow.PortNo
	port  ports.Port
	b     ports.Batch
	dirty bool
}

// rxPort is a port this worker polls.
type rxPort struct {
	no   flow.PortNo
	port ports.Port
	// fd is the port's PollFD (< 0: none, the port is read every round).
	fd int
	// ready is set when the port may have frames: its last Read filled a
	// whole batch, or epoll reported its fd readable since (poll loop only).
	ready bool
}

// Worker owns a set of rx ports, an EMC, one classifier per in_port and
// the megaflows in them. All fields below ctl are touched only by the
// goroutine running the worker (its poll loop, or the caller of
// ProcessBatch when the loop is not started); other goroutines reach them
// through control requests (see doc.go).
type Worker struct {
	id int
	dp *Datapath

	// ctl queues control requests for a running worker.
	ctl struct {
		sync.Mutex
		q []request // guarded by ctl.Mutex
	}
	ctlPending atomic.Bool
	// active is set while the worker runs a batch or control requests:
	// Revalidate waits only for an active worker (see catchUp).
	active atomic.Bool
	c      workerCounters
	loop   loopState // OS-specific poll state

	// Worker-owned state.
	emc      *emc
	cls      map[flow.PortNo]*classifier
	nflows   int
	nsub     int
	maxIdle  int64
	txqs     map[flow.PortNo]*txQueue
	lastTx   *txQueue
	dirty    []*txQueue
	rx       []rxPort
	rxb      *ports.Batch
	ctrl     ControllerHook
	tnl      TunnelHook
	bc       batchCounts
	now      int64
	batchSeq uint64
	touched  []*megaflow

	nextExpire, nextRerank int64

	pkts     [ports.BatchSize]flow.Packet
	keys     [ports.BatchSize]flow.Key
	hashes   [ports.BatchSize]uint32
	live     [ports.BatchSize]bool
	missActs [ports.BatchSize]Actions
	mask     flow.Key

	copyBufs [copyBufCount][]byte
	copyNext int

	recirc    ports.Batch
	recircIn  [ports.BatchSize]flow.PortNo
	recircTun [ports.BatchSize]flow.Key

	outPkt, tnlPkt flow.Packet // clones made by output and tunnel actions

	revalActs Actions
	revalSeen uint64 // the Datapath.revalGen the flows were last revalidated at
	scratch   []*megaflow
	retired   []retired // unpulled stats of removed flows (xcache.go)
}

func newWorker(dp *Datapath, id int, seed uint64) *Worker {
	w := &Worker{
		id:      id,
		dp:      dp,
		emc:     new(emc),
		cls:     make(map[flow.PortNo]*classifier),
		txqs:    make(map[flow.PortNo]*txQueue),
		rxb:     ports.NewBatch(),
		maxIdle: dp.maxIdle,
		touched: make([]*megaflow, 0, 2*ports.BatchSize),
	}
	w.emc.rng = seed | 1
	w.emc.setInvProb(dp.emcInvProb)
	mem := make([]byte, copyBufCount*ports.BufLen)
	for i := range w.copyBufs {
		w.copyBufs[i] = mem[i*ports.BufLen : (i+1)*ports.BufLen : (i+1)*ports.BufLen]
	}
	now := dp.clock()
	w.nextExpire = now + expireInterval
	w.nextRerank = now + rerankInterval
	return w
}

// ID is the worker's index.
func (w *Worker) ID() int { return w.id }

// ProcessBatch runs one received batch through the datapath: extract,
// EMC, megaflow classifier, upcall on miss, actions, and one Port.Write
// per output port. b's frames 0..b.N-1 are all from in_port in; actions
// may modify them in place (b's Off/Len are left as they were). b is not
// retained: it is free for reuse when ProcessBatch returns. It allocates nothing unless a miss installs a
// flow.
//
// ProcessBatch must be called only on the goroutine that owns the worker:
// use it directly only on a Datapath that was not started (tests,
// benchmarks); a started worker calls it from its own poll loop.
func (w *Worker) ProcessBatch(in flow.PortNo, b *ports.Batch) {
	w.active.Store(true)
	w.catchUp()
	w.beginBatch()
	w.bc.rxPackets += uint64(b.N)
	w.pass(b, in, nil, 0)
	w.endBatch()
	w.maintain(w.now)
	w.active.Store(false)
}

// beginBatch resets the per-batch state (clock, batch sequence, copy
// buffers) before a batch or an Execute'd frame.
func (w *Worker) beginBatch() {
	w.now = w.dp.clock()
	w.batchSeq++
	w.copyNext = 0
}

// endBatch finishes what beginBatch started: it runs the packets that
// tunnel_pop queued for recirculation, flushes the tx queues and
// publishes the counters.
func (w *Worker) endBatch() {
	if w.recirc.N > 0 {
		w.bc.recirc += uint64(w.recirc.N)
		w.pass(&w.recirc, 0, &w.recircIn, 1)
		w.recirc.N = 0
	}
	w.flushTx()
	w.foldFlowStats()
	w.c.publish(&w.bc)
}

// pass classifies and executes each packet of b in order (so a flow
// installed by a miss serves the rest of the batch). recircIn, when set, gives each
// packet's in_port (and marks the pass as a recirculation: tunnel fields
// come from recircTun).
func (w *Worker) pass(b *ports.Batch, in flow.PortNo, recircIn *[ports.BatchSize]flow.PortNo, depth int) {
	n := min(b.N, ports.BatchSize)
	cls := w.cls[in]
	curIn := in
	emcOn := w.emc.enabled()
	vlanLimit := int(w.dp.vlanLimit.Load())
	// Stage 1: extract and hash every packet (independent work the CPU
	// overlaps across packets). Stage 2: look up and execute in order.
	for i := 0; i < n; i++ {
		p := &w.pkts[i]
		p.Buf, p.Off, p.Len = b.Bufs[i], b.Off[i], b.Len[i]
		w.live[i] = false
		if p.Len < ethHeaderLen || p.Off < 0 || p.Off+p.Len > len(p.Buf) {
			w.bc.drops[DropShortFrame]++
			continue
		}
		w.live[i] = true
		pin := in
		if recircIn != nil {
			pin = recircIn[i]
		}
		k := &w.keys[i]
		flow.ExtractVLANs(p.Frame(), pin, vlanLimit, k, &p.L)
		if recircIn != nil {
			k.CopyTunnel(&w.recircTun[i])
		}
		w.bc.rxBytes += uint64(p.Len)
		if emcOn {
			w.hashes[i] = emcHash(k)
		}
	}
	for i := 0; i < n; i++ {
		if !w.live[i] {
			continue
		}
		p, k := &w.pkts[i], &w.keys[i]
		if recircIn != nil && recircIn[i] != curIn {
			curIn = recircIn[i]
			cls = w.cls[curIn]
		}
		var f *megaflow
		h := w.hashes[i]
		if emcOn {
			if f = w.emc.lookup(k, h); f != nil {
				w.bc.emcHits++
			}
		}
		if f == nil && cls != nil {
			var probes int
			if f, probes = cls.lookup(k); f != nil {
				w.bc.mfHits++
				w.bc.mfLookups += uint64(probes)
				if emcOn {
					w.emc.maybeInsert(k, h, f)
				}
			}
		}
		if f != nil {
			w.account(f, p.Len, k.TCPFlags())
			w.execute(p, k, f.acts, depth)
			continue
		}
		acts, ok := w.upcall(i, curIn, k)
		if !ok {
			continue
		}
		if cls == nil {
			cls = w.cls[curIn]
		}
		w.execute(p, k, acts, depth)
	}
}

// account adds one packet to f's per-batch stats.
func (w *Worker) account(f *megaflow, n int, tcpFlags uint16) {
	if f.batchSeq != w.batchSeq {
		f.batchSeq = w.batchSeq
		f.batchPkts, f.batchBytes, f.batchFlags = 0, 0, 0
		w.touched = append(w.touched, f)
	}
	f.batchPkts++
	f.batchBytes += uint64(n)
	f.batchFlags |= tcpFlags
}

// foldFlowStats applies the batch's per-flow stats: one update per flow.
func (w *Worker) foldFlowStats() {
	for i, f := range w.touched {
		f.packets += f.batchPkts
		f.bytes += f.batchBytes
		f.tcpFlags |= f.batchFlags
		f.used, f.everUsed = w.now, true
		w.touched[i] = nil
	}
	w.touched = w.touched[:0]
}

// upcall handles a miss of packet i: it asks the Upcaller, installs the
// megaflow unless the flow limit is reached and returns the actions to
// execute. As in OVS the upcalled packet is not counted in the new flow's
// stats. ok is false when the packet is dropped.
func (w *Worker) upcall(i int, in flow.PortNo, k *flow.Key) (acts Actions, ok bool) {
	w.mask.Reset()
	a := w.missActs[i][:0]
	cookie, err := w.dp.callUpcall(k, &w.mask, &a, w.pkts[i].Len)
	// Keep our own copy: the Upcaller may have set *acts to a slice it
	// keeps, which must not be reused as scratch.
	w.missActs[i] = append(w.missActs[i][:0], a...)
	a = w.missActs[i]
	if err != nil {
		w.bc.missFailed++
		w.bc.drops[DropUpcallError]++
		return nil, false
	}
	w.bc.missOK++
	forceExact(&w.mask)
	if w.dp.nflows.Load() >= w.dp.flowLimit.Load() {
		w.bc.lost++
		return a, true
	}
	f := w.install(in, k, &w.mask, a)
	w.setCookie(f, cookie)
	if w.emc.enabled() {
		w.emc.maybeInsert(k, emcHash(k), f)
	}
	return f.acts, true
}
