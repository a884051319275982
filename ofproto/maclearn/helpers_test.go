package maclearn

import (
	"sync"
	"testing"
	"time"
)

// fakeClock is an injectable clock moved by tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTable(t testing.TB, c Config) (*Table, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	c.Clock = clk.Now
	return New(c), clk
}

// mac returns a unicast MAC ending in n.
func mac(n int) MAC { return MAC{0, 0, 0, 0, byte(n >> 8), byte(n)} }

// checkInvariants verifies the internal structures agree.
func checkInvariants(t testing.TB, tb *Table) {
	t.Helper()
	tb.mu.RLock()
	defer tb.mu.RUnlock()
	n := 0
	for i := tb.lru.head; i != nilIdx; i = tb.slab[i].next {
		e := &tb.slab[i]
		if !e.live {
			t.Fatalf("dead entry %d in LRU", i)
		}
		if j, ok := tb.byKey[e.key]; !ok || j != i {
			t.Fatalf("entry %d not indexed", i)
		}
		n++
	}
	if n != len(tb.byKey) {
		t.Fatalf("LRU has %d entries, map %d", n, len(tb.byKey))
	}
	if n > tb.max {
		t.Fatalf("%d entries over capacity %d", n, tb.max)
	}
	sum := 0
	for port, p := range tb.ports {
		c := 0
		for i := p.l.head; i != nilIdx; i = tb.slab[i].pnext {
			if tb.slab[i].port != port {
				t.Fatalf("entry %d on port list %d has port %d", i, port, tb.slab[i].port)
			}
			c++
		}
		if c != p.n || c == 0 {
			t.Fatalf("port %d list has %d entries, count %d", port, c, p.n)
		}
		sum += c
	}
	if sum != n {
		t.Fatalf("port lists hold %d entries, table %d", sum, n)
	}
}
