package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"govs/internal/ovsoracle"
)

// statusColumns are Interface columns whose values must equal OVS's for
// the same device kind; the other columns are compared by presence only
// (ifindex, MAC, counters differ between devices).
var statusColumns = []string{"admin_state", "duplex", "error", "link_resets", "link_speed", "link_state", "mtu", "ofport", "type"}

// ovsSystemColumns are what ovs-ctl writes at start; the real OVS here
// is started without ovs-ctl, so the test writes them as ovs-ctl would.
var ovsSystemColumns = []string{"db_version", "ovs_version", "system_type", "system_version"}

// TestStatusAgainstOVS configures the same bridge (a netdev bridge, one
// veth that is up and one that is down) on govs-vswitchd and on a
// private real ovs-vswitchd and compares, with the real ovs-vsctl, the
// structure of `list Open_vSwitch`, `list interface` and `show`.
func TestStatusAgainstOVS(t *testing.T) {
	needRoot(t, "ovs-vsctl")
	if testing.Short() {
		t.Skip("starts a real ovs-vswitchd")
	}
	o := ovsoracle.Start(t, ovsoracle.Options{DirPrefix: "gst", SystemNetdevs: true, DisableSystem: true})
	d := newTestDaemon(t)

	type side struct {
		name         string
		db           string
		br, up, down string
	}
	sides := []side{
		{name: "govs", db: "unix:" + d.sock(), br: uniq("sg"), up: uniq("sgu"), down: uniq("sgd")},
		{name: "OVS", db: o.DB, br: uniq("so"), up: uniq("sou"), down: uniq("sod")},
	}
	sysType, sysVersion := systemIDs(osReleaseFile)
	o.Vsctl("set", "Open_vSwitch", ".", "db-version="+quote(mustSchemaVersion(t)), "ovs-version="+quote(dbOVSVersion),
		"system-type="+quote(sysType), "system-version="+quote(sysVersion))
	for _, s := range sides {
		vethPair(t, s.up, s.up+"p")
		vethPair(t, s.down, s.down+"p")
		mustRun(t, "ip", "link", "set", s.up, "up")
		mustRun(t, "ip", "link", "set", s.up+"p", "up")
		br := s.br
		t.Cleanup(func() { _, _, _ = run(t, "ip", "link", "del", br) }) // OVS leaves its TAP
		vsctl2(t, s.db, "add-br", s.br, "--", "set", "bridge", s.br, "datapath_type=netdev",
			"--", "add-port", s.br, s.up, "--", "add-port", s.br, s.down)
	}
	// Status columns are written within a reconcile pass; statistics and
	// link_speed after the first refresh (<= 5 s on both).
	time.Sleep(6 * time.Second)

	// Open_vSwitch: the same non-empty columns.
	govsOVS, ovsOVS := listRow(t, sides[0].db, "Open_vSwitch", "."), listRow(t, sides[1].db, "Open_vSwitch", ".")
	if g, w := nonEmpty(govsOVS), nonEmpty(ovsOVS); !slices.Equal(g, w) {
		t.Errorf("Open_vSwitch non-empty columns:\n govs %v\n OVS  %v", g, w)
	}
	// datapath_types differs by design: govs runs "system" bridges on its
	// userspace datapath; OVS lists "system" only with its kernel module.
	for _, c := range append(ovsSystemColumns, "dpdk_initialized", "dpdk_version") {
		if govsOVS[c] != ovsOVS[c] {
			t.Errorf("Open_vSwitch %s: govs %s, OVS %s", c, govsOVS[c], ovsOVS[c])
		}
	}

	// Interfaces: the up veth, the down veth, the bridge's internal port.
	for _, kind := range []struct {
		what string
		rec  func(side) string
	}{
		{"veth (up)", func(s side) string { return s.up }},
		{"veth (down)", func(s side) string { return s.down }},
		{"internal (LOCAL)", func(s side) string { return s.br }},
	} {
		g, w := listRow(t, sides[0].db, "Interface", kind.rec(sides[0])), listRow(t, sides[1].db, "Interface", kind.rec(sides[1]))
		if gc, wc := nonEmpty(g), nonEmpty(w); !slices.Equal(gc, wc) {
			t.Errorf("%s: non-empty columns:\n govs %v\n OVS  %v", kind.what, gc, wc)
		}
		for _, c := range statusColumns {
			if (c == "admin_state" || c == "link_state") && kind.what == "internal (LOCAL)" {
				continue // govs brings the LOCAL TAP up; OVS leaves it down
			}
			if c == "admin_state" && kind.what == "veth (down)" {
				continue // the same: whether the daemon sets a port up
			}
			if c == "ofport" {
				continue
			}
			if g[c] != w[c] {
				t.Errorf("%s: %s: govs %s, OVS %s", kind.what, c, g[c], w[c])
			}
		}
		if gk, wk := mapKeys(g["status"]), mapKeys(w["status"]); !slices.Equal(gk, wk) {
			t.Errorf("%s: status keys: govs %v, OVS %v", kind.what, gk, wk)
		}
	}

	// show: the same lines once names and ids are replaced.
	norm := func(s side, out string) []string {
		r := strings.NewReplacer(s.br, "BR", s.up, "UP", s.down, "DOWN")
		var lines []string
		for _, l := range strings.Split(r.Replace(out), "\n") {
			l = reUUIDLine.ReplaceAllString(l, "UUID")
			lines = append(lines, l)
		}
		slices.Sort(lines)
		return lines
	}
	gs, _ := vsctl2(t, sides[0].db, "show")
	ws, _ := vsctl2(t, sides[1].db, "show")
	if g, w := norm(sides[0], gs), norm(sides[1], ws); !slices.Equal(g, w) {
		t.Errorf("ovs-vsctl show differs:\n--- govs\n%s\n--- OVS\n%s", gs, ws)
	}
}

var reUUIDLine = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f-]{27}$`)

func quote(s string) string { return `"` + s + `"` }

// vsctl2 runs the real ovs-vsctl against a database remote.
func vsctl2(t *testing.T, db string, args ...string) (string, string) {
	t.Helper()
	so, se, code := run(t, "ovs-vsctl", append([]string{"--db=" + db, "--timeout=20"}, args...)...)
	if code != 0 {
		t.Fatalf("ovs-vsctl %s: exit %d: %s%s", strings.Join(args, " "), code, so, se)
	}
	return so, se
}

// listRow returns a row as column → JSON value text (ovs-vsctl's JSON).
func listRow(t *testing.T, db, table, rec string) map[string]string {
	t.Helper()
	out, _ := vsctl2(t, db, "--format=json", "list", table, rec)
	var v struct {
		Headings []string            `json:"headings"`
		Data     [][]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || len(v.Data) != 1 || len(v.Data[0]) != len(v.Headings) {
		t.Fatalf("list %s %s: %v\n%s", table, rec, err, out)
	}
	row := map[string]string{}
	for i, h := range v.Headings {
		row[h] = string(v.Data[0][i])
	}
	return row
}

// nonEmpty lists the columns that are not an empty set or map.
func nonEmpty(row map[string]string) []string {
	var cols []string
	for c, v := range row {
		if c == "_uuid" || v == `["set",[]]` || v == `["map",[]]` {
			continue
		}
		cols = append(cols, c)
	}
	slices.Sort(cols)
	return cols
}

// mapKeys returns the keys of a JSON ["map", [[k, v]...]] value.
func mapKeys(v string) []string {
	var m []json.RawMessage
	if json.Unmarshal([]byte(v), &m) != nil || len(m) != 2 {
		return nil
	}
	var pairs [][2]any
	if json.Unmarshal(m[1], &pairs) != nil {
		return nil
	}
	var keys []string
	for _, p := range pairs {
		if k, ok := p[0].(string); ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// mustSchemaVersion is what ovs-ctl writes to db_version: the installed
// schema's version.
func mustSchemaVersion(t *testing.T) string {
	t.Helper()
	return strings.TrimSpace(mustRun(t, "ovsdb-tool", "schema-version", ovsoracle.SchemaPath))
}
