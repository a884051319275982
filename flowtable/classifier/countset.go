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
	slots paged[countSlot]
	n     int // distinct hashes stored
}

type countSlot struct {
	h uint64
	n uint32
}

func (s *countSet) contains(h uint64) bool {
	if s.slots.size() == 0 {
		return false
	}
	m := uint64(s.slots.size() - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		sl := s.slots.at(i)
		if sl.n == 0 {
			return false
		}
		if sl.h == h {
			return true
		}
	}
}

func (s *countSet) add(h uint64) {
	if 2*(s.n+1) > s.slots.size() {
		s.resize(max(countSetMinSlots, 2*s.slots.size()))
	}
	m := uint64(s.slots.size() - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		sl := s.slots.at(i)
		if sl.n == 0 {
			*s.slots.mut(i) = countSlot{h: h, n: 1}
			s.n++
			return
		}
		if sl.h == h {
			s.slots.mut(i).n++
			return
		}
	}
}

// remove drops one count of h; it is a no-op if h is absent.
func (s *countSet) remove(h uint64) {
	if s.slots.size() == 0 {
		return
	}
	m := uint64(s.slots.size() - 1)
	i := slotOf(h) & m
	for ; ; i = (i + 1) & m {
		sl := s.slots.at(i)
		if sl.n == 0 {
			return
		}
		if sl.h == h {
			break
		}
	}
	if sl := s.slots.mut(i); sl.n > 1 {
		sl.n--
		return
	}
	s.n--
	// Backward-shift deletion: pull later members of the probe run
	// into the hole when the hole lies on their probe path.
	for j := i; ; {
		j = (j + 1) & m
		sj := *s.slots.at(j)
		if sj.n == 0 {
			break
		}
		home := slotOf(sj.h) & m
		if (j-home)&m >= (j-i)&m {
			*s.slots.mut(i) = sj
			i = j
		}
	}
	*s.slots.mut(i) = countSlot{}
}

func (s *countSet) resize(n int) {
	old := s.slots
	s.slots = newPaged[countSlot](n, old.epoch)
	m := uint64(n - 1)
	for _, pg := range old.pages {
		for _, sl := range pg.s {
			if sl.n == 0 {
				continue
			}
			i := slotOf(sl.h) & m
			for s.slots.at(i).n != 0 {
				i = (i + 1) & m
			}
			*s.slots.mut(i) = sl
		}
	}
}

func (s *countSet) clone(epoch uint64) countSet {
	return countSet{slots: s.slots.clone(epoch), n: s.n}
}
