package datapath

import (
	"govs/datapath/flow"
	"govs/ports"
)

// execute runs acts on packet p (key k, as extracted at receive). Outputs
// are queued on per-port tx batches flushed at the end of the rx batch.
// A frame is copied only when it is output and a later action modifies it.
func (w *Worker) execute(p *flow.Packet, k *flow.Key, acts Actions, depth int) {
	switch {
	case len(acts) == 0:
		w.bc.drops[DropAction]++
		return
	case len(acts) == 1 && acts[0].Kind == ActOutput:
		w.output(p, acts[0].Port, false) // the common case, without the scan below
		return
	}
	last := acts.lastModifying()
	for j := range acts {
		a := &acts[j]
		switch a.Kind {
		case ActOutput:
			w.output(p, a.Port, j < last)
		case ActPushVLAN:
			if !p.PushVLAN(a.TPID, a.TCI) {
				w.bc.drops[DropNoHeadroom]++
				return
			}
		case ActPopVLAN:
			p.PopVLAN()
		case ActSetEthSrc:
			p.SetEthSrc(a.MAC)
		case ActSetEthDst:
			p.SetEthDst(a.MAC)
		case ActSetIPv4Src:
			p.SetIPv4Src(a.Addr)
		case ActSetIPv4Dst:
			p.SetIPv4Dst(a.Addr)
		case ActSetIPv4Tos:
			p.SetIPv4Tos(a.U8)
		case ActSetIPv4TTL:
			p.SetIPv4TTL(a.U8)
		case ActSetTpSrc:
			p.SetTpSrc(a.TpPort)
		case ActSetTpDst:
			p.SetTpDst(a.TpPort)
		case ActSetARPOp:
			p.SetARPOp(a.U16)
		case ActSetARPSha:
			p.SetARPSha(a.MAC)
		case ActSetARPTha:
			p.SetARPTha(a.MAC)
		case ActSetARPSpa:
			p.SetARPSpa(a.Addr)
		case ActSetARPTpa:
			p.SetARPTpa(a.Addr)
		case ActDecTTL:
			if !p.DecTTL() {
				w.bc.drops[DropTTL]++
				return
			}
		case ActUserspace:
			if w.ctrl == nil {
				w.bc.drops[DropNoController]++
				continue
			}
			w.ctrl.Controller(p.Frame(), k, a.Arg)
		case ActTunnelPush:
			w.tunnelPush(p, a, j == len(acts)-1)
		case ActTunnelPop:
			w.tunnelPop(p, a, j == len(acts)-1, depth)
		default:
			w.bc.drops[DropAction]++
			return
		}
	}
}

// clone copies p into a free copy buffer (same headroom as a received
// frame) and returns it in q; false when none is left or p is too long.
func (w *Worker) clone(p *flow.Packet, q *flow.Packet) bool {
	if p.Len > ports.BufLen-ports.Headroom {
		w.bc.drops[DropOversize]++
		return false
	}
	if w.copyNext == len(w.copyBufs) {
		w.bc.drops[DropNoCopyBuffer]++
		return false
	}
	c := w.copyBufs[w.copyNext]
	w.copyNext++
	copy(c[ports.Headroom:], p.Frame())
	q.Buf, q.Off, q.Len, q.L = c, ports.Headroom, p.Len, p.L
	return true
}

// output queues p's current frame on port's tx batch, copying it first
// when needCopy (a later action changes the frame).
func (w *Worker) output(p *flow.Packet, port flow.PortNo, needCopy bool) {
	q := w.lastTx
	if q == nil || q.no != port {
		if q = w.txqs[port]; q == nil {
			w.bc.drops[DropUnknownPort]++
			return
		}
		w.lastTx = q
	}
	buf, off := p.Buf, p.Off
	if needCopy {
		c := &w.outPkt
		if !w.clone(p, c) {
			return
		}
		buf, off = c.Buf, c.Off
	}
	if q.b.N == ports.BatchSize {
		w.writeQueue(q)
	}
	n := q.b.N
	q.b.Bufs[n], q.b.Off[n], q.b.Len[n] = buf, off, p.Len
	q.b.N++
	if !q.dirty {
		q.dirty = true
		w.dirty = append(w.dirty, q)
	}
}

// writeQueue hands q's frames to its port (one Write).
func (w *Worker) writeQueue(q *txQueue) {
	if q.b.N == 0 {
		return
	}
	n, _ := q.port.Write(&q.b)
	n = max(0, min(n, q.b.N))
	w.bc.txPackets += uint64(n)
	w.bc.txBatches++
	w.bc.drops[DropTxFailed] += uint64(q.b.N - n)
	q.b.N = 0
}

// flushTx writes every port's pending frames: one Write per port per rx
// batch (more only if one port got more than BatchSize frames).
func (w *Worker) flushTx() {
	for i, q := range w.dirty {
		w.writeQueue(q)
		q.dirty = false
		w.dirty[i] = nil
	}
	w.dirty = w.dirty[:0]
}

// tunnelPacket is the packet a tunnel action works on: p itself when the
// action is the last, else a copy in tnlPkt. false (counted) when there
// is no tunnel hook or p cannot be copied (see clone).
func (w *Worker) tunnelPacket(p *flow.Packet, last bool) (*flow.Packet, bool) {
	if w.tnl == nil {
		w.bc.drops[DropNoTunnelHook]++
		return nil, false
	}
	if last {
		return p, true
	}
	return &w.tnlPkt, w.clone(p, &w.tnlPkt)
}

// tunnelPush encapsulates (a copy of, unless last) p via the tunnel hook
// and outputs it to the underlay port.
func (w *Worker) tunnelPush(p *flow.Packet, a *Action, last bool) {
	q, ok := w.tunnelPacket(p, last)
	if !ok {
		return
	}
	if !w.tnl.Push(q, a.TnlPort, a.Arg) {
		w.bc.drops[DropTunnelHook]++
		return
	}
	w.output(q, a.Port, false)
}

// tunnelPop decapsulates (a copy of, unless last) p via the tunnel hook and
// queues the inner packet for recirculation as received on a.Port.
func (w *Worker) tunnelPop(p *flow.Packet, a *Action, last bool, depth int) {
	if depth > 0 || w.recirc.N == ports.BatchSize {
		w.bc.drops[DropRecircDepth]++
		return
	}
	q, ok := w.tunnelPacket(p, last)
	if !ok {
		return
	}
	n := w.recirc.N
	tun := &w.recircTun[n]
	tun.Reset()
	if !w.tnl.Pop(q, a.Port, tun) {
		w.bc.drops[DropTunnelHook]++
		return
	}
	w.recirc.Bufs[n], w.recirc.Off[n], w.recirc.Len[n] = q.Buf, q.Off, q.Len
	w.recircIn[n] = a.Port
	w.recirc.N++
}
