package tables

import (
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/classifier"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// Table numbers.
const (
	// NumTables is the number of OpenFlow tables (0..253), as OVS's
	// n_tables:254; table 254 is OVS's hidden internal table.
	NumTables = 254
	// TableInternal is OVS's hidden, read-only table.
	TableInternal = 254
	// TableAll is OFPTT_ALL ("every table" in delete/modify/stats).
	TableAll = flowsyntax.TableAll
)

// Priorities.
const (
	// DefaultPriority is OFP_DEFAULT_PRIORITY.
	DefaultPriority = 0x8000
	// NormalPriority is the priority of the fail-mode standalone flow.
	NormalPriority = 0
)

// Config configures Tables.
type Config struct {
	// Clock returns the current time; nil uses time.Now. Tests inject a
	// fake clock to drive timeouts and ages.
	Clock func() time.Time
}

// Tables is one bridge's OpenFlow tables 0..253. Lookups are lock-free
// (each table is an RCU classifier); writers (Apply, Expire, Flush,
// AddDefaultNormal) are serialised by an internal mutex.
type Tables struct {
	clock func() time.Time
	cls   [NumTables]*classifier.Classifier[*Rule]
	gen   atomic.Uint64

	// mu serialises writers.
	mu     sync.Mutex
	nRules int // guarded by mu
	// nTimed counts the rules with an idle or hard timeout (written
	// under mu), so Expire and HasTimeouts skip tables without any
	// instead of walking every rule on each pipeline tick.
	nTimed atomic.Int64
}

// timed reports whether r can expire.
func timed(r *Rule) bool { return r.IdleTimeout != 0 || r.HardTimeout != 0 }

// countTimed adjusts nTimed for r entering (d = 1) or leaving (d = -1)
// the tables. t.mu is held.
func (t *Tables) countTimed(r *Rule, d int64) {
	if timed(r) {
		t.nTimed.Add(d)
	}
}

// New returns empty tables.
func New(cfg Config) *Tables {
	t := &Tables{clock: cfg.Clock}
	if t.clock == nil {
		t.clock = time.Now
	}
	for i := range t.cls {
		t.cls[i] = classifier.New[*Rule]()
	}
	return t
}

// Now returns the tables' clock.
func (t *Tables) Now() time.Time { return t.clock() }

// Generation changes (increases) after every change to any table; a
// translation result computed at generation g is stale once Generation()
// != g. The bridge revalidates the datapath after each change.
func (t *Tables) Generation() uint64 { return t.gen.Load() }

// Len returns the number of rules in all tables.
func (t *Tables) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.nRules
}

// TableLen returns the number of rules in table id (0 for ids >= NumTables).
func (t *Tables) TableLen(id uint8) int {
	if int(id) >= NumTables {
		return 0
	}
	return t.cls[id].Len()
}

// Lookup returns the highest-priority rule of table id matching the
// packet (key k, OpenFlow state st), or nil, and ORs into wc (may be nil)
// the bits the answer depends on (classifier wildcard contract). It
// allocates nothing, takes no lock and may run concurrently with writers.
// An id >= NumTables misses.
func (t *Tables) Lookup(id uint8, k *flow.Key, st *flowtable.PipelineState, wc *classifier.Wildcards) *Rule {
	if int(id) >= NumTables {
		return nil
	}
	r := t.cls[id].Lookup(k, st, wc)
	if r == nil {
		return nil
	}
	return r.Value
}

// AddDefaultNormal adds "priority=0 actions=NORMAL" to table 0: the flow
// OVS's connmgr adds in fail_mode standalone without controllers. It is
// an ordinary, visible rule (del-flows removes it for good).
func (t *Tables) AddDefaultNormal() {
	fm := &flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: NormalPriority, Table: 0,
		OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny,
		Actions: []ofpact.Action{&ofpact.Output{Port: flowtable.PortNormal}}}
	if _, err := t.Apply(fm, ofpact.OF10); err != nil {
		panic("tables: default NORMAL flow rejected: " + err.Error()) // a bug, not input
	}
}

// Flush removes every rule without FLOW_REMOVED (OVS flushes all flows
// when the fail mode or the controller set changes).
func (t *Tables) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	changed := false
	for _, c := range t.cls {
		if c.Len() == 0 {
			continue
		}
		tx := c.Begin()
		for r := range c.Rules() {
			tx.Remove(r)
			r.Value.removed.Store(true)
		}
		tx.Commit()
		changed = true
	}
	t.nRules = 0
	t.nTimed.Store(0)
	if changed {
		t.gen.Add(1)
	}
}

// removedOf builds the Removed record of r at now.
func removedOf(r *Rule, why Reason, now time.Time) Removed {
	return Removed{Rule: r, Reason: why, Packets: r.stats.Packets(), Bytes: r.stats.Bytes(),
		Duration: now.Sub(r.Created)}
}
