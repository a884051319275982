package classifier

import (
	"math/rand/v2"
	"testing"
)

func TestLookupAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	c := New[int]()
	tx := c.Begin()
	var rules []*Rule[int]
	for i := range 500 {
		nr := randRule(r, i)
		tx.Insert(nr)
		rules = append(rules, nr)
	}
	tx.Commit()
	k, st := randPacket(r, rules)
	k2, st2 := randPacket(r, rules)
	var wc Wildcards
	n := testing.AllocsPerRun(200, func() {
		wc.Reset()
		c.Lookup(&k, &st, &wc)
		c.Lookup(&k2, &st2, nil)
	})
	if n != 0 {
		t.Fatalf("Lookup allocates %.1f times per run", n)
	}
}
