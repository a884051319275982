package vsctl

import (
	"fmt"

	"govs/ovsdb/schema"
)

// vcache is ovs-vsctl's view of bridges, ports and interfaces
// (vsctl_context_populate_cache), including VLAN ("fake") bridges.
type vcache struct {
	bridges map[string]*vbridge
	ports   map[string]*vport
	ifaces  map[string]*viface
}

type vbridge struct {
	cfg      *txnRow // nil for a fake bridge
	name     string
	ports    []*vport
	parent   *vbridge
	vlan     int64
	children map[int64]*vbridge
}

type vport struct {
	cfg    *txnRow
	bridge *vbridge
	ifaces []*viface
}

type viface struct {
	cfg  *txnRow
	port *vport
}

func strCol(r *txnRow, col string) string {
	d := r.read(col)
	if len(d.Keys) == 1 {
		if s, ok := d.Keys[0].(string); ok {
			return s
		}
	}
	return ""
}

func refs(v *view, r *txnRow, col, table string) []*txnRow {
	var out []*txnRow
	for _, k := range r.read(col).Keys {
		if u, ok := k.(schema.UUID); ok {
			if t := v.row(table, u); t != nil {
				out = append(out, t)
			}
		}
	}
	return out
}

// fakeBridgeTag returns the VLAN of a port that is a fake bridge.
func fakeBridgeTag(p *txnRow) (int64, bool) {
	fb := p.read(colFakeBridge)
	if len(fb.Keys) != 1 || fb.Keys[0] != true {
		return 0, false
	}
	return portTag(p)
}

func portTag(p *txnRow) (int64, bool) {
	tag := p.read(colTag)
	if len(tag.Keys) != 1 {
		return 0, false
	}
	t, ok := tag.Keys[0].(int64)
	return t, ok && t >= 0 && t <= maxVLAN
}

const maxVLAN = 4095

func (x *cmdContext) populate() *vcache {
	if x.cache != nil {
		return x.cache
	}
	v := x.v
	c := &vcache{bridges: map[string]*vbridge{}, ports: map[string]*vport{}, ifaces: map[string]*viface{}}
	x.cache = c
	if v.ovs == nil {
		return c
	}
	brs := refs(v, v.ovs, colBridges, tableBridge)
	seenBr := map[string]bool{}
	seenPort := map[string]bool{}
	for _, br := range brs {
		name := strCol(br, colName)
		if seenBr[name] {
			x.warn("vsctl", name+": database contains duplicate bridge name")
			continue
		}
		seenBr[name] = true
		b := c.addBridge(br, name, nil, 0, x)
		for _, p := range refs(v, br, colPorts, tablePort) {
			pname := strCol(p, colName)
			if seenPort[pname] {
				continue
			}
			seenPort[pname] = true
			if tag, ok := fakeBridgeTag(p); ok && !seenBr[pname] {
				seenBr[pname] = true
				c.addBridge(nil, pname, b, tag, x)
			}
		}
	}
	seenBr = map[string]bool{}
	for _, br := range brs {
		name := strCol(br, colName)
		if seenBr[name] {
			continue
		}
		seenBr[name] = true
		b := c.bridges[name]
		for _, p := range refs(v, br, colPorts, tablePort) {
			pname := strCol(p, colName)
			if old := c.ports[pname]; old != nil {
				if old.cfg == p {
					x.warn("vsctl", fmt.Sprintf("%s: port is in multiple bridges (%s and %s)", pname, b.name, old.bridge.name))
				}
				continue
			}
			if _, ok := fakeBridgeTag(p); ok {
				if seenBr[pname] {
					continue
				}
				seenBr[pname] = true
			}
			vp := c.addPort(b, p)
			for _, i := range refs(v, p, colInterfaces, tableInterface) {
				iname := strCol(i, colName)
				if old := c.ifaces[iname]; old != nil {
					if old.cfg == i {
						x.warn("vsctl", fmt.Sprintf("%s: interface is in multiple ports (%s and %s)", iname, strCol(old.port.cfg, colName), pname))
					}
					continue
				}
				c.addIface(vp, i)
			}
		}
	}
	return c
}

func (c *vcache) addBridge(cfg *txnRow, name string, parent *vbridge, vlan int64, x *cmdContext) *vbridge {
	b := &vbridge{cfg: cfg, name: name, parent: parent, vlan: vlan, children: map[int64]*vbridge{}}
	if parent != nil {
		if conflict := parent.children[vlan]; conflict != nil {
			x.warn("vsctl", fmt.Sprintf("%s: bridge has multiple VLAN bridges (%s and %s) for VLAN %d, but only one is allowed", parent.name, name, conflict.name, vlan))
		} else {
			parent.children[vlan] = b
		}
	}
	c.bridges[name] = b
	return b
}

func (c *vcache) addPort(parent *vbridge, p *txnRow) *vport {
	if tag, ok := portTag(p); ok {
		if vb := parent.children[tag]; vb != nil {
			parent = vb
		}
	}
	vp := &vport{cfg: p, bridge: parent}
	parent.ports = append(parent.ports, vp)
	c.ports[strCol(p, colName)] = vp
	return vp
}

func (c *vcache) addIface(p *vport, i *txnRow) *viface {
	vi := &viface{cfg: i, port: p}
	p.ifaces = append(p.ifaces, vi)
	c.ifaces[strCol(i, colName)] = vi
	return vi
}

// verifyPorts verifies the bridge/port/interface membership columns
// once per transaction (verify_ports).
func (x *cmdContext) verifyPorts() {
	if x.verified || x.v.ovs == nil {
		return
	}
	x.v.verify(x.v.ovs, colBridges)
	for _, b := range x.v.rows(tableBridge) {
		x.v.verify(b, colPorts)
	}
	for _, p := range x.v.rows(tablePort) {
		x.v.verify(p, colInterfaces)
	}
	x.verified = true
}

func (x *cmdContext) findBridge(name string, mustExist bool) (*vbridge, error) {
	c := x.populate()
	b := c.bridges[name]
	if mustExist && b == nil {
		return nil, fatalf("no bridge named %s", name)
	}
	if x.v.ovs != nil {
		x.v.verify(x.v.ovs, colBridges)
	}
	return b, nil
}

func (x *cmdContext) findRealBridge(name string, mustExist bool) (*vbridge, error) {
	b, err := x.findBridge(name, mustExist)
	if err != nil {
		return nil, err
	}
	if b != nil && b.parent != nil {
		return nil, fatalf("%s is a fake bridge", name)
	}
	return b, nil
}

func (x *cmdContext) findPort(name string, mustExist bool) (*vport, error) {
	c := x.populate()
	p := c.ports[name]
	if p != nil && name == p.bridge.name {
		p = nil
	}
	if mustExist && p == nil {
		return nil, fatalf("no port named %s", name)
	}
	x.verifyPorts()
	return p, nil
}

func (x *cmdContext) findIface(name string, mustExist bool) (*viface, error) {
	c := x.populate()
	i := c.ifaces[name]
	if i != nil && name == i.port.bridge.name {
		i = nil
	}
	if mustExist && i == nil {
		return nil, fatalf("no interface named %s", name)
	}
	x.verifyPorts()
	return i, nil
}

func (x *cmdContext) checkConflicts(name, msg string) error {
	c := x.populate()
	x.verifyPorts()
	if c.bridges[name] != nil {
		return fatalf("%s because a bridge named %s already exists", msg, name)
	}
	if p := c.ports[name]; p != nil {
		return fatalf("%s because a port named %s already exists on bridge %s", msg, name, p.bridge.name)
	}
	if i := c.ifaces[name]; i != nil {
		return fatalf("%s because an interface named %s already exists on bridge %s", msg, name, i.port.bridge.name)
	}
	return nil
}
