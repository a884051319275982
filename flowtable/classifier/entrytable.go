package classifier

// entryTableMinSlots is the initial size of an entryTable (a power of
// two); it doubles when half full.
const entryTableMinSlots = 8

// entryTable is a subtable's hash table from masked match to entry:
// linear probing, backward-shift deletion, nil = empty slot.
type entryTable[V any] struct {
	slots []*entry[V]
	n     int
}

// find returns the entry whose value equals pv under the subtable's mask,
// or nil. It allocates nothing.
func (t *entryTable[V]) find(h uint64, pv *units, s *subtable[V]) *entry[V] {
	if len(t.slots) == 0 {
		return nil
	}
	m := uint64(len(t.slots) - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		e := t.slots[i]
		if e == nil {
			return nil
		}
		if e.hash == h && s.equal(e, pv) {
			return e
		}
	}
}

// slot returns the index of the entry with value v, or -1.
func (t *entryTable[V]) slot(h uint64, v *units) int {
	if len(t.slots) == 0 {
		return -1
	}
	m := uint64(len(t.slots) - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		e := t.slots[i]
		if e == nil {
			return -1
		}
		if e.hash == h && e.val == *v {
			return int(i)
		}
	}
}

// add inserts e, whose value is not in the table.
func (t *entryTable[V]) add(e *entry[V]) {
	if 2*(t.n+1) > len(t.slots) {
		t.resize(max(entryTableMinSlots, 2*len(t.slots)))
	}
	m := uint64(len(t.slots) - 1)
	i := slotOf(e.hash) & m
	for t.slots[i] != nil {
		i = (i + 1) & m
	}
	t.slots[i] = e
	t.n++
}

// removeAt empties slot i (backward-shift deletion).
func (t *entryTable[V]) removeAt(i uint64) {
	m := uint64(len(t.slots) - 1)
	t.n--
	for j := i; ; {
		j = (j + 1) & m
		if t.slots[j] == nil {
			break
		}
		home := slotOf(t.slots[j].hash) & m
		if (j-home)&m >= (j-i)&m {
			t.slots[i] = t.slots[j]
			i = j
		}
	}
	t.slots[i] = nil
}

func (t *entryTable[V]) resize(n int) {
	old := t.slots
	t.slots = make([]*entry[V], n)
	m := uint64(n - 1)
	for _, e := range old {
		if e == nil {
			continue
		}
		i := slotOf(e.hash) & m
		for t.slots[i] != nil {
			i = (i + 1) & m
		}
		t.slots[i] = e
	}
}

func (t *entryTable[V]) clone() entryTable[V] {
	return entryTable[V]{slots: append([]*entry[V](nil), t.slots...), n: t.n}
}
