package bridge

import (
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/maclearn"
	"govs/ofproto/normal"
)

// NormalConfig configures the Normal pipeline (Bridge other_config).
type NormalConfig struct {
	// MAC configures the MAC table (mac-aging-time, mac-table-size).
	MAC maclearn.Config
	// ForwardBPDU is other_config:forward-bpdu.
	ForwardBPDU bool
}

// normalPorts is an immutable snapshot of the bridge ports as NORMAL sees
// them.
type normalPorts struct {
	cfgs []normal.PortConfig
	idx  map[flow.PortNo]int
}

// Normal is the pipeline of a standalone bridge without a controller:
// the implicit "priority=0 actions=NORMAL" flow.
type Normal struct {
	mac          *maclearn.Table
	forwardBPDU  atomic.Bool
	ports        atomic.Pointer[normalPorts]
	revalidating atomic.Bool
	// lastGen is the MAC table generation of the last Tick (maintenance
	// goroutine only).
	lastGen   uint64
	lastAging time.Time
}

// agingInterval is how often Tick expires MAC entries (mac_learning_run
// runs once a second in OVS).
const agingInterval = time.Second

// outBufPool holds output buffers for Decide: upcalls run on several
// worker goroutines at once, and a buffer per call would allocate on
// every upcall; escape analysis cannot keep it on the stack because
// Decision.Outputs aliases it.
var outBufPool = sync.Pool{New: func() any { return new([]normal.Output) }}

// NewNormal returns a Normal pipeline with an empty MAC table.
func NewNormal(cfg NormalConfig) *Normal {
	n := &Normal{mac: maclearn.New(cfg.MAC)}
	n.forwardBPDU.Store(cfg.ForwardBPDU)
	n.ports.Store(&normalPorts{idx: map[flow.PortNo]int{}})
	n.lastGen = n.mac.Generation()
	return n
}

// MACTable returns the pipeline's MAC table (fdb/show, fdb/flush).
func (n *Normal) MACTable() *maclearn.Table { return n.mac }

// SetForwardBPDU applies other_config:forward-bpdu.
func (n *Normal) SetForwardBPDU(on bool) { n.forwardBPDU.Store(on) }

// Upcall implements datapath.Upcaller with OVS's NORMAL action.
func (n *Normal) Upcall(k, mask *flow.Key, acts *datapath.Actions) error {
	ps := n.ports.Load()
	var in *normal.PortConfig
	if i, ok := ps.idx[k.InPort()]; ok {
		in = &ps.cfgs[i]
	}
	bp := outBufPool.Get().(*[]normal.Output)
	if cap(*bp) < len(ps.cfgs) {
		*bp = make([]normal.Output, 0, len(ps.cfgs))
	}
	opt := normal.Options{Learn: !n.revalidating.Load(), ForwardBPDU: n.forwardBPDU.Load()}
	d := normal.Decide(in, k, n.mac, ps.cfgs, opt, (*bp)[:0])
	mask.Or(&d.Mask)
	*acts = appendOutputs((*acts)[:0], k, d.Outputs)
	*bp = d.Outputs[:0]
	outBufPool.Put(bp)
	return nil
}

// PortsChanged implements Pipeline. VLAN changes flush the MAC table as
// OVS's bundle_set (need_flush); removed ports lose their entries.
func (n *Normal) PortsChanged(ports []PortInfo) {
	old := n.ports.Load()
	np := &normalPorts{cfgs: make([]normal.PortConfig, len(ports)), idx: make(map[flow.PortNo]int, len(ports))}
	vlanChanged := false
	for i, p := range ports {
		np.cfgs[i] = p.VLAN
		np.idx[p.OFPort] = i
		if j, ok := old.idx[p.OFPort]; ok && !sameVLAN(&old.cfgs[j], &p.VLAN) {
			vlanChanged = true
		}
	}
	for no := range old.idx {
		if _, ok := np.idx[no]; !ok {
			n.mac.FlushPort(no)
		}
	}
	n.ports.Store(np)
	if vlanChanged {
		n.mac.Flush()
	}
}

func sameVLAN(a, b *normal.PortConfig) bool {
	return a.VLANMode == b.VLANMode && a.Tag == b.Tag && a.Trunks == b.Trunks && a.NoFlood == b.NoFlood
}

// Tick implements Pipeline: MAC aging once a second, and a revalidation
// request whenever the MAC table's generation moved.
func (n *Normal) Tick(now time.Time) bool {
	if now.Sub(n.lastAging) >= agingInterval {
		n.lastAging = now
		n.mac.Expire()
	}
	g := n.mac.Generation()
	if g == n.lastGen {
		return false
	}
	n.lastGen = g
	return true
}

// SetRevalidating implements Pipeline.
func (n *Normal) SetRevalidating(on bool) { n.revalidating.Store(on) }

// Close implements Pipeline.
func (n *Normal) Close() {}
