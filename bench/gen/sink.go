package gen

import (
	"sync/atomic"
	"time"

	"govs/ports"
)

// SinkPollTimeout bounds each wait for frames so that Run sees Stop.
const SinkPollTimeout = 10 * time.Millisecond

// Poller waits until fd is readable or the timeout passes (poll(2) on
// Linux). Tests and other OSes may pass a sleep.
type Poller func(fd int, timeout time.Duration)

// Sink counts stamped frames read from a port and records their latency.
type Sink struct {
	port ports.Port
	b    *ports.Batch
	poll Poller
	// minSeq drops frames of an earlier measurement still in flight:
	// frames with a sequence number below it are not counted.
	minSeq atomic.Uint64
	// hist is written by Run only; read it after Run returns.
	hist Histogram

	received atomic.Uint64
	bytes    atomic.Uint64
	other    atomic.Uint64 // frames without a stamp
	last     atomic.Int64  // Now() of the last counted frame
	stop     atomic.Bool
}

// NewSink returns a sink reading port; poll waits for its PollFD.
func NewSink(port ports.Port, poll Poller) *Sink {
	return &Sink{port: port, b: ports.NewBatch(), poll: poll}
}

// ReceiveBatch reads one batch, counts the stamped frames and records
// their latency; it returns the number of frames read. It does not
// allocate.
func (s *Sink) ReceiveBatch() (int, error) {
	s.b.Reset()
	n, err := s.port.Read(s.b)
	if n == 0 {
		return 0, err
	}
	now := Now()
	minSeq := s.minSeq.Load()
	var got, bytes, other uint64
	for i := range n {
		f := s.b.Frame(i)
		seq, sent, ok := ParseStamp(f)
		if !ok || seq < minSeq {
			other++
			continue
		}
		got++
		bytes += uint64(len(f))
		s.hist.Record(now - sent)
	}
	if got > 0 {
		s.received.Add(got)
		s.bytes.Add(bytes)
		s.last.Store(now)
	}
	if other > 0 {
		s.other.Add(other)
	}
	return n, err
}

// Run reads until Stop and returns the first port error.
func (s *Sink) Run() error {
	for !s.stop.Load() {
		n, err := s.ReceiveBatch()
		if err != nil {
			return err
		}
		if n == 0 {
			s.poll(s.port.PollFD(), SinkPollTimeout)
		}
	}
	return nil
}

// SetMinSeq makes the sink ignore frames numbered below seq.
func (s *Sink) SetMinSeq(seq uint64) { s.minSeq.Store(seq) }

// Stop makes Run return.
func (s *Sink) Stop() { s.stop.Store(true) }

// Received returns how many stamped frames were counted.
func (s *Sink) Received() uint64 { return s.received.Load() }

// Other returns how many frames without a stamp were read.
func (s *Sink) Other() uint64 { return s.other.Load() }

// LastNs returns Now() of the last counted frame (0 if none).
func (s *Sink) LastNs() int64 { return s.last.Load() }

// Histogram returns the latency histogram; read it after Run returned.
func (s *Sink) Histogram() *Histogram { return &s.hist }
