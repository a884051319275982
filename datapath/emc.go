package datapath

import "govs/datapath/flow"

// EMC geometry, as OVS: 1<<13 entries, each key may live in one of two
// slots chosen by hash bits 0-12 and 13-25.
const (
	emcShift   = 13
	emcEntries = 1 << emcShift
	emcMask    = emcEntries - 1
	emcSegs    = 2
)

// DefaultEMCInsertInvProb is OVS's other_config:emc-insert-inv-prob default:
// one megaflow hit in 100 inserts into the EMC.
const DefaultEMCInsertInvProb = 100

type emcEntry struct {
	hash uint32
	f    *megaflow
	key  flow.Key
}

// emc is the exact-match cache of one worker. Entries point at megaflows
// and are valid only while the megaflow is not dead.
type emc struct {
	insertMin uint32 // 0: EMC off; insert when rand <= insertMin
	rng       uint64 // xorshift64* state, never 0
	e         [emcEntries]emcEntry
}

// setInvProb applies emc-insert-inv-prob semantics: 0 off, 1 always.
func (c *emc) setInvProb(inv uint32) {
	if inv == 0 {
		c.insertMin = 0
		c.clear()
		return
	}
	c.insertMin = ^uint32(0) / inv
}

func (c *emc) enabled() bool { return c.insertMin != 0 }

func (c *emc) lookup(k *flow.Key, h uint32) *megaflow {
	idx := h
	for s := 0; s < emcSegs; s++ {
		e := &c.e[idx&emcMask]
		if e.hash == h && e.f != nil && !e.f.dead && e.key == *k {
			return e.f
		}
		idx >>= emcShift
	}
	return nil
}

func alive(e *emcEntry) bool { return e.f != nil && !e.f.dead }

// insert stores k -> f: over an entry with the same key, else in a free
// (or dead) slot, else over the slot with the lower stored hash (OVS).
func (c *emc) insert(k *flow.Key, h uint32, f *megaflow) {
	var victim *emcEntry
	idx := h
	for s := 0; s < emcSegs; s++ {
		e := &c.e[idx&emcMask]
		idx >>= emcShift
		if e.hash == h && e.key == *k && alive(e) {
			e.f = f
			return
		}
		if victim == nil || (alive(victim) && !alive(e)) || e.hash < victim.hash {
			victim = e
		}
	}
	victim.hash, victim.f, victim.key = h, f, *k
}

// maybeInsert inserts with probability 1/inv-prob.
func (c *emc) maybeInsert(k *flow.Key, h uint32, f *megaflow) {
	if c.insertMin == 0 {
		return
	}
	if c.insertMin != ^uint32(0) && c.rand() > c.insertMin {
		return
	}
	c.insert(k, h, f)
}

// xorshift64* parameters (Vigna, "An experimental exploration of
// Marsaglia's xorshift generators").
const (
	xsShiftA = 12
	xsShiftB = 25
	xsShiftC = 27
	xsMul    = 0x2545f4914f6cdd1d
)

// rand returns 32 pseudo-random bits (insertion decisions only).
func (c *emc) rand() uint32 {
	x := c.rng
	x ^= x >> xsShiftA
	x ^= x << xsShiftB
	x ^= x >> xsShiftC
	c.rng = x
	return uint32((x * xsMul) >> 32)
}

// clear drops every entry (Flush).
func (c *emc) clear() {
	for i := range c.e {
		c.e[i].f = nil
		c.e[i].hash = 0
	}
}
