package ports

import (
	"errors"
	"sync/atomic"
)

const (
	// BatchSize is the number of frames a Batch holds, as OVS's
	// NETDEV_MAX_BURST.
	BatchSize = 32
	// Headroom is the room reserved in front of every received frame so
	// that VLAN push and tunnel encapsulation never move the payload.
	Headroom = 128
	// MaxFrameLen is the largest frame a port reads or writes (a 9000-byte
	// MTU plus Ethernet and two VLAN tags).
	MaxFrameLen = 9216
	// BufLen is the size of one frame buffer: headroom plus frame.
	BufLen = Headroom + MaxFrameLen
)

// ErrClosed is returned by Read and Write on a closed port.
var ErrClosed = errors.New("port closed")

// Batch is a set of up to BatchSize frames. The caller owns the memory:
// ports copy received frames into Bufs and never keep references to a
// Batch after Read or Write returns.
//
// Frame i is Bufs[i][Off[i] : Off[i]+Len[i]]. Read stores frames at
// Off[i] = Headroom; actions may move Off left (push a header into the
// headroom) or right (pop one).
type Batch struct {
	N    int
	Bufs [BatchSize][]byte
	Off  [BatchSize]int
	Len  [BatchSize]int
}

// NewBatch returns a Batch whose Bufs are BufLen bytes each, carved from
// one allocation. Allocate batches once per worker, before its loop.
func NewBatch() *Batch {
	b := new(Batch)
	mem := make([]byte, BatchSize*BufLen)
	for i := range b.Bufs {
		b.Bufs[i] = mem[i*BufLen : (i+1)*BufLen : (i+1)*BufLen]
		b.Off[i] = Headroom
	}
	return b
}

// Frame returns frame i.
func (b *Batch) Frame(i int) []byte { return b.Bufs[i][b.Off[i] : b.Off[i]+b.Len[i]] }

// Reset empties the batch and puts every frame start back at Headroom.
func (b *Batch) Reset() {
	b.N = 0
	for i := range b.Off {
		b.Off[i] = Headroom
		b.Len[i] = 0
	}
}

// Port is a network port: a source and a sink of Ethernet frames,
// batch at a time.
//
// Read and Write are called by one goroutine at a time each (the poll
// loop that owns the port for Read; Write may come from any worker, and
// implementations serialise it internally if they must). Stats and Close
// may be called from any goroutine.
type Port interface {
	// Name is the device name (e.g. "veth11", "br-int").
	Name() string
	// Read fills b with up to BatchSize received frames, starting at
	// index 0, and sets b.N. It does not block: with nothing pending it
	// returns 0, nil. Frames are copied into b's buffers at Off[i]
	// (Headroom), so they stay valid until the caller reuses b.
	Read(b *Batch) (int, error)
	// Write sends frames 0..b.N-1 of b and returns how many were sent;
	// frames it could not send are counted as tx drops. b is not retained.
	Write(b *Batch) (int, error)
	// PollFD returns a file descriptor that becomes readable (POLLIN)
	// when Read has frames to return, so that an idle poll loop can block
	// in poll/epoll instead of spinning. It stays valid until Close.
	PollFD() int
	// Stats returns the port's counters.
	Stats() Stats
	// Close releases the port. Read and Write return ErrClosed after it.
	Close() error
}

// Stats are a port's counters, as OVS reports in Interface statistics and
// OFPST_PORT.
type Stats struct {
	RxPackets, RxBytes, RxDropped, RxErrors uint64
	TxPackets, TxBytes, TxDropped, TxErrors uint64
	// KernelDrops counts frames the kernel dropped before we could read
	// them (e.g. AF_PACKET ring full: tp_drops). It is included in RxDropped.
	KernelDrops uint64
}

// Counters is the atomic form of Stats that port implementations embed and
// update once per batch.
type Counters struct {
	RxPackets, RxBytes, RxDropped, RxErrors atomic.Uint64
	TxPackets, TxBytes, TxDropped, TxErrors atomic.Uint64
	KernelDrops                             atomic.Uint64
}

// Snapshot reads the counters.
func (c *Counters) Snapshot() Stats {
	return Stats{
		RxPackets: c.RxPackets.Load(), RxBytes: c.RxBytes.Load(),
		RxDropped: c.RxDropped.Load(), RxErrors: c.RxErrors.Load(),
		TxPackets: c.TxPackets.Load(), TxBytes: c.TxBytes.Load(),
		TxDropped: c.TxDropped.Load(), TxErrors: c.TxErrors.Load(),
		KernelDrops: c.KernelDrops.Load(),
	}
}
