package tables

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newClockTables() (*Tables, *fakeClock) {
	clk := &fakeClock{t: time.Unix(1700000000, 0)}
	return New(Config{Clock: clk.now}), clk
}

// op is one ovs-ofctl style flow mod: cmd + flow text, version.
type op struct {
	cmd flowsyntax.Command
	s   string
	v   ofpact.FormatVersion
}

func apply(t *testing.T, tb *Tables, o op) ([]Removed, error) {
	t.Helper()
	fm, _, err := flowsyntax.ParseFlow(o.s, o.cmd, nil)
	if err != nil {
		t.Fatalf("parse %q: %v", o.s, err)
	}
	v := o.v
	if v == 0 {
		v = ofpact.OF10
	}
	return tb.Apply(fm, v)
}

// dump returns every rule as "table/priority/match/actions/cookie".
func dump(tb *Tables) []string {
	var out []string
	all := SelectAll()
	for _, fs := range tb.FlowStats(&all) {
		b := flowsyntax.AppendFlowStats(nil, &fs, &flowsyntax.StatsOptions{Version: ofpact.OF10})
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

var (
	add  = func(s string) op { return op{cmd: flowsyntax.CmdAdd, s: s} }
	mod  = func(s string) op { return op{cmd: flowsyntax.CmdModify, s: s} }
	mods = func(s string) op { return op{cmd: flowsyntax.CmdModifyStrict, s: s} }
	del  = func(s string) op { return op{cmd: flowsyntax.CmdDelete, s: s} }
	dels = func(s string) op { return op{cmd: flowsyntax.CmdDeleteStrict, s: s} }
)

func TestFlowModSemantics(t *testing.T) {
	tests := []struct {
		name    string
		ops     []op
		want    []string // sorted dump-flows bodies (no stats)
		removed int      // rules removed by the last op
		errCode string   // error of the last op
	}{
		{name: "add", ops: []op{add("in_port=1,actions=output:2")},
			want: []string{"in_port=1 actions=output:2"}},
		{name: "add replaces same match and priority",
			ops:  []op{add("in_port=1,actions=output:2"), add("in_port=1,cookie=0x5,actions=drop")},
			want: []string{"cookie=0x5, in_port=1 actions=drop"}},
		{name: "add other priority coexists",
			ops:  []op{add("in_port=1,actions=output:2"), add("priority=5,in_port=1,actions=drop")},
			want: []string{"in_port=1 actions=output:2", "priority=5,in_port=1 actions=drop"}},
		{name: "check_overlap same priority",
			ops:     []op{add("priority=5,in_port=1,actions=drop"), add("priority=5,dl_type=0x0800,check_overlap,actions=drop")},
			want:    []string{"priority=5,in_port=1 actions=drop"},
			errCode: CodeOverlap},
		{name: "check_overlap disjoint",
			ops:  []op{add("priority=5,in_port=1,actions=drop"), add("priority=5,in_port=2,check_overlap,actions=drop")},
			want: []string{"priority=5,in_port=1 actions=drop", "priority=5,in_port=2 actions=drop"}},
		{name: "check_overlap other priority",
			ops:  []op{add("priority=5,in_port=1,actions=drop"), add("priority=6,ip,check_overlap,actions=drop")},
			want: []string{"priority=5,in_port=1 actions=drop", "priority=6,ip actions=drop"}},
		{name: "modify loose changes every covered rule",
			ops: []op{add("in_port=1,actions=output:2"), add("priority=7,in_port=1,ip,actions=output:3"),
				add("priority=0,actions=NORMAL"), mod("in_port=1,actions=drop")},
			want: []string{"in_port=1 actions=drop", "priority=0 actions=NORMAL", "priority=7,ip,in_port=1 actions=drop"}},
		{name: "modify strict only exact",
			ops: []op{add("in_port=1,actions=output:2"), add("priority=7,in_port=1,actions=output:3"),
				mods("priority=7,in_port=1,actions=drop")},
			want: []string{"in_port=1 actions=output:2", "priority=7,in_port=1 actions=drop"}},
		{name: "modify may add in OF1.0",
			ops:  []op{mod("in_port=3,actions=output:1")},
			want: []string{"in_port=3 actions=output:1"}},
		{name: "modify never adds in OF1.3",
			ops: []op{{cmd: flowsyntax.CmdModify, s: "in_port=3,actions=output:1", v: ofpact.OF13}}},
		{name: "modify with cookie mask does not add",
			ops: []op{mod("cookie=0x1/0xff,in_port=3,actions=output:1")}},
		{name: "modify cookie filter",
			ops: []op{add("cookie=0x1,in_port=1,actions=output:2"), add("cookie=0x2,in_port=2,actions=output:1"),
				mod("cookie=0x2/0xff,actions=drop")},
			want: []string{"cookie=0x1, in_port=1 actions=output:2", "cookie=0x2, in_port=2 actions=drop"}},
		{name: "delete loose all tables keeps wildcards",
			ops: []op{add("in_port=1,actions=output:2"), add("table=3,in_port=1,dl_vlan=5,actions=drop"),
				add("priority=0,actions=NORMAL"), add("priority=50,actions=drop"), del("in_port=1")},
			want:    []string{"priority=0 actions=NORMAL", "priority=50 actions=drop"},
			removed: 2},
		{name: "delete loose one table",
			ops: []op{add("in_port=1,actions=output:2"), add("table=3,in_port=1,actions=drop"),
				del("table=3,in_port=1")},
			want:    []string{"in_port=1 actions=output:2"},
			removed: 1},
		{name: "delete strict needs priority",
			ops: []op{add("in_port=1,actions=output:2"), add("priority=9,in_port=1,actions=output:3"),
				dels("in_port=1")},
			want:    []string{"priority=9,in_port=1 actions=output:3"},
			removed: 1},
		{name: "delete all",
			ops:     []op{add("in_port=1,actions=output:2"), add("priority=0,actions=NORMAL"), del("")},
			removed: 2},
		{name: "delete out_port",
			ops: []op{add("in_port=1,actions=output:2"), add("in_port=2,actions=output:1"),
				{cmd: flowsyntax.CmdAdd, s: "in_port=3,actions=write_actions(output:2)", v: ofpact.OF13}, del("out_port=2")},
			want:    []string{"in_port=2 actions=output:1"},
			removed: 2},
		{name: "delete cookie mask",
			ops: []op{add("cookie=0x11,in_port=1,actions=drop"), add("cookie=0x21,in_port=2,actions=drop"),
				del("cookie=0x10/0xf0")},
			want:    []string{"cookie=0x21, in_port=2 actions=drop"},
			removed: 1},
		{name: "table 254 is read-only", ops: []op{add("table=254,actions=drop")}, errCode: CodeEPerm},
		{name: "goto missing table", ops: []op{{cmd: flowsyntax.CmdAdd, s: "table=1,actions=goto_table:2", v: ofpact.OF13},
			{cmd: flowsyntax.CmdAdd, s: "table=253,actions=drop", v: ofpact.OF13}},
			want: []string{"table=1, actions=resubmit(,2)", "table=253, actions=drop"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := newClockTables()
			var removed []Removed
			var err error
			for i, o := range tc.ops {
				removed, err = apply(t, tb, o)
				if err != nil && i < len(tc.ops)-1 {
					t.Fatalf("op %d %q: %v", i, o.s, err)
				}
			}
			if tc.errCode != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != tc.errCode {
					t.Fatalf("err = %v, want %s", err, tc.errCode)
				}
			} else if err != nil {
				t.Fatalf("last op: %v", err)
			}
			if len(removed) != tc.removed {
				t.Errorf("removed %d rules, want %d", len(removed), tc.removed)
			}
			got := dump(tb)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("flows:\n got %q\nwant %q", got, want)
			}
			if tb.Len() != len(want) {
				t.Errorf("Len = %d, want %d", tb.Len(), len(want))
			}
		})
	}
}

func TestCountersKeptOrReset(t *testing.T) {
	tb, clk := newClockTables()
	mustApply(t, tb, add("in_port=1,actions=output:2"))
	r := tb.Select(&Selection{Table: TableAll, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny})[0]
	r.Stats().Credit(3, 300, clk.t)
	mustApply(t, tb, mod("in_port=1,actions=drop"))
	if s := allStats(tb); s.Packets != 3 || s.Bytes != 300 {
		t.Fatalf("after modify: %+v, want 3/300", s)
	}
	// An xlate cache still holding the replaced rule credits the new one.
	r.Stats().Credit(1, 100, clk.t)
	mustApply(t, tb, add("in_port=1,actions=output:3"))
	if s := allStats(tb); s.Packets != 4 {
		t.Fatalf("after add-replace: %+v, want 4 packets", s)
	}
	mustApply(t, tb, add("in_port=1,reset_counts,actions=output:3"))
	if s := allStats(tb); s.Packets != 0 || s.Flows != 1 {
		t.Fatalf("after reset_counts: %+v", s)
	}
}

func mustApply(t *testing.T, tb *Tables, o op) []Removed {
	t.Helper()
	rm, err := apply(t, tb, o)
	if err != nil {
		t.Fatalf("%q: %v", o.s, err)
	}
	return rm
}

func allStats(tb *Tables) Aggregate {
	s := SelectAll()
	return tb.Aggregate(&s)
}

func TestModifyKeepsCreatedAndTimeouts(t *testing.T) {
	tb, clk := newClockTables()
	mustApply(t, tb, add("idle_timeout=50,hard_timeout=60,send_flow_rem,in_port=1,actions=output:2"))
	clk.t = clk.t.Add(10 * time.Second)
	mustApply(t, tb, mod("in_port=1,actions=drop"))
	all := SelectAll()
	fs := tb.FlowStats(&all)
	if len(fs) != 1 || fs[0].DurationSec != 10 || fs[0].HardAge != 0 || fs[0].IdleTimeout != 50 ||
		fs[0].HardTimeout != 60 || fs[0].Flags != flowsyntax.FlagSendFlowRem {
		t.Fatalf("flow stats %+v", fs)
	}
	b := flowsyntax.AppendFlowStatsReply(nil, fs, 4, &flowsyntax.StatsOptions{ShowStats: true, Version: ofpact.OF10})
	want := "NXST_FLOW reply (xid=0x4):\n cookie=0x0, duration=10s, table=0, n_packets=0, n_bytes=0, idle_timeout=50, hard_timeout=60, idle_age=10, hard_age=0, in_port=1 actions=drop\n"
	if string(b) != want {
		t.Fatalf("dump:\n%s\nwant\n%s", b, want)
	}
}

func TestExpire(t *testing.T) {
	tb, clk := newClockTables()
	mustApply(t, tb, add("idle_timeout=10,send_flow_rem,in_port=1,actions=output:2"))
	mustApply(t, tb, add("hard_timeout=20,in_port=2,actions=output:1"))
	mustApply(t, tb, add("in_port=3,actions=output:1"))
	if !tb.HasTimeouts() {
		t.Fatal("HasTimeouts false")
	}
	clk.t = clk.t.Add(5 * time.Second)
	idle := tb.Select(&Selection{Table: 0, Match: matchInPort(1), OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny})[0]
	idle.Stats().Credit(1, 60, clk.t) // used at +5s
	clk.t = clk.t.Add(10 * time.Second)
	if rm := tb.Expire(clk.t); len(rm) != 0 {
		t.Fatalf("expired early: %+v", rm)
	}
	clk.t = clk.t.Add(1 * time.Second) // +16s: idle since 11s
	rm := tb.Expire(clk.t)
	if len(rm) != 1 || rm[0].Reason != ReasonIdleTimeout || !rm[0].Rule.SendFlowRem() || rm[0].Packets != 1 ||
		rm[0].Duration != 16*time.Second {
		t.Fatalf("idle expiry: %+v", rm)
	}
	clk.t = clk.t.Add(5 * time.Second) // +21s
	rm = tb.Expire(clk.t)
	if len(rm) != 1 || rm[0].Reason != ReasonHardTimeout || rm[0].Reason.String() != "hard" {
		t.Fatalf("hard expiry: %+v", rm)
	}
	if tb.Len() != 1 || !rm[0].Rule.Removed() {
		t.Fatalf("left %d rules", tb.Len())
	}
}

func matchInPort(p flowtable.PortNo) flowtable.Match {
	var m flowtable.Match
	m.SetInPort(p)
	return m
}

func TestDefaultNormalAndGeneration(t *testing.T) {
	tb := New(Config{})
	g0 := tb.Generation()
	tb.AddDefaultNormal()
	if tb.Generation() == g0 {
		t.Fatal("generation did not move")
	}
	if got := dump(tb); !slices.Equal(got, []string{"priority=0 actions=NORMAL"}) {
		t.Fatalf("dump %q", got)
	}
	var k flow.Key
	k.SetInPort(3)
	st := flowtable.PipelineState{InPort: 3}
	r := tb.Lookup(0, &k, &st, nil)
	if r == nil || r.Priority != 0 {
		t.Fatalf("lookup %+v", r)
	}
	mustApply(t, tb, del(""))
	if tb.Lookup(0, &k, &st, nil) != nil || tb.Len() != 0 {
		t.Fatal("del-flows did not remove the NORMAL flow")
	}
	tb.AddDefaultNormal()
	tb.Flush()
	if tb.Len() != 0 || tb.TableLen(0) != 0 {
		t.Fatal("Flush left rules")
	}
}

func TestApplyErrors(t *testing.T) {
	tb := New(Config{})
	if _, err := tb.Apply(nil, ofpact.OF10); err == nil {
		t.Fatal("nil flow mod accepted")
	}
	fm := &flowsyntax.FlowMod{Command: flowsyntax.Command(42), OutPort: flowtable.PortNone}
	if _, err := tb.Apply(fm, ofpact.OF10); err == nil || !strings.Contains(err.Error(), CodeBadCommand) {
		t.Fatalf("bad command: %v", err)
	}
	fm = &flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Table: 0, OutPort: flowtable.PortNone,
		Actions: []ofpact.Action{&ofpact.Output{Port: flowtable.PortNone}}}
	var ce *ofpact.CheckError
	if _, err := tb.Apply(fm, ofpact.OF10); !errors.As(err, &ce) || ce.Code != CodeBadOutPort {
		t.Fatalf("bad out port: %v", err)
	}
}
