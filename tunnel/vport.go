package tunnel

import (
	"sync/atomic"

	"govs/ports"
)

// Port is the bridge-side face of an OpenFlow tunnel port (gnv0, vx0...).
// It is virtual: it has no device and is not a datapath port (the
// datapath sends and receives through the shared UnderlayPort; translation
// turns output to it into tnl_push). The bridge lists it like any port so
// OpenFlow, NORMAL and the database see it.
type Port struct {
	name   string
	stats  func() ports.Stats
	closed atomic.Bool
	c      ports.Counters
}

var _ ports.Port = (*Port)(nil)

// NewPort returns the virtual port of tunnel interface name. stats, when
// not nil, gives its rx/tx counters (Table.PortStats).
func NewPort(name string, stats func() ports.Stats) *Port { return &Port{name: name, stats: stats} }

// Virtual tells the bridge not to add the port to its datapath.
func (p *Port) Virtual() bool { return true }

// Name is the interface name.
func (p *Port) Name() string { return p.name }

// Read never has frames.
func (p *Port) Read(b *ports.Batch) (int, error) {
	b.N = 0
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	return 0, nil
}

// Write drops: frames for a tunnel port are encapsulated by tnl_push.
func (p *Port) Write(b *ports.Batch) (int, error) {
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	p.c.TxDropped.Add(uint64(max(b.N, 0)))
	return 0, nil
}

// PollFD is -1: the port is never polled.
func (p *Port) PollFD() int { return -1 }

// Stats returns the tunnel's counters (tx_dropped adds frames written to
// the port directly).
func (p *Port) Stats() ports.Stats {
	s := p.c.Snapshot()
	if p.stats != nil {
		t := p.stats()
		s.RxPackets, s.RxBytes, s.TxPackets, s.TxBytes = t.RxPackets, t.RxBytes, t.TxPackets, t.TxBytes
	}
	return s
}

// Close marks the port closed.
func (p *Port) Close() error { p.closed.Store(true); return nil }
