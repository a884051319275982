package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"govs/datapath/flow"
	"govs/ovsdb/client"
	"govs/ovsdb/db"
	"govs/ovsdb/schema"
	"govs/ovsdb/server"
	"govs/ports"
	"govs/ports/memport"
)

const (
	testTimeout   = 30 * time.Second
	pollInterval  = 10 * time.Millisecond
	memPortFrames = 16
)

// memOpener opens memports; names in missing fail like a missing device.
type memOpener struct{ missing map[string]bool }

func (o memOpener) Open(name, typ string) (ports.Port, error) {
	if o.missing[name] {
		return nil, &ports.OpenError{Device: name, Err: errNoDevice}
	}
	return memport.New(name, memPortFrames)
}

var errNoDevice = errors.New("No such device")

type env struct {
	t   *testing.T
	r   *Reconciler
	c   *client.Client
	ovs schema.UUID
}

// newEnv starts an in-process server with an initialised Open_vSwitch row
// and a reconciler on it.
func newEnv(t *testing.T, missing ...string) *env {
	t.Helper()
	m := map[string]bool{}
	for _, n := range missing {
		m[n] = true
	}
	return newEnvOpener(t, memOpener{m})
}

// newEnvOpener is newEnv with the given Opener.
func newEnvOpener(t *testing.T, o Opener) *env {
	t.Helper()
	d := db.New(schema.Vswitch())
	srv := server.New(d)
	pl := NewPipeListener()
	go func() { _ = srv.Serve(pl) }()
	r, err := New(Config{Dial: pl.Dial, Opener: o, Logger: testLogger(t), StatsInterval: 50 * time.Millisecond, RetryInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	c, err := pl.Dial(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-done
		r.Close()
		_ = c.Close()
		_ = srv.Close()
	})
	e := &env{t: t, r: r, c: c}
	res := e.transact(map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{}})
	e.ovs = res[0].UUID
	return e
}

func (e *env) transact(ops ...any) []client.OpResult {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	res, err := e.c.Transact(ctx, DBName, ops...)
	if err != nil {
		e.t.Fatalf("transact: %v", err)
	}
	return res
}

// bump adds the next_cfg increment and waits for cur_cfg to reach it,
// as ovs-vsctl does.
func (e *env) bumpAndWait(ops ...any) {
	e.t.Helper()
	where := []any{[]any{"_uuid", "==", []any{"uuid", string(e.ovs)}}}
	ops = append(ops,
		map[string]any{"op": "mutate", "table": "Open_vSwitch", "where": where, "mutations": []any{[]any{"next_cfg", "+=", 1}}},
		map[string]any{"op": "select", "table": "Open_vSwitch", "where": where, "columns": []string{"next_cfg"}})
	res := e.transact(ops...)
	next, _ := res[len(res)-1].Rows[0]["next_cfg"].(json.Number).Int64()
	e.waitFor(fmt.Sprintf("cur_cfg >= %d", next), func() bool {
		cur, _ := e.selectCol("Open_vSwitch", "", "cur_cfg").(json.Number).Int64()
		return cur >= next
	})
}

func (e *env) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timeout waiting for %s", what)
		}
		time.Sleep(pollInterval)
	}
}

// selectCol reads one column of the row named name (or the only row).
func (e *env) selectCol(table, name, col string) any {
	e.t.Helper()
	var where []any
	if name != "" {
		where = []any{[]any{"name", "==", name}}
	} else {
		where = []any{}
	}
	res := e.transact(map[string]any{"op": "select", "table": table, "where": where, "columns": []string{col}})
	if len(res[0].Rows) == 0 {
		return nil
	}
	return res[0].Rows[0][col]
}

func named(s string) []any { return []any{"named-uuid", s} }

// addBridgeOps inserts a bridge with its internal port and the given
// extra ports (name -> iface row, port row).
type portSpec struct {
	name  string
	iface map[string]any
	port  map[string]any
}

func (e *env) setBridges(names ...string) map[string]any {
	var refs []any
	for _, n := range names {
		refs = append(refs, named("br_"+n))
	}
	return map[string]any{"op": "update", "table": "Open_vSwitch", "where": []any{[]any{"_uuid", "==", []any{"uuid", string(e.ovs)}}},
		"row": map[string]any{"bridges": []any{"set", refs}}}
}

func bridgeOps(name string, extra map[string]any, ps ...portSpec) []any {
	ps = append([]portSpec{{name: name, iface: map[string]any{"type": "internal"}}}, ps...)
	var ops, prefs []any
	for _, p := range ps {
		ir := map[string]any{"name": p.name}
		for k, v := range p.iface {
			ir[k] = v
		}
		pr := map[string]any{"name": p.name, "interfaces": named("if_" + p.name)}
		for k, v := range p.port {
			pr[k] = v
		}
		ops = append(ops,
			map[string]any{"op": "insert", "table": "Interface", "uuid-name": "if_" + p.name, "row": ir},
			map[string]any{"op": "insert", "table": "Port", "uuid-name": "p_" + p.name, "row": pr})
		prefs = append(prefs, named("p_"+p.name))
	}
	br := map[string]any{"name": name, "ports": []any{"set", prefs}}
	for k, v := range extra {
		br[k] = v
	}
	return append(ops, map[string]any{"op": "insert", "table": "Bridge", "uuid-name": "br_" + name, "row": br})
}

func num(v any) int64 {
	n, _ := v.(json.Number).Int64()
	return n
}

func TestReconcileBridgesAndPorts(t *testing.T) {
	e := newEnv(t, "ghost")
	ops := bridgeOps("br0", nil,
		portSpec{name: "p1", port: map[string]any{"tag": 10}},
		portSpec{name: "p2", iface: map[string]any{"ofport_request": 7}},
		portSpec{name: "ghost"},
		portSpec{name: "vx", iface: map[string]any{"type": "vxlan"}},
		portSpec{name: "gr", iface: map[string]any{"type": "gre"}})
	e.bumpAndWait(append(ops, e.setBridges("br0"))...)
	if !e.r.HasLock() {
		t.Fatal("lock not held")
	}
	if got := num(e.selectCol("Interface", "br0", "ofport")); got != int64(flow.PortLocal) {
		t.Fatalf("LOCAL ofport %d", got)
	}
	if got := num(e.selectCol("Interface", "p2", "ofport")); got != 7 {
		t.Fatalf("ofport_request not honoured: %d", got)
	}
	if got := num(e.selectCol("Interface", "p1", "ofport")); got != 1 {
		t.Fatalf("p1 ofport %d", got)
	}
	if got := num(e.selectCol("Interface", "ghost", "ofport")); got != ofportFailed {
		t.Fatalf("ghost ofport %d", got)
	}
	if got := e.selectCol("Interface", "ghost", "error"); got != "could not open network device ghost (No such device)" {
		t.Fatalf("ghost error %v", got)
	}
	if got, _ := e.selectCol("Interface", "vx", "error").(string); got != "vx: vxlan type requires valid 'remote_ip' argument" {
		t.Fatalf("vxlan error %v", got)
	}
	if got, _ := e.selectCol("Interface", "gr", "error").(string); !strings.Contains(got, "unsupported interface type") {
		t.Fatalf("gre error %v", got)
	}
	if got, _ := e.selectCol("Bridge", "br0", "datapath_version").(string); got != datapathVersion {
		t.Fatalf("datapath_version %q", got)
	}
	// ovs-vswitchd writes dpdk_version, not ovs_version (ovs-ctl's).
	if got, _ := e.selectCol("Open_vSwitch", "", "dpdk_version").(string); got != "none" {
		t.Fatalf("dpdk_version %q", got)
	}
	if got, ok := e.selectCol("Open_vSwitch", "", "ovs_version").(string); ok {
		t.Fatalf("the reconciler wrote ovs_version %q", got)
	}
	br := e.r.Bridge("br0")
	if br == nil || len(br.Ports()) != 3 {
		t.Fatalf("live bridge %v", br)
	}
	if op, ok := br.Pipeline().(*OFPipeline); !ok || op.Tables().Len() != 1 {
		t.Fatalf("standalone bridge pipeline %T: want *OFPipeline with the default NORMAL flow", br.Pipeline())
	}
	for _, p := range br.Ports() {
		if p.Name == "p1" && p.VLAN.Tag != 10 {
			t.Fatalf("p1 tag %d", p.VLAN.Tag)
		}
	}
	// Statistics are written periodically.
	e.waitFor("statistics", func() bool {
		m, ok := e.selectCol("Interface", "p1", "statistics").([]any)
		return ok && len(m) == 2 && strings.Contains(fmt.Sprint(m[1]), "rx_packets")
	})

	// Remove a port, change a tag, set secure: the bridge follows.
	e.bumpAndWait(map[string]any{"op": "update", "table": "Port", "where": []any{[]any{"name", "==", "p1"}}, "row": map[string]any{"tag": 20}},
		map[string]any{"op": "update", "table": "Bridge", "where": []any{[]any{"name", "==", "br0"}}, "row": map[string]any{"fail_mode": "secure"}})
	for _, p := range br.Ports() {
		if p.Name == "p1" && p.VLAN.Tag != 20 {
			t.Fatalf("p1 tag %d after update", p.VLAN.Tag)
		}
	}
	op, ok := br.Pipeline().(*OFPipeline)
	if !ok {
		t.Fatalf("bridge pipeline is %T, want *OFPipeline", br.Pipeline())
	}
	if n := op.Tables().Len(); n != 0 {
		t.Fatalf("secure bridge has %d flows, want 0 (fail_mode change flushes)", n)
	}
	// Delete the bridge (rewrite bridges to empty).
	e.bumpAndWait(map[string]any{"op": "update", "table": "Open_vSwitch", "where": []any{[]any{"_uuid", "==", []any{"uuid", string(e.ovs)}}}, "row": map[string]any{"bridges": []any{"set", []any{}}}})
	if len(e.r.BridgeNames()) != 0 {
		t.Fatalf("bridges left: %v", e.r.BridgeNames())
	}
}

func TestReconcilePatchPair(t *testing.T) {
	e := newEnv(t)
	ops := bridgeOps("bra", nil, portSpec{name: "pa", iface: map[string]any{"type": "patch", "options": []any{"map", []any{[]any{"peer", "pb"}}}}})
	e.bumpAndWait(append(ops, e.setBridges("bra"))...)
	if got := num(e.selectCol("Interface", "pa", "ofport")); got != 1 {
		t.Fatalf("lonely patch ofport %d", got)
	}
	ops = bridgeOps("brb", nil, portSpec{name: "pb", iface: map[string]any{"type": "patch", "options": []any{"map", []any{[]any{"peer", "pa"}}}}})
	e.bumpAndWait(append(ops, map[string]any{"op": "mutate", "table": "Open_vSwitch", "where": []any{[]any{"_uuid", "==", []any{"uuid", string(e.ovs)}}},
		"mutations": []any{[]any{"bridges", "insert", []any{"set", []any{named("br_brb")}}}}})...)
	if got := num(e.selectCol("Interface", "pb", "ofport")); got != 1 {
		t.Fatalf("patch peer ofport %d", got)
	}
	// A frame written to pa's end comes out of pb's end.
	pa, _ := e.r.Bridge("bra").Port(1)
	pb, _ := e.r.Bridge("brb").Port(1)
	if pa == nil || pb == nil {
		t.Fatal("patch ends missing")
	}
	if pa.Name() != "pa" || pb.Name() != "pb" {
		t.Fatalf("names %s %s", pa.Name(), pb.Name())
	}
	// Missing peer option is an error.
	e.bumpAndWait(map[string]any{"op": "update", "table": "Interface", "where": []any{[]any{"name", "==", "pb"}}, "row": map[string]any{"options": []any{"map", []any{}}}})
	if got, _ := e.selectCol("Interface", "pb", "error").(string); !strings.Contains(got, "peer") {
		t.Fatalf("no-peer error %q", got)
	}
}

func TestPickOFPort(t *testing.T) {
	tests := []struct {
		name        string
		req, db     int64
		used        []flow.PortNo
		last, want  flow.PortNo
		wantLastSet flow.PortNo
	}{
		{"request", 5, 0, nil, 0, 5, 0},
		{"request taken uses db", 5, 9, []flow.PortNo{5}, 0, 9, 0},
		{"alloc after last", 0, 0, []flow.PortNo{1, 2}, 2, 3, 3},
		{"alloc skips used", 0, 0, []flow.PortNo{1, 2, 3}, 0, 4, 4},
		{"bad request", 70000, -1, nil, 0, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			used := map[flow.PortNo]bool{}
			for _, u := range tt.used {
				used[u] = true
			}
			last := tt.last
			if got := pickOFPort(tt.req, tt.db, used, &last); got != tt.want {
				t.Fatalf("got %d want %d", got, tt.want)
			}
			if tt.wantLastSet != 0 && last != tt.wantLastSet {
				t.Fatalf("last %d", last)
			}
		})
	}
}

func TestParseStateBadRows(t *testing.T) {
	// Rows with wrong shapes and dangling references parse without panic.
	tables := map[string]rows{
		tblOpenVSwitch: {"o": {"bridges": {Keys: []schema.Atom{schema.UUID("b"), schema.UUID("missing"), "notuuid"}}, "next_cfg": {Keys: []schema.Atom{"x"}}}},
		tblBridge:      {"b": {"name": schema.NewScalar("br"), "ports": {Keys: []schema.Atom{schema.UUID("p"), schema.UUID("gone")}}}},
		tblPort:        {"p": {"name": schema.NewScalar(int64(3)), "interfaces": {Keys: []schema.Atom{schema.UUID("i")}}, "tag": {Keys: []schema.Atom{"ten"}}}},
		tblInterface:   {"i": {"name": schema.NewScalar("i1"), "options": {Keys: []schema.Atom{"peer"}, Values: []schema.Atom{int64(1)}}}},
	}
	st := parseState(tables)
	if len(st.Bridges) != 1 || len(st.Bridges[0].Ports) != 1 || st.Bridges[0].Ports[0].Tag != -1 {
		t.Fatalf("%+v", st.Bridges)
	}
}

// testLogger logs to the test log when -v is given, else discards.
func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(tWriter{t}, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
