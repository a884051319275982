package datapath

import (
	"math/rand/v2"
	"testing"

	"govs/datapath/flow"
)

func keyWith(in flow.PortNo, dst, src byte, ipDst uint32) flow.Key {
	var k flow.Key
	k.SetInPort(in)
	k.SetEthDst(mac(dst))
	k.SetEthSrc(mac(src))
	k.SetEthType(ethTypeIPv4)
	k.SetIPv4Dst(ipDst)
	return k
}

func maskOf(fields ...string) flow.Key {
	var m flow.Key
	m.SetInPort(portNoExact)
	for _, f := range fields {
		switch f {
		case "dst":
			maskEthDst(&m)
		case "src":
			m.SetEthSrc([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		case "ip24":
			m.SetIPv4Dst(0xffffff00)
		}
	}
	return m
}

func newFlow(k, m flow.Key, out flow.PortNo) *megaflow {
	return &megaflow{key: k.Masked(&m), mask: m, orig: k, acts: Actions{Output(out)}}
}

// TestClassifier: distinct masks make distinct subtables, the first
// matching subtable wins, in_port partitions, re-rank orders by hits and
// empty subtables go away.
func TestClassifier(t *testing.T) {
	c := &classifier{in: 1}
	byDst := newFlow(keyWith(1, 2, 0, 0), maskOf("dst"), 2)
	bySrc := newFlow(keyWith(1, 0, 5, 0), maskOf("src"), 3)
	byNet := newFlow(keyWith(1, 0, 0, 0x0a000100), maskOf("ip24"), 4)
	for _, f := range []*megaflow{byDst, bySrc, byNet} {
		c.insert(f)
	}
	if len(c.subtables) != 3 {
		t.Fatalf("subtables = %d, want 3", len(c.subtables))
	}
	tests := []struct {
		name   string
		k      flow.Key
		want   *megaflow
		probes int
	}{
		{"dst match in first subtable", keyWith(1, 2, 9, 0), byDst, 1},
		{"src match in second", keyWith(1, 7, 5, 0), bySrc, 2},
		{"prefix match in third", keyWith(1, 7, 9, 0x0a0001fe), byNet, 3},
		{"first match wins when two would", keyWith(1, 2, 5, 0), byDst, 1},
		{"miss probes all", keyWith(1, 7, 9, 0x0b000000), nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, probes := c.lookup(&tt.k)
			if got != tt.want || probes != tt.probes {
				t.Fatalf("lookup = %p (%d probes), want %p (%d)", got, probes, tt.want, tt.probes)
			}
		})
	}
	// Re-rank: the third subtable got the most hits.
	for i := range c.subtables {
		c.subtables[i].hits = 0
	}
	for range 5 {
		k := keyWith(1, 7, 9, 0x0a000101)
		c.lookup(&k)
	}
	k := keyWith(1, 7, 5, 0)
	c.lookup(&k)
	c.rerank()
	if c.subtables[0] != byNet.st || c.subtables[1] != bySrc.st || c.subtables[2] != byDst.st {
		t.Fatal("rerank did not order by hits")
	}
	if got, probes := c.lookup(&k); got != bySrc || probes != 2 {
		t.Fatalf("after rerank: %p, %d probes", got, probes)
	}
	// Empty subtables are removed.
	c.remove(bySrc)
	if len(c.subtables) != 2 || !bySrc.dead {
		t.Fatalf("subtables after remove = %d, dead=%v", len(c.subtables), bySrc.dead)
	}
	if got, _ := c.lookup(&k); got != nil {
		t.Fatal("removed flow still found")
	}
}

// TestInPortPartition: a flow from in_port 1 never matches in_port 2 and
// the datapath re-ranks subtables once per second of loop time.
func TestInPortPartition(t *testing.T) {
	clk := &fakeClock{}
	up := newUpcaller(outputTo(3))
	dp, _, _ := newTestDP(t, up, Config{Clock: clk.now, EMCInsertInvProb: EMCDisabled})
	w := dp.Worker(0)
	b := newBatchOf(udpFrame(2, 1, 1, 2, 3, 4))
	w.ProcessBatch(1, b)
	w.ProcessBatch(5, b)
	if up.calls.Load() != 2 || dp.FlowCount() != 2 || len(w.cls) != 2 {
		t.Fatalf("calls=%d flows=%d classifiers=%d", up.calls.Load(), dp.FlowCount(), len(w.cls))
	}
	// Two masks on in_port 1; the second gets the hits, then re-rank.
	up.set(func(k, mask *flow.Key, acts *Actions) error {
		mask.SetEthSrc([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		*acts = append(*acts, Output(3))
		return nil
	})
	other := newBatchOf(udpFrame(9, 7, 1, 2, 3, 4))
	w.ProcessBatch(1, other)
	c := w.cls[1]
	if len(c.subtables) != 2 || c.subtables[1].mask.EthSrc() != [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
		t.Fatal("new subtable not ranked last")
	}
	for range 3 {
		w.ProcessBatch(1, other)
	}
	clk.advance(secNs)
	w.ProcessBatch(1, other)
	if c.subtables[0].mask.EthSrc() != [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
		t.Fatal("re-rank after 1 s did not move the hit subtable first")
	}
	if s := dp.Stats()[0]; s.Subtables != 3 || s.Flows != 3 {
		t.Fatalf("gauges: %d subtables, %d flows", s.Subtables, s.Flows)
	}
}

// TestSubtableChurn checks the open-addressing table against a map under
// random inserts and deletes (backward-shift deletion).
func TestSubtableChurn(t *testing.T) {
	m := maskOf("dst", "src")
	st := newSubtable(&m)
	live := map[[2]byte]*megaflow{}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		id := [2]byte{byte(r.IntN(40)), byte(r.IntN(40))}
		k := keyWith(1, id[0], id[1], 0)
		if f, ok := live[id]; ok && r.IntN(2) == 0 {
			st.remove(f)
			delete(live, id)
		} else if !ok {
			f := newFlow(k, m, 2)
			f.hash = maskedHash(&f.key, &st.mask, &st.words)
			st.insert(f)
			live[id] = f
		}
		if st.n != len(live) {
			t.Fatalf("n = %d, want %d", st.n, len(live))
		}
	}
	for a := 0; a < 40; a++ {
		for b := 0; b < 40; b++ {
			k := keyWith(1, byte(a), byte(b), 0x01020304)
			if got := st.lookup(&k); got != live[[2]byte{byte(a), byte(b)}] {
				t.Fatalf("lookup %d,%d = %p, want %p", a, b, got, live[[2]byte{byte(a), byte(b)}])
			}
		}
	}
}

func TestEMCInsertReplace(t *testing.T) {
	c := new(emc)
	c.rng = 1
	c.setInvProb(1)
	k := keyWith(1, 2, 3, 4)
	f1, f2, f3 := &megaflow{}, &megaflow{}, &megaflow{}
	const h = 5 | 7<<emcShift // two slots: 5 and 7
	c.insert(&k, h, f1)
	if c.lookup(&k, h) != f1 {
		t.Fatal("inserted entry not found")
	}
	c.insert(&k, h, f2) // same key: replaced in place
	if c.lookup(&k, h) != f2 || c.e[7].f != nil {
		t.Fatal("same-key insert did not replace in place")
	}
	// A second key with the same hash takes the other slot... (different key)
	k2 := keyWith(1, 9, 9, 9)
	c.insert(&k2, h, f3)
	if c.lookup(&k2, h) != f3 || c.lookup(&k, h) != f2 {
		t.Fatal("second key evicted the first despite a free slot")
	}
	// A dead flow's entry misses and is the first to be replaced.
	f2.dead = true
	if c.lookup(&k, h) != nil {
		t.Fatal("dead megaflow used")
	}
	k3 := keyWith(1, 8, 8, 8)
	f4 := &megaflow{}
	c.insert(&k3, h, f4)
	if c.lookup(&k3, h) != f4 || c.lookup(&k2, h) != f3 {
		t.Fatal("dead entry not chosen as victim")
	}
	// With both alive, the entry with the lower stored hash is replaced.
	c2 := new(emc)
	c2.setInvProb(1)
	lo, hi := uint32(3), uint32(3|1<<emcShift)
	c2.insert(&k, lo, f1)  // slot 3 (hash lo)
	c2.insert(&k2, hi, f3) // slot 3 taken by k: goes to slot 1...
	ka := keyWith(2, 1, 1, 1)
	c2.insert(&ka, hi, f4)
	if c2.lookup(&ka, hi) != f4 {
		t.Fatal("insert failed")
	}
	if c2.lookup(&k, lo) != nil {
		t.Fatal("the lower-hash entry should have been replaced")
	}
}

func TestEMCProbabilisticInsert(t *testing.T) {
	tests := []struct {
		inv      uint32
		min, max int
	}{
		{0, 0, 0},
		{1, 10000, 10000},
		{100, 50, 200},
		{10, 800, 1200},
	}
	for _, tt := range tests {
		c := new(emc)
		c.rng = 12345
		c.setInvProb(tt.inv)
		f := &megaflow{}
		n := 0
		for i := 0; i < 10000; i++ {
			k := keyWith(1, byte(i), byte(i>>8), uint32(i))
			h := emcHash(&k)
			c.maybeInsert(&k, h, f)
			if c.lookup(&k, h) == f {
				n++
				c.e[h&emcMask].f, c.e[(h>>emcShift)&emcMask].f = nil, nil
			}
		}
		if n < tt.min || n > tt.max {
			t.Errorf("inv=%d: %d inserts of 10000, want [%d, %d]", tt.inv, n, tt.min, tt.max)
		}
	}
}
