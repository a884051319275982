package classifier

// entryTableMinSlots is the initial size of an entryTable (a power of
// two); it doubles when half full.
const entryTableMinSlots = 8

// entryTable is a subtable's hash table from masked match to entry:
// linear probing, backward-shift deletion, nil = empty slot. Its slots
// are paged, so a writer's copy shares the pages it does not change.
type entryTable[V any] struct {
	slots paged[*entry[V]]
	n     int
}

// get returns slot i (nil if empty).
func (t *entryTable[V]) get(i uint64) *entry[V] { return *t.slots.at(i) }

// set stores e in slot i of a private table.
func (t *entryTable[V]) set(i uint64, e *entry[V]) { *t.slots.mut(i) = e }

// find returns the entry whose value equals pv under the subtable's mask,
// or nil. It allocates nothing.
func (t *entryTable[V]) find(h uint64, pv *units, s *subtable[V]) *entry[V] {
	if t.slots.size() == 0 {
		return nil
	}
	m := uint64(t.slots.size() - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		e := t.get(i)
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
	if t.slots.size() == 0 {
		return -1
	}
	m := uint64(t.slots.size() - 1)
	for i := slotOf(h) & m; ; i = (i + 1) & m {
		e := t.get(i)
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
	if 2*(t.n+1) > t.slots.size() {
		t.resize(max(entryTableMinSlots, 2*t.slots.size()))
	}
	m := uint64(t.slots.size() - 1)
	i := slotOf(e.hash) & m
	for t.get(i) != nil {
		i = (i + 1) & m
	}
	t.set(i, e)
	t.n++
}

// removeAt empties slot i (backward-shift deletion).
func (t *entryTable[V]) removeAt(i uint64) {
	m := uint64(t.slots.size() - 1)
	t.n--
	for j := i; ; {
		j = (j + 1) & m
		ej := t.get(j)
		if ej == nil {
			break
		}
		home := slotOf(ej.hash) & m
		if (j-home)&m >= (j-i)&m {
			t.set(i, ej)
			i = j
		}
	}
	t.set(i, nil)
}

func (t *entryTable[V]) resize(n int) {
	old := t.slots
	t.slots = newPaged[*entry[V]](n, old.epoch)
	m := uint64(n - 1)
	for _, pg := range old.pages {
		for _, e := range pg.s {
			if e == nil {
				continue
			}
			i := slotOf(e.hash) & m
			for t.get(i) != nil {
				i = (i + 1) & m
			}
			t.set(i, e)
		}
	}
}

// all calls fn for every entry.
func (t *entryTable[V]) all(fn func(e *entry[V]) bool) {
	for _, pg := range t.slots.pages {
		for _, e := range pg.s {
			if e != nil && !fn(e) {
				return
			}
		}
	}
}

func (t *entryTable[V]) clone(epoch uint64) entryTable[V] {
	return entryTable[V]{slots: t.slots.clone(epoch), n: t.n}
}
