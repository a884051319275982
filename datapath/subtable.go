package datapath

import "govs/datapath/flow"

// subtableMinSlots is the initial size of a subtable's hash table (a power
// of two). The table doubles when it becomes half full, so a probe always
// ends at an empty slot.
const subtableMinSlots = 16

// slot is one open-addressing slot; f == nil means empty.
type slot struct {
	hash uint32
	f    *megaflow
}

// subtable holds the megaflows that share one mask, in an open-addressing
// (linear probing, backward-shift deletion) table keyed by the masked key.
// Lookup allocates nothing.
type subtable struct {
	mask  flow.Key
	words maskWords
	slots []slot // len is a power of two
	n     int
	hits  uint64 // megaflow hits since the last re-rank
}

func newSubtable(mask *flow.Key) *subtable {
	return &subtable{mask: *mask, words: newMaskWords(mask), slots: make([]slot, subtableMinSlots)}
}

// matches reports whether k&mask equals f.key on the mask's words.
func (st *subtable) matches(f *megaflow, k *flow.Key) bool {
	for _, i := range st.words.idx[:st.words.n] {
		if k.W[i]&st.mask.W[i] != f.key.W[i] {
			return false
		}
	}
	return true
}

// lookup returns the megaflow matching k, or nil.
func (st *subtable) lookup(k *flow.Key) *megaflow {
	h := maskedHash(k, &st.mask, &st.words)
	m := len(st.slots) - 1
	for i := int(h) & m; ; i = (i + 1) & m {
		s := &st.slots[i]
		if s.f == nil {
			return nil
		}
		if s.hash == h && st.matches(s.f, k) {
			return s.f
		}
	}
}

// insert adds f (whose key is already masked and hash set).
func (st *subtable) insert(f *megaflow) {
	if 2*(st.n+1) > len(st.slots) {
		st.grow()
	}
	st.place(f)
	st.n++
	f.st = st
}

func (st *subtable) place(f *megaflow) {
	m := len(st.slots) - 1
	i := int(f.hash) & m
	for st.slots[i].f != nil {
		i = (i + 1) & m
	}
	st.slots[i] = slot{hash: f.hash, f: f}
}

func (st *subtable) grow() {
	old := st.slots
	st.slots = make([]slot, 2*len(old))
	for _, s := range old {
		if s.f != nil {
			st.place(s.f)
		}
	}
}

// remove deletes f from the table (no-op if it is not there).
func (st *subtable) remove(f *megaflow) {
	m := len(st.slots) - 1
	i := int(f.hash) & m
	for st.slots[i].f != f {
		if st.slots[i].f == nil {
			return
		}
		i = (i + 1) & m
	}
	st.n--
	// Backward-shift deletion: move later members of the probe run into
	// the hole when their home slot allows it.
	for {
		st.slots[i] = slot{}
		j := i
		for {
			j = (j + 1) & m
			if st.slots[j].f == nil {
				return
			}
			home := int(st.slots[j].hash) & m
			// Leave slot j alone if its home lies cyclically in (i, j].
			if i <= j {
				if i < home && home <= j {
					continue
				}
			} else if i < home || home <= j {
				continue
			}
			break
		}
		st.slots[i] = st.slots[j]
		i = j
	}
}

// each calls fn for every megaflow (fn must not modify the table).
func (st *subtable) each(fn func(*megaflow)) {
	for _, s := range st.slots {
		if s.f != nil {
			fn(s.f)
		}
	}
}
