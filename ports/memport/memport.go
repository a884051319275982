package memport

import (
	"errors"
	"fmt"
	"sync/atomic"

	"govs/ports"
	"govs/ports/internal/fq"
)

// DefaultCap is the queue capacity New uses when given 0.
const DefaultCap = 256

// Port is an in-memory port. See the package doc for the contract.
type Port struct {
	name   string
	rx, tx *fq.Queue
	c      ports.Counters
}

var _ ports.Port = (*Port)(nil)

// New returns a port named name whose receive and transmit queues hold up
// to capacity frames each (DefaultCap if capacity is 0).
func New(name string, capacity int) (*Port, error) {
	if capacity == 0 {
		capacity = DefaultCap
	}
	rx, err := fq.New(capacity)
	if err != nil {
		return nil, fmt.Errorf("memport %s: %w", name, err)
	}
	tx, err := fq.New(capacity)
	if err != nil {
		rx.Close()
		return nil, fmt.Errorf("memport %s: %w", name, err)
	}
	return &Port{name: name, rx: rx, tx: tx}, nil
}

// Name returns the name given to New.
func (p *Port) Name() string { return p.name }

// Inject queues a copy of frame for Read. It returns false, and counts the
// frame, when it was dropped: RxDropped if the receive queue is full,
// RxErrors if its length is out of range. After Close it returns false.
func (p *Port) Inject(frame []byte) bool {
	switch err := p.rx.Push(frame); {
	case err == nil:
		return true
	case errors.Is(err, fq.ErrFull):
		p.c.RxDropped.Add(1)
	case errors.Is(err, fq.ErrBadLength):
		p.c.RxErrors.Add(1)
	}
	return false
}

// InjectBatch queues copies of frames 0..b.N-1 of b for Read and returns
// how many were queued; the rest are counted as in Inject.
func (p *Port) InjectBatch(b *ports.Batch) int {
	r, err := p.rx.PushBatch(b)
	if err != nil {
		return 0
	}
	addNonZero(&p.c.RxDropped, r.Dropped)
	addNonZero(&p.c.RxErrors, r.Errors)
	return r.Frames
}

// Read moves up to ports.BatchSize injected frames into b at
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

// Write queues copies of frames 0..b.N-1 of b for Drain and returns how
// many were queued. It does not allocate.
func (p *Port) Write(b *ports.Batch) (int, error) {
	r, err := p.tx.PushBatch(b)
	if err != nil {
		return 0, err
	}
	addNonZero(&p.c.TxPackets, r.Frames)
	addNonZero(&p.c.TxBytes, r.Bytes)
	addNonZero(&p.c.TxDropped, r.Dropped)
	addNonZero(&p.c.TxErrors, r.Errors)
	return r.Frames, nil
}

// Drain moves up to ports.BatchSize written frames into b (at
// ports.Headroom) and returns how many. It does not allocate.
func (p *Port) Drain(b *ports.Batch) (int, error) {
	n, _, _, err := p.tx.PopBatch(b)
	return n, err
}

// DrainFrames returns copies of all written frames, oldest first. It
// allocates and is meant for test assertions.
func (p *Port) DrainFrames() [][]byte {
	var out [][]byte
	b := ports.NewBatch()
	for {
		n, err := p.Drain(b)
		if err != nil || n == 0 {
			return out
		}
		for i := range n {
			out = append(out, append([]byte(nil), b.Frame(i)...))
		}
	}
}

// Pending returns the number of injected frames not yet Read.
func (p *Port) Pending() int { return p.rx.Len() }

// PollFD is readable while Read has frames to return.
func (p *Port) PollFD() int { return p.rx.FD() }

// TxPollFD is readable while Drain has frames to return.
func (p *Port) TxPollFD() int { return p.tx.FD() }

// Stats returns the port's counters.
func (p *Port) Stats() ports.Stats { return p.c.Snapshot() }

// Close drops all queued frames and releases the wakeup pipes. Read,
// Write and Drain return ports.ErrClosed after it.
func (p *Port) Close() error {
	return errors.Join(p.rx.Close(), p.tx.Close())
}

// addNonZero adds n to c unless n is 0, saving the atomic on idle batches.
func addNonZero(c *atomic.Uint64, n int) {
	if n > 0 {
		c.Add(uint64(n))
	}
}
