package maclearn

import (
	"testing"
	"time"

	"govs/datapath/flow"
)

func TestLearnRules(t *testing.T) {
	tests := []struct {
		name    string
		vlan    uint16
		src     MAC
		port    flow.PortNo
		learned bool
	}{
		{"unicast", 10, mac(1), 1, true},
		{"vlan0", 0, mac(1), 2, true},
		{"local port", 0, mac(2), flow.PortLocal, true},
		{"multicast source", 10, MAC{0x01, 0, 0x5e, 0, 0, 1}, 1, false},
		{"broadcast source", 10, MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 1, false},
		{"no port", 10, mac(1), flow.PortNone, false},
		{"vid out of range", 4096, mac(1), 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := newTable(t, Config{})
			g := tb.Generation()
			if got := tb.Learn(tc.vlan, tc.src, tc.port, 0); got != tc.learned {
				t.Fatalf("Learn = %v, want %v", got, tc.learned)
			}
			p, ok := tb.Lookup(tc.vlan, tc.src)
			if tc.learned && (!ok || p != tc.port) {
				t.Fatalf("Lookup = %d,%v, want %d", p, ok, tc.port)
			}
			if !tc.learned && (ok || tb.Len() != 0) {
				t.Fatalf("learned %v", tb.Entries())
			}
			if (tb.Generation() != g) != tc.learned {
				t.Fatalf("generation changed=%v, want %v", tb.Generation() != g, tc.learned)
			}
			checkInvariants(t, tb)
		})
	}
}

func TestPerVLAN(t *testing.T) {
	tb, _ := newTable(t, Config{})
	tb.Learn(10, mac(1), 1, 0)
	if _, ok := tb.Lookup(20, mac(1)); ok {
		t.Fatal("MAC learned on VLAN 10 found on VLAN 20")
	}
	tb.Learn(20, mac(1), 2, 0)
	if p, _ := tb.Lookup(10, mac(1)); p != 1 {
		t.Fatalf("VLAN 10 → %d", p)
	}
	if p, _ := tb.Lookup(20, mac(1)); p != 2 {
		t.Fatalf("VLAN 20 → %d", p)
	}
	if _, ok := tb.Lookup(10, MAC{0x01, 0, 0, 0, 0, 1}); ok {
		t.Fatal("multicast destination hit")
	}
}

func TestMoveAndRefresh(t *testing.T) {
	tb, clk := newTable(t, Config{})
	tb.Learn(10, mac(1), 1, 0)
	g := tb.Generation()
	if tb.Learn(10, mac(1), 1, 0) {
		t.Fatal("repeat learn reported a change")
	}
	clk.Advance(100 * time.Second)
	if tb.Learn(10, mac(1), 1, 0) || tb.Generation() != g {
		t.Fatal("refresh changed the generation")
	}
	if e := tb.Entries(); e[0].Age != 0 {
		t.Fatalf("age after refresh = %d", e[0].Age)
	}
	if !tb.Learn(10, mac(1), 2, 0) {
		t.Fatal("move not reported")
	}
	if tb.Generation() == g {
		t.Fatal("move did not change the generation")
	}
	if p, _ := tb.Lookup(10, mac(1)); p != 2 {
		t.Fatalf("after move → %d", p)
	}
	if s := tb.Stats(); s.Moved != 1 || s.Learned != 1 || s.Entries != 1 {
		t.Fatalf("stats %+v", s)
	}
	checkInvariants(t, tb)
}

func TestAging(t *testing.T) {
	tests := []struct {
		name   string
		aging  int
		wantIn int // effective aging
	}{
		{"default", 0, DefaultAgingSeconds},
		{"custom", 60, 60},
		{"clamped low", 1, MinAgingSeconds},
		{"clamped high", 100000, MaxAgingSeconds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, clk := newTable(t, Config{AgingSeconds: tc.aging})
			if tb.AgingSeconds() != tc.wantIn {
				t.Fatalf("aging %d, want %d", tb.AgingSeconds(), tc.wantIn)
			}
			tb.Learn(1, mac(1), 1, 0)
			clk.Advance(time.Duration(tc.wantIn-1) * time.Second)
			tb.Learn(1, mac(2), 2, 0)
			if _, ok := tb.Lookup(1, mac(1)); !ok {
				t.Fatal("expired one second early")
			}
			if n, ok := tb.NextExpiry(); !ok || n != 1 {
				t.Fatalf("NextExpiry = %d,%v", n, ok)
			}
			if tb.Expire() != 0 {
				t.Fatal("Expire removed a live entry")
			}
			g := tb.Generation()
			clk.Advance(time.Second)
			if _, ok := tb.Lookup(1, mac(1)); ok {
				t.Fatal("expired entry still found")
			}
			if n := tb.Expire(); n != 1 || tb.Generation() == g {
				t.Fatalf("Expire = %d, gen changed %v", n, tb.Generation() != g)
			}
			if _, ok := tb.Lookup(1, mac(2)); !ok {
				t.Fatal("younger entry expired")
			}
			if s := tb.Stats(); s.Expired != 1 {
				t.Fatalf("stats %+v", s)
			}
			checkInvariants(t, tb)
		})
	}
}

func TestSetAgingSeconds(t *testing.T) {
	tb, clk := newTable(t, Config{})
	tb.Learn(1, mac(1), 1, 0)
	clk.Advance(100 * time.Second)
	g := tb.Generation()
	tb.SetAgingSeconds(DefaultAgingSeconds)
	if tb.Generation() != g {
		t.Fatal("unchanged aging bumped the generation")
	}
	tb.SetAgingSeconds(60)
	if tb.Generation() == g {
		t.Fatal("aging change did not bump the generation")
	}
	if _, ok := tb.Lookup(1, mac(1)); ok {
		t.Fatal("entry older than the new aging time still found")
	}
	tb.SetAgingSeconds(0)
	if tb.AgingSeconds() != DefaultAgingSeconds {
		t.Fatalf("aging %d", tb.AgingSeconds())
	}
	if _, ok := tb.Lookup(1, mac(1)); !ok {
		t.Fatal("entry lost after restoring the aging time")
	}
}

func TestRelearnExpiredIsNew(t *testing.T) {
	tb, clk := newTable(t, Config{AgingSeconds: 15})
	tb.Learn(1, mac(1), 1, 0)
	clk.Advance(20 * time.Second)
	g := tb.Generation()
	if !tb.Learn(1, mac(1), 1, 0) || tb.Generation() == g {
		t.Fatal("relearning an expired entry is not a change")
	}
	if _, ok := tb.Lookup(1, mac(1)); !ok {
		t.Fatal("relearned entry missing")
	}
	checkInvariants(t, tb)
}

func TestEvictFairly(t *testing.T) {
	tb, clk := newTable(t, Config{MaxEntries: 10})
	for i := range 7 {
		tb.Learn(1, mac(i), 1, 0)
		clk.Advance(time.Second)
	}
	for i := range 3 {
		tb.Learn(1, mac(100+i), 2, 0)
		clk.Advance(time.Second)
	}
	// Refresh port 1's oldest so that the global LRU and port 1's LRU
	// differ: port 1's least recent is now mac(1).
	tb.Learn(1, mac(0), 1, 0)
	g := tb.Generation()
	tb.Learn(1, mac(200), 2, 0)
	if tb.Len() != 10 {
		t.Fatalf("len %d", tb.Len())
	}
	if _, ok := tb.Lookup(1, mac(1)); ok {
		t.Fatal("port 1's least recently used entry was not evicted")
	}
	for _, m := range []MAC{mac(0), mac(100), mac(200)} {
		if _, ok := tb.Lookup(1, m); !ok {
			t.Fatalf("%v evicted", m)
		}
	}
	if s := tb.Stats(); s.Evicted != 1 || tb.Generation() == g {
		t.Fatalf("stats %+v", s)
	}
	checkInvariants(t, tb)
}

func TestShrinkCapacity(t *testing.T) {
	tb, clk := newTable(t, Config{MaxEntries: 20})
	for i := range 20 {
		tb.Learn(1, mac(i), flow.PortNo(1+i%3), 0)
		clk.Advance(time.Second)
	}
	tb.SetMaxEntries(12)
	if n := tb.Expire(); n != 8 {
		t.Fatalf("Expire removed %d", n)
	}
	for i := range 20 {
		_, ok := tb.Lookup(1, mac(i))
		if ok != (i >= 8) {
			t.Fatalf("mac %d present=%v", i, ok)
		}
	}
	tb.SetMaxEntries(1)
	if tb.MaxEntries() != MinMaxEntries {
		t.Fatalf("max %d", tb.MaxEntries())
	}
	if tb.Expire(); tb.Len() != MinMaxEntries {
		t.Fatalf("len %d after shrinking to %d", tb.Len(), MinMaxEntries)
	}
	checkInvariants(t, tb)
}

func TestGratARPLock(t *testing.T) {
	tb, clk := newTable(t, Config{})
	tb.Learn(1, mac(1), 1, GratuitousARP)
	if !tb.GratARPLocked(1, mac(1)) {
		t.Fatal("not locked")
	}
	if tb.Learn(1, mac(1), 2, GratuitousARP|FromBond) {
		t.Fatal("locked entry moved by a bond's gratuitous ARP")
	}
	if p, _ := tb.Lookup(1, mac(1)); p != 1 {
		t.Fatalf("port %d", p)
	}
	clk.Advance(GratARPLockSeconds * time.Second)
	if tb.GratARPLocked(1, mac(1)) {
		t.Fatal("lock outlived its time")
	}
	if !tb.Learn(1, mac(1), 2, GratuitousARP|FromBond) {
		t.Fatal("unlocked entry not moved")
	}
	// A non-gratuitous packet from a bond moves a locked entry.
	tb.Learn(1, mac(3), 1, GratuitousARP)
	if !tb.Learn(1, mac(3), 2, FromBond) {
		t.Fatal("ordinary packet did not move a locked entry")
	}
	checkInvariants(t, tb)
}

func TestFlushes(t *testing.T) {
	fill := func(tb *Table) {
		for i := range 6 {
			tb.Learn(uint16(10+i%2), mac(i), flow.PortNo(1+i%3), 0)
		}
	}
	tests := []struct {
		name    string
		flush   func(*Table) int
		removed int
	}{
		{"all", (*Table).Flush, 6},
		{"port 2", func(tb *Table) int { return tb.FlushPort(2) }, 2},
		{"port 9", func(tb *Table) int { return tb.FlushPort(9) }, 0},
		{"vlan 11", func(tb *Table) int { return tb.FlushVLAN(11) }, 3},
		{"vlan 99", func(tb *Table) int { return tb.FlushVLAN(99) }, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := newTable(t, Config{})
			fill(tb)
			g := tb.Generation()
			if n := tc.flush(tb); n != tc.removed {
				t.Fatalf("removed %d, want %d", n, tc.removed)
			}
			if tb.Len() != 6-tc.removed {
				t.Fatalf("len %d", tb.Len())
			}
			if (tb.Generation() != g) != (tc.removed > 0) {
				t.Fatal("generation mismatch")
			}
			checkInvariants(t, tb)
			fill(tb) // slots are reused
			if tb.Len() != 6 {
				t.Fatalf("refill len %d", tb.Len())
			}
			checkInvariants(t, tb)
		})
	}
}

func TestFloodVLANs(t *testing.T) {
	tb, _ := newTable(t, Config{})
	tb.Learn(5, mac(1), 1, 0)
	if !tb.SetFloodVLANs([]uint16{5, 9999}) {
		t.Fatal("no change reported")
	}
	if tb.SetFloodVLANs([]uint16{5}) {
		t.Fatal("same set reported as a change")
	}
	if _, ok := tb.Lookup(5, mac(1)); ok {
		t.Fatal("lookup on a flood VLAN hit")
	}
	if tb.MayLearn(mac(2), 5) || tb.Learn(5, mac(2), 1, 0) {
		t.Fatal("learned on a flood VLAN")
	}
	if !tb.MayLearn(mac(2), 6) || tb.MayLearn(MAC{1}, 6) {
		t.Fatal("MayLearn wrong")
	}
	tb.SetFloodVLANs(nil)
	if _, ok := tb.Lookup(5, mac(1)); !ok {
		t.Fatal("entry lost")
	}
}

func TestFDBShow(t *testing.T) {
	tb, clk := newTable(t, Config{})
	tb.Learn(10, MAC{0, 0, 0, 0, 0, 1}, 1, 0)
	clk.Advance(1500 * time.Millisecond)
	tb.Learn(0, MAC{0x5a, 0x53, 0xaa, 0xbb, 0xcc, 0x09}, flow.PortLocal, 0)
	tb.Learn(4095, MAC{0, 0, 0, 0, 0, 2}, 65000, 0)
	// Captured from ovs-vswitchd 3.1 (`ovs-appctl fdb/show br0`).
	want := " port  VLAN  MAC                Age\n" +
		"    1    10  00:00:00:00:00:01    1\n" +
		"LOCAL     0  5a:53:aa:bb:cc:09    0\n" +
		"65000  4095  00:00:00:00:00:02    0\n"
	if got := string(tb.AppendFDBShow(nil)); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	// A refresh moves the entry to the end, as OVS's LRU list.
	clk.Advance(time.Second)
	tb.Learn(10, MAC{0, 0, 0, 0, 0, 1}, 1, 0)
	e := tb.Entries()
	if e[2].MAC != (MAC{0, 0, 0, 0, 0, 1}) || e[2].Age != 0 {
		t.Fatalf("entries %+v", e)
	}
	tb.Flush()
	if got := string(tb.AppendFDBShow(nil)); got != fdbShowHeader {
		t.Fatalf("after flush %q", got)
	}
}

func TestKeyRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		vlan uint16
		m    MAC
	}{{0, MAC{}}, {4095, MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}, {10, MAC{1, 2, 3, 4, 5, 6}}} {
		v, m := splitKey(tableKey(tc.vlan, tc.m))
		if v != tc.vlan || m != tc.m {
			t.Fatalf("%d %v → %d %v", tc.vlan, tc.m, v, m)
		}
	}
}

// TestMoveGeneration checks which changes move MoveGeneration (those
// after which a cached translation may forward to the wrong port) and
// which move only Generation.
func TestMoveGeneration(t *testing.T) {
	tb, clk := newTable(t, Config{MaxEntries: 2})
	step := func(what string, wantMove bool, f func()) {
		t.Helper()
		g, mg := tb.Generation(), tb.MoveGeneration()
		f()
		if tb.Generation() == g {
			t.Fatalf("%s: Generation unchanged", what)
		}
		if (tb.MoveGeneration() != mg) != wantMove {
			t.Fatalf("%s: MoveGeneration changed = %v, want %v", what, tb.MoveGeneration() != mg, wantMove)
		}
	}
	step("new entry", false, func() { tb.Learn(1, mac(1), 1, 0) })
	step("second entry", false, func() { tb.Learn(1, mac(2), 1, 0) })
	step("eviction", false, func() { clk.Advance(time.Second); tb.Learn(1, mac(3), 2, 0) })
	step("move", true, func() { tb.Learn(1, mac(3), 1, 0) })
	step("expiry", false, func() { clk.Advance(time.Hour); tb.Expire() })
	step("relearn", false, func() { tb.Learn(1, mac(4), 2, 0) })
	step("flush port", true, func() { tb.FlushPort(2) })
	step("relearn again", false, func() { tb.Learn(1, mac(4), 2, 0) })
	step("flush", true, func() { tb.Flush() })
	step("flood VLANs", true, func() { tb.SetFloodVLANs([]uint16{5}) })
	step("aging", true, func() { tb.SetAgingSeconds(60) })
}
