package fq

import (
	"errors"
	"fmt"
	"sync"

	"govs/ports"
)

// MaxCap bounds the capacity a Queue may be created with (about 600 MiB of
// buffers), so a bad config value fails instead of exhausting memory.
const MaxCap = 1 << 16

// ethHeaderLen is the shortest frame a Queue accepts: an Ethernet header.
const ethHeaderLen = 14

// Queue is a bounded FIFO of frames. See the package doc for the contract.
type Queue struct {
	mu sync.Mutex
	// guarded by mu
	slots    [][]byte // Cap buffers of ports.MaxFrameLen bytes
	lens     []int    // frame length per slot
	head     int      // index of the oldest frame
	n        int      // frames queued
	closed   bool
	signaled bool // the wakeup pipe holds its byte
	sig      signal
}

// PushResult counts what one PushBatch did with a batch.
type PushResult struct {
	Frames  int // frames queued
	Bytes   int // bytes queued
	Dropped int // frames dropped because the queue was full
	Errors  int // frames rejected as shorter than an Ethernet header or longer than ports.MaxFrameLen
}

// New returns an empty queue holding up to capacity frames.
func New(capacity int) (*Queue, error) {
	if capacity < 1 || capacity > MaxCap {
		return nil, fmt.Errorf("fq: capacity %d out of range [1, %d]", capacity, MaxCap)
	}
	sig, err := newSignal()
	if err != nil {
		return nil, fmt.Errorf("fq: wakeup pipe: %w", err)
	}
	q := &Queue{
		slots: make([][]byte, capacity),
		lens:  make([]int, capacity),
		sig:   sig,
	}
	slab := make([]byte, capacity*ports.MaxFrameLen)
	for i := range q.slots {
		q.slots[i] = slab[i*ports.MaxFrameLen : (i+1)*ports.MaxFrameLen : (i+1)*ports.MaxFrameLen]
	}
	return q, nil
}

// Cap returns the capacity given to New.
func (q *Queue) Cap() int { return len(q.slots) }

// Len returns the number of queued frames.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// FD returns the wakeup descriptor (see the package doc), valid until Close.
func (q *Queue) FD() int { return q.sig.fd() }

// validLen reports whether a frame of n bytes may be queued.
func validLen(n int) bool { return n >= ethHeaderLen && n <= ports.MaxFrameLen }

// pushLocked copies frame into the tail slot. The caller checked room and
// length.
func (q *Queue) pushLocked(frame []byte) {
	tail := (q.head + q.n) % len(q.slots)
	q.lens[tail] = copy(q.slots[tail], frame)
	q.n++
}

// wakeLocked makes FD readable if frames are queued and it is not yet.
func (q *Queue) wakeLocked() {
	if q.n > 0 && !q.signaled {
		q.sig.raise()
		q.signaled = true
	}
}

// Push queues a copy of frame. It returns ports.ErrClosed after Close,
// ErrFull when the queue is full and ErrBadLength for a frame shorter than
// an Ethernet header or longer than ports.MaxFrameLen.
func (q *Queue) Push(frame []byte) error {
	if !validLen(len(frame)) {
		return ErrBadLength
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ports.ErrClosed
	}
	if q.n == len(q.slots) {
		return ErrFull
	}
	q.pushLocked(frame)
	q.wakeLocked()
	return nil
}

// ErrFull is returned by Push when the queue holds Cap frames.
var ErrFull = errors.New("fq: queue full")

// ErrBadLength is returned by Push for a frame shorter than an Ethernet
// header or longer than ports.MaxFrameLen.
var ErrBadLength = errors.New("fq: frame length out of range")

// PushBatch queues copies of frames 0..b.N-1 of b, in order, dropping those
// that do not fit. b is not retained. It returns ports.ErrClosed after Close.
func (q *Queue) PushBatch(b *ports.Batch) (PushResult, error) {
	var r PushResult
	n := min(max(b.N, 0), ports.BatchSize)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return r, ports.ErrClosed
	}
	for i := range n {
		off, l := b.Off[i], b.Len[i]
		if !validLen(l) || off < 0 || off+l > len(b.Bufs[i]) {
			r.Errors++
			continue
		}
		if q.n == len(q.slots) {
			r.Dropped++
			continue
		}
		q.pushLocked(b.Bufs[i][off : off+l])
		r.Frames++
		r.Bytes += l
	}
	q.wakeLocked()
	return r, nil
}

// PopBatch moves up to ports.BatchSize queued frames into b, starting at
// index 0, each at Off = ports.Headroom, and sets b.N. It returns the frame
// count and byte total, or ports.ErrClosed after Close. A frame that does
// not fit in its batch buffer (shorter than BufLen) is dropped and counted
// in tooLong.
func (q *Queue) PopBatch(b *ports.Batch) (frames, bytes, tooLong int, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	b.N = 0
	if q.closed {
		return 0, 0, 0, ports.ErrClosed
	}
	for q.n > 0 && frames < ports.BatchSize {
		l := q.lens[q.head]
		buf := b.Bufs[frames]
		if ports.Headroom+l > len(buf) {
			tooLong++
		} else {
			copy(buf[ports.Headroom:], q.slots[q.head][:l])
			b.Off[frames] = ports.Headroom
			b.Len[frames] = l
			frames++
			bytes += l
		}
		q.head = (q.head + 1) % len(q.slots)
		q.n--
	}
	b.N = frames
	if q.n == 0 && q.signaled {
		q.sig.clear()
		q.signaled = false
	}
	return frames, bytes, tooLong, nil
}

// Close empties the queue and releases the wakeup descriptor. Further
// calls return ports.ErrClosed. Close is idempotent.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil
	}
	q.closed = true
	q.n = 0
	return q.sig.close()
}
