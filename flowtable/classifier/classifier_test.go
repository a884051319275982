package classifier

import (
	"slices"
	"testing"

	"govs/flowtable"
)

func TestLookupPriority(t *testing.T) {
	flows := []string{
		"priority=0,actions=NORMAL",
		"priority=100,in_port=1,actions=drop",
		"priority=200,in_port=1,ip,actions=output:2",
		"priority=300,ip,nw_dst=10.0.0.0/8,actions=output:3",
		"priority=50,tcp,tp_dst=80,actions=output:4",
		"priority=400,tcp,in_port=2,tp_dst=80,actions=output:5",
	}
	tests := []struct {
		name string
		p    pkt
		want string // flow text, "" for no match
	}{
		{"catch-all", pkt{inPort: 9, ethType: 0x0806}, flows[0]},
		{"in_port", pkt{inPort: 1, ethType: 0x0806}, flows[1]},
		{"in_port ip beats in_port", pkt{inPort: 1, ethType: 0x0800}, flows[2]},
		{"nw_dst beats in_port ip", pkt{inPort: 1, ethType: 0x0800, dst: ipv4(10, 1, 2, 3)}, flows[3]},
		{"tcp 80 low priority", pkt{inPort: 3, ethType: 0x0800, proto: 6, tpDst: 80}, flows[4]},
		{"tcp 80 loses to in_port ip", pkt{inPort: 1, ethType: 0x0800, proto: 6, tpDst: 80}, flows[2]},
		{"most specific highest", pkt{inPort: 2, ethType: 0x0800, proto: 6, tpDst: 80, dst: ipv4(10, 0, 0, 1)}, flows[5]},
	}
	c := load(t, flows...)
	if c.Len() != len(flows) {
		t.Fatalf("Len = %d, want %d", c.Len(), len(flows))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, st := tc.p.key()
			r := c.Lookup(&k, &st, nil)
			got := ""
			if r != nil {
				got = r.Value
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEmptyClassifier(t *testing.T) {
	c := New[int]()
	k, st := pkt{inPort: 1}.key()
	var wc Wildcards
	if r, n := c.LookupVisited(&k, &st, &wc); r != nil || n != 0 {
		t.Fatalf("empty: got %v after %d subtables", r, n)
	}
	if wc != (Wildcards{}) {
		t.Errorf("empty lookup un-wildcarded %+v", wc)
	}
	if c.Remove(&Rule[int]{}) || c.Insert(nil) != nil || c.Remove(nil) {
		t.Error("nil/absent rules must be no-ops")
	}
}

func TestInsertReplaceRemove(t *testing.T) {
	c := New[string]()
	a := parseRule(t, "priority=5,in_port=1,actions=drop")
	b := parseRule(t, "priority=5,in_port=1,actions=NORMAL")
	d := parseRule(t, "priority=6,in_port=1,actions=NORMAL")
	if old := c.Insert(a); old != nil {
		t.Fatalf("first insert replaced %v", old)
	}
	if old := c.Insert(b); old != a {
		t.Fatalf("same match+priority must replace a, got %v", old)
	}
	if old := c.Insert(d); old != nil {
		t.Fatalf("other priority replaced %v", old)
	}
	if c.Len() != 2 || c.NumSubtables() != 1 {
		t.Fatalf("Len %d subtables %d, want 2 and 1", c.Len(), c.NumSubtables())
	}
	if c.Remove(a) {
		t.Error("removed a replaced rule")
	}
	k, st := pkt{inPort: 1}.key()
	if r := c.Lookup(&k, &st, nil); r != d {
		t.Fatalf("lookup = %v, want priority 6", r)
	}
	if !c.Remove(d) {
		t.Fatal("remove d failed")
	}
	if r := c.Lookup(&k, &st, nil); r != b {
		t.Fatalf("after removing d: %v, want b", r)
	}
	if !c.Remove(b) || c.Len() != 0 || c.NumSubtables() != 0 {
		t.Fatalf("after removing all: Len %d subtables %d", c.Len(), c.NumSubtables())
	}
}

func TestEqualPriorityDeterministic(t *testing.T) {
	// Overlapping rules of equal priority: the older subtable wins,
	// whatever order the rules of other subtables arrive in.
	c := load(t, "priority=7,in_port=1,actions=drop", "priority=7,ip,actions=NORMAL")
	k, st := pkt{inPort: 1, ethType: 0x0800}.key()
	for range 3 {
		if r := c.Lookup(&k, &st, nil); r == nil || r.Value != "priority=7,in_port=1,actions=drop" {
			t.Fatalf("got %v", r)
		}
	}
}

func TestFindExactly(t *testing.T) {
	c := load(t, "priority=10,in_port=1,ip,actions=drop", "in_port=1,ip,actions=NORMAL")
	tests := []struct {
		name     string
		match    string
		priority uint16
		want     string
	}{
		{"exact and priority", "in_port=1,ip", 10, "priority=10,in_port=1,ip,actions=drop"},
		{"default priority", "in_port=1,ip", 32768, "in_port=1,ip,actions=NORMAL"},
		{"wrong priority", "in_port=1,ip", 11, ""},
		{"less specific", "in_port=1", 10, ""},
		{"more specific", "in_port=1,tcp", 10, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parseMatch(t, tc.match)
			got := ""
			if r := c.FindExactly(&m, tc.priority); r != nil {
				got = r.Value
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLooseSelection follows ovs-ofctl del-flows (non-strict) semantics,
// ovs-facts §5.
func TestLooseSelection(t *testing.T) {
	flows := []string{
		"priority=100,in_port=1,ip,actions=drop",
		"priority=90,ip,actions=drop",
		"priority=0,actions=NORMAL",
		"priority=200,in_port=1,dl_vlan=5,actions=drop",
		"priority=50,in_port=2,actions=drop",
		"priority=60,ip,nw_dst=10.1.0.0/16,actions=drop",
		"priority=61,ip,nw_dst=10.0.0.0/8,actions=drop",
		"priority=62,ip,nw_dst=10.1.2.3,actions=drop",
	}
	c := load(t, flows...)
	tests := []struct {
		name  string
		match string
		want  []int // indices into flows
	}{
		{"in_port=1 selects in_port=1 rules only", "in_port=1", []int{0, 3}},
		{"empty selects everything", "", []int{0, 1, 2, 3, 4, 5, 6, 7}},
		{"ip selects ip rules", "ip", []int{0, 1, 5, 6, 7}},
		{"prefix selects narrower prefixes", "ip,nw_dst=10.1.0.0/16", []int{5, 7}},
		{"wider prefix", "ip,nw_dst=10.0.0.0/8", []int{5, 6, 7}},
		{"nothing as specific", "in_port=3", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := parseMatch(t, tc.match)
			var got []string
			for r := range c.Loose(&m) {
				got = append(got, r.Value)
			}
			var want []string
			for _, i := range tc.want {
				want = append(want, flows[i])
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %q\nwant %q", got, want)
			}
		})
	}
	// The catch-all is selected only by an empty request.
	for _, req := range []string{"in_port=1", "ip", "dl_vlan=5"} {
		m := parseMatch(t, req)
		for r := range c.Loose(&m) {
			if r.Value == flows[2] {
				t.Errorf("request %q selected the catch-all", req)
			}
		}
	}
}

func TestLooseDeleteWhileIterating(t *testing.T) {
	c := load(t, "in_port=1,actions=drop", "in_port=1,ip,actions=drop", "ip,actions=drop")
	m := parseMatch(t, "in_port=1")
	n := 0
	for r := range c.Loose(&m) {
		if !c.Remove(r) {
			t.Errorf("remove %q failed", r.Value)
		}
		n++
	}
	if n != 2 || c.Len() != 1 {
		t.Fatalf("deleted %d, %d left; want 2 and 1", n, c.Len())
	}
	// Early stop.
	c = load(t, "in_port=1,actions=drop", "in_port=1,ip,actions=drop")
	for range c.Rules() {
		break
	}
}

func TestNDTargetNeverMatches(t *testing.T) {
	c := New[string]()
	var m flowtable.Match
	m.NDTarget[15], m.NDTargetMask[15] = 1, 0xff
	c.Insert(&Rule[string]{Match: m, Priority: 5})
	k, st := pkt{}.key()
	var wc Wildcards
	if r := c.Lookup(&k, &st, &wc); r != nil {
		t.Fatalf("nd_target rule matched: %v", r)
	}
	if wc.NDTarget[15] != 0xff {
		t.Errorf("nd_target consulted but not reported: %x", wc.NDTarget)
	}
}
