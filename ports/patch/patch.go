package patch

import (
	"fmt"
	"sync/atomic"

	"govs/ports"
	"govs/ports/internal/fq"
)

// DefaultCap is the per-end queue capacity Pair uses when given 0.
const DefaultCap = 256

// Port is one end of a patch pair. See the package doc for the contract.
type Port struct {
	name   string
	rx     *fq.Queue
	peer   *Port
	closed atomic.Bool
	c      ports.Counters
}

var _ ports.Port = (*Port)(nil)

// Pair returns two joined ends named a and b (the Interface names, whose
// options:peer name each other). capacity bounds each end's receive queue
// (DefaultCap if 0).
func Pair(a, b string, capacity int) (*Port, *Port, error) {
	if a == b {
		return nil, nil, fmt.Errorf("patch %s: peer is itself", a)
	}
	if capacity == 0 {
		capacity = DefaultCap
	}
	qa, err := fq.New(capacity)
	if err != nil {
		return nil, nil, fmt.Errorf("patch %s: %w", a, err)
	}
	qb, err := fq.New(capacity)
	if err != nil {
		qa.Close()
		return nil, nil, fmt.Errorf("patch %s: %w", b, err)
	}
	pa := &Port{name: a, rx: qa}
	pb := &Port{name: b, rx: qb}
	pa.peer, pb.peer = pb, pa
	return pa, pb, nil
}

// Name returns this end's name.
func (p *Port) Name() string { return p.name }

// Peer returns the other end's name.
func (p *Port) Peer() string { return p.peer.name }

// Read moves up to ports.BatchSize frames written by the peer into b at
// ports.Headroom. It never blocks and does not allocate.
func (p *Port) Read(b *ports.Batch) (int, error) {
	n, bytes, tooLong, err := p.rx.PopBatch(b)
	if err != nil {
		return 0, err
	}
	addNonZero(&p.c.RxPackets, n)
	addNonZero(&p.c.RxBytes, bytes)
	addNonZero(&p.c.RxErrors, tooLong)
	return n, nil
}

// Write copies frames 0..b.N-1 of b into the peer's receive queue and
// returns how many were queued. It does not allocate.
func (p *Port) Write(b *ports.Batch) (int, error) {
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	r, err := p.peer.rx.PushBatch(b)
	if err != nil { // peer closed: every frame is dropped
		addNonZero(&p.c.TxDropped, min(max(b.N, 0), ports.BatchSize))
		return 0, nil
	}
	addNonZero(&p.c.TxPackets, r.Frames)
	addNonZero(&p.c.TxBytes, r.Bytes)
	addNonZero(&p.c.TxDropped, r.Dropped)
	addNonZero(&p.c.TxErrors, r.Errors)
	return r.Frames, nil
}

// PollFD is readable while Read has frames to return.
func (p *Port) PollFD() int { return p.rx.FD() }

// Stats returns this end's counters.
func (p *Port) Stats() ports.Stats { return p.c.Snapshot() }

// Close closes this end: frames queued for it are dropped and its Read and
// Write return ports.ErrClosed. The peer stays open. Close is idempotent.
func (p *Port) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	return p.rx.Close()
}

func addNonZero(c *atomic.Uint64, n int) {
	if n > 0 {
		c.Add(uint64(n))
	}
}
