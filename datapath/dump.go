package datapath

import (
	"fmt"
	"io"
	"strconv"

	"govs/datapath/flow"
)

// TCP flag bits beyond those flow names (TCP header order).
const (
	tcpECE = 1 << 6
	tcpCWR = 1 << 7
	tcpNS  = 1 << 8
)

// tcpFlagText is OVS packet_format_tcp_flags's order and spelling.
var tcpFlagText = [...]struct {
	bit  uint16
	text string
}{
	{flow.TCPSyn, "S"}, {flow.TCPFin, "F"}, {flow.TCPPsh, "P"}, {flow.TCPRst, "R"},
	{flow.TCPUrg, "U"}, {flow.TCPAck, "."}, {tcpECE, "E"}, {tcpCWR, "C"}, {tcpNS, "N"},
	{0x200, "[200]"}, {0x400, "[400]"}, {0x800, "[800]"},
}

const (
	nsPerMs  = 1000 * 1000
	msPerSec = 1000
)

// appendFlow appends one `dpctl/dump-flows` line (with newline).
func appendFlow(b []byte, f *megaflow, now int64, portName func(flow.PortNo) string, tnl TunnelHeaderTexter) []byte {
	b = flow.AppendKeyMask(b, &f.orig, &f.mask, portName)
	b = append(b, ", packets:"...)
	b = strconv.AppendUint(b, f.packets, 10)
	b = append(b, ", bytes:"...)
	b = strconv.AppendUint(b, f.bytes, 10)
	b = append(b, ", used:"...)
	if f.everUsed {
		ms := max(0, (now-f.used)/nsPerMs)
		b = strconv.AppendInt(b, ms/msPerSec, 10)
		b = append(b, '.')
		frac := ms % msPerSec
		b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10), 's')
	} else {
		b = append(b, "never"...)
	}
	if f.tcpFlags != 0 {
		b = append(b, ", flags:"...)
		for _, t := range tcpFlagText {
			if f.tcpFlags&t.bit != 0 {
				b = append(b, t.text...)
			}
		}
	}
	b = append(b, ", actions:"...)
	b = AppendActionsTunnel(b, f.acts, portName, tnl)
	return append(b, '\n')
}

// DumpFlows writes every megaflow in OVS `ovs-appctl dpctl/dump-flows`
// format, one per line:
//
//	<key/mask>, packets:N, bytes:N, used:0.500s|never[, flags:S.], actions:...
//
// Each worker formats its own flows between batches. portName may be nil.
func (dp *Datapath) DumpFlows(out io.Writer, portName func(flow.PortNo) string) error {
	dp.mu.Lock()
	texts := make([][]byte, len(dp.workers))
	for i, w := range dp.workers {
		dp.do(w, func(w *Worker) {
			now := w.dp.clock()
			var b []byte
			for _, f := range w.allFlows() {
				b = appendFlow(b, f, now, portName, w.tunnelTexter())
			}
			clear(w.scratch)
			texts[i] = b
		})
	}
	dp.mu.Unlock()
	for _, t := range texts {
		if _, err := out.Write(t); err != nil {
			return err
		}
	}
	return nil
}

// PMDStats writes per-worker counters in the spirit of
// `ovs-appctl dpif-netdev/pmd-stats-show`.
func (dp *Datapath) PMDStats(out io.Writer) error {
	for i, s := range dp.Stats() {
		passes := 0.0
		avgOut := 0.0
		if s.RxPackets != 0 {
			passes = float64(s.RxPackets+s.Recirculations) / float64(s.RxPackets)
		}
		if s.TxBatches != 0 {
			avgOut = float64(s.TxPackets) / float64(s.TxBatches)
		}
		var drops uint64
		for _, d := range s.Drops {
			drops += d
		}
		_, err := fmt.Fprintf(out, "pmd thread worker %d:\n"+
			"  packets received: %d\n"+
			"  packet recirculations: %d\n"+
			"  avg. datapath passes per packet: %.2f\n"+
			"  emc hits: %d\n"+
			"  smc hits: 0\n"+
			"  megaflow hits: %d\n"+
			"  avg. subtable lookups per megaflow hit: %.2f\n"+
			"  miss with success upcall: %d\n"+
			"  miss with failed upcall: %d\n"+
			"  lost (flow limit): %d\n"+
			"  avg. packets per output batch: %.2f\n"+
			"  drops: %d\n"+
			"  flows: %d\n"+
			"  subtables: %d\n",
			i, s.RxPackets, s.Recirculations, passes, s.EMCHits, s.MegaflowHits,
			s.AvgSubtableLookups(), s.MissUpcallOK, s.MissUpcallFailed, s.Lost, avgOut,
			drops, s.Flows, s.Subtables)
		if err != nil {
			return err
		}
	}
	return nil
}

// tunnelTexter returns the worker's tunnel hook when it can print
// tnl_push headers.
func (w *Worker) tunnelTexter() TunnelHeaderTexter {
	if t, ok := w.tnl.(TunnelHeaderTexter); ok {
		return t
	}
	return nil
}
