package classifier

import "sync/atomic"

// pageShift sizes the pages of a paged array (256 slots).
const (
	pageShift = 8
	pageLen   = 1 << pageShift
	pageMask  = pageLen - 1
)

// epochs numbers the private copies writers make: a page belongs to the
// copy whose epoch it carries.
var epochs atomic.Uint64

func newEpoch() uint64 { return epochs.Add(1) }

// page is a run of at most pageLen slots, writable only by the paged
// array whose epoch it carries.
type page[T any] struct {
	epoch uint64
	s     []T
}

// paged is a power-of-two array of T split into pages that versions
// share copy-on-write: clone copies only the page pointers (len/pageLen),
// and a write copies the one page it touches unless this copy made it.
// So a writer changing one slot of a published table of n slots pays
// O(n/pageLen + pageLen), not O(n) (with one transaction per flow mod,
// O(n) per change made loading n rules quadratic). Reads cost one more
// indirection than a flat slice and allocate nothing.
type paged[T any] struct {
	pages []*page[T]
	n     int // slots, a power of two (or 0)
	epoch uint64
}

// newPaged returns n zero slots (n a power of two or 0) owned by epoch.
func newPaged[T any](n int, epoch uint64) paged[T] {
	p := paged[T]{n: n, epoch: epoch}
	if n == 0 {
		return p
	}
	p.pages = make([]*page[T], (n+pageMask)>>pageShift)
	for i := range p.pages {
		p.pages[i] = &page[T]{epoch: epoch, s: make([]T, min(n, pageLen))}
	}
	return p
}

// size is the number of slots.
func (p *paged[T]) size() int { return p.n }

// at returns a pointer to slot i for reading.
func (p *paged[T]) at(i uint64) *T {
	return &p.pages[i>>pageShift].s[i&pageMask]
}

// mut returns a pointer to slot i for writing, copying its page first
// if another version may see it.
func (p *paged[T]) mut(i uint64) *T {
	pg := p.pages[i>>pageShift]
	if pg.epoch != p.epoch {
		pg = &page[T]{epoch: p.epoch, s: append([]T(nil), pg.s...)}
		p.pages[i>>pageShift] = pg
	}
	return &pg.s[i&pageMask]
}

// clone returns a copy for a new writer (epoch): it shares every page
// until it writes to it.
func (p *paged[T]) clone(epoch uint64) paged[T] {
	return paged[T]{pages: append([]*page[T](nil), p.pages...), n: p.n, epoch: epoch}
}
