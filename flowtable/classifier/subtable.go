package classifier

import "math/bits"

// portsShift places tp_src|tp_dst (the high 32 bits of the L4 word).
const portsShift = 32

// portsField reads the 32 port bits of the L4 word for the ports trie.
var portsField = trieField{first: wordTp, off: 0, bits: portsBits, stage: stageL4}

// subtable holds the rules that share one mask (tuple space search). It
// keeps, as OVS's cls_subtable:
//   - the mask's non-zero units grouped by stage (unitIdx/stageEnd);
//   - one countSet per stage but the last, of the cumulative stage hash
//     of every rule, so a lookup can stop at the first stage no rule
//     agrees with, un-wildcarding only the stages consulted;
//   - the entry table keyed by the full masked match;
//   - its maximum priority, which orders the subtables.
//
// A published subtable is immutable. A writer clones it (copy-on-write)
// before changing it; see Txn.
type subtable[V any] struct {
	id   uint64 // creation order: breaks ties between equal max priorities
	mask units

	unitIdx  [numUnits]uint8  // non-zero mask units, in stage order
	nUnits   int              // used length of unitIdx
	stageEnd [numStages]uint8 // end in unitIdx of each non-empty stage
	nStages  int              // non-empty stages
	// stageTries[i] is the set (bit j = trie j) of tries whose field is
	// in non-empty stage i and that this subtable's mask is a prefix on.
	stageTries [numStages]uint8
	triePlen   [numTries]int // prefix length per trie field; 0 = not in that trie

	indices [numStages - 1]countSet
	table   entryTable[V]

	// Ports trie (OVS ports_trie): the masked tp_src|tp_dst of every
	// rule, when the mask matches ports. portsPlen is the mask length up
	// to its last set bit; 0 = no ports trie. Persistent, like the
	// table tries, so clones share it.
	portsMask uint32
	portsPlen int
	portsTrie *trieNode

	maxPriority uint16
	nMax        int // rules at maxPriority
	nRules      int
}

func newSubtable[V any](id uint64, mask *units) *subtable[V] {
	s := &subtable[V]{id: id, mask: *mask}
	for st := 0; st < numStages; st++ {
		begin := s.nUnits
		for u := 0; u < numUnits; u++ {
			if mask[u] != 0 && stageOf(u) == st {
				s.unitIdx[s.nUnits] = uint8(u)
				s.nUnits++
			}
		}
		if s.nUnits == begin {
			continue
		}
		s.stageEnd[s.nStages] = uint8(s.nUnits)
		for j := range trieFields {
			if trieFields[j].stage != st {
				continue
			}
			if p := trieFields[j].plen(mask); p > 0 {
				s.triePlen[j] = p
				s.stageTries[s.nStages] |= 1 << uint(j)
			}
		}
		s.nStages++
	}
	if pm := uint32(mask[wordTp] >> portsShift); pm != 0 {
		s.portsMask, s.portsPlen = pm, portsBits-bits.TrailingZeros32(pm)
	}
	return s
}

// clone returns a private, mutable copy of s.
func (s *subtable[V]) clone() *subtable[V] {
	c := *s
	epoch := newEpoch()
	for i := range c.indices {
		c.indices[i] = s.indices[i].clone(epoch)
	}
	c.table = s.table.clone(epoch)
	return &c
}

// stageStart returns the start in unitIdx of non-empty stage i.
func (s *subtable[V]) stageStart(i int) int {
	if i == 0 {
		return 0
	}
	return int(s.stageEnd[i-1])
}

// hashRange continues hash h over units unitIdx[from:to] of pv & mask.
func (s *subtable[V]) hashRange(pv *units, h uint64, from, to int) uint64 {
	for _, u := range s.unitIdx[from:to] {
		h = mix(h, pv[u]&s.mask[u])
	}
	return h
}

// equal reports whether pv & mask equals e's value.
func (s *subtable[V]) equal(e *entry[V], pv *units) bool {
	for _, u := range s.unitIdx[:s.nUnits] {
		if pv[u]&s.mask[u] != e.val[u] {
			return false
		}
	}
	return true
}

// fold un-wildcards the mask bits of units unitIdx[:to] in wc.
func (s *subtable[V]) fold(wc *Wildcards, to int) {
	for _, u := range s.unitIdx[:to] {
		wc.orUnit(int(u), s.mask[u])
	}
}

// stageHashes returns the cumulative hash after each non-empty stage of
// the (masked) value v; the last is the entry hash.
func (s *subtable[V]) stageHashes(v *units) (hs [numStages]uint64, full uint64) {
	h := uint64(hashSeed)
	for i := 0; i < s.nStages; i++ {
		h = s.hashRange(v, h, s.stageStart(i), int(s.stageEnd[i]))
		hs[i] = h
	}
	return hs, h
}

// insert adds r (value v) to a private subtable and returns the rule it
// replaced (same match and priority), if any.
func (s *subtable[V]) insert(r *Rule[V], v *units) *Rule[V] {
	hs, h := s.stageHashes(v)
	var old *Rule[V]
	if i := s.table.slot(h, v); i >= 0 {
		var ne *entry[V]
		ne, old = s.table.get(uint64(i)).with(r)
		s.table.set(uint64(i), ne)
	} else {
		s.table.add(&entry[V]{hash: h, val: *v, rules: []*Rule[V]{r}})
		for i := 0; i < s.nStages-1; i++ {
			s.indices[i].add(hs[i])
		}
	}
	if old != nil {
		return old
	}
	if s.portsPlen > 0 {
		s.portsTrie = trieInsert(s.portsTrie, &portsField, v, s.portsPlen)
	}
	switch {
	case s.nRules == 0 || r.Priority > s.maxPriority:
		s.maxPriority, s.nMax = r.Priority, 1
	case r.Priority == s.maxPriority:
		s.nMax++
	}
	s.nRules++
	return nil
}

// remove deletes r (value v) from a private subtable; false if absent.
func (s *subtable[V]) remove(r *Rule[V], v *units) bool {
	hs, h := s.stageHashes(v)
	i := s.table.slot(h, v)
	if i < 0 {
		return false
	}
	ne, ok := s.table.get(uint64(i)).without(r)
	if !ok {
		return false
	}
	if ne != nil {
		s.table.set(uint64(i), ne)
	} else {
		s.table.removeAt(uint64(i))
		for j := 0; j < s.nStages-1; j++ {
			s.indices[j].remove(hs[j])
		}
	}
	if s.portsPlen > 0 {
		s.portsTrie = trieRemove(s.portsTrie, &portsField, v, s.portsPlen)
	}
	s.nRules--
	if r.Priority == s.maxPriority {
		if s.nMax--; s.nMax == 0 && s.nRules > 0 {
			s.recomputeMax()
		}
	}
	return true
}

func (s *subtable[V]) recomputeMax() {
	s.maxPriority, s.nMax = 0, 0
	s.table.all(func(e *entry[V]) bool {
		for _, r := range e.rules {
			switch {
			case s.nMax == 0 || r.Priority > s.maxPriority:
				s.maxPriority, s.nMax = r.Priority, 1
			case r.Priority == s.maxPriority:
				s.nMax++
			}
		}
		return true
	})
}

// find is OVS's find_match_wc: the entry matching pv, or nil, adding to
// wc the bits the answer depends on. Each non-final stage hashes its
// units and probes the stage index; on a miss the prefix tries may prove
// it with fewer bits (only the stages before, plus the trie bits),
// otherwise the stages consulted so far, this one included, are
// un-wildcarded. The final stage probes the entry table: a hit
// un-wildcards the whole mask; a miss tries the prefix tries, then the
// ports trie, before un-wildcarding the whole mask.
//
// OVS walks the tries before hashing a stage; we walk them only after a
// miss. A hit means some rule agrees with the packet on the trie field,
// so the trie could not have proved a miss: the result is the same
// (barring hash collisions, where either answer is sound), and hits skip
// the trie walk.
func (s *subtable[V]) find(pv *units, wc *Wildcards, tc *[numTries]trieCtx, tries *[numTries]*trieNode) *entry[V] {
	h := uint64(hashSeed)
	start := 0
	last := s.nStages - 1
	for i := 0; i < last; i++ {
		end := int(s.stageEnd[i])
		h = s.hashRange(pv, h, start, end)
		if !s.indices[i].contains(h) {
			if s.stageTries[i] != 0 && s.checkTries(i, pv, wc, tc, tries) {
				s.fold(wc, start)
			} else {
				s.fold(wc, end)
			}
			return nil
		}
		start = end
	}
	if last >= 0 {
		h = s.hashRange(pv, h, start, s.nUnits)
	}
	e := s.table.find(h, pv, s)
	if e == nil && last >= 0 {
		if s.stageTries[last] != 0 && s.checkTries(last, pv, wc, tc, tries) ||
			s.portsPlen > 0 && s.portsMiss(pv, wc) {
			s.fold(wc, start)
			return nil
		}
	}
	s.fold(wc, s.nUnits)
	return e
}

// checkTries is OVS's check_tries for stage i: it reports whether a
// prefix trie proves that no rule of this subtable can match, having
// un-wildcarded the field bits that proof needs. The proof is used only
// when it does not cost more bits than the subtable's own prefix, or when
// wc already has them.
func (s *subtable[V]) checkTries(i int, pv *units, wc *Wildcards, tc *[numTries]trieCtx, tries *[numTries]*trieNode) bool {
	for j := 0; j < numTries; j++ {
		if s.stageTries[i]&(1<<uint(j)) == 0 {
			continue
		}
		c := &tc[j]
		f := &trieFields[j]
		if !c.done {
			trieLookup(tries[j], f, pv, c)
		}
		plen := s.triePlen[j]
		if c.has(plen) {
			continue
		}
		if c.maskbits <= plen {
			f.setPrefix(wc, c.maskbits)
			return true
		}
		if f.prefixSet(wc, c.maskbits) {
			return true
		}
	}
	return false
}

// portsMiss is OVS's ports-trie step after a final-stage miss: when no
// rule's ports agree with the packet's (masked) ports, it un-wildcards
// only the port bits that prove it — up to the first bit where the
// packet leaves the trie — and reports true. When some rule's ports do
// agree (the miss came from tcp_flags, which shares our L4 word, or from
// an earlier stage's hash), it reports false and the caller folds the
// whole mask.
func (s *subtable[V]) portsMiss(pv *units, wc *Wildcards) bool {
	var pu units
	pu[wordTp] = pv[wordTp] & (uint64(s.portsMask) << portsShift)
	var c trieCtx
	trieLookup(s.portsTrie, &portsField, &pu, &c)
	if c.has(s.portsPlen) {
		return false
	}
	wc.orUnit(wordTp, uint64(s.portsMask&prefixMask32(c.maskbits))<<portsShift)
	return true
}
