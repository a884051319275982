package reconcile

import (
	"sort"

	"govs/ovsdb/schema"
)

// Table names the reconciler monitors.
const (
	tblOpenVSwitch = "Open_vSwitch"
	tblBridge      = "Bridge"
	tblPort        = "Port"
	tblInterface   = "Interface"
	tblController  = "Controller"
)

// rows is one table of the replica: UUID -> column -> value.
type rows = map[schema.UUID]map[string]schema.Datum

// ifaceCfg is one Interface row as the reconciler needs it.
type ifaceCfg struct {
	UUID          schema.UUID
	Name          string
	Type          string
	Options       map[string]string
	OFPortRequest int64 // 0: none
	DBOFPort      int64 // the ofport stored in the database (0: none)
	Row           map[string]schema.Datum
	// BondError is set when the Port has several interfaces (bonds are
	// not supported).
	BondError bool
}

// portCfg is one Port row.
type portCfg struct {
	UUID     schema.UUID
	Name     string
	Tag      int64 // -1: none
	Trunks   []int64
	VLANMode string
	Ifaces   []*ifaceCfg
}

// ctrlCfg is one Controller row of a bridge.
type ctrlCfg struct {
	UUID   schema.UUID
	Target string
	// Probe is inactivity_probe in ms (0: unset, OVS's 5 s).
	Probe int64
	Row   map[string]schema.Datum
}

// bridgeCfg is one Bridge row.
type bridgeCfg struct {
	UUID         schema.UUID
	Name         string
	FailMode     string
	DatapathType string
	OtherConfig  map[string]string
	Ports        []*portCfg
	// Controllers are the Bridge.controller rows, sorted by target.
	Controllers []*ctrlCfg
	Row         map[string]schema.Datum
}

// dbState is the configuration read from one replica snapshot.
type dbState struct {
	OVSUUID     schema.UUID
	OVSRow      map[string]schema.Datum
	NextCfg     int64
	CurCfg      int64
	OtherConfig map[string]string
	Bridges     []*bridgeCfg
}

// Datum readers: they never panic on unexpected shapes (a bad row must
// not crash the daemon) and return the zero value instead.

func dStr(d schema.Datum) string {
	if len(d.Keys) == 1 {
		if s, ok := d.Keys[0].(string); ok {
			return s
		}
	}
	return ""
}

func dInt(d schema.Datum) (int64, bool) {
	if len(d.Keys) == 1 {
		if v, ok := d.Keys[0].(int64); ok {
			return v, true
		}
	}
	return 0, false
}

func dInts(d schema.Datum) []int64 {
	var out []int64
	for _, k := range d.Keys {
		if v, ok := k.(int64); ok {
			out = append(out, v)
		}
	}
	return out
}

func dUUIDs(d schema.Datum) []schema.UUID {
	var out []schema.UUID
	for _, k := range d.Keys {
		if v, ok := k.(schema.UUID); ok {
			out = append(out, v)
		}
	}
	return out
}

func dMap(d schema.Datum) map[string]string {
	m := make(map[string]string, len(d.Keys))
	if len(d.Values) != len(d.Keys) {
		return m
	}
	for i, k := range d.Keys {
		ks, ok1 := k.(string)
		vs, ok2 := d.Values[i].(string)
		if ok1 && ok2 {
			m[ks] = vs
		}
	}
	return m
}

// parseState builds the configuration from the replica tables. Rows
// referenced but missing (a replica mid-update) are skipped. Bridges are
// sorted by name, ports by name, so passes are deterministic.
func parseState(t map[string]rows) *dbState {
	st := &dbState{}
	var ovsUUIDs []schema.UUID
	for u := range t[tblOpenVSwitch] {
		ovsUUIDs = append(ovsUUIDs, u)
	}
	if len(ovsUUIDs) == 0 {
		return st
	}
	sort.Slice(ovsUUIDs, func(i, j int) bool { return ovsUUIDs[i] < ovsUUIDs[j] })
	st.OVSUUID = ovsUUIDs[0]
	ovs := t[tblOpenVSwitch][st.OVSUUID]
	st.OVSRow = ovs
	st.NextCfg, _ = dInt(ovs["next_cfg"])
	st.CurCfg, _ = dInt(ovs["cur_cfg"])
	st.OtherConfig = dMap(ovs["other_config"])
	seenBridge := map[string]bool{}
	for _, bu := range dUUIDs(ovs["bridges"]) {
		brow := t[tblBridge][bu]
		if brow == nil {
			continue
		}
		b := &bridgeCfg{
			UUID: bu, Row: brow, Name: dStr(brow["name"]), FailMode: dStr(brow["fail_mode"]),
			DatapathType: dStr(brow["datapath_type"]), OtherConfig: dMap(brow["other_config"]),
		}
		if b.Name == "" || seenBridge[b.Name] {
			continue
		}
		seenBridge[b.Name] = true
		for _, cu := range dUUIDs(brow["controller"]) {
			crow := t[tblController][cu]
			if crow == nil {
				continue
			}
			cc := &ctrlCfg{UUID: cu, Row: crow, Target: dStr(crow["target"])}
			cc.Probe, _ = dInt(crow["inactivity_probe"])
			b.Controllers = append(b.Controllers, cc)
		}
		sort.Slice(b.Controllers, func(i, j int) bool { return b.Controllers[i].Target < b.Controllers[j].Target })
		for _, pu := range dUUIDs(brow["ports"]) {
			prow := t[tblPort][pu]
			if prow == nil {
				continue
			}
			p := &portCfg{UUID: pu, Name: dStr(prow["name"]), Tag: -1, Trunks: dInts(prow["trunks"]), VLANMode: dStr(prow["vlan_mode"])}
			if tag, ok := dInt(prow["tag"]); ok {
				p.Tag = tag
			}
			ius := dUUIDs(prow["interfaces"])
			for _, iu := range ius {
				irow := t[tblInterface][iu]
				if irow == nil {
					continue
				}
				ic := &ifaceCfg{UUID: iu, Row: irow, Name: dStr(irow["name"]), Type: dStr(irow["type"]), Options: dMap(irow["options"]), BondError: len(ius) > 1}
				ic.OFPortRequest, _ = dInt(irow["ofport_request"])
				ic.DBOFPort, _ = dInt(irow["ofport"])
				p.Ifaces = append(p.Ifaces, ic)
			}
			sort.Slice(p.Ifaces, func(i, j int) bool { return p.Ifaces[i].Name < p.Ifaces[j].Name })
			b.Ports = append(b.Ports, p)
		}
		sort.Slice(b.Ports, func(i, j int) bool { return b.Ports[i].Name < b.Ports[j].Name })
		st.Bridges = append(st.Bridges, b)
	}
	sort.Slice(st.Bridges, func(i, j int) bool { return st.Bridges[i].Name < st.Bridges[j].Name })
	return st
}
