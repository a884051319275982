package maclearn

import "govs/datapath/flow"

// Lookup returns the port on which dst was learned in vlan, as OVS's
// mac_learning_lookup: multicast/broadcast destinations and flood VLANs
// always miss, and so do entries past their aging time (even before
// Expire collects them). It takes only the read lock and allocates
// nothing.
func (t *Table) Lookup(vlan uint16, dst MAC) (flow.PortNo, bool) {
	if dst.IsMulticast() || vlan > MaxVID {
		return flow.PortNone, false
	}
	k := tableKey(vlan, dst)
	now := t.now()
	t.mu.RLock()
	defer t.mu.RUnlock()
	if !t.isLearningVLAN(vlan) {
		return flow.PortNone, false
	}
	i, ok := t.byKey[k]
	if !ok {
		return flow.PortNone, false
	}
	e := &t.slab[i]
	if now >= e.learned+t.idle {
		return flow.PortNone, false
	}
	return e.port, true
}

// GratARPLocked reports whether the entry for (vlan, mac) exists and is
// under the gratuitous-ARP lock (OVS's mac_entry_is_grat_arp_locked).
func (t *Table) GratARPLocked(vlan uint16, mac MAC) bool {
	k := tableKey(vlan, mac)
	now := t.now()
	t.mu.RLock()
	defer t.mu.RUnlock()
	i, ok := t.byKey[k]
	return ok && now < t.slab[i].gratLock
}
