package datapath

import (
	"cmp"
	"slices"

	"govs/datapath/flow"
)

// classifier is the megaflow classifier (OVS dpcls) of one in_port on one
// worker: one subtable per distinct mask, searched in rank order; the first
// match wins because megaflows do not overlap. Subtables are re-ranked by
// hits (most first) by rerank, and an empty subtable is removed.
type classifier struct {
	in        flow.PortNo
	subtables []*subtable
	nflows    int
}

// lookup returns the matching megaflow and how many subtables it probed.
func (c *classifier) lookup(k *flow.Key) (*megaflow, int) {
	for i, st := range c.subtables {
		if f := st.lookup(k); f != nil {
			st.hits++
			return f, i + 1
		}
	}
	return nil, len(c.subtables)
}

// subtableFor returns the subtable for mask, creating it (ranked last, as
// OVS inserts new subtables with priority 0) when missing.
func (c *classifier) subtableFor(mask *flow.Key) *subtable {
	for _, st := range c.subtables {
		if st.mask == *mask {
			return st
		}
	}
	st := newSubtable(mask)
	c.subtables = append(c.subtables, st)
	return st
}

// find returns the installed flow with exactly this masked key and mask.
func (c *classifier) find(masked, mask *flow.Key) *megaflow {
	for _, st := range c.subtables {
		if st.mask == *mask {
			return st.lookup(masked)
		}
	}
	return nil
}

// insert adds f (key, mask, hash-less) and returns it.
func (c *classifier) insert(f *megaflow) {
	st := c.subtableFor(&f.mask)
	f.hash = maskedHash(&f.key, &st.mask, &st.words)
	st.insert(f)
	f.cls = c
	c.nflows++
}

// remove takes f out of its subtable, marks it dead and drops the subtable
// when it becomes empty.
func (c *classifier) remove(f *megaflow) {
	st := f.st
	st.remove(f)
	f.dead = true
	c.nflows--
	if st.n == 0 {
		c.subtables = slices.DeleteFunc(c.subtables, func(s *subtable) bool { return s == st })
	}
}

// rerank sorts subtables by hits since the last call (most first; ties
// keep their order) and resets the counters.
func (c *classifier) rerank() {
	slices.SortStableFunc(c.subtables, bySubtableHits)
	for _, st := range c.subtables {
		st.hits = 0
	}
}

func bySubtableHits(a, b *subtable) int { return cmp.Compare(b.hits, a.hits) }

// each calls fn for every flow; fn must not modify the classifier.
func (c *classifier) each(fn func(*megaflow)) {
	for _, st := range c.subtables {
		st.each(fn)
	}
}
