package xlate

import (
	"sync/atomic"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/maclearn"
	"govs/ofproto/tables"
	"govs/tunnel"
	"govs/tunnel/tlv"
)

// Periodic work done by Tick.
const (
	// StatsInterval is how often Tick pulls datapath stats into rule
	// counters (OVS revalidators: about every 500 ms).
	StatsInterval = 500 * time.Millisecond
	// agingInterval is how often MAC entries are aged (mac_learning_run).
	agingInterval = time.Second
	// macRevalDutyFactor paces revalidations that only new, expired or
	// evicted MAC entries ask for: the next one waits for this many
	// times the last revalidation's duration (so they take at most ~10 %
	// of the workers' time), ...
	macRevalDutyFactor = 10
	// macRevalMaxDelay ... but never longer than this (OVS's
	// max-revalidator default).
	macRevalMaxDelay = 500 * time.Millisecond
)

// Config configures a Pipeline.
type Config struct {
	// Bridge is the bridge name (ofproto/trace's bridge("NAME") line).
	Bridge string
	// Tables are the OpenFlow tables to translate through; nil creates
	// empty ones. The caller adds the fail-mode standalone NORMAL flow
	// (tables.AddDefaultNormal) if it wants it.
	Tables *tables.Tables
	// MAC configures NORMAL's MAC table.
	MAC maclearn.Config
	// ForwardBPDU is other_config:forward-bpdu.
	ForwardBPDU bool
	// Datapath is the bridge's datapath, whose megaflow stats Tick pulls
	// into rule counters (nil: counters only see upcalled packets;
	// SetDatapath sets it later).
	Datapath *datapath.Datapath
	// OnRemoved receives the rules Tick expired (idle/hard timeout), for
	// FLOW_REMOVED. It runs on the Tick goroutine. May be nil.
	OnRemoved func([]tables.Removed)
}

// Counters are translation statistics.
type Counters struct {
	Upcalls      uint64
	Revalidated  uint64
	Failures     [numFailures]uint64 // by Failure
	StatsPulls   uint64
	RulesExpired uint64
	// TunnelDrops counts tunnel translations that dropped the packet: output
	// to a tunnel port without configuration, remote_ip=flow without
	// tun_dst, no route to the remote, header table full; decapsulated
	// packets matching no tunnel port.
	TunnelDrops uint64
}

// Pipeline is the OpenFlow slow path of one bridge: it implements
// bridge.Pipeline and datapath.CookieUpcaller.
type Pipeline struct {
	name        string
	tables      *tables.Tables
	mac         *maclearn.Table
	forwardBPDU atomic.Bool
	ports       atomic.Pointer[portSnap]
	dp          atomic.Pointer[datapath.Datapath]
	onRemoved   func([]tables.Removed)

	revalidating atomic.Bool
	failOpen     atomic.Bool
	ctrl         controllerTable

	upcalls, revalidated, pulls, expired atomic.Uint64
	tunnelDrops                          atomic.Uint64
	tunnels                              atomic.Pointer[tunnel.Table]
	tlv                                  *tlv.Table // the bridge's Geneve TLV map
	failures                             [numFailures]atomic.Uint64

	// Tick state (bridge maintenance goroutine only).
	lastMACGen  uint64
	lastMoveGen uint64
	// revalStart and revalCost time the last revalidation (wall clock,
	// set by SetRevalidating); lastMACReval is the Tick time of the last
	// MAC-driven one. Same goroutine as Tick, the bridge lock held.
	revalStart   time.Time
	revalCost    time.Duration
	lastMACReval time.Time
	lastAging    time.Time
	lastPull     time.Time
	revalGen     atomic.Uint64 // tables generation at the last revalidation start
	pullNow      atomic.Int64  // unix ns of the pull in progress
	creditFn     func(*datapath.StatsDelta)
	closed       atomic.Bool
	lastTableGen uint64
}

var (
	_ bridge.Pipeline         = (*Pipeline)(nil)
	_ datapath.CookieUpcaller = (*Pipeline)(nil)
)

// New returns a pipeline with no ports.
func New(cfg Config) *Pipeline {
	p := &Pipeline{name: cfg.Bridge, tables: cfg.Tables, onRemoved: cfg.OnRemoved, tlv: tlv.NewTable()}
	if p.tables == nil {
		p.tables = tables.New(tables.Config{})
	}
	p.mac = maclearn.New(cfg.MAC)
	p.forwardBPDU.Store(cfg.ForwardBPDU)
	p.ports.Store(newPortSnap(nil))
	if cfg.Datapath != nil {
		p.dp.Store(cfg.Datapath)
	}
	p.lastMACGen = p.mac.Generation()
	p.lastMoveGen = p.mac.MoveGeneration()
	p.creditFn = p.credit
	return p
}

// Tables returns the pipeline's OpenFlow tables.
func (p *Pipeline) Tables() *tables.Tables { return p.tables }

// MACTable returns NORMAL's MAC table (fdb/show).
func (p *Pipeline) MACTable() *maclearn.Table { return p.mac }

// SetDatapath sets the datapath whose stats Tick pulls.
func (p *Pipeline) SetDatapath(dp *datapath.Datapath) { p.dp.Store(dp) }

// SetFailOpen turns fail-open on or off (the caller revalidates): while
// on, a hidden catch-all NORMAL rule above every OpenFlow priority
// decides every packet, as OVS's fail-open.c does for a standalone bridge
// whose controllers have been unreachable long enough.
func (p *Pipeline) SetFailOpen(on bool) { p.failOpen.Store(on) }

// FailOpen reports whether fail-open is on.
func (p *Pipeline) FailOpen() bool { return p.failOpen.Load() }

// SetForwardBPDU applies other_config:forward-bpdu (the caller revalidates).
func (p *Pipeline) SetForwardBPDU(on bool) { p.forwardBPDU.Store(on) }

// Stats returns the translation counters.
func (p *Pipeline) Stats() Counters {
	c := Counters{Upcalls: p.upcalls.Load(), Revalidated: p.revalidated.Load(),
		StatsPulls: p.pulls.Load(), RulesExpired: p.expired.Load(), TunnelDrops: p.tunnelDrops.Load()}
	for i := range c.Failures {
		c.Failures[i] = p.failures[i].Load()
	}
	return c
}

// Upcall implements datapath.Upcaller (without rule accounting: the
// datapath uses UpcallCookie when the Upcaller chain forwards it).
func (p *Pipeline) Upcall(k, mask *flow.Key, acts *datapath.Actions) error {
	_, err := p.UpcallCookie(k, mask, acts, 0)
	return err
}

// vlanPresenceMask is what dpif-netdev forces on an unmatched VLAN TCI
// (a missing tag is an exact "no tag" match).
const vlanPresenceMask = 0x0fff | flow.VLANCFI

// UpcallCookie implements datapath.CookieUpcaller: it translates k
// through the tables, ORs the megaflow mask into mask, appends the
// datapath actions and returns the xlate cache (the rules the packet
// went through) as the megaflow's cookie. frameLen > 0 (an upcalled
// packet) credits that packet to every rule now, as OVS does at upcall
// time. MAC learning happens only for an upcalled packet (frameLen > 0)
// while the bridge is not revalidating: a re-translation (frameLen 0) has
// no side effects, also when a datapath worker runs it after
// bridge.Revalidate returned (datapath.Revalidate). It never
// fails: budget exhaustion and unsupported rewrites give a drop megaflow
// (counted by Failure).
func (p *Pipeline) UpcallCookie(k, mask *flow.Key, acts *datapath.Actions, frameLen int) (any, error) {
	reval := p.revalidating.Load()
	if frameLen > 0 {
		p.upcalls.Add(1)
	} else {
		p.revalidated.Add(1)
	}
	c := ctxPool.Get().(*ctx)
	p.initCtx(c, k, frameLen > 0 && !reval)
	c.acts = (*acts)[:0]
	c.run()
	m := c.finishMask()
	if tpid, tci := m.VLAN(0); tci == 0 {
		m.SetVLAN(0, tpid, vlanPresenceMask)
	}
	mask.Or(&m)
	*acts = c.acts
	if c.fail != FailNone {
		p.failures[c.fail].Add(1)
	}
	xc := new(xcache)
	xc.rules = append(xc.inline[:0:len(xc.inline)], c.rules...)
	releaseCtx(c)
	if frameLen > 0 {
		now := p.tables.Now()
		for _, r := range xc.rules {
			r.Stats().Credit(1, uint64(frameLen), now)
		}
	}
	return xc, nil
}

// xcache is a megaflow's xlate cache: the rules its translation used
// (in inline when they are few, as with NORMAL's single rule).
type xcache struct {
	rules  []*tables.Rule
	inline [2]*tables.Rule
}

// credit adds one megaflow's traffic to its rules (PullStats callback;
// runs on datapath workers, allocation-free).
func (p *Pipeline) credit(d *datapath.StatsDelta) {
	xc, ok := d.Cookie.(*xcache)
	if !ok {
		return
	}
	used := time.Unix(0, p.pullNow.Load()-int64(d.Idle))
	for _, r := range xc.rules {
		r.Stats().Credit(d.Packets, d.Bytes, used)
	}
}

// PortsChanged implements bridge.Pipeline. VLAN changes flush the MAC
// table (OVS bundle_set need_flush); removed ports lose their entries.
func (p *Pipeline) PortsChanged(ports []bridge.PortInfo) {
	old := p.ports.Load()
	np := newPortSnap(ports)
	vlanChanged := false
	for i := range np.cfgs {
		if o := old.cfg(np.cfgs[i].OFPort); o != nil && !sameVLAN(o, &np.cfgs[i]) {
			vlanChanged = true
		}
	}
	for no := range old.idx {
		if !np.has(no) {
			p.mac.FlushPort(no)
		}
	}
	p.ports.Store(np)
	if vlanChanged {
		p.mac.Flush()
	}
}

// Tick implements bridge.Pipeline: it pulls datapath stats into rule
// counters every StatsInterval, ages MAC entries every second, expires
// timed-out rules (reporting them to OnRemoved), and asks for
// revalidation when the MAC table, the tables or the rule set changed.
func (p *Pipeline) Tick(now time.Time) bool {
	if dp := p.dp.Load(); dp != nil && now.Sub(p.lastPull) >= StatsInterval {
		p.lastPull = now
		p.pullNow.Store(p.tables.Now().UnixNano())
		dp.PullStats(p.creditFn)
		p.pulls.Add(1)
	}
	if now.Sub(p.lastAging) >= agingInterval {
		p.lastAging = now
		p.mac.Expire()
	}
	reval := false
	if removed := p.tables.Expire(p.tables.Now()); len(removed) > 0 {
		p.expired.Add(uint64(len(removed)))
		if p.onRemoved != nil {
			p.onRemoved(removed)
		}
	}
	// A MAC move or flush revalidates at once; new, expired and evicted
	// entries (every frame of a flow-setup storm learns one) are paced
	// so that re-translating every megaflow does not eat the workers.
	if g := p.mac.Generation(); g != p.lastMACGen {
		mg := p.mac.MoveGeneration()
		cost := p.revalCost
		if dp := p.dp.Load(); dp != nil {
			// Idle workers re-translate after Revalidate returned.
			cost = max(cost, dp.RevalidateCost())
		}
		wait := min(macRevalDutyFactor*cost, macRevalMaxDelay)
		if mg != p.lastMoveGen || now.Sub(p.lastMACReval) >= wait {
			p.lastMACGen, p.lastMoveGen, p.lastMACReval = g, mg, now
			reval = true
		}
	}
	if g := p.tables.Generation(); g != p.revalGen.Load() && g != p.lastTableGen {
		p.lastTableGen = g
		reval = true
	}
	return reval
}

// SetRevalidating implements bridge.Pipeline: while on, translation has
// no side effects (no MAC learning).
func (p *Pipeline) SetRevalidating(on bool) {
	if on {
		p.revalGen.Store(p.tables.Generation())
		p.revalStart = time.Now()
	} else {
		p.revalCost = time.Since(p.revalStart)
	}
	p.revalidating.Store(on)
}

// Close implements bridge.Pipeline.
func (p *Pipeline) Close() { p.closed.Store(true) }
