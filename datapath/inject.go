package datapath

import (
	"errors"
	"fmt"

	"govs/datapath/flow"
	"govs/ports"
)

// Errors of Execute.
var (
	ErrShortFrame = errors.New("datapath: frame shorter than an Ethernet header")
	ErrLongFrame  = fmt.Errorf("datapath: frame longer than %d bytes", ports.MaxFrameLen)
)

// Execute runs acts on a copy of frame as if it had been received on port
// in (which need not exist: OpenFlow's CONTROLLER or NONE are fine), the
// way OVS's dpif_execute runs a PACKET_OUT: the outputs go to the ports'
// tx queues and are written before Execute returns; ActUserspace reaches
// the controller hook. No megaflow is looked up or installed, and no
// megaflow stats change; the worker's rx/tx counters count the frame.
//
// Execute is a control operation (see doc.go): it is serialised with the
// others and run by worker 0 between two of its batches, so it is safe
// while the workers run. It must not be called from an Upcaller or a
// hook. frame is not retained.
func (dp *Datapath) Execute(in flow.PortNo, frame []byte, acts Actions) error {
	switch {
	case len(frame) < ethHeaderLen:
		return ErrShortFrame
	case len(frame) > ports.MaxFrameLen:
		return ErrLongFrame
	}
	buf := make([]byte, ports.BufLen)
	copy(buf[ports.Headroom:], frame)
	acts = append(Actions(nil), acts...)
	dp.mu.Lock()
	defer dp.mu.Unlock()
	if dp.closed {
		return ports.ErrClosed
	}
	dp.do(dp.workers[0], func(w *Worker) { w.executeFrame(in, buf, len(frame), acts) })
	return nil
}

// executeFrame is Execute on the worker's goroutine, between batches: it
// uses the batch state (tx queues, copy buffers, recirculation) exactly
// like ProcessBatch and leaves it empty again.
func (w *Worker) executeFrame(in flow.PortNo, buf []byte, n int, acts Actions) {
	w.beginBatch()
	w.bc.rxPackets++
	w.bc.rxBytes += uint64(n)
	p := &w.pkts[0]
	p.Buf, p.Off, p.Len = buf, ports.Headroom, n
	k := &w.keys[0]
	flow.ExtractVLANs(p.Frame(), in, int(w.dp.vlanLimit.Load()), k, &p.L)
	w.execute(p, k, acts, 0)
	w.endBatch()
}
