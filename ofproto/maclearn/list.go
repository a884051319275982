package maclearn

// list is an intrusive doubly linked list of slab indices. Each entry
// carries two sets of links: the global LRU (prev/next) and its port's
// LRU (pprev/pnext); perPort selects which set a list uses.
type list struct {
	head, tail int32
}

func emptyList() list { return list{head: nilIdx, tail: nilIdx} }

// links returns pointers to entry i's links for the chosen list.
func (t *Table) links(i int32, perPort bool) (prev, next *int32) {
	e := &t.slab[i]
	if perPort {
		return &e.pprev, &e.pnext
	}
	return &e.prev, &e.next
}

// pushBack appends i to l. Caller holds mu for writing.
func (t *Table) pushBack(l *list, i int32, perPort bool) {
	prev, next := t.links(i, perPort)
	*prev, *next = l.tail, nilIdx
	if l.tail == nilIdx {
		l.head = i
	} else {
		_, tn := t.links(l.tail, perPort)
		*tn = i
	}
	l.tail = i
}

// remove unlinks i from l. Caller holds mu for writing.
func (t *Table) remove(l *list, i int32, perPort bool) {
	prev, next := t.links(i, perPort)
	p, n := *prev, *next
	if p == nilIdx {
		l.head = n
	} else {
		_, pn := t.links(p, perPort)
		*pn = n
	}
	if n == nilIdx {
		l.tail = p
	} else {
		np, _ := t.links(n, perPort)
		*np = p
	}
	*prev, *next = nilIdx, nilIdx
}
