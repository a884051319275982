package datapath

import "sync/atomic"

// DropReason says why the datapath dropped a packet.
type DropReason uint8

// Drop reasons (label values of govs_datapath_drops_total).
const (
	DropAction       DropReason = iota // the actions were "drop"
	DropShortFrame                     // frame shorter than an Ethernet header
	DropUpcallError                    // the Upcaller returned an error
	DropUnknownPort                    // output to a port not in the port table
	DropNoHeadroom                     // push_vlan / tunnel push found no headroom
	DropNoCopyBuffer                   // per-batch copy buffers exhausted
	DropOversize                       // frame too long for a copy buffer
	DropTTL                            // dec_ttl on TTL <= 1
	DropNoController                   // userspace action without a controller hook
	DropNoTunnelHook                   // tunnel action without a tunnel hook
	DropTunnelHook                     // the tunnel hook refused the packet
	DropRecircDepth                    // tunnel_pop on an already recirculated packet
	DropTxFailed                       // Port.Write sent fewer frames than given

	numDropReasons
)

var dropReasonNames = [numDropReasons]string{
	DropAction:       "action_drop",
	DropShortFrame:   "short_frame",
	DropUpcallError:  "upcall_error",
	DropUnknownPort:  "unknown_port",
	DropNoHeadroom:   "no_headroom",
	DropNoCopyBuffer: "no_copy_buffer",
	DropOversize:     "oversize",
	DropTTL:          "ttl_expired",
	DropNoController: "no_controller_hook",
	DropNoTunnelHook: "no_tunnel_hook",
	DropTunnelHook:   "tunnel_hook_refused",
	DropRecircDepth:  "recirc_depth",
	DropTxFailed:     "tx_failed",
}

// String returns the metric label of r.
func (r DropReason) String() string {
	if r < numDropReasons {
		return dropReasonNames[r]
	}
	return "unknown"
}

// batchCounts are a worker's plain per-batch tallies; flushed into
// workerCounters once per batch.
type batchCounts struct {
	rxPackets, rxBytes   uint64
	recirc               uint64
	emcHits, mfHits      uint64
	mfLookups            uint64 // subtables probed by megaflow hits
	missOK, missFailed   uint64
	lost                 uint64
	txPackets, txBatches uint64
	drops                [numDropReasons]uint64
}

// workerCounters are read by scrapes and stats dumps on other goroutines;
// the owning worker adds to them once per batch (the only atomic RMW on the
// hot path).
type workerCounters struct {
	rxPackets, rxBytes   atomic.Uint64
	recirc               atomic.Uint64
	emcHits, mfHits      atomic.Uint64
	mfLookups            atomic.Uint64
	missOK, missFailed   atomic.Uint64
	lost                 atomic.Uint64
	txPackets, txBatches atomic.Uint64
	drops                [numDropReasons]atomic.Uint64
	flows                atomic.Int64 // gauge, stored by the worker on change
	subtables            atomic.Int64 // gauge
}

func addIf(a *atomic.Uint64, v uint64) {
	if v != 0 {
		a.Add(v)
	}
}

// publish adds b to c and zeroes b.
func (c *workerCounters) publish(b *batchCounts) {
	addIf(&c.rxPackets, b.rxPackets)
	addIf(&c.rxBytes, b.rxBytes)
	addIf(&c.recirc, b.recirc)
	addIf(&c.emcHits, b.emcHits)
	addIf(&c.mfHits, b.mfHits)
	addIf(&c.mfLookups, b.mfLookups)
	addIf(&c.missOK, b.missOK)
	addIf(&c.missFailed, b.missFailed)
	addIf(&c.lost, b.lost)
	addIf(&c.txPackets, b.txPackets)
	addIf(&c.txBatches, b.txBatches)
	for i := range b.drops {
		addIf(&c.drops[i], b.drops[i])
	}
	*b = batchCounts{}
}

// WorkerStats is a snapshot of one worker's counters.
type WorkerStats struct {
	RxPackets, RxBytes uint64
	Recirculations     uint64
	EMCHits            uint64
	MegaflowHits       uint64
	SubtableLookups    uint64 // subtables probed, summed over megaflow hits
	MissUpcallOK       uint64
	MissUpcallFailed   uint64
	Lost               uint64 // executed but not installed: flow limit
	TxPackets          uint64
	TxBatches          uint64
	Drops              [numDropReasons]uint64
	Flows, Subtables   int64
}

// AvgSubtableLookups is the average number of subtables probed per
// megaflow hit (OVS "avg. subtable lookups per megaflow hit").
func (s *WorkerStats) AvgSubtableLookups() float64 {
	if s.MegaflowHits == 0 {
		return 0
	}
	return float64(s.SubtableLookups) / float64(s.MegaflowHits)
}

func (c *workerCounters) snapshot() WorkerStats {
	s := WorkerStats{
		RxPackets: c.rxPackets.Load(), RxBytes: c.rxBytes.Load(),
		Recirculations: c.recirc.Load(),
		EMCHits:        c.emcHits.Load(), MegaflowHits: c.mfHits.Load(),
		SubtableLookups: c.mfLookups.Load(),
		MissUpcallOK:    c.missOK.Load(), MissUpcallFailed: c.missFailed.Load(),
		Lost:      c.lost.Load(),
		TxPackets: c.txPackets.Load(), TxBatches: c.txBatches.Load(),
		Flows: c.flows.Load(), Subtables: c.subtables.Load(),
	}
	for i := range s.Drops {
		s.Drops[i] = c.drops[i].Load()
	}
	return s
}
