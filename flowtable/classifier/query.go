package classifier

import (
	"iter"

	"govs/flowtable"
)

// FindExactly returns the rule whose match equals m (after normalising a
// copy of m) and whose priority is priority: OpenFlow "strict" selection.
// It is lock-free and may run concurrently with a writer.
func (c *Classifier[V]) FindExactly(m *flowtable.Match, priority uint16) *Rule[V] {
	mm := *m
	normalize(&mm)
	var v, mask units
	flatten(&mm, &v, &mask)
	for _, s := range c.cur.Load().subtables {
		if s.mask != mask {
			continue
		}
		_, h := s.stageHashes(&v)
		i := s.table.slot(h, &v)
		if i < 0 {
			return nil
		}
		for _, r := range s.table.get(uint64(i)).rules {
			if r.Priority == priority {
				return r
			}
		}
		return nil
	}
	return nil
}

// Rules iterates over every rule of the version current when iteration
// starts, grouped by subtable (as OVS's classifier dump order: not sorted
// by priority). The caller may change the classifier while iterating; the
// iteration does not see those changes.
func (c *Classifier[V]) Rules() iter.Seq[*Rule[V]] {
	var all flowtable.Match
	return c.Loose(&all)
}

// Loose iterates over the rules that match loosely covers, as OVS's
// cls_rule_is_loose_match (OpenFlow non-strict modify/delete and flow
// stats): a rule is selected when, for every bit m matches, the rule
// matches that bit too with the same value — the rule is at least as
// specific as m. Priority is ignored. So m = in_port=1 selects
// "in_port=1,ip" but not "ip"; the empty match selects every rule. The
// iteration works on one version, like Rules.
func (c *Classifier[V]) Loose(m *flowtable.Match) iter.Seq[*Rule[V]] {
	mm := *m
	normalize(&mm)
	var v, mask units
	flatten(&mm, &v, &mask)
	return func(yield func(*Rule[V]) bool) {
		for _, s := range c.cur.Load().subtables {
			if !s.mask.covers(&mask) {
				continue
			}
			stop := false
			s.table.all(func(e *entry[V]) bool {
				if !looseEqual(&e.val, &v, &mask) {
					return true
				}
				for _, r := range e.rules {
					if !yield(r) {
						stop = true
						return false
					}
				}
				return true
			})
			if stop {
				return
			}
		}
	}
}

// looseEqual reports whether a & mask == b (b already masked).
func looseEqual(a, b, mask *units) bool {
	for i := range a {
		if a[i]&mask[i] != b[i] {
			return false
		}
	}
	return true
}
