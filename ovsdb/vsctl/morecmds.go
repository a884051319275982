package vsctl

import (
	"fmt"
	"sort"
	"strings"

	"govs/ovsdb/schema"
)

const (
	tableManager      = "Manager"
	colManagerOptions = "manager_options"
	colExternalIDs    = "external_ids"
	fakeBridgePrefix  = "fake-bridge-"
)

// unsupported returns the run function of a recognised ovs-vsctl
// command that govs-vsctl does not implement.
func unsupported(name string) func(*cmdContext, *command) error {
	return func(*cmdContext, *command) error {
		return fatalf("'%s' command is not supported by govs-vsctl", name)
	}
}

func cmdAddBond(x *cmdContext, c *command) error {
	n := len(c.args) - 3
	for i := 3; i < len(c.args); i++ {
		if strings.Contains(c.args[i], "=") {
			n = i - 3
			break
		}
	}
	const minBondIfaces = 2
	if n < minBondIfaces {
		return fatalf("add-bond requires at least 2 interfaces, but only %d were specified", n)
	}
	return x.addPort(c, c.args[1], c.args[2], c.has("--may-exist"), c.has("--fake-iface"), c.args[3:3+n], c.args[3+n:])
}

func (x *cmdContext) setExternalID(r *txnRow, key string, value *string) {
	cur := r.read(colExternalIDs)
	next := cur.Subtract(schema.Datum{Keys: []schema.Atom{key}})
	if value != nil {
		next = schema.Datum{Keys: []schema.Atom{key}, Values: []schema.Atom{*value}}.Union(next)
	}
	x.v.verify(r, colExternalIDs)
	x.v.write(r, colExternalIDs, next)
}

func cmdBrSetExternalID(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	var value *string
	if len(c.args) >= 4 {
		value = &c.args[3]
	}
	if b.cfg != nil {
		x.setExternalID(b.cfg, c.args[2], value)
		return nil
	}
	p := x.cache.ports[c.args[1]]
	if p == nil {
		return fatalf("no port for fake bridge %s", c.args[1])
	}
	x.setExternalID(p.cfg, fakeBridgePrefix+c.args[2], value)
	return nil
}

func getExternalID(out *strings.Builder, d schema.Datum, prefix string, key *string) {
	if key != nil {
		if v, ok := d.Lookup(prefix + *key); ok {
			fmt.Fprintf(out, "%s\n", v)
		}
		return
	}
	for i, k := range d.Keys {
		ks, _ := k.(string)
		if strings.HasPrefix(ks, prefix) {
			fmt.Fprintf(out, "%s=%s\n", ks[len(prefix):], d.Values[i])
		}
	}
}

func cmdBrGetExternalID(x *cmdContext, c *command) error {
	b, err := x.findBridge(c.args[1], true)
	if err != nil {
		return err
	}
	var key *string
	if len(c.args) >= 3 {
		key = &c.args[2]
	}
	if b.cfg != nil {
		x.v.verify(b.cfg, colExternalIDs)
		getExternalID(&c.output, b.cfg.read(colExternalIDs), "", key)
		return nil
	}
	p := x.cache.ports[c.args[1]]
	if p == nil {
		return fatalf("no port for fake bridge %s", c.args[1])
	}
	x.v.verify(p.cfg, colExternalIDs)
	getExternalID(&c.output, p.cfg.read(colExternalIDs), fakeBridgePrefix, key)
	return nil
}

func (x *cmdContext) verifyManagers() []*txnRow {
	x.v.verify(x.v.ovs, colManagerOptions)
	mgrs := refs(x.v, x.v.ovs, colManagerOptions, tableManager)
	for _, m := range mgrs {
		x.v.verify(m, colTarget)
	}
	return mgrs
}

func cmdGetManager(x *cmdContext, c *command) error {
	seen := map[string]bool{}
	var targets []string
	for _, m := range x.verifyManagers() {
		t := strCol(m, colTarget)
		if !seen[t] {
			seen[t] = true
			targets = append(targets, t)
		}
	}
	sort.Strings(targets)
	for _, t := range targets {
		c.output.WriteString(t + "\n")
	}
	return nil
}

func (x *cmdContext) deleteManagers(mgrs []*txnRow) {
	for _, m := range mgrs {
		x.v.remove(m)
	}
	x.setRefs(x.v.ovs, colManagerOptions, nil)
}

func cmdDelManager(x *cmdContext, _ *command) error {
	x.deleteManagers(x.verifyManagers())
	return nil
}

func cmdSetManager(x *cmdContext, c *command) error {
	x.deleteManagers(x.verifyManagers())
	probe, hasProbe := c.value("--inactivity-probe")
	var mgrs []*txnRow
	for _, target := range c.args[1:] {
		if !validTarget(target) {
			x.warn("vsctl", fmt.Sprintf("target type \"%s\" is possibly erroneous", target))
		}
		m := x.v.insert(tableManager, "", false)
		x.setString(m, colTarget, target)
		if hasProbe {
			n, _ := parseLeadingInt(probe)
			x.v.write(m, colInactivity, schema.NewScalar(n))
		}
		mgrs = append(mgrs, m)
	}
	x.setRefs(x.v.ovs, colManagerOptions, mgrs)
	return nil
}
