package vsctl

import (
	"bytes"
	"testing"

	"govs/ovsdb/client"
	"govs/ovsdb/internal/ovstest"
	"govs/ovsdb/schema"
)

func testView(t *testing.T) (*view, *txnRow, *txnRow) {
	t.Helper()
	s := schema.Vswitch()
	ovsU, brU := schema.NewUUID(), schema.NewUUID()
	snap := map[string]map[schema.UUID]map[string]schema.Datum{
		"Open_vSwitch": {ovsU: {"bridges": schema.Datum{Keys: []schema.Atom{brU}}}},
		"Bridge":       {brU: {"name": schema.NewScalar("br0")}},
	}
	v := newView(s, snap)
	v.ovs = v.row("Open_vSwitch", ovsU)
	return v, v.ovs, v.row("Bridge", brU)
}

func opsOf(b built, kind string) []map[string]any {
	var out []map[string]any
	for _, op := range b.ops {
		m := op.(map[string]any)
		if m["op"] == kind {
			out = append(out, m)
		}
	}
	return out
}

func TestBuild(t *testing.T) {
	t.Run("verify makes wait", func(t *testing.T) {
		v, ovs, br := testView(t)
		v.verify(ovs, "bridges")
		v.write(br, "stp_enable", schema.NewScalar(true))
		b := v.build(false, "c")
		w := opsOf(b, "wait")
		if len(w) != 1 || w[0]["until"] != "==" || w[0]["timeout"] != 0 || b.ops[0].(map[string]any)["op"] != "wait" {
			t.Fatalf("wait ops %v", b.ops)
		}
		if !b.changed || len(opsOf(b, "update")) != 1 || len(opsOf(b, "mutate")) != 0 {
			t.Fatalf("ops %v", b.ops)
		}
	})
	t.Run("unchanged write sends nothing", func(t *testing.T) {
		v, _, br := testView(t)
		v.write(br, "name", schema.NewScalar("br0"))
		if b := v.build(true, "c"); b.changed {
			t.Fatalf("changed with identical value: %v", b.ops)
		}
	})
	t.Run("insert uses named-uuid and increments", func(t *testing.T) {
		v, ovs, _ := testView(t)
		p := v.insert("Port", "", false)
		v.write(p, "name", schema.NewScalar("p1"))
		br := v.insert("Bridge", "", false)
		v.write(br, "ports", schema.NewScalar(p.uuid))
		v.write(ovs, "bridges", ovs.read("bridges").Union(schema.NewScalar(br.uuid)))
		b := v.build(true, "c")
		ins := opsOf(b, "insert")
		if len(ins) != 2 || len(b.inserts) != 2 {
			t.Fatalf("inserts %v", ins)
		}
		var brOp map[string]any
		for _, op := range ins {
			if op["table"] == "Bridge" {
				brOp = op
			}
		}
		ref := brOp["row"].(map[string]any)["ports"].([]any)
		if ref[0] != "named-uuid" || ref[1] != rowName(p.uuid) {
			t.Fatalf("bridge ports = %v, want named-uuid of the port", ref)
		}
		if len(opsOf(b, "mutate")) != 1 || b.selectAt < 0 || opsOf(b, "comment")[0]["comment"] != "c" {
			t.Fatalf("increment missing: %v", b.ops)
		}
	})
	t.Run("non-root delete is left to gc", func(t *testing.T) {
		v, ovs, br := testView(t)
		v.remove(br)
		v.write(ovs, "bridges", schema.Datum{Keys: []schema.Atom{}})
		b := v.build(false, "c")
		if len(opsOf(b, "delete")) != 0 || len(opsOf(b, "update")) != 1 {
			t.Fatalf("ops %v", b.ops)
		}
		v2, _, _ := testView(t)
		qos := v2.insert("QoS", "", false)
		v2.tables["QoS"][qos.uuid].inserted = false // pretend committed
		v2.remove(qos)
		if b := v2.build(false, "c"); len(opsOf(b, "delete")) != 1 {
			t.Fatalf("root delete missing: %v", b.ops)
		}
	})
	t.Run("new Open_vSwitch row starts at next_cfg 1", func(t *testing.T) {
		v := newView(schema.Vswitch(), nil)
		v.ovs = v.insert("Open_vSwitch", "", false)
		b := v.build(true, "c")
		if b.nextCfg != 1 || b.selectAt != -1 || len(opsOf(b, "mutate")) != 0 {
			t.Fatalf("ops %v next %d", b.ops, b.nextCfg)
		}
		if row := opsOf(b, "insert")[0]["row"].(map[string]any); row["next_cfg"] != int64(1) {
			t.Fatalf("insert row %v", row)
		}
	})
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name  string
		res   []client.OpResult
		retry bool
		hard  string
	}{
		{name: "ok", res: []client.OpResult{{}, {Count: 1}}},
		{name: "wait failed", res: []client.OpResult{{Err: &schema.Error{Kind: "timed out"}}, {Null: true}}, retry: true},
		{name: "hard", res: []client.OpResult{{}, {Err: &schema.Error{Kind: "constraint violation", Details: "x \"y\""}}},
			hard: `{"details":"x \"y\"","error":"constraint violation"}`},
	}
	for _, tc := range tests {
		retry, hard := classify(tc.res)
		if retry != tc.retry || hard != tc.hard {
			t.Errorf("%s: classify = %v %q, want %v %q", tc.name, retry, hard, tc.retry, tc.hard)
		}
	}
}

// TestRetryAfterConflict: another client changes a verified column
// between the snapshot and the commit; the "wait" op fails, govs-vsctl
// reruns the commands on fresh data and both changes survive.
func TestRetryAfterConflict(t *testing.T) {
	ours := ovstest.StartGovs(t)
	run := func(cfg Config) (int, string) {
		var out, errb bytes.Buffer
		cfg.Args = append([]string{"--db=unix:" + ours.Sock, "--no-wait"}, cfg.Args...)
		cfg.Stdout, cfg.Stderr = &out, &errb
		return Run(cfg), out.String() + errb.String()
	}
	if code, out := run(Config{Args: []string{"init"}}); code != 0 {
		t.Fatal(out)
	}
	calls := 0
	cfg := Config{Args: []string{"add-br", "br0"}, beforeCommit: func() {
		calls++
		if calls == 1 {
			if code, out := run(Config{Args: []string{"add-br", "other"}}); code != 0 {
				t.Errorf("racing add-br: %s", out)
			}
		}
	}}
	if code, out := run(cfg); code != 0 {
		t.Fatalf("add-br: %d %s", code, out)
	}
	if calls != 2 {
		t.Fatalf("commit attempted %d times, want 2 (one retry)", calls)
	}
	if _, out := run(Config{Args: []string{"list-br"}}); out != "br0\nother\n" {
		t.Fatalf("list-br = %q", out)
	}
}
