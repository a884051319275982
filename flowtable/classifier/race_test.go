package classifier

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentReadersWriter runs lock-free lookups and iterations
// while one writer inserts and removes (run with -race). Every lookup
// must return nil or a rule that matches the packet.
func TestConcurrentReadersWriter(t *testing.T) {
	const (
		readers   = 4
		writerOps = 2000
	)
	c := New[int]()
	r := rand.New(rand.NewPCG(9, 9))
	var pool []*Rule[int]
	for i := range 200 {
		pool = append(pool, randRule(r, i))
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var lookups atomic.Int64
	for g := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rr := rand.New(rand.NewPCG(uint64(g), 1))
			for !stop.Load() {
				k, st := randPacket(rr, nil)
				var wc Wildcards
				if got := c.Lookup(&k, &st, &wc); got != nil && !got.Match.Matches(&k, &st) {
					t.Errorf("lookup returned a non-matching rule %d", got.Value)
					return
				}
				if rr.IntN(50) == 0 {
					for range c.Rules() {
					}
				}
				lookups.Add(1)
			}
		}()
	}
	var in []*Rule[int]
	for op := range writerOps {
		if len(in) > 0 && r.IntN(3) == 0 {
			i := r.IntN(len(in))
			c.Remove(in[i])
			in = append(in[:i], in[i+1:]...)
			continue
		}
		// Fresh copies: a rule pointer is inserted at most once at a time.
		nr := *pool[r.IntN(len(pool))]
		nr.Value = op
		if old := c.Insert(&nr); old != nil {
			for i, x := range in {
				if x == old {
					in = append(in[:i], in[i+1:]...)
					break
				}
			}
		}
		in = append(in, &nr)
	}
	stop.Store(true)
	wg.Wait()
	if c.Len() != len(in) {
		t.Fatalf("Len %d, want %d", c.Len(), len(in))
	}
	t.Logf("%d concurrent lookups", lookups.Load())
}
