package reconcile

import (
	"encoding/json"
	"testing"

	"govs/datapath"
	"govs/ovsdb/client"
	"govs/ovsdb/schema"
)

// FuzzParseState feeds arbitrary replica contents (as JSON rows, decoded
// with the vswitch schema like monitor updates) through parseState and
// writeOps: no input may panic, and every op must be an update of a known
// table.
func FuzzParseState(f *testing.F) {
	seeds := []string{
		`{"Open_vSwitch":{"00000000-0000-0000-0000-000000000001":{"bridges":["uuid","00000000-0000-0000-0000-000000000002"],"next_cfg":3}},
		  "Bridge":{"00000000-0000-0000-0000-000000000002":{"name":"br0","ports":["uuid","00000000-0000-0000-0000-000000000003"],"other_config":["map",[["datapath-id","0000aabbccddeeff"]]]}},
		  "Port":{"00000000-0000-0000-0000-000000000003":{"name":"br0","interfaces":["uuid","00000000-0000-0000-0000-000000000004"],"tag":5}},
		  "Interface":{"00000000-0000-0000-0000-000000000004":{"name":"br0","type":"internal","ofport":65534}}}`,
		`{"Open_vSwitch":{"00000000-0000-0000-0000-000000000001":{}}}`,
		`{}`,
		`{"Bridge":{"x":{"name":1}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := schema.Vswitch()
	f.Fuzz(func(t *testing.T, data []byte) {
		var in map[string]map[string]map[string]any
		if json.Unmarshal(data, &in) != nil {
			return
		}
		tables := map[string]rows{}
		for tn, trows := range in {
			tbl := s.Tables[tn]
			if tbl == nil {
				continue
			}
			tables[tn] = rows{}
			for us, r := range trows {
				u, err := schema.ParseUUID(us)
				if err != nil {
					continue
				}
				d, err := client.DecodeRow(tbl, r)
				if err != nil {
					continue
				}
				tables[tn][u] = d
			}
		}
		st := parseState(tables)
		e := newEngine(nil, nil, datapath.Config{})
		for _, op := range e.writeOps(s, st, true, func(string) netdevInfo { return netdevInfo{} }) {
			m := op.(map[string]any)
			if m["op"] != "update" || s.Tables[m["table"].(string)] == nil {
				t.Fatalf("bad op %v", m)
			}
		}
	})
}
