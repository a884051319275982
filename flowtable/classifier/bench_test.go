package classifier

import (
	"fmt"
	"testing"

	"govs/datapath/flow"
	"govs/flowtable"
)

const benchRules = 10000

// Benchmark table shape: subtable i matches in_port, ip, nw_dst/(32 - i%
// benchPlens) and reg0 with mask i/benchPlens, so every subtable has its
// own mask; rules differ in nw_dst and have priorities 0..999.
const (
	benchPlens      = 25
	benchPriorities = 1000
	benchPorts      = 4
	benchPackets    = 1024 // power of two
)

// benchClassifier loads benchRules rules over nSub masks and returns
// packets: with hits, each aimed at a rule's address; otherwise half of
// them near a rule's address (low byte changed) and half random, which
// makes the prefix trie walk deep on misses.
func benchClassifier(b *testing.B, nSub int, hits bool) (*Classifier[int], []flow.Key, []flowtable.PipelineState) {
	c := New[int]()
	tx := c.Begin()
	dsts := make([]uint32, 0, benchRules)
	for i := range benchRules {
		sub := i % nSub
		var m flowtable.Match
		m.SetInPort(flowtable.PortNo(1 + i%benchPorts))
		m.SetEthType(flowtable.EthTypeIPv4)
		plen := 32 - sub%benchPlens
		dst := uint32(i*2654435761) & prefix32(plen)
		m.Key.SetIPv4Dst(dst)
		m.Mask.SetIPv4Dst(prefix32(plen))
		m.RegMasks[0] = uint32(sub / benchPlens)
		dsts = append(dsts, dst)
		tx.Insert(&Rule[int]{Match: m, Priority: uint16(i % benchPriorities), Value: i})
	}
	tx.Commit()
	keys := make([]flow.Key, benchPackets)
	sts := make([]flowtable.PipelineState, benchPackets)
	for i := range keys {
		dst, port := uint32(i*40503), 1+i%benchPorts
		switch {
		case hits:
			j := (i * 7919) % len(dsts)
			dst, port = dsts[j], 1+j%benchPorts
		case i%2 == 0:
			dst = dsts[(i*7919)%len(dsts)] | uint32(i)&0xff
		}
		keys[i].SetEthType(flowtable.EthTypeIPv4)
		keys[i].SetIPv4Dst(dst)
		keys[i].SetInPort(flow.PortNo(port))
		sts[i].InPort = flowtable.PortNo(port)
	}
	return c, keys, sts
}

func BenchmarkLookup(b *testing.B) {
	for _, tc := range []struct {
		nSub int
		hits bool
	}{{1, true}, {1, false}, {10, true}, {10, false}, {100, true}, {100, false}} {
		mix := "mixed"
		if tc.hits {
			mix = "hits"
		}
		nSub := tc.nSub
		b.Run(fmt.Sprintf("subtables=%d/%s", nSub, mix), func(b *testing.B) {
			c, keys, sts := benchClassifier(b, nSub, tc.hits)
			if c.NumSubtables() != nSub {
				b.Fatalf("%d subtables, want %d", c.NumSubtables(), nSub)
			}
			var wc Wildcards
			visited := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				j := i & (len(keys) - 1)
				wc.Reset()
				_, n := c.LookupVisited(&keys[j], &sts[j], &wc)
				visited += n
			}
			b.ReportMetric(float64(visited)/float64(b.N), "subtables/lookup")
		})
	}
}

func BenchmarkInsertTxn(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchClassifier(b, 10, false)
	}
}
