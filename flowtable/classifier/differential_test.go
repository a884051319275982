package classifier

import (
	"math/rand/v2"
	"slices"
	"testing"

	"govs/flowtable"
)

// checkOps runs a random insert/remove/lookup sequence against the
// brute-force reference, checking results and wildcard soundness.
func checkOps(t *testing.T, r *rand.Rand, nOps int, more func() bool) {
	t.Helper()
	c := New[int]()
	var rules []*Rule[int]
	for op := 0; op < nOps && more(); op++ {
		switch x := r.IntN(10); {
		case x < 4:
			nr := randRule(r, op)
			old := c.Insert(nr)
			if old != nil {
				i := slices.Index(rules, old)
				if i < 0 {
					t.Fatalf("op %d: replaced a rule that is not stored", op)
				}
				rules = slices.Delete(rules, i, i+1)
			}
			rules = append(rules, nr)
		case x < 5 && len(rules) > 0:
			i := r.IntN(len(rules))
			if !c.Remove(rules[i]) {
				t.Fatalf("op %d: remove of stored rule failed", op)
			}
			rules = slices.Delete(rules, i, i+1)
		default:
			k, st := randPacket(r, rules)
			var wc Wildcards
			got := c.Lookup(&k, &st, &wc)
			if want := brute(c, rules, &k, &st); got != want {
				t.Fatalf("op %d: lookup = %v, brute force = %v (key %x)", op, got, want, k.W)
			}
			for range 4 {
				k2, st2 := randPacket(r, rules)
				bk, bst := blend(&wc, &k, &k2, &st, &st2)
				if want := brute(c, rules, &bk, &bst); want != got {
					t.Fatalf("op %d: wildcards unsound: packet agreeing on wc gets %v, lookup gave %v\nwc %x", op, want, got, wc.Key.W)
				}
			}
		}
		if c.Len() != len(rules) {
			t.Fatalf("op %d: Len %d, want %d", op, c.Len(), len(rules))
		}
	}
}

func TestDifferential(t *testing.T) {
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, seed*7+1))
		checkOps(t, r, 600, func() bool { return true })
	}
}

// TestDifferentialBulk loads many rules in one transaction, then checks
// lookups, loose selection against a linear filter, and strict finds.
func TestDifferentialBulk(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	c := New[int]()
	tx := c.Begin()
	var rules []*Rule[int]
	const (
		nRules   = 1500
		nLookups = 1000
		nLoose   = 100
	)
	for i := range nRules {
		nr := randRule(r, i)
		if old := tx.Insert(nr); old != nil {
			rules = slices.DeleteFunc(rules, func(x *Rule[int]) bool { return x == old })
		}
		rules = append(rules, nr)
	}
	if c.Len() != 0 {
		t.Fatal("uncommitted transaction is visible")
	}
	tx.Commit()
	if c.Len() != len(rules) {
		t.Fatalf("Len %d want %d", c.Len(), len(rules))
	}
	for range nLookups {
		k, st := randPacket(r, rules)
		var wc Wildcards
		got := c.Lookup(&k, &st, &wc)
		if want := brute(c, rules, &k, &st); got != want {
			t.Fatalf("lookup = %v, brute = %v", got, want)
		}
	}
	for _, x := range rules[:nLoose] {
		if got := c.FindExactly(&x.Match, x.Priority); got != x {
			t.Fatalf("FindExactly(%d) = %v", x.Value, got)
		}
		var got, want []int
		for y := range c.Loose(&x.Match) {
			got = append(got, y.Value)
		}
		for _, y := range rules {
			if looseRef(&y.Match, &x.Match) {
				want = append(want, y.Value)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("Loose(%d) = %v, want %v", x.Value, got, want)
		}
	}
}

// looseRef is cls_rule_is_loose_match written field by field.
func looseRef(rule, req *flowtable.Match) bool {
	covers := func(rv, rm, qv, qm uint64) bool { return rm&qm == qm && rv&qm == qv }
	for i := range req.Mask.W {
		if !covers(rule.Key.W[i], rule.Mask.W[i], req.Key.W[i], req.Mask.W[i]) {
			return false
		}
	}
	if !covers(uint64(rule.InPort), uint64(rule.InPortMask), uint64(req.InPort), uint64(req.InPortMask)) ||
		!covers(rule.Metadata, rule.MetadataMask, req.Metadata, req.MetadataMask) {
		return false
	}
	for i := range req.Regs {
		if !covers(uint64(rule.Regs[i]), uint64(rule.RegMasks[i]), uint64(req.Regs[i]), uint64(req.RegMasks[i])) {
			return false
		}
	}
	for i := range req.NDTarget {
		if !covers(uint64(rule.NDTarget[i]), uint64(rule.NDTargetMask[i]), uint64(req.NDTarget[i]), uint64(req.NDTargetMask[i])) {
			return false
		}
	}
	return true
}
