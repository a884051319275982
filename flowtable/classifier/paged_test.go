package classifier

import (
	"fmt"
	"testing"

	"govs/flowtable"
)

// TestCopyOnWritePages loads one large subtable (many pages) with one
// transaction per rule, keeps an old published version, then removes
// and adds rules one transaction each: the old version must still hold
// exactly its rules (entry table and stage indices), and the current one
// must answer every lookup right.
func TestCopyOnWritePages(t *testing.T) {
	const n = 3000
	flowText := func(i int) string {
		return fmt.Sprintf("priority=100,in_port=%d,ip,nw_dst=10.%d.%d.%d,actions=drop", i%7+1, i>>16&255, i>>8&255, i&255)
	}
	packet := func(i int) pkt {
		return pkt{inPort: flowPort(i), ethType: 0x0800, dst: ipv4(10, byte(i>>16), byte(i>>8), byte(i))}
	}
	c := New[string]()
	rules := make([]*Rule[string], 2*n)
	for i := range n {
		rules[i] = parseRule(t, flowText(i))
		c.Insert(rules[i])
	}
	old := c.cur.Load()
	for i := 0; i < n; i += 2 {
		if !c.Remove(rules[i]) {
			t.Fatalf("remove %d", i)
		}
	}
	for i := n; i < 2*n; i++ {
		rules[i] = parseRule(t, flowText(i))
		c.Insert(rules[i])
	}
	// The old version: exactly rules 0..n-1, each findable through its
	// stage indices.
	if len(old.subtables) != 1 {
		t.Fatalf("%d subtables", len(old.subtables))
	}
	s := old.subtables[0]
	if s.table.slots.size() <= pageLen {
		t.Fatalf("table of %d slots does not span pages", s.table.slots.size())
	}
	seen := map[string]bool{}
	s.table.all(func(e *entry[string]) bool {
		for _, r := range e.rules {
			seen[r.Value] = true
		}
		hs, _ := s.stageHashes(&e.val)
		for j := 0; j < s.nStages-1; j++ {
			if !s.indices[j].contains(hs[j]) {
				t.Fatalf("old version lost stage %d hash of %v", j, e.rules[0].Value)
			}
		}
		return true
	})
	if len(seen) != n || s.nRules != n {
		t.Fatalf("old version has %d rules (%d counted), want %d", len(seen), s.nRules, n)
	}
	for i := range n {
		if !seen[flowText(i)] {
			t.Fatalf("old version lost %s", flowText(i))
		}
	}
	// The current version.
	if c.Len() != n/2+n {
		t.Fatalf("Len %d, want %d", c.Len(), n/2+n)
	}
	for i := range 2 * n {
		k, st := packet(i).key()
		got := c.Lookup(&k, &st, nil)
		if removed := i < n && i%2 == 0; removed != (got == nil) || (got != nil && got != rules[i]) {
			t.Fatalf("lookup %d = %v", i, got)
		}
	}
}

func flowPort(i int) flowtable.PortNo { return flowtable.PortNo(i%7 + 1) }
