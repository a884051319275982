package reconcile

import (
	"fmt"
	"net"
	"strings"

	"govs/datapath/flow"
	"govs/ovsdb/schema"
	"govs/ports"
)

// Values govs writes to the Open_vSwitch row, as ovs-vswitchd and ovs-ctl
// of OVS 3.1 would.
const (
	// OVSVersion is written to Open_vSwitch.ovs_version: govs implements
	// OVS 3.1's behaviour, and tools compare this string.
	OVSVersion = "3.1.0"
	// datapathVersion is Bridge.datapath_version for a userspace datapath.
	datapathVersion = "<built-in>"
	// dpidHexDigits is the length of Bridge.datapath_id.
	dpidHexDigits = 16
	stateUp       = "up"
	stateDown     = "down"
)

// datapathTypes and ifaceTypes are what govs supports (Open_vSwitch
// datapath_types / iface_types). "system" bridges run on govs's userspace
// datapath too.
var (
	datapathTypes = []string{"netdev", "system"}
	ifaceTypes    = []string{"geneve", TypeInternal, TypePatch, TypeSystem, TypeTap, "vxlan"}
)

// Datum constructors.
func sStr(s string) schema.Datum { return schema.NewScalar(s) }
func sInt(v int64) schema.Datum  { return schema.NewScalar(v) }
func sEmpty() schema.Datum       { return schema.Datum{} }

func sSet(vals []string) schema.Datum {
	d := schema.Datum{}
	for _, v := range vals {
		d.Keys = append(d.Keys, v)
	}
	return d
}

// sMap builds a sorted map datum.
func sMap(keys []string, vals []schema.Atom) schema.Datum {
	d := schema.Datum{Keys: make([]schema.Atom, len(keys)), Values: vals}
	for i, k := range keys {
		d.Keys[i] = k
	}
	return d
}

// rowUpdate collects the changed columns of one row.
type rowUpdate struct {
	table string
	uuid  schema.UUID
	old   map[string]schema.Datum
	tbl   *schema.Table
	cols  map[string]any
}

func newRowUpdate(s *schema.Schema, table string, uuid schema.UUID, old map[string]schema.Datum) *rowUpdate {
	return &rowUpdate{table: table, uuid: uuid, old: old, tbl: s.Tables[table], cols: map[string]any{}}
}

// set records col = v if it differs from the replica's value (a missing
// column is its default).
func (r *rowUpdate) set(col string, v schema.Datum) {
	c := r.tbl.Column(col)
	if c == nil {
		return
	}
	if c.Type.IsMap() && v.Values == nil {
		// An empty map must still encode as ["map", []].
		v.Values = []schema.Atom{}
	}
	old, ok := r.old[col]
	if !ok {
		old = schema.DefaultDatum(&c.Type)
	}
	if old.Equal(v) {
		return
	}
	r.cols[col] = v.JSON()
}

// op returns the update operation, or nil when nothing changed.
func (r *rowUpdate) op() map[string]any {
	if len(r.cols) == 0 {
		return nil
	}
	return map[string]any{
		"op": "update", "table": r.table,
		"where": []any{[]any{"_uuid", "==", []any{"uuid", string(r.uuid)}}},
		"row":   r.cols,
	}
}

// netdevInfo is what the kernel says about a device.
type netdevInfo struct {
	ok        bool
	ifindex   int
	mac       net.HardwareAddr
	mtu       int
	adminUp   bool
	linkUp    bool
	hasNetdev bool
}

func lookupNetdev(name string) netdevInfo {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return netdevInfo{}
	}
	return netdevInfo{
		ok: true, hasNetdev: true, ifindex: ifi.Index, mac: ifi.HardwareAddr, mtu: ifi.MTU,
		adminUp: ifi.Flags&net.FlagUp != 0, linkUp: ifi.Flags&net.FlagRunning != 0,
	}
}

// statsColumn renders port counters as Interface.statistics.
func statsColumn(s ports.Stats) schema.Datum {
	keys := []string{"rx_bytes", "rx_dropped", "rx_errors", "rx_packets", "tx_bytes", "tx_dropped", "tx_errors", "tx_packets"}
	vals := []uint64{s.RxBytes, s.RxDropped, s.RxErrors, s.RxPackets, s.TxBytes, s.TxDropped, s.TxErrors, s.TxPackets}
	atoms := make([]schema.Atom, len(vals))
	for i, v := range vals {
		atoms[i] = int64(v)
	}
	return sMap(keys, atoms)
}

// writeOps computes the write-back transaction of one pass: Interface
// status columns, Bridge datapath_id, Open_vSwitch cur_cfg and the
// capability columns. withStats adds Interface statistics. It returns no
// ops when the database already says everything.
func (e *engine) writeOps(s *schema.Schema, st *dbState, withStats bool, lookup func(string) netdevInfo) []any {
	var ops []any
	add := func(r *rowUpdate) {
		if op := r.op(); op != nil {
			ops = append(ops, op)
		}
	}
	for _, b := range st.Bridges {
		for _, p := range b.Ports {
			for _, ic := range p.Ifaces {
				add(e.ifaceUpdate(s, ic, withStats, lookup))
			}
		}
		if lb := e.bridges[b.Name]; lb != nil {
			r := newRowUpdate(s, tblBridge, b.UUID, b.Row)
			r.set("datapath_id", sStr(pickDatapathID(b, lb, lookup)))
			r.set("datapath_version", sStr(datapathVersion))
			add(r)
		}
	}
	if st.OVSUUID != "" {
		r := newRowUpdate(s, tblOpenVSwitch, st.OVSUUID, st.OVSRow)
		r.set("cur_cfg", sInt(st.NextCfg))
		r.set("datapath_types", sSet(datapathTypes))
		r.set("iface_types", sSet(ifaceTypes))
		r.set("ovs_version", sStr(OVSVersion))
		r.set("db_version", sStr(s.Version))
		add(r)
	}
	return ops
}

// ifaceUpdate fills an Interface row's status columns from the pass result.
func (e *engine) ifaceUpdate(s *schema.Schema, ic *ifaceCfg, withStats bool, lookup func(string) netdevInfo) *rowUpdate {
	r := newRowUpdate(s, tblInterface, ic.UUID, ic.Row)
	res, ok := e.results[ic.UUID]
	if !ok || res.live == nil {
		// iface_clear_db_record: ofport -1, the error, nothing else.
		r.set("ofport", sInt(ofportFailed))
		if ok && res.err != "" {
			r.set("error", sStr(res.err))
		}
		for _, col := range []string{"ifindex", "mac_in_use", "mtu", "admin_state", "link_state", "statistics"} {
			r.set(col, sEmpty())
		}
		return r
	}
	li := res.live
	r.set("ofport", sInt(int64(li.ofport)))
	r.set("error", sEmpty())
	if li.typ == TypePatch || li.tnlOpts != "" {
		r.set("admin_state", sStr(stateUp))
		r.set("link_state", sStr(stateUp))
	} else if nd := lookup(li.name); nd.ok {
		r.set("ifindex", sInt(int64(nd.ifindex)))
		if len(nd.mac) > 0 {
			r.set("mac_in_use", sStr(nd.mac.String()))
		}
		r.set("mtu", sInt(int64(nd.mtu)))
		r.set("admin_state", sStr(upDown(nd.adminUp)))
		r.set("link_state", sStr(upDown(nd.linkUp)))
	}
	if withStats && li.port != nil {
		r.set("statistics", statsColumn(li.port.Stats()))
	}
	return r
}

func upDown(up bool) string {
	if up {
		return stateUp
	}
	return stateDown
}

// pickDatapathID follows bridge_pick_datapath_id: other_config:datapath-id
// when it is 16 hex digits, else the bridge MAC (bridge_pick_local_hw_addr:
// other_config:hwaddr, else the lowest universally administered unicast
// MAC of a non-internal port, else the LOCAL port's MAC) as 0000<mac>.
func pickDatapathID(b *bridgeCfg, lb *liveBridge, lookup func(string) netdevInfo) string {
	if id := b.OtherConfig["datapath-id"]; len(id) == dpidHexDigits && isHex(id) {
		return strings.ToLower(id)
	}
	mac := bridgeMAC(b, lb, lookup)
	if mac == nil {
		return strings.Repeat("0", dpidHexDigits)
	}
	return fmt.Sprintf("0000%02x%02x%02x%02x%02x%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5])
}

// Ethernet address facts.
const (
	macLen          = 6
	macMulticastBit = 0x01 // group address (first octet)
	macLocalBit     = 0x02 // locally administered (first octet)
)

func bridgeMAC(b *bridgeCfg, lb *liveBridge, lookup func(string) netdevInfo) net.HardwareAddr {
	if hw, err := net.ParseMAC(b.OtherConfig["hwaddr"]); err == nil && len(hw) == macLen {
		return hw
	}
	var best net.HardwareAddr
	for _, li := range lb.ifaces {
		if li.ofport == flow.PortLocal || li.typ == TypeInternal || li.typ == TypePatch {
			continue
		}
		m := lookup(li.name).mac
		if len(m) != macLen || m[0]&macMulticastBit != 0 || m[0]&macLocalBit != 0 || isZero(m) {
			continue
		}
		if best == nil || string(m) < string(best) {
			best = m
		}
	}
	if best != nil {
		return best
	}
	if local := lb.ifaces[b.Name]; local != nil && local.ofport == flow.PortLocal {
		if m := lookup(local.name).mac; len(m) == macLen {
			return m
		}
	}
	return nil
}

func isZero(m net.HardwareAddr) bool {
	for _, b := range m {
		if b != 0 {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}
