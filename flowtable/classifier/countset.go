package classifier

// countSetMinSlots is the initial size of a countSet (a power of two). The
// set doubles when half full, so every probe ends at an empty slot.
const countSetMinSlots = 8

// countSet is a multiset of 64-bit hashes (one stage index of a subtable:
// the cumulative stage hash of every rule, counted). Linear probing with
// backward-shift deletion; n == 0 marks an empty slot. contains allocates
// nothing. A countSet is mutated only while its subtable is private to a
// writer; clone gives the writer its own copy.
type countSet struct {
	slots []countSlot
	n     int // distinct hashes stored
}

type countSlot struct {
	h uint64
	n uint32
}

func (s *countSet) contains(h uint64) bool {
	if len(s.slots) == 0 {
		return false
	}
	m := uint64(len(s.slots) - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		sl := &s.slots[i]
		if sl.n == 0 {
			return false
		}
		if sl.h == h {
			return true
		}
	}
}

func (s *countSet) add(h uint64) {
	if 2*(s.n+1) > len(s.slots) {
		s.resize(max(countSetMinSlots, 2*len(s.slots)))
	}
	m := uint64(len(s.slots) - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		sl := &s.slots[i]
		if sl.n == 0 {
			sl.h, sl.n = h, 1
			s.n++
			return
		}
		if sl.h == h {
			sl.n++
			return
		}
	}
}

// remove drops one count of h; it is a no-op if h is absent.
func (s *countSet) remove(h uint64) {
	if len(s.slots) == 0 {
		return
	}
	m := uint64(len(s.slots) - 1)
	i := slotOf(h) & m
	for ; ; i = (i + 1) & m {
		if s.slots[i].n == 0 {
			return
		}
		if s.slots[i].h == h {
			break
		}
	}
	if s.slots[i].n--; s.slots[i].n > 0 {
		return
	}
	s.n--
	// Backward-shift deletion: pull later members of the probe run
	// into the hole when the hole lies on their probe path.
	for j := i; ; {
		j = (j + 1) & m
		if s.slots[j].n == 0 {
			break
		}
		home := slotOf(s.slots[j].h) & m
		if (j-home)&m >= (j-i)&m {
			s.slots[i] = s.slots[j]
			i = j
		}
	}
	s.slots[i] = countSlot{}
}

func (s *countSet) resize(n int) {
	old := s.slots
	s.slots = make([]countSlot, n)
	m := uint64(n - 1)
	for _, sl := range old {
		if sl.n == 0 {
			continue
		}
		i := slotOf(sl.h) & m
		for s.slots[i].n != 0 {
			i = (i + 1) & m
		}
		s.slots[i] = sl
	}
}

func (s *countSet) clone() countSet {
	return countSet{slots: append([]countSlot(nil), s.slots...), n: s.n}
}
