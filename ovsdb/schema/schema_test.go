package schema

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestEmbeddedSchemas(t *testing.T) {
	s := Vswitch()
	if s.Name != VswitchDB || !strings.HasPrefix(s.Version, "8.3.") {
		t.Fatalf("vswitch schema %s %s", s.Name, s.Version)
	}
	tests := []struct {
		table, col string
		root       bool
		check      func(c *Column) bool
	}{
		{"Open_vSwitch", "next_cfg", true, func(c *Column) bool { return c.Type.Key.Type == TypeInteger && c.Type.IsScalar() }},
		{"Bridge", "ports", false, func(c *Column) bool { return c.Type.Key.RefTable == "Port" && c.Type.Key.RefType == RefStrong }},
		{"Port", "tag", false, func(c *Column) bool { return c.Type.Key.MaxInteger == 4095 && c.Type.IsOptional() }},
		{"Port", "interfaces", false, func(c *Column) bool { return c.Type.Min == 1 && c.Type.Max == Unlimited }},
		{"Port", "vlan_mode", false, func(c *Column) bool { return len(c.Type.Key.Enum) == 5 }},
		{"Interface", "options", false, func(c *Column) bool { return c.Type.IsMap() }},
		{"Flow_Sample_Collector_Set", "bridge", true, func(c *Column) bool { return c.Type.Key.RefTable == "Bridge" }},
	}
	for _, tc := range tests {
		t.Run(tc.table+"."+tc.col, func(t *testing.T) {
			tbl := s.Tables[tc.table]
			if tbl == nil || tbl.IsRoot != tc.root {
				t.Fatalf("table %s missing or isRoot wrong", tc.table)
			}
			c := tbl.Columns[tc.col]
			if c == nil || !tc.check(c) {
				t.Fatalf("column %s: %+v", tc.col, c)
			}
		})
	}
	if len(s.Tables["Bridge"].Indexes) != 1 || s.Tables["Open_vSwitch"].MaxRows != 1 {
		t.Fatal("indexes/maxRows not parsed")
	}
	if Server().Tables["Database"] == nil {
		t.Fatal("_Server schema lacks Database")
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"not json", `{`},
		{"no name", `{"tables":{}}`},
		{"bad type", `{"name":"x","tables":{"T":{"columns":{"c":{"type":"float"}}}}}`},
		{"bad ref", `{"name":"x","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"uuid","refTable":"Nope"}}}}}}}`},
		{"reserved", `{"name":"x","tables":{"T":{"columns":{"_c":{"type":"string"}}}}}`},
		{"min>max", `{"name":"x","tables":{"T":{"columns":{"c":{"type":{"key":"string","min":1,"max":0}}}}}}`},
		{"bad index", `{"name":"x","tables":{"T":{"columns":{"c":{"type":"string"}},"indexes":[["d"]]}}}`},
		{"bad enum", `{"name":"x","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"integer","enum":"x"}}}}}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse([]byte(tc.doc)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func decodeJSON(t testing.TB, s string) any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDatumJSON(t *testing.T) {
	set := &Type{Key: newBase(TypeInteger), Min: 0, Max: Unlimited}
	opt := &Type{Key: newBase(TypeString), Min: 0, Max: 1}
	uuidSet := &Type{Key: newBase(TypeUUID), Min: 0, Max: Unlimited}
	smap := &Type{Key: newBase(TypeString), Value: func() *BaseType { b := newBase(TypeString); return &b }(), Min: 0, Max: Unlimited}
	real := &Type{Key: newBase(TypeReal), Min: 1, Max: 1}
	tests := []struct {
		name string
		typ  *Type
		in   string
		out  string // "" = error expected
	}{
		{"atom in set", set, `5`, `5`},
		{"set sorted dedup", set, `["set",[3,1,2]]`, `["set",[1,2,3]]`},
		{"duplicate set", set, `["set",[1,1]]`, ``},
		{"empty opt", opt, `["set",[]]`, `["set",[]]`},
		{"opt too many", opt, `["set",["a","b"]]`, ``},
		{"uuid", uuidSet, `["uuid","0A000000-0000-0000-0000-000000000000"]`, `["uuid","0a000000-0000-0000-0000-000000000000"]`},
		{"bad uuid", uuidSet, `["uuid","nope"]`, ``},
		{"named uuid without resolver", uuidSet, `["named-uuid","x"]`, ``},
		{"map", smap, `["map",[["b","2"],["a","1"]]]`, `["map",[["a","1"],["b","2"]]]`},
		{"map dup key", smap, `["map",[["a","1"],["a","2"]]]`, ``},
		{"map not pair", smap, `["map",[["a"]]]`, ``},
		{"map as set", smap, `["set",[]]`, ``},
		{"real from int", real, `3`, `3`},
		{"wrong type", set, `"x"`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := DatumFromJSON(tc.typ, decodeJSON(t, tc.in), nil)
			if tc.out == "" {
				if err == nil {
					t.Fatalf("want error, got %v", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(d.JSON())
			if string(b) != tc.out {
				t.Fatalf("got %s want %s", b, tc.out)
			}
		})
	}
}

func TestDiffApply(t *testing.T) {
	smap := &Type{Key: newBase(TypeString), Value: func() *BaseType { b := newBase(TypeString); return &b }(), Min: 0, Max: Unlimited}
	oldD, _ := DatumFromJSON(smap, decodeJSON(t, `["map",[["a","1"],["b","2"],["c","3"]]]`), nil)
	newD, _ := DatumFromJSON(smap, decodeJSON(t, `["map",[["a","1"],["b","9"],["d","4"]]]`), nil)
	diff := Diff(oldD, newD, smap)
	b, _ := json.Marshal(diff.JSON())
	if string(b) != `["map",[["b","9"],["c","3"],["d","4"]]]` {
		t.Fatalf("diff %s", b)
	}
	if got := ApplyDiff(oldD, diff, smap); !got.Equal(newD) {
		t.Fatalf("apply %v", got)
	}
}

func FuzzDatumFromJSON(f *testing.F) {
	for _, s := range []string{`5`, `["set",[1,2]]`, `["map",[["a",1]]]`, `["uuid","00000000-0000-0000-0000-000000000000"]`, `["set",[["uuid","x"]]]`, `[]`, `null`, `1e400`} {
		f.Add(s)
	}
	s := Vswitch()
	var types []*Type
	for _, tn := range s.TableNames {
		for _, cn := range s.Tables[tn].ColumnNames {
			types = append(types, &s.Tables[tn].Columns[cn].Type)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		dec := json.NewDecoder(bytes.NewReader([]byte(in)))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return
		}
		for _, typ := range types {
			d, err := DatumFromJSON(typ, v, nil)
			if err != nil {
				continue
			}
			// Round trip must be stable.
			b, err := json.Marshal(d.JSON())
			if err != nil {
				t.Fatal(err)
			}
			d2, err := DatumFromJSON(typ, decodeJSON(t, string(b)), nil)
			if err != nil || !d2.Equal(d) {
				t.Fatalf("round trip of %s failed: %v", b, err)
			}
		}
	})
}

func FuzzSchemaParse(f *testing.F) {
	f.Add(string(vswitchSchema))
	f.Add(string(serverSchema))
	f.Add(`{"name":"x","tables":{"T":{"columns":{"c":{"type":{"key":{"type":"string","enum":["set",["a"]]},"min":0,"max":"unlimited"}}}}}}`)
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = Parse([]byte(in))
	})
}
