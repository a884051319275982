package db

import (
	"encoding/json"
	"strings"
	"testing"

	"govs/ovsdb/schema"
)

func TestWatch(t *testing.T) {
	d := newTestDB(t)
	tx(t, d, `[{"op":"insert","table":"Root","row":{"name":"a"}}]`)
	var got []Change
	initial, cancel := d.Watch(func(ch []Change, _ schema.UUID) { got = append(got, ch...) })
	if len(initial) != 1 || initial[0].Table != "Root" || initial[0].New == nil {
		t.Fatalf("initial %+v", initial)
	}
	tx(t, d, `[{"op":"update","table":"Root","where":[],"row":{"n":3}}]`)
	tx(t, d, `[{"op":"update","table":"Root","where":[],"row":{"n":3}}]`) // no-op: no change
	if len(got) != 1 || got[0].Old == nil || got[0].New.Cols["n"].Keys[0].(int64) != 3 {
		t.Fatalf("changes %+v", got)
	}
	if got[0].Old.Version == got[0].New.Version {
		t.Fatal("_version not bumped")
	}
	cancel()
	tx(t, d, `[{"op":"delete","table":"Root","where":[]}]`)
	if len(got) != 1 {
		t.Fatal("callback after cancel")
	}
}

func FuzzMonitorRequests(f *testing.F) {
	for _, s := range []string{
		`{"Root":{"columns":["name"],"where":[["n",">",1]],"select":{"initial":false}}}`,
		`{"Root":[{"columns":[]},{"where":[true]}],"Kid":{}}`,
		`{"Nope":{}}`, `[]`, `{"Root":{"columns":["zz"]}}`,
	} {
		f.Add(s, 2)
	}
	d := newTestDB(f)
	tx(f, d, `[{"op":"insert","table":"Root","row":{"name":"a","n":5}}]`)
	f.Fuzz(func(t *testing.T, in string, version int) {
		version = version%MonitorV3 + 1
		if version < MonitorV1 {
			version = MonitorV1
		}
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return
		}
		reqs, err := ParseMonitorRequests(d.Schema(), v, version)
		if err != nil {
			return
		}
		m, initial, _ := d.AddMonitor(version, reqs, func(map[string]any, schema.UUID) {})
		if _, err := json.Marshal(initial); err != nil {
			t.Fatal(err)
		}
		_ = m.ChangeConditions(d.Schema(), v)
		d.RemoveMonitor(m)
	})
}
