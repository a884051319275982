package datapath

import (
	"encoding/binary"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

func reportPerPacket(b *testing.B, packets int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(packets), "ns/pkt")
}

// BenchmarkPipelineEMCHit: full batches of 32 distinct flows, all EMC hits,
// output to one port.
func BenchmarkPipelineEMCHit(b *testing.B) {
	dp, s2, s3 := newTestDP(b, newUpcaller(outputTo(2)), Config{EMCInsertInvProb: 1})
	s2.noCopy, s3.noCopy = true, true
	w := dp.Worker(0)
	rx := newBatchOf(distinctFrames(ports.BatchSize)...)
	w.ProcessBatch(1, rx)
	w.ProcessBatch(1, rx)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w.ProcessBatch(1, rx)
	}
	reportPerPacket(b, b.N*ports.BatchSize)
	if s := dp.Stats()[0]; s.EMCHits < uint64(b.N*ports.BatchSize) {
		b.Fatalf("emc hits %d", s.EMCHits)
	}
}

const benchSubtables = 8

// BenchmarkMegaflowHit8Subtables: EMC off; eight masks (eth_dst and L4
// source port exact, plus an IPv4 destination prefix of a different length
// for each), packets spread evenly over all of them.
func BenchmarkMegaflowHit8Subtables(b *testing.B) {
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		mask.SetTpSrc(^uint16(0))
		mask.SetIPv4Dst(^uint32(0) << (k.TpSrc() % benchSubtables))
		*acts = append(*acts, Output(2))
		return nil
	})
	dp, s2, s3 := newTestDP(b, up, Config{EMCInsertInvProb: EMCDisabled})
	s2.noCopy, s3.noCopy = true, true
	w := dp.Worker(0)
	frames := make([][]byte, ports.BatchSize)
	for i := range frames {
		frames[i] = udpFrame(2, 1, 1, 2, uint16(i), 9)
	}
	rx := newBatchOf(frames...)
	w.ProcessBatch(1, rx)
	if got := dp.Stats()[0].Subtables; got != benchSubtables {
		b.Fatalf("subtables = %d", got)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w.ProcessBatch(1, rx)
	}
	reportPerPacket(b, b.N*ports.BatchSize)
	s := dp.Stats()[0]
	b.ReportMetric(s.AvgSubtableLookups(), "subtables/hit")
}

// BenchmarkMissInstall: every packet is a new flow (distinct IPv4 source,
// matched exactly); trivial Upcaller. Flows are flushed, off the clock,
// every flushEvery installs to bound memory.
func BenchmarkMissInstall(b *testing.B) {
	const flushEvery = 1 << 16
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		mask.SetIPv4Src(^uint32(0))
		*acts = append(*acts, Output(2))
		return nil
	})
	dp, s2, s3 := newTestDP(b, up, Config{EMCInsertInvProb: EMCDisabled, FlowLimit: 2 * flushEvery})
	s2.noCopy, s3.noCopy = true, true
	w := dp.Worker(0)
	rx := newBatchOf(distinctFrames(ports.BatchSize)...)
	const ipSrcOff = ports.Headroom + testEthLen + 12
	var seq uint32
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := 0; i < rx.N; i++ {
			seq++
			binary.BigEndian.PutUint32(rx.Bufs[i][ipSrcOff:], seq)
		}
		w.ProcessBatch(1, rx)
		if dp.FlowCount() >= flushEvery {
			b.StopTimer()
			dp.Flush()
			b.StartTimer()
		}
	}
	pkts := b.N * ports.BatchSize
	reportPerPacket(b, pkts)
	b.ReportMetric(float64(pkts)/b.Elapsed().Seconds(), "flows/s")
	if s := dp.Stats()[0]; s.MissUpcallOK != uint64(pkts) || s.Lost != 0 {
		b.Fatalf("misses %d lost %d, want %d, 0", s.MissUpcallOK, s.Lost, pkts)
	}
}

// BenchmarkExecuteOutputCopy: output, modify, output (one copy per packet).
func BenchmarkExecuteOutputCopy(b *testing.B) {
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = append(*acts, Output(2), SetIPv4Dst(5), Output(3))
		return nil
	})
	dp, s2, s3 := newTestDP(b, up, Config{EMCInsertInvProb: 1})
	s2.noCopy, s3.noCopy = true, true
	w := dp.Worker(0)
	rx := newBatchOf(distinctFrames(ports.BatchSize)...)
	w.ProcessBatch(1, rx)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		w.ProcessBatch(1, rx)
	}
	reportPerPacket(b, b.N*ports.BatchSize)
}
