package maclearn

import (
	"fmt"
	"strconv"

	"govs/datapath/flow"
)

// Entry is a snapshot of one table entry.
type Entry struct {
	VLAN uint16
	MAC  MAC
	Port flow.PortNo
	// Age is the number of seconds since the entry was last learned or
	// refreshed, as fdb/show's Age column.
	Age int64
}

// Entries returns a snapshot of the table in OVS's order: least recently
// refreshed first (the LRU list fdb/show walks). Expired entries not yet
// collected by Expire are included, as in OVS.
func (t *Table) Entries() []Entry {
	now := t.now()
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]Entry, 0, len(t.byKey))
	for i := t.lru.head; i != nilIdx; i = t.slab[i].next {
		e := &t.slab[i]
		v, m := splitKey(e.key)
		out = append(out, Entry{VLAN: v, MAC: m, Port: e.port, Age: now - e.learned})
	}
	return out
}

// fdbShowHeader is the first line of `ovs-appctl fdb/show BR` (OVS 3.1).
const fdbShowHeader = " port  VLAN  MAC                Age\n"

// PortName formats an OpenFlow port number as OVS's
// ofputil_port_to_string without names: "LOCAL" for the bridge port,
// the decimal number otherwise.
func PortName(p flow.PortNo) string {
	if p == flow.PortLocal {
		return "LOCAL"
	}
	return strconv.FormatUint(uint64(p), 10)
}

// AppendFDBShow appends the text `ovs-appctl fdb/show BR` prints for
// this table (OVS 3.1 format: header, then one "%5s  %4d  MAC  %3d" line
// per entry, least recently refreshed first).
func (t *Table) AppendFDBShow(b []byte) []byte {
	b = append(b, fdbShowHeader...)
	for _, e := range t.Entries() {
		b = fmt.Appendf(b, "%5s  %4d  %s  %3d\n", PortName(e.Port), e.VLAN, e.MAC, e.Age)
	}
	return b
}
