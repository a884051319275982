package gen

import "math/bits"

// Histogram layout: log-linear buckets, histSub per power of two (about
// 3% relative error), values clamped to histMax nanoseconds.
const (
	histSubBits = 5
	histSub     = 1 << histSubBits
	histMaxBits = 40 // about 18 minutes in ns
	histMax     = 1<<histMaxBits - 1
	// histBuckets covers 0..histMax: histSub linear buckets, then histSub
	// per power of two above.
	histBuckets = histSub + (histMaxBits-histSubBits-1)*histSub + histSub
)

// Histogram counts latencies in nanoseconds. The zero value is empty and
// ready. Not safe for concurrent use.
type Histogram struct {
	counts [histBuckets]uint64
	total  uint64
}

func bucketOf(v uint64) int {
	if v < histSub {
		return int(v)
	}
	if v > histMax {
		v = histMax
	}
	e := bits.Len64(v) - histSubBits - 1
	return histSub + e*histSub + int(v>>e) - histSub
}

// bucketMid is a representative value of bucket i: the middle of its range.
func bucketMid(i int) uint64 {
	if i < histSub {
		return uint64(i)
	}
	e := (i - histSub) / histSub
	lo := uint64(histSub+(i-histSub)%histSub) << e
	return lo + (uint64(1)<<e)/2
}

// Record adds one value; negative values (clock skew) count as 0. It does
// not allocate.
func (h *Histogram) Record(ns int64) {
	if ns < 0 {
		ns = 0
	}
	h.counts[bucketOf(uint64(ns))]++
	h.total++
}

// Count returns how many values were recorded.
func (h *Histogram) Count() uint64 { return h.total }

// Merge adds o's values to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
}

// Reset empties h.
func (h *Histogram) Reset() { *h = Histogram{} }

// Quantile returns the value below which a fraction q (0..1) of the
// recorded values fall, in nanoseconds; 0 when empty.
func (h *Histogram) Quantile(q float64) int64 {
	if h.total == 0 {
		return 0
	}
	q = min(max(q, 0), 1)
	rank := uint64(q * float64(h.total))
	if rank >= h.total {
		rank = h.total - 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen > rank {
			return int64(bucketMid(i))
		}
	}
	return int64(bucketMid(histBuckets - 1))
}
