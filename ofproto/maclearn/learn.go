package maclearn

import "govs/datapath/flow"

// LearnFlags qualify a Learn call.
type LearnFlags uint8

const (
	// GratuitousARP: the packet is a gratuitous ARP (see
	// normal.IsGratuitousARP). Learned from a non-bond port, it locks
	// the entry for GratARPLockSeconds.
	GratuitousARP LearnFlags = 1 << iota
	// FromBond: the input port is a bond. A locked entry is then not
	// moved by a gratuitous ARP. govs has no bonds; the flag exists so
	// that the rule is complete and tested.
	FromBond
)

// MayLearn reports whether src may be learned on vlan, as OVS's
// mac_learning_may_learn: not a multicast/broadcast source and not a
// flood VLAN.
func (t *Table) MayLearn(src MAC, vlan uint16) bool {
	if src.IsMulticast() {
		return false
	}
	t.mu.RLock()
	ok := t.isLearningVLAN(vlan)
	t.mu.RUnlock()
	return ok
}

// Learn records that src was seen on port in vlan, as OVS's
// mac_learning_update. It reports whether the forwarding state changed
// (a new entry, or a move to another port), in which case the
// generation was bumped. Refreshing an existing entry on the same port
// resets its age and returns false.
//
// The common case (entry present, same port, refreshed this second)
// takes only the read lock. Learn allocates nothing except when a new
// entry makes the table's storage grow (at most up to MaxEntries);
// refreshes and moves never allocate. port flow.PortNone is never
// learned.
func (t *Table) Learn(vlan uint16, src MAC, port flow.PortNo, fl LearnFlags) bool {
	if port == flow.PortNone || src.IsMulticast() || vlan > MaxVID {
		return false
	}
	k := tableKey(vlan, src)
	now := t.now()
	t.mu.RLock()
	need := t.updateNeeded(k, vlan, port, fl, now)
	t.mu.RUnlock()
	if !need {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.update(k, vlan, port, fl, now)
}

// updateNeeded is is_mac_learning_update_needed: the read-locked check.
// Keep in step with update. Caller holds mu for reading.
func (t *Table) updateNeeded(k uint64, vlan uint16, port flow.PortNo, fl LearnFlags, now int64) bool {
	if !t.isLearningVLAN(vlan) {
		return false
	}
	i, ok := t.byKey[k]
	if !ok {
		return true
	}
	e := &t.slab[i]
	if now-e.learned > 0 || now >= e.learned+t.idle {
		return true // refresh (age > 0), or relearn an expired entry
	}
	if fl&GratuitousARP != 0 {
		if fl&FromBond == 0 {
			return true // set the lock
		}
		if now < e.gratLock {
			return false
		}
	}
	return e.port != port
}

// update is update_learning_table__. Caller holds mu for writing.
func (t *Table) update(k uint64, vlan uint16, port flow.PortNo, fl LearnFlags, now int64) bool {
	if !t.isLearningVLAN(vlan) {
		return false
	}
	i, ok := t.byKey[k]
	changed := false
	if ok && now >= t.slab[i].learned+t.idle {
		// Expired but not yet collected: it was invisible, so
		// relearning it is a new entry.
		t.removeEntry(i)
		t.nExpired.Add(1)
		ok = false
	}
	if !ok {
		i = t.insert(k, port, now)
		t.nLearned.Add(1)
		changed = true
	} else {
		t.touch(i, now)
	}
	e := &t.slab[i]
	if fl&GratuitousARP != 0 {
		if fl&FromBond == 0 {
			e.gratLock = now + GratARPLockSeconds
		} else if now < e.gratLock {
			if changed {
				t.gen.Add(1)
			}
			return changed
		}
	}
	if e.port != port {
		t.setPort(i, port)
		t.nMoved.Add(1)
		t.moveGen.Add(1)
		changed = true
	}
	if changed {
		t.gen.Add(1)
	}
	return changed
}

// insert adds a new entry for k on port, evicting fairly when full.
// Caller holds mu for writing.
func (t *Table) insert(k uint64, port flow.PortNo, now int64) int32 {
	if len(t.byKey) >= t.max {
		t.evictFairly()
	}
	var i int32
	if t.free != nilIdx {
		i = t.free
		t.free = t.slab[i].next
	} else {
		t.slab = append(t.slab, entry{})
		i = int32(len(t.slab) - 1)
	}
	t.slab[i] = entry{key: k, port: port, learned: now, live: true,
		prev: nilIdx, next: nilIdx, pprev: nilIdx, pnext: nilIdx}
	t.byKey[k] = i
	t.pushBack(&t.lru, i, false)
	t.portList(port).n++
	t.pushBack(&t.portList(port).l, i, true)
	return i
}

// portList returns port's LRU list, creating it. Caller holds mu for
// writing.
func (t *Table) portList(port flow.PortNo) *portLRU {
	p := t.ports[port]
	if p == nil {
		p = &portLRU{l: emptyList()}
		t.ports[port] = p
	}
	return p
}

// touch marks i as just refreshed. Caller holds mu for writing.
func (t *Table) touch(i int32, now int64) {
	e := &t.slab[i]
	e.learned = now
	t.remove(&t.lru, i, false)
	t.pushBack(&t.lru, i, false)
	p := t.ports[e.port]
	t.remove(&p.l, i, true)
	t.pushBack(&p.l, i, true)
}

// setPort moves entry i to port. Caller holds mu for writing.
func (t *Table) setPort(i int32, port flow.PortNo) {
	e := &t.slab[i]
	t.unlinkPort(i)
	e.port = port
	p := t.portList(port)
	p.n++
	t.pushBack(&p.l, i, true)
}

// unlinkPort removes i from its port's list, dropping empty lists.
// Caller holds mu for writing.
func (t *Table) unlinkPort(i int32) {
	port := t.slab[i].port
	p := t.ports[port]
	t.remove(&p.l, i, true)
	p.n--
	if p.n == 0 {
		delete(t.ports, port)
	}
}

// removeEntry deletes entry i from every structure and frees its slot.
// Caller holds mu for writing; the caller bumps the generation.
func (t *Table) removeEntry(i int32) {
	e := &t.slab[i]
	delete(t.byKey, e.key)
	t.remove(&t.lru, i, false)
	t.unlinkPort(i)
	*e = entry{next: t.free}
	t.free = i
}

// evictFairly removes the least recently refreshed entry of the port
// with the most entries (OVS's evict_mac_entry_fairly; ties go to the
// lowest port number). Caller holds mu for writing.
func (t *Table) evictFairly() {
	var best *portLRU
	var bestPort flow.PortNo
	for port, p := range t.ports {
		if best == nil || p.n > best.n || (p.n == best.n && port < bestPort) {
			best, bestPort = p, port
		}
	}
	if best == nil {
		return
	}
	t.removeEntry(best.l.head)
	t.nEvicted.Add(1)
	t.gen.Add(1)
}
