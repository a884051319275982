package db

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"govs/ovsdb/schema"
)

// testSchema exercises every feature the engine checks.
const testSchema = `{"name": "T", "version": "1.0.0", "tables": {
  "Root": {"columns": {
     "name": {"type": "string"},
     "kids": {"type": {"key": {"type": "uuid", "refTable": "Kid"}, "min": 0, "max": "unlimited"}},
     "weak": {"type": {"key": {"type": "uuid", "refTable": "Kid", "refType": "weak"}, "min": 0, "max": "unlimited"}},
     "n": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 100}}},
     "r": {"type": "real"},
     "opt": {"type": {"key": "integer", "min": 0, "max": 1}},
     "color": {"type": {"key": {"type": "string", "enum": ["set", ["red", "green"]]}, "min": 0, "max": 1}},
     "tags": {"type": {"key": "integer", "min": 0, "max": 3}},
     "m": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
     "fixed": {"type": "string", "mutable": false}},
   "indexes": [["name"]], "isRoot": true},
  "Kid": {"columns": {
     "name": {"type": {"key": {"type": "string", "minLength": 1, "maxLength": 8}}},
     "sub": {"type": {"key": {"type": "uuid", "refTable": "Sub"}, "min": 0, "max": 1}}},
   "isRoot": false},
  "Sub": {"columns": {"v": {"type": "integer"}}, "isRoot": false},
  "Limited": {"columns": {"v": {"type": "integer"}}, "maxRows": 1, "isRoot": true}
}}`

func newTestDB(t testing.TB) *DB {
	t.Helper()
	s, err := schema.Parse([]byte(testSchema))
	if err != nil {
		t.Fatal(err)
	}
	return New(s)
}

func parseOps(t testing.TB, ops string) []any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(ops))
	dec.UseNumber()
	var v []any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad ops %s: %v", ops, err)
	}
	return v
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

func tx(t testing.TB, d *DB, ops string) string {
	t.Helper()
	res := d.Transact(context.Background(), nil, parseOps(t, ops))
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return uuidRE.ReplaceAllString(string(b), "U")
}

func TestTransactTable(t *testing.T) {
	tests := []struct {
		name  string
		setup string
		ops   string
		want  string // substring of the normalised result
	}{
		{"insert", ``, `[{"op":"insert","table":"Root","row":{"name":"a","n":5}}]`, `[{"uuid":["uuid","U"]}]`},
		{"insert unknown table", ``, `[{"op":"insert","table":"Nope","row":{}}]`, `"details":"Parsing ovsdb operation 1 of 1 failed: No table named Nope."`},
		{"insert unknown column", ``, `[{"op":"insert","table":"Root","row":{"zz":1}}]`, `"error":"unknown column"`},
		{"insert wrong type", ``, `[{"op":"insert","table":"Root","row":{"n":"x"}}]`, `"error":"syntax error"`},
		{"insert out of range", ``, `[{"op":"insert","table":"Root","row":{"n":101}}]`, `"details":"101 is not in the valid range 0 to 100 (inclusive)"`},
		{"insert bad enum", ``, `[{"op":"insert","table":"Root","row":{"color":"blue"}}]`, `"details":"blue is not one of the allowed values ([green, red])"`},
		{"insert too many", ``, `[{"op":"insert","table":"Root","row":{"tags":["set",[1,2,3,4]]}}]`, `"error":"syntax error","details":"set must have 0 to 3 members but 4 are present"`},
		{"string too short", ``, `[{"op":"insert","table":"Kid","row":{"name":""}}]`, `"error":"constraint violation"`},
		{"duplicate uuid-name", ``, `[{"op":"insert","table":"Root","uuid-name":"a","row":{"name":"x"}},{"op":"insert","table":"Root","uuid-name":"a","row":{"name":"y"}}]`, `"error":"duplicate uuid-name"`},
		{"index violation", `[{"op":"insert","table":"Root","row":{"name":"dup"}}]`, `[{"op":"insert","table":"Root","row":{"name":"dup"}}]`, `"error":"constraint violation","details":"Transaction causes multiple rows in \"Root\" table to have identical values`},
		{"maxRows", ``, `[{"op":"insert","table":"Limited","row":{}},{"op":"insert","table":"Limited","row":{}}]`, `greater than the schema-defined limit of 1 row(s)`},
		{"strong ref to missing", ``, `[{"op":"insert","table":"Root","row":{"name":"a","kids":["uuid","00000000-0000-0000-0000-000000000001"]}}]`, `"error":"referential integrity violation"`},
		{"named ref", ``, `[{"op":"insert","table":"Root","row":{"name":"a","kids":["named-uuid","k"]}},{"op":"insert","table":"Kid","uuid-name":"k","row":{"name":"kid"}},{"op":"select","table":"Kid","where":[],"columns":["name"]}]`, `{"rows":[{"name":"kid"}]}`},
		{"gc unreferenced insert", `[{"op":"insert","table":"Kid","row":{"name":"orphan"}}]`, `[{"op":"select","table":"Kid","where":[]}]`, `[{"rows":[]}]`},
		{"select where", `[{"op":"insert","table":"Root","row":{"name":"a","n":1}},{"op":"insert","table":"Root","row":{"name":"b","n":2}}]`, `[{"op":"select","table":"Root","where":[["n",">=",2]],"columns":["name"]}]`, `[{"rows":[{"name":"b"}]}]`},
		{"select includes", `[{"op":"insert","table":"Root","row":{"name":"a","tags":["set",[1,2]]}}]`, `[{"op":"select","table":"Root","where":[["tags","includes",1]],"columns":["name"]},{"op":"select","table":"Root","where":[["tags","excludes",["set",[2]]]],"columns":["name"]}]`, `[{"rows":[{"name":"a"}]},{"rows":[]}]`},
		{"lt on set rejected", ``, `[{"op":"select","table":"Root","where":[["tags","<",1]]}]`, `Type mismatch`},
		{"update", `[{"op":"insert","table":"Root","row":{"name":"a"}}]`, `[{"op":"update","table":"Root","where":[["name","==","a"]],"row":{"n":7}},{"op":"select","table":"Root","where":[],"columns":["n"]}]`, `[{"count":1},{"rows":[{"n":7}]}]`},
		{"update immutable", `[{"op":"insert","table":"Root","row":{"name":"a"}}]`, `[{"op":"update","table":"Root","where":[],"row":{"fixed":"x"}}]`, `Cannot update immutable column fixed in table Root.`},
		{"mutate add", `[{"op":"insert","table":"Root","row":{"name":"a","n":5}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["n","+=",1]]},{"op":"select","table":"Root","where":[],"columns":["n"]}]`, `[{"count":1},{"rows":[{"n":6}]}]`},
		{"mutate out of range", `[{"op":"insert","table":"Root","row":{"name":"a","n":5}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["n","*=",100]]}]`, `"error":"constraint violation"`},
		{"mutate div zero", `[{"op":"insert","table":"Root","row":{"name":"a","n":5}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["n","/=",0]]}]`, `"error":"domain error","details":"Division by zero."`},
		{"mutate overflow", `[{"op":"insert","table":"Root","row":{"name":"a","r":1}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["r","*=",1e308],["r","*=",1e308]]}]`, `"error":"range error"`},
		{"mutate insert delete set", `[{"op":"insert","table":"Root","row":{"name":"a","tags":1}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["tags","insert",["set",[2,3]]],["tags","delete",1]]},{"op":"select","table":"Root","where":[],"columns":["tags"]}]`, `{"rows":[{"tags":["set",[2,3]]}]}`},
		{"mutate set too big", `[{"op":"insert","table":"Root","row":{"name":"a","tags":["set",[1,2,3]]}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["tags","insert",4]]}]`, `"error":"constraint violation"`},
		{"mutate map", `[{"op":"insert","table":"Root","row":{"name":"a","m":["map",[["k","v"],["x","y"]]]}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["m","insert",["map",[["k","NEW"],["z","1"]]]],["m","delete",["set",["x"]]]]},{"op":"select","table":"Root","where":[],"columns":["m"]}]`, `{"rows":[{"m":["map",[["k","v"],["z","1"]]]}]}`},
		{"mutate map delete pair", `[{"op":"insert","table":"Root","row":{"name":"a","m":["map",[["k","v"]]]}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["m","delete",["map",[["k","other"]]]]]},{"op":"select","table":"Root","where":[],"columns":["m"]}]`, `{"rows":[{"m":["map",[["k","v"]]]}]}`},
		{"mutate immutable", `[{"op":"insert","table":"Root","row":{"name":"a"}}]`, `[{"op":"mutate","table":"Root","where":[],"mutations":[["_uuid","+=",1]]}]`, `Cannot mutate immutable column _uuid`},
		{"delete", `[{"op":"insert","table":"Root","row":{"name":"a"}}]`, `[{"op":"delete","table":"Root","where":[["name","==","a"]]},{"op":"select","table":"Root","where":[]}]`, `[{"count":1},{"rows":[]}]`},
		{"wait ok", `[{"op":"insert","table":"Root","row":{"name":"a","n":3}}]`, `[{"op":"wait","table":"Root","timeout":0,"where":[],"columns":["n"],"until":"==","rows":[{"n":3}]}]`, `[{}]`},
		{"wait timeout", `[{"op":"insert","table":"Root","row":{"name":"a","n":3}}]`, `[{"op":"wait","table":"Root","timeout":0,"where":[],"columns":["n"],"until":"==","rows":[{"n":4}]}]`, `[{"error":"timed out"`},
		{"wait ne", `[{"op":"insert","table":"Root","row":{"name":"a","n":3}}]`, `[{"op":"wait","table":"Root","timeout":0,"where":[],"columns":["n"],"until":"!=","rows":[{"n":4}]}]`, `[{}]`},
		{"abort", ``, `[{"op":"insert","table":"Root","row":{"name":"a"}},{"op":"abort"},{"op":"comment","comment":"x"}]`, `[{"uuid":["uuid","U"]},{"error":"aborted","details":"aborted by request"},null]`},
		{"comment commit", ``, `[{"op":"comment","comment":"hi"},{"op":"commit","durable":false}]`, `[{},{}]`},
		{"assert not owner", ``, `[{"op":"assert","lock":"ovs_vswitchd"}]`, `"error":"not owner"`},
		{"unknown op", ``, `[{"op":"frobnicate"}]`, `"details":"Parsing ovsdb operation 1 of 1 failed: No operation \"frobnicate\""`},
		{"not an object", ``, `[1]`, `"error":"syntax error"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newTestDB(t)
			if tc.setup != "" {
				if got := tx(t, d, tc.setup); strings.Contains(got, "error") {
					t.Fatalf("setup failed: %s", got)
				}
			}
			got := tx(t, d, tc.ops)
			if !strings.Contains(got, tc.want) {
				t.Fatalf("got  %s\nwant substring %s", got, tc.want)
			}
		})
	}
}

func TestAtomicity(t *testing.T) {
	d := newTestDB(t)
	tx(t, d, `[{"op":"insert","table":"Root","row":{"name":"a"}}]`)
	got := tx(t, d, `[{"op":"update","table":"Root","where":[],"row":{"n":9}},{"op":"insert","table":"Root","row":{"name":"a"}}]`)
	if !strings.Contains(got, "constraint violation") {
		t.Fatalf("want index error, got %s", got)
	}
	if got := tx(t, d, `[{"op":"select","table":"Root","where":[],"columns":["n"]}]`); got != `[{"rows":[{"n":0}]}]` {
		t.Fatalf("failed transaction leaked: %s", got)
	}
}

func TestGarbageCollectionAndWeakRefs(t *testing.T) {
	d := newTestDB(t)
	res := tx(t, d, `[{"op":"insert","table":"Root","uuid-name":"r","row":{"name":"a","kids":["named-uuid","k"],"weak":["named-uuid","k"]}},
		{"op":"insert","table":"Kid","uuid-name":"k","row":{"name":"kid","sub":["named-uuid","s"]}},
		{"op":"insert","table":"Sub","uuid-name":"s","row":{"v":1}}]`)
	if strings.Contains(res, "error") {
		t.Fatal(res)
	}
	if n := len(d.Rows("Sub")); n != 1 {
		t.Fatalf("Sub rows = %d, want 1", n)
	}
	// Dropping the strong ref collects Kid and, transitively, Sub; the weak
	// ref to Kid is removed.
	res = tx(t, d, `[{"op":"update","table":"Root","where":[],"row":{"kids":["set",[]]}},{"op":"select","table":"Root","where":[],"columns":["weak"]}]`)
	if strings.Contains(res, "error") {
		t.Fatal(res)
	}
	if n := len(d.Rows("Kid")); n != 0 {
		t.Fatalf("Kid rows = %d, want 0 (garbage collected)", n)
	}
	if n := len(d.Rows("Sub")); n != 0 {
		t.Fatalf("Sub rows = %d, want 0 (cascade)", n)
	}
	if w := d.Rows("Root")[0].Cols["weak"]; w.Len() != 0 {
		t.Fatalf("weak ref not removed: %v", w)
	}
}

func TestDeleteReferencedRow(t *testing.T) {
	d := newTestDB(t)
	tx(t, d, `[{"op":"insert","table":"Root","row":{"name":"a","kids":["named-uuid","k"]}},{"op":"insert","table":"Kid","uuid-name":"k","row":{"name":"kid"}}]`)
	got := tx(t, d, `[{"op":"delete","table":"Kid","where":[]}]`)
	if !strings.Contains(got, `"error":"referential integrity violation","details":"cannot delete Kid row U because of 1 remaining reference(s)"`) {
		t.Fatalf("got %s", got)
	}
}

type lockSession map[string]bool

func (l lockSession) HoldsLock(n string) bool { return l[n] }

func TestAssertLock(t *testing.T) {
	d := newTestDB(t)
	res := d.Transact(context.Background(), lockSession{"ovs_vswitchd": true}, parseOps(t, `[{"op":"assert","lock":"ovs_vswitchd"}]`))
	if b, _ := json.Marshal(res); string(b) != `[{}]` {
		t.Fatalf("got %s", b)
	}
}

func TestWaitWithTimeoutWakesOnCommit(t *testing.T) {
	d := newTestDB(t)
	tx(t, d, `[{"op":"insert","table":"Root","row":{"name":"a","n":1}}]`)
	done := make(chan string, 1)
	go func() {
		done <- tx(t, d, `[{"op":"wait","table":"Root","timeout":10000,"where":[],"columns":["n"],"until":"==","rows":[{"n":2}]},{"op":"select","table":"Root","where":[],"columns":["n"]}]`)
	}()
	tx(t, d, `[{"op":"update","table":"Root","where":[],"row":{"n":2}}]`)
	if got := <-done; got != `[{},{"rows":[{"n":2}]}]` {
		t.Fatalf("got %s", got)
	}
	// And a short timeout expires.
	if got := tx(t, d, `[{"op":"wait","table":"Root","timeout":20,"where":[],"columns":["n"],"until":"==","rows":[{"n":3}]}]`); !strings.Contains(got, "timed out") {
		t.Fatalf("got %s", got)
	}
}

func TestMonitors(t *testing.T) {
	d := newTestDB(t)
	tx(t, d, `[{"op":"insert","table":"Root","row":{"name":"a","n":1}}]`)
	s := d.Schema()
	var got []string
	record := func(u map[string]any, _ schema.UUID) {
		b, _ := json.Marshal(u)
		got = append(got, uuidRE.ReplaceAllString(string(b), "U"))
	}
	reqs, err := ParseMonitorRequests(s, map[string]any{"Root": map[string]any{"columns": []any{"name", "n", "tags"}}}, MonitorV2)
	if err != nil {
		t.Fatal(err)
	}
	_, initial, _ := d.AddMonitor(MonitorV2, reqs, record)
	b, _ := json.Marshal(initial)
	if want := `{"Root":{"U":{"initial":{"n":1,"name":"a"}}}}`; uuidRE.ReplaceAllString(string(b), "U") != want {
		t.Fatalf("initial %s", b)
	}
	reqs1, _ := ParseMonitorRequests(s, map[string]any{"Root": map[string]any{"columns": []any{"n"}}}, MonitorV1)
	var got1 []string
	d.AddMonitor(MonitorV1, reqs1, func(u map[string]any, _ schema.UUID) {
		b, _ := json.Marshal(u)
		got1 = append(got1, uuidRE.ReplaceAllString(string(b), "U"))
	})
	condReqs, _ := ParseMonitorRequests(s, parseOps(t, `[{"Root":{"columns":["name"],"where":[["n",">",5]]}}]`)[0], MonitorV2)
	var gotCond []string
	d.AddMonitor(MonitorV2, condReqs, func(u map[string]any, _ schema.UUID) {
		b, _ := json.Marshal(u)
		gotCond = append(gotCond, uuidRE.ReplaceAllString(string(b), "U"))
	})
	tx(t, d, `[{"op":"mutate","table":"Root","where":[],"mutations":[["n","+=",9],["tags","insert",["set",[4,5]]]]}]`)
	tx(t, d, `[{"op":"mutate","table":"Root","where":[],"mutations":[["tags","delete",4]]}]`)
	tx(t, d, `[{"op":"delete","table":"Root","where":[]}]`)
	want := []string{
		`{"Root":{"U":{"modify":{"n":10,"tags":["set",[4,5]]}}}}`,
		`{"Root":{"U":{"modify":{"tags":4}}}}`,
		`{"Root":{"U":{"delete":null}}}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("update2:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	want1 := []string{`{"Root":{"U":{"new":{"n":10},"old":{"n":1}}}}`, `{"Root":{"U":{"old":{"n":10}}}}`}
	if strings.Join(got1, "\n") != strings.Join(want1, "\n") {
		t.Fatalf("update:\n%s", strings.Join(got1, "\n"))
	}
	wantCond := []string{`{"Root":{"U":{"insert":{"name":"a"}}}}`, `{"Root":{"U":{"delete":null}}}`}
	if strings.Join(gotCond, "\n") != strings.Join(wantCond, "\n") {
		t.Fatalf("cond:\n%s", strings.Join(gotCond, "\n"))
	}
}

func TestSnapshotReplay(t *testing.T) {
	d := newTestDB(t)
	tx(t, d, `[{"op":"insert","table":"Root","row":{"name":"a","kids":["named-uuid","k"],"m":["map",[["a","b"]]]}},{"op":"insert","table":"Kid","uuid-name":"k","row":{"name":"kid"}}]`)
	snap, err := d.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	d2 := newTestDB(t)
	if err := d2.Replay(snap); err != nil {
		t.Fatal(err)
	}
	s2, _ := d2.Snapshot()
	var a, b any
	json.Unmarshal(snap, &a)
	json.Unmarshal(s2, &b)
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	if !bytes.Equal(ab, bb) {
		t.Fatalf("replay differs:\n%s\n%s", ab, bb)
	}
}

func FuzzTransact(f *testing.F) {
	seeds := []string{
		`[{"op":"insert","table":"Root","row":{"name":"a","kids":["named-uuid","k"]}},{"op":"insert","table":"Kid","uuid-name":"k","row":{"name":"kid"}}]`,
		`[{"op":"mutate","table":"Root","where":[["n","<",3]],"mutations":[["n","%=",0],["m","delete",["set",["x"]]]]}]`,
		`[{"op":"update","table":"Root","where":[["_uuid","==",["uuid","00000000-0000-0000-0000-000000000000"]]],"row":{"tags":["set",[1,2]]}}]`,
		`[{"op":"wait","table":"Root","timeout":0,"where":[true],"columns":["n"],"until":"!=","rows":[{"n":1}]}]`,
		`[{"op":"delete","table":"Kid","where":[["name","includes","x"]]},{"op":"select","table":"Root","where":[],"columns":["_version"]}]`,
		`[{"op":"insert","table":"Root","row":{"m":["map",[["a","b"],["a","c"]]]}}]`,
		`[null, {"op": 1}, {"op":"insert"}]`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	d := newTestDB(f)
	f.Fuzz(func(t *testing.T, ops string) {
		dec := json.NewDecoder(strings.NewReader(ops))
		dec.UseNumber()
		var v []any
		if dec.Decode(&v) != nil {
			return
		}
		// Never wait: force timeouts to zero.
		for _, op := range v {
			if o, ok := op.(map[string]any); ok && o["op"] == "wait" {
				o["timeout"] = json.Number("0")
			}
		}
		res := d.Transact(context.Background(), nil, v)
		if len(res) < len(v) {
			t.Fatalf("%d results for %d ops", len(res), len(v))
		}
	})
}
