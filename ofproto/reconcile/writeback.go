package reconcile

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"govs/datapath/flow"
	"govs/ovsdb/schema"
	"govs/ports"
	"govs/ports/ethtool"
)

// Values govs writes to the Open_vSwitch row, as ovs-vswitchd and ovs-ctl
// of OVS 3.1 would.
const (
	// OVSVersion is the OVS release whose behaviour govs implements
	// (version replies; govs-vswitchd's embedded database writes it,
	// marked "+govs", to Open_vSwitch.ovs_version as ovs-ctl would).
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
	ifaceTypes    = []string{TypeAFXDP, "geneve", TypeInternal, TypePatch, TypeSystem, TypeTap, "vxlan"}
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
	// link and driver are ethtool's answers (linkOK/driverOK false when
	// the device has none).
	link     ethtool.Link
	linkOK   bool
	driver   ethtool.Driver
	driverOK bool
	// carrierChanges is /sys/class/net/DEV/carrier_changes; -1 unknown.
	carrierChanges int64
}

func lookupNetdev(name string) netdevInfo {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return netdevInfo{}
	}
	nd := netdevInfo{
		ok: true, hasNetdev: true, ifindex: ifi.Index, mac: ifi.HardwareAddr, mtu: ifi.MTU,
		adminUp: ifi.Flags&net.FlagUp != 0, linkUp: ifi.Flags&net.FlagRunning != 0,
		carrierChanges: -1,
	}
	nd.link, err = ethtool.LinkSettings(name)
	nd.linkOK = err == nil
	nd.driver, err = ethtool.DriverInfo(name)
	nd.driverOK = err == nil
	if b, err := os.ReadFile(filepath.Join(sysClassNet, name, "carrier_changes")); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil {
			nd.carrierChanges = n
		}
	}
	return nd
}

// sysClassNet is where the kernel lists network devices.
const sysClassNet = "/sys/class/net"

// linkBitsPerSecond is Interface.link_speed as OVS computes it
// (netdev_linux_read_features then netdev_features_to_bps): only the
// speeds OpenFlow has feature bits for; 0 for any other.
func linkBitsPerSecond(mbps uint32) int64 {
	switch mbps {
	case 10, 100, 1000, 10000, 40000, 100000, 1000000:
		return int64(mbps) * bitsPerMegabit
	}
	return 0
}

const bitsPerMegabit = 1_000_000

// linkDuplex is Interface.duplex: OpenFlow has only full-duplex feature
// bits from 10 Gb/s up, so OVS reports those speeds as full.
func linkDuplex(l ethtool.Link) string {
	if l.FullDuplex || l.SpeedMbps >= 10000 {
		return "full"
	}
	return "half"
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
			for _, c := range b.Controllers {
				up := e.connected != nil && e.connected(b.Name, c.Target)
				cr := newRowUpdate(s, tblController, c.UUID, c.Row)
				cr.set("is_connected", schema.NewScalar(up))
				add(cr)
			}
		}
	}
	if st.OVSUUID != "" {
		r := newRowUpdate(s, tblOpenVSwitch, st.OVSUUID, st.OVSRow)
		r.set("cur_cfg", sInt(st.NextCfg))
		r.set("datapath_types", sSet(datapathTypes))
		r.set("iface_types", sSet(ifaceTypes))
		// dpdk_status of a build without DPDK.
		r.set("dpdk_initialized", schema.NewScalar(false))
		r.set("dpdk_version", sStr("none"))
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
		for _, col := range []string{"ifindex", "mac_in_use", "mtu", "admin_state", "link_state", "link_speed", "duplex", "status", "statistics"} {
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
		// iface_refresh_netdev_status: speed and duplex when known.
		if bps := linkBitsPerSecond(nd.link.SpeedMbps); nd.linkOK && bps > 0 {
			r.set("link_speed", sInt(bps))
			r.set("duplex", sStr(linkDuplex(nd.link)))
		} else {
			r.set("link_speed", sEmpty())
			r.set("duplex", sEmpty())
		}
		// netdev_linux_get_status: the driver, as ethtool -i prints it.
		if nd.driverOK {
			r.set("status", sMap([]string{"driver_name", "driver_version", "firmware_version"},
				[]schema.Atom{nd.driver.Name, nd.driver.Version, nd.driver.Firmware}))
		}
		if nd.carrierChanges >= 0 {
			if li.carrierBase < 0 {
				li.carrierBase = nd.carrierChanges
			}
			r.set("link_resets", sInt(nd.carrierChanges-li.carrierBase))
		}
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

// hwAddrSetter is a port whose device MAC can be changed (the LOCAL TAP).
type hwAddrSetter interface {
	SetHardwareAddr(net.HardwareAddr) error
}

// syncBridgeIDs does what OVS's bridge_configure_datapath_id does for
// every live bridge: the LOCAL port's device gets the bridge's Ethernet
// address (bridgeMAC) and the bridge its datapath id (pickDatapathID),
// which the OpenFlow server reports in FEATURES_REPLY.
func (e *engine) syncBridgeIDs(st *dbState, lookup func(string) netdevInfo) {
	for _, b := range st.Bridges {
		lb := e.bridges[b.Name]
		if lb == nil {
			continue
		}
		mac := bridgeMAC(b, lb, lookup)
		if local := lb.ifaces[b.Name]; local != nil && local.ofport == flow.PortLocal && mac != nil {
			if cur := lookup(local.name).mac; len(cur) == macLen && !bytes.Equal(cur, mac) {
				if hs, ok := local.port.(hwAddrSetter); ok {
					if err := hs.SetHardwareAddr(mac); err != nil {
						e.log.Warn("could not set the bridge's Ethernet address", "bridge", b.Name, "mac", mac.String(), "err", err)
					}
				}
			}
		}
		if id, err := strconv.ParseUint(pickDatapathID(b, lb, lookup), 16, 64); err == nil {
			lb.br.SetDatapathID(id)
		}
	}
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
