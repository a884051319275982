package run

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"time"

	"golang.org/x/sys/unix"

	"govs/bench/gen"
	"govs/bench/topo"
	"govs/ports"
	"govs/ports/afpacket"
)

// template returns the generator's frame of size.
func template(size int) ([]byte, error) {
	return gen.Template(gen.Spec{
		Size: size, SrcMAC: topo.GenMAC, DstMAC: topo.SinkMAC,
		SrcIP: genIP, DstIP: sinkIP, SrcPort: gen.PortBase, DstPort: udpDiscard,
	})
}

// Ethernet header offsets of the learn frames.
const (
	offEthDst  = 0
	offEthSrc  = 6
	offEthType = 12
)

var broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// learn sends one broadcast frame from each host, so that learning
// switches know both MACs and forward unicast.
func (l *lab) learn() {
	for _, h := range []struct {
		p   *afpacket.Port
		mac net.HardwareAddr
	}{{l.sink, topo.SinkMAC}, {l.gen, topo.GenMAC}} {
		b := l.learnBatch
		b.Reset()
		f := b.Bufs[0][ports.Headroom : ports.Headroom+gen.MinSize-gen.FCSLen]
		clear(f)
		copy(f[offEthDst:offEthSrc], broadcastMAC)
		copy(f[offEthSrc:offEthType], h.mac)
		binary.BigEndian.PutUint16(f[offEthType:], learnEtherType)
		b.Len[0], b.N = len(f), 1
		_, _ = h.p.Write(b)
	}
}

// probe waits until a generated frame reaches the sink.
func (l *lab) probe(ctx context.Context) error {
	tmpl, err := template(gen.MinSize)
	if err != nil {
		return err
	}
	flows, err := gen.NewFlows(tmpl, 1, false)
	if err != nil {
		return err
	}
	s, err := gen.NewSender(l.gen, tmpl, flows, 0)
	if err != nil {
		return err
	}
	k := l.newSink(s, pollFD)
	done := make(chan error, 1)
	go func() { done <- k.Run() }()
	defer func() { k.Stop(); <-done }()
	deadline := time.Now().Add(probeTimeout)
	for k.Received() == 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("no frame forwarded within %v (sink saw %d other frames)", probeTimeout, k.Other())
		}
		l.learn()
		if _, err := s.SendBatch(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(probeEvery):
		}
	}
	return nil
}

// newSink returns a sink for the next measurement, waiting with poll,
// and points the sender at a fresh range of sequence numbers.
func (l *lab) newSink(s *gen.Sender, poll gen.Poller) *gen.Sink {
	l.seq++
	base := l.seq << seqShift
	s.SetSeq(base)
	k := gen.NewSink(l.sink, poll)
	k.SetMinSeq(base)
	return k
}

// pollFD waits in poll(2) until the sink's socket is readable: the
// sink's kernel then wakes the sink for the first frame that arrives, in
// the softirq of the switch's transmit. For the light-load latency runs
// and the probe, where the wake-up is what measures latency.
func pollFD(fd int, timeout time.Duration) {
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	_, _ = unix.Poll(pfd, int(timeout/time.Millisecond))
}

// sinkNap is how long the sink sleeps when it found no frame, in the
// throughput runs.
const sinkNap = 100 * time.Microsecond

// napPoll sleeps sinkNap instead of waiting on the socket. No one waits
// on the sink's socket, so the sink's kernel queues each frame without
// waking anybody: a wake-up of the sink per burst (sock_def_readable, a
// cross-CPU wake-up) was 6 to 11 % of govs's worker samples, charged to
// whichever switch is measured. The sink's queue (sinkRcvBuf) holds far
// more than sinkNap's worth of frames; the latency of a frame grows by at
// most sinkNap, against milliseconds of queueing under overload.
func napPoll(int, time.Duration) {
	ts := unix.NsecToTimespec(int64(sinkNap))
	_ = unix.Nanosleep(&ts, nil)
}
