package vsctl

import (
	"fmt"
	"sort"
	"strings"

	"govs/ovsdb/schema"
)

// setRefs writes a set of row references to col of r, keeping order
// irrelevant (sets are sorted).
func (x *cmdContext) setRefs(r *txnRow, col string, rows []*txnRow) {
	d := schema.Datum{Keys: make([]schema.Atom, 0, len(rows))}
	for _, t := range rows {
		d.Keys = append(d.Keys, t.uuid)
	}
	sortDatum(&d)
	x.v.write(r, col, d)
}

func (x *cmdContext) addRef(r *txnRow, col string, u schema.UUID) {
	x.v.write(r, col, r.read(col).Union(schema.NewScalar(u)))
}

func (x *cmdContext) delRef(r *txnRow, col string, u schema.UUID) {
	x.v.write(r, col, r.read(col).Subtract(schema.NewScalar(u)))
}

func (x *cmdContext) setString(r *txnRow, col, s string) {
	x.v.write(r, col, schema.NewScalar(s))
}

func cmdInit(*cmdContext, *command) error { return nil }

func cmdAddBr(x *cmdContext, c *command) error {
	mayExist := c.has("--may-exist")
	name := c.args[1]
	if name == "" {
		return fatalf("bridge name must not be empty string")
	}
	parentName := ""
	var vlan int64
	switch len(c.args) {
	case 2:
	case 4:
		parentName = c.args[2]
		vlan, _ = parseLeadingInt(c.args[3])
		if vlan < 0 || vlan > maxVLAN {
			return fatalf("%s: vlan must be between 0 and %d", c.args[0], maxVLAN)
		}
	default:
		return fatalf("'%s' command takes exactly 1 or 3 arguments", c.args[0])
	}
	x.populate()
	if mayExist {
		b, err := x.findBridge(name, false)
		if err != nil {
			return err
		}
		if b != nil {
			switch {
			case parentName == "" && b.parent != nil:
				return fatalf("\"--may-exist add-br %s\" but %s is a VLAN bridge for VLAN %d", name, name, b.vlan)
			case parentName != "" && b.parent == nil:
				return fatalf("\"--may-exist add-br %s %s %d\" but %s is not a VLAN bridge", name, parentName, vlan, name)
			case parentName != "" && b.parent.name != parentName:
				return fatalf("\"--may-exist add-br %s %s %d\" but %s has the wrong parent %s", name, parentName, vlan, name, b.parent.name)
			case parentName != "" && b.vlan != vlan:
				return fatalf("\"--may-exist add-br %s %s %d\" but %s is a VLAN bridge for the wrong VLAN %d", name, parentName, vlan, name, b.vlan)
			}
			return nil
		}
	}
	if err := x.checkConflicts(name, "cannot create a bridge named "+name); err != nil {
		return err
	}
	var parent *vbridge
	if parentName != "" {
		p, err := x.findBridge(parentName, false)
		if err != nil {
			return err
		}
		if p != nil && p.parent != nil {
			return fatalf("cannot create bridge with fake bridge as parent")
		}
		if p == nil {
			return fatalf("parent bridge %s does not exist", parentName)
		}
		if conflict := p.children[vlan]; conflict != nil {
			return fatalf("bridge %s already has a child VLAN bridge %s on VLAN %d", parentName, conflict.name, vlan)
		}
		parent = p
	}
	iface := x.v.insert(tableInterface, "", false)
	x.setString(iface, colName, name)
	x.setString(iface, colType, "internal")
	port := x.v.insert(tablePort, "", false)
	x.setString(port, colName, name)
	x.setRefs(port, colInterfaces, []*txnRow{iface})
	if parent == nil {
		br := x.v.insert(tableBridge, "", false)
		x.setString(br, colName, name)
		x.setRefs(br, colPorts, []*txnRow{port})
		x.addRef(x.v.ovs, colBridges, br.uuid)
	} else {
		x.v.write(port, colFakeBridge, schema.NewScalar(true))
		x.v.write(port, colTag, schema.NewScalar(vlan))
		x.addRef(parent.cfg, colPorts, port.uuid)
	}
	x.expectIfaces = append(x.expectIfaces, iface.uuid)
	x.cache = nil
	return nil
}

func (x *cmdContext) delPort(p *vport) {
	owner := p.bridge
	if owner.parent != nil {
		owner = owner.parent
	}
	x.delRef(owner.cfg, colPorts, p.cfg.uuid)
	c := x.cache
	for _, i := range p.ifaces {
		delete(c.ifaces, strCol(i.cfg, colName))
		x.v.remove(i.cfg)
	}
	p.ifaces = nil
	for k, bp := range p.bridge.ports {
		if bp == p {
			p.bridge.ports = append(p.bridge.ports[:k], p.bridge.ports[k+1:]...)
			break
		}
	}
	delete(c.ports, strCol(p.cfg, colName))
	x.v.remove(p.cfg)
}

func (x *cmdContext) delBridge(b *vbridge) {
	vlans := make([]int64, 0, len(b.children))
	for v := range b.children {
		vlans = append(vlans, v)
	}
	sort.Slice(vlans, func(i, j int) bool { return vlans[i] < vlans[j] })
	for _, v := range vlans {
		x.delBridge(b.children[v])
	}
	for len(b.ports) > 0 {
		x.delPort(b.ports[0])
	}
	for _, f := range x.v.rows(tableFSCS) {
		d := f.read(colBridge)
		if b.cfg != nil && len(d.Keys) == 1 && d.Keys[0] == b.cfg.uuid {
			x.v.remove(f)
		}
	}
	if b.parent != nil {
		delete(b.parent.children, b.vlan)
	}
	if b.cfg != nil {
		x.v.remove(b.cfg)
		x.delRef(x.v.ovs, colBridges, b.cfg.uuid)
	}
	delete(x.cache.bridges, b.name)
}

func cmdDelBr(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], !c.has("--if-exists"))
	if err != nil || b == nil {
		return err
	}
	x.delBridge(b)
	return nil
}

func outputSorted(c *command, names []string) {
	sort.Strings(names)
	for _, n := range names {
		c.output.WriteString(n + "\n")
	}
}

func cmdListBr(x *cmdContext, c *command) error {
	real, fake := c.has("--real"), c.has("--fake")
	if !real && !fake {
		real, fake = true, true
	}
	var names []string
	for _, b := range x.populate().bridges {
		if b.parent != nil && fake || b.parent == nil && real {
			names = append(names, b.name)
		}
	}
	outputSorted(c, names)
	return nil
}

func cmdBrExists(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], false)
	if err != nil {
		return err
	}
	if b == nil {
		return &exitError{code: exitBrMissing}
	}
	return nil
}

// exitBrMissing is br-exists's status for a missing bridge.
const exitBrMissing = 2

func cmdBrToVlan(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	fmt.Fprintf(&c.output, "%d\n", b.vlan)
	return nil
}

func cmdBrToParent(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	if b.parent != nil {
		b = b.parent
	}
	c.output.WriteString(b.name + "\n")
	return nil
}

func cmdListPorts(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	owner := b
	if owner.cfg == nil {
		owner = b.parent
	}
	x.v.verify(owner.cfg, colPorts)
	var names []string
	for _, p := range b.ports {
		if n := strCol(p.cfg, colName); n != b.name {
			names = append(names, n)
		}
	}
	outputSorted(c, names)
	return nil
}

func cmdListIfaces(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	x.verifyPorts()
	var names []string
	for _, p := range b.ports {
		for _, i := range p.ifaces {
			if n := strCol(i.cfg, colName); n != b.name {
				names = append(names, n)
			}
		}
	}
	outputSorted(c, names)
	return nil
}

func cmdAddPort(x *cmdContext, c *command) error {
	return x.addPort(c, c.args[1], c.args[2], c.has("--may-exist"), false, c.args[2:3], c.args[3:])
}

// addPort creates port portName with interfaces ifaceNames on bridge
// brName and applies the column settings to the new Port (add_port).
func (x *cmdContext) addPort(c *command, brName, portName string, mayExist, fakeIface bool, ifaceNames, settings []string) error {
	if portName == "" {
		return fatalf("port name must not be empty string")
	}
	for _, n := range ifaceNames {
		if n == "" {
			return fatalf("interface name must not be empty string")
		}
	}
	x.populate()
	if mayExist {
		p, err := x.findPort(portName, false)
		if err != nil {
			return err
		}
		if p != nil {
			want := append([]string{}, ifaceNames...)
			sort.Strings(want)
			var have []string
			for _, i := range refs(x.v, p.cfg, colInterfaces, tableInterface) {
				have = append(have, strCol(i, colName))
			}
			sort.Strings(have)
			if p.bridge.name != brName {
				return fatalf("\"%s\" but %s is actually attached to bridge %s", commandString(c), portName, p.bridge.name)
			}
			if strings.Join(want, "\x00") != strings.Join(have, "\x00") {
				return fatalf("\"%s\" but %s actually has interface(s) %s", commandString(c), portName, strings.Join(have, ", "))
			}
			return nil
		}
	}
	if err := x.checkConflicts(portName, "cannot create a port named "+portName); err != nil {
		return err
	}
	for _, n := range ifaceNames {
		if err := x.checkConflicts(n, "cannot create an interface named "+n); err != nil {
			return err
		}
	}
	b, err := x.findBridge(brName, true)
	if err != nil {
		return err
	}
	var ifaces []*txnRow
	for _, n := range ifaceNames {
		i := x.v.insert(tableInterface, "", false)
		x.setString(i, colName, n)
		x.expectIfaces = append(x.expectIfaces, i.uuid)
		ifaces = append(ifaces, i)
	}
	port := x.v.insert(tablePort, "", false)
	x.setString(port, colName, portName)
	x.setRefs(port, colInterfaces, ifaces)
	x.v.write(port, colBondFakeIface, schema.NewScalar(fakeIface))
	if b.parent != nil {
		x.v.write(port, colTag, schema.NewScalar(b.vlan))
	}
	portTable := x.v.s.Tables[tablePort]
	for _, s := range settings {
		if err := x.setColumn(portTable, port, s); err != nil {
			return err
		}
	}
	owner := b
	if b.parent != nil {
		owner = b.parent
	}
	x.addRef(owner.cfg, colPorts, port.uuid)
	vp := x.cache.addPort(b, port)
	for _, i := range ifaces {
		x.cache.addIface(vp, i)
	}
	return nil
}

const colBondFakeIface = "bond_fake_iface"

// commandString renders the command with its options for messages
// (vsctl_context_to_string).
func commandString(c *command) string {
	words := make([]string, 0, len(c.opts)+len(c.args))
	for _, o := range sortedOpts(c.opts) {
		words = append(words, o.name)
	}
	words = append(words, c.args...)
	return strings.Join(words, " ")
}

func cmdDelPort(x *cmdContext, c *command) error {
	mustExist := !c.has("--if-exists")
	withIface := c.has("--with-iface")
	target := c.args[len(c.args)-1]
	b, err := x.findBridge(target, false)
	if err != nil {
		return err
	}
	var p *vport
	switch {
	case b != nil:
		if mustExist {
			return fatalf("cannot delete port %s because it is the local port for bridge %s (deleting this port requires deleting the entire bridge)", target, target)
		}
	case !withIface:
		if p, err = x.findPort(target, mustExist); err != nil {
			return err
		}
	default:
		if p, err = x.findPort(target, false); err != nil {
			return err
		}
		if p == nil {
			i, err := x.findIface(target, false)
			if err != nil {
				return err
			}
			if i != nil {
				p = i.port
			}
		}
		if mustExist && p == nil {
			return fatalf("no port or interface named %s", target)
		}
	}
	if p == nil {
		return nil
	}
	if len(c.args) == 3 {
		br, err := x.findBridge(c.args[1], true)
		if err != nil {
			return err
		}
		if p.bridge != br {
			if p.bridge.parent == br {
				return fatalf("bridge %s does not have a port %s (although its child bridge %s does)", c.args[1], c.args[2], p.bridge.name)
			}
			return fatalf("bridge %s does not have a port %s", c.args[1], c.args[2])
		}
	}
	x.delPort(p)
	return nil
}

func cmdPortToBr(x *cmdContext, c *command) error {
	p, err := x.findPort(c.args[1], true)
	if err != nil {
		return err
	}
	c.output.WriteString(p.bridge.name + "\n")
	return nil
}

func cmdIfaceToBr(x *cmdContext, c *command) error {
	i, err := x.findIface(c.args[1], true)
	if err != nil {
		return err
	}
	c.output.WriteString(i.port.bridge.name + "\n")
	return nil
}

func (x *cmdContext) verifyControllers(br *txnRow) {
	x.v.verify(br, colController)
	for _, ctl := range refs(x.v, br, colController, tableController) {
		x.v.verify(ctl, colTarget)
	}
}

func cmdGetController(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	if b.parent != nil {
		b = b.parent
	}
	x.verifyControllers(b.cfg)
	var targets []string
	for _, ctl := range refs(x.v, b.cfg, colController, tableController) {
		targets = append(targets, strCol(ctl, colTarget))
	}
	outputSorted(c, targets)
	return nil
}

func cmdDelController(x *cmdContext, c *command) error {
	b, err := x.findRealBridge(c.args[1], true)
	if err != nil {
		return err
	}
	x.verifyControllers(b.cfg)
	ctls := refs(x.v, b.cfg, colController, tableController)
	if len(b.cfg.read(colController).Keys) > 0 {
		for _, ctl := range ctls {
			x.v.remove(ctl)
		}
		x.setRefs(b.cfg, colController, nil)
	}
	return nil
}

func cmdSetController(x *cmdContext, c *command) error {
	b, err := x.findRealBridge(c.args[1], true)
	if err != nil {
		return err
	}
	x.verifyControllers(b.cfg)
	for _, ctl := range refs(x.v, b.cfg, colController, tableController) {
		x.v.remove(ctl)
	}
	probe, hasProbe := c.value("--inactivity-probe")
	var ctls []*txnRow
	for _, target := range c.args[2:] {
		if !validTarget(target) {
			x.warn("vsctl", fmt.Sprintf("target type \"%s\" is possibly erroneous", target))
		}
		ctl := x.v.insert(tableController, "", false)
		x.setString(ctl, colTarget, target)
		if hasProbe {
			n, _ := parseLeadingInt(probe)
			x.v.write(ctl, colInactivity, schema.NewScalar(n))
		}
		ctls = append(ctls, ctl)
	}
	x.setRefs(b.cfg, colController, ctls)
	return nil
}

// validTarget approximates vconn_verify_name/pvconn_verify_name: the
// OpenFlow connection methods ovs-vswitchd understands.
func validTarget(t string) bool {
	for _, p := range []string{"tcp:", "ssl:", "unix:", "ptcp:", "pssl:", "punix:"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// parseLeadingInt mimics atoll: leading integer, 0 if none.
func parseLeadingInt(s string) (int64, bool) {
	t := skipSpaces(s)
	end := 0
	if end < len(t) && (t[end] == '-' || t[end] == '+') {
		end++
	}
	for end < len(t) && t[end] >= '0' && t[end] <= '9' {
		end++
	}
	n, ok := parseInt(t[:end])
	return n, ok
}

func cmdGetFailMode(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	if b.parent != nil {
		b = b.parent
	}
	x.v.verify(b.cfg, colFailMode)
	if m := strCol(b.cfg, colFailMode); m != "" {
		c.output.WriteString(m + "\n")
	}
	return nil
}

func cmdDelFailMode(x *cmdContext, c *command) error {
	b, err := x.findRealBridge(c.args[1], true)
	if err != nil {
		return err
	}
	x.v.write(b.cfg, colFailMode, schema.Datum{Keys: []schema.Atom{}})
	return nil
}

func cmdSetFailMode(x *cmdContext, c *command) error {
	b, err := x.findRealBridge(c.args[1], true)
	if err != nil {
		return err
	}
	mode := c.args[2]
	if mode != "standalone" && mode != "secure" {
		return fatalf("fail-mode must be \"standalone\" or \"secure\"")
	}
	x.setString(b.cfg, colFailMode, mode)
	return nil
}
