package maclearn

import "govs/datapath/flow"

// FlushReply is what `ovs-appctl fdb/flush` prints on success.
const FlushReply = "table successfully flushed"

// Expire removes entries past their aging time and, when the table is
// over capacity (after SetMaxEntries lowered it), the least recently
// refreshed entries, as OVS's mac_learning_run. It returns how many
// entries it removed; any removal bumps the generation. The owner calls
// it periodically (once a second is enough: ages are whole seconds).
func (t *Table) Expire() int {
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for i := t.lru.head; i != nilIdx; i = t.lru.head {
		if len(t.byKey) <= t.max && now < t.slab[i].learned+t.idle {
			break
		}
		t.removeEntry(i)
		n++
	}
	if n > 0 {
		t.nExpired.Add(uint64(n))
		t.gen.Add(1)
	}
	return n
}

// NextExpiry returns in how many seconds (on the table's clock) the
// oldest entry expires, or false when the table is empty, so that the
// owner can sleep until then.
func (t *Table) NextExpiry() (int64, bool) {
	now := t.now()
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.lru.head == nilIdx {
		return 0, false
	}
	return max(t.slab[t.lru.head].learned+t.idle-now, 0), true
}

// Flush removes every entry (fdb/flush, and OVS's flush on a VLAN
// configuration change). It returns the number removed.
func (t *Table) Flush() int {
	return t.flushIf(func(*entry) bool { return true })
}

// FlushPort removes every entry learned on port (the port was deleted
// or reconfigured). It returns the number removed.
func (t *Table) FlushPort(port flow.PortNo) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.ports[port]
	if p == nil {
		return 0
	}
	n := 0
	for p.n > 0 {
		t.removeEntry(p.l.head)
		n++
	}
	t.gen.Add(1)
	t.moveGen.Add(1)
	return n
}

// FlushVLAN removes every entry in vlan. It returns the number removed.
func (t *Table) FlushVLAN(vlan uint16) int {
	return t.flushIf(func(e *entry) bool { v, _ := splitKey(e.key); return v == vlan })
}

// flushIf removes the entries for which match is true.
func (t *Table) flushIf(match func(*entry) bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for i := t.lru.head; i != nilIdx; {
		next := t.slab[i].next
		if match(&t.slab[i]) {
			t.removeEntry(i)
			n++
		}
		i = next
	}
	if n > 0 {
		t.gen.Add(1)
		t.moveGen.Add(1)
	}
	return n
}
