package classifier

import (
	"cmp"
	"slices"
)

// Txn batches writes into one new version, published atomically by
// Commit: readers see all of a Txn's changes or none. Each subtable a Txn
// touches is copied once (copy-on-write; its paged hash tables share the
// pages the Txn does not write), and the tries are path-copied, so
// loading n rules costs O(n) in one Txn and about O(n·n/256) with one Txn
// per rule.
//
// Only one Txn (or Insert/Remove call) may be in progress per Classifier;
// the caller serialises writers. An uncommitted Txn changes nothing
// visible and may be dropped.
type Txn[V any] struct {
	c      *Classifier[V]
	base   *table[V]
	tries  [numTries]*trieNode
	nRules int
	owned  map[*subtable[V]]bool         // private copies made by this Txn
	byMask map[units]*subtable[V]        // this Txn's subtable per mask (overrides c.byMask)
	cloned map[*subtable[V]]*subtable[V] // published subtable → private copy
	added  []*subtable[V]
	done   bool
}

// Begin starts a write transaction.
func (c *Classifier[V]) Begin() *Txn[V] {
	t := c.cur.Load()
	return &Txn[V]{c: c, base: t, tries: t.tries, nRules: t.nRules,
		owned: map[*subtable[V]]bool{}, byMask: map[units]*subtable[V]{},
		cloned: map[*subtable[V]]*subtable[V]{}}
}

// subtable returns the private subtable for mask, cloning or (if create)
// creating it; nil if it does not exist and create is false.
func (tx *Txn[V]) subtable(mask *units, create bool) *subtable[V] {
	s, ok := tx.byMask[*mask]
	if !ok {
		s = tx.c.byMask[*mask]
	}
	switch {
	case s == nil && !create:
		return nil
	case s == nil:
		s = newSubtable[V](tx.c.nextID, mask)
		tx.c.nextID++
		tx.added = append(tx.added, s)
	case !tx.owned[s]:
		pub := s
		s = s.clone()
		tx.cloned[pub] = s
	default:
		return s
	}
	tx.owned[s] = true
	tx.byMask[*mask] = s
	return s
}

// Insert adds r, replacing and returning a rule with the same match and
// priority. It normalises r.Match (masks its values). A nil r, or a call
// after Commit, is ignored.
func (tx *Txn[V]) Insert(r *Rule[V]) *Rule[V] {
	if r == nil || tx.done {
		return nil
	}
	normalize(&r.Match)
	var v, m units
	flatten(&r.Match, &v, &m)
	s := tx.subtable(&m, true)
	old := s.insert(r, &v)
	if old == nil {
		tx.nRules++
		for j := range trieFields {
			if p := s.triePlen[j]; p > 0 {
				tx.tries[j] = trieInsert(tx.tries[j], &trieFields[j], &v, p)
			}
		}
	}
	return old
}

// Remove deletes r (the inserted pointer); false if it is not present.
func (tx *Txn[V]) Remove(r *Rule[V]) bool {
	if r == nil || tx.done {
		return false
	}
	var v, m units
	flatten(&r.Match, &v, &m)
	if !tx.has(&m, r, &v) {
		return false
	}
	s := tx.subtable(&m, false)
	if !s.remove(r, &v) {
		return false
	}
	tx.nRules--
	for j := range trieFields {
		if p := s.triePlen[j]; p > 0 {
			tx.tries[j] = trieRemove(tx.tries[j], &trieFields[j], &v, p)
		}
	}
	return true
}

// has reports whether r is stored, without cloning anything.
func (tx *Txn[V]) has(m *units, r *Rule[V], v *units) bool {
	s, ok := tx.byMask[*m]
	if !ok {
		s = tx.c.byMask[*m]
	}
	if s == nil {
		return false
	}
	_, h := s.stageHashes(v)
	i := s.table.slot(h, v)
	return i >= 0 && slices.Contains(s.table.get(uint64(i)).rules, r)
}

// Commit publishes the transaction with one atomic store. Later calls on
// tx do nothing.
func (tx *Txn[V]) Commit() {
	if tx.done {
		return
	}
	tx.done = true
	c := tx.c
	list := make([]*subtable[V], 0, len(tx.base.subtables)+len(tx.added))
	for _, s := range tx.base.subtables {
		if n, ok := tx.cloned[s]; ok {
			s = n
		}
		if s.nRules > 0 {
			list = append(list, s)
		}
	}
	for _, s := range tx.added {
		if s.nRules > 0 {
			list = append(list, s)
		}
	}
	slices.SortFunc(list, func(a, b *subtable[V]) int {
		if a.maxPriority != b.maxPriority {
			return cmp.Compare(b.maxPriority, a.maxPriority)
		}
		return cmp.Compare(a.id, b.id)
	})
	for m, s := range tx.byMask {
		if s.nRules == 0 {
			delete(c.byMask, m)
		} else {
			c.byMask[m] = s
		}
	}
	c.cur.Store(&table[V]{subtables: list, tries: tx.tries, nRules: tx.nRules})
}
