package classifier

import (
	"sync/atomic"

	"govs/datapath/flow"
	"govs/flowtable"
)

// table is one published, immutable version of a Classifier.
type table[V any] struct {
	// subtables by decreasing maxPriority, then increasing id.
	subtables []*subtable[V]
	tries     [numTries]*trieNode
	nRules    int
}

// Classifier is one OpenFlow table. Lookups and the read-only queries
// are lock-free and safe for any number of goroutines; all writes
// (Insert, Remove, Begin/Commit) must be serialised by the caller.
type Classifier[V any] struct {
	cur atomic.Pointer[table[V]]

	// Writer state, touched only by the (single) writer.
	byMask map[units]*subtable[V] // the published subtable of each mask
	nextID uint64
}

// New returns an empty classifier.
func New[V any]() *Classifier[V] {
	c := &Classifier[V]{byMask: make(map[units]*subtable[V])}
	c.cur.Store(&table[V]{})
	return c
}

// Len returns the number of rules.
func (c *Classifier[V]) Len() int { return c.cur.Load().nRules }

// NumSubtables returns the number of distinct masks.
func (c *Classifier[V]) NumSubtables() int { return len(c.cur.Load().subtables) }

// Lookup returns the highest-priority rule matching the packet (key k,
// OpenFlow state st), or nil. It ORs into wc (which may be nil) the bits
// the answer depends on; see the package doc for the wildcard contract.
// Among matching rules of equal priority (undefined in OpenFlow) it
// returns the one from the subtable searched first. Lookup allocates
// nothing, takes no lock and may run concurrently with a writer; it sees
// one published version. k and st are only read, during the call.
func (c *Classifier[V]) Lookup(k *flow.Key, st *flowtable.PipelineState, wc *Wildcards) *Rule[V] {
	r, _ := c.LookupVisited(k, st, wc)
	return r
}

// LookupVisited is Lookup that also returns how many subtables it
// visited (tuple space search cost; subtables after the best match's
// priority are never visited).
func (c *Classifier[V]) LookupVisited(k *flow.Key, st *flowtable.PipelineState, wc *Wildcards) (*Rule[V], int) {
	var scratch Wildcards
	if wc == nil {
		wc = &scratch
	}
	t := c.cur.Load()
	var pv units
	loadPacket(&pv, k, st)
	var tc [numTries]trieCtx
	var best *Rule[V]
	visited := 0
	for _, s := range t.subtables {
		if best != nil && s.maxPriority <= best.Priority {
			break
		}
		visited++
		if e := s.find(&pv, wc, &tc, &t.tries); e != nil {
			if r := e.rules[0]; best == nil || r.Priority > best.Priority {
				best = r
			}
		}
	}
	return best, visited
}

// Insert adds r and publishes the change. A rule with the same match
// and priority is replaced and returned; a nil r is ignored.
func (c *Classifier[V]) Insert(r *Rule[V]) *Rule[V] {
	tx := c.Begin()
	old := tx.Insert(r)
	tx.Commit()
	return old
}

// Remove deletes r (the pointer that was inserted) and publishes the
// change; it reports whether r was present.
func (c *Classifier[V]) Remove(r *Rule[V]) bool {
	tx := c.Begin()
	ok := tx.Remove(r)
	tx.Commit()
	return ok
}
