package gen

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"govs/ports"
)

const (
	// idleBackoff is how long the sender sleeps when the port took
	// nothing (its socket buffer is full), so that it leaves the CPU to
	// the switch.
	idleBackoff = 20 * time.Microsecond
	// windowPoll is the sleep of a sender whose window is full.
	windowPoll = 50 * time.Microsecond
	// windowStall reopens a full window that made no progress for this
	// long: the frames in it were lost and will never be counted.
	windowStall = 20 * time.Millisecond
)

// Sender offers stamped frames of one flow set through a port.
type Sender struct {
	port  ports.Port
	flows *Flows
	b     *ports.Batch
	seq   uint64 // next sequence number; also the flow index
	// rate paces the sender in frames/s (0: as fast as the port takes).
	rate float64

	// window > 0 keeps at most window frames in flight: accepted by the
	// port but not yet counted by received (closed loop).
	window   uint64
	received func() uint64

	sent    atomic.Uint64 // frames the port accepted
	offered atomic.Uint64 // frames handed to Write
	stop    atomic.Bool
}

// NewSender returns a sender of template over flows through port. rate is
// the offered load in frames/s, 0 for unlimited. The template is copied
// into the sender's batch once.
func NewSender(port ports.Port, template []byte, flows *Flows, rate float64) (*Sender, error) {
	if len(template) < OffPayload+StampLen || len(template) > ports.MaxFrameLen {
		return nil, fmt.Errorf("gen: template of %d bytes", len(template))
	}
	if rate < 0 {
		return nil, errors.New("gen: negative rate")
	}
	s := &Sender{port: port, flows: flows, b: ports.NewBatch(), rate: rate}
	for i := range s.b.Bufs {
		s.b.Len[i] = copy(s.b.Bufs[i][ports.Headroom:], template)
	}
	s.b.N = ports.BatchSize
	return s, nil
}

// SendBatch patches the batch's frames (next flows, stamp) and writes it
// once. It returns how many frames the port accepted. It does not
// allocate.
func (s *Sender) SendBatch() (int, error) {
	now := Now()
	for i := range s.b.N {
		f := s.b.Frame(i)
		s.flows.Apply(f, s.seq)
		PutStamp(f, s.seq, now)
		s.seq++
	}
	n, err := s.port.Write(s.b)
	s.offered.Add(uint64(s.b.N))
	s.sent.Add(uint64(n))
	return n, err
}

// Run sends until Stop or until d has passed, pacing to the rate, and
// returns the first port error.
func (s *Sender) Run(d time.Duration) error {
	start := time.Now()
	deadline := start.Add(d)
	var interval time.Duration
	if s.rate > 0 {
		interval = time.Duration(float64(time.Second) * ports.BatchSize / s.rate)
	}
	next := start
	sent0, got0 := s.sent.Load(), uint64(0)
	if s.window > 0 {
		got0 = s.received()
	}
	var seen uint64
	progress := start
	for !s.stop.Load() {
		now := time.Now()
		if !now.Before(deadline) {
			return nil
		}
		if s.window > 0 {
			got := s.received() - got0
			if s.sent.Load()-sent0 > got+s.window {
				if got != seen {
					seen, progress = got, now
				}
				if now.Sub(progress) < windowStall {
					time.Sleep(windowPoll) // leave the CPU to the switch
					continue
				}
				progress = now
			}
		}
		if interval > 0 {
			if now.Before(next) {
				time.Sleep(next.Sub(now))
				continue
			}
			next = next.Add(interval)
		}
		n, err := s.SendBatch()
		if err != nil {
			return err
		}
		if n == 0 {
			time.Sleep(idleBackoff)
		}
	}
	return nil
}

// SetWindow makes Run keep at most window frames in flight (sent but
// not yet counted by received, usually Sink.Received of the measurement's
// sink); 0 turns it off (open loop). Call it before Run.
func (s *Sender) SetWindow(window int, received func() uint64) {
	s.window, s.received = uint64(max(window, 0)), received
	if received == nil {
		s.window = 0
	}
}

// SetSeq sets the next sequence number (and flow index). Give each
// measurement its own range so that a sink can ignore stragglers of the
// previous one (Sink.SetMinSeq).
func (s *Sender) SetSeq(seq uint64) { s.seq = seq }

// Stop makes Run return.
func (s *Sender) Stop() { s.stop.Store(true) }

// Sent returns how many frames the port accepted.
func (s *Sender) Sent() uint64 { return s.sent.Load() }

// Offered returns how many frames were handed to the port.
func (s *Sender) Offered() uint64 { return s.offered.Load() }
