package datapath

import "govs/datapath/flow"

// megaflow is one cached datapath flow. It is owned by one worker: every
// field is read and written only on that worker's goroutine (control
// requests included), so none needs a lock.
type megaflow struct {
	key  flow.Key // orig & mask: what the subtable compares
	mask flow.Key
	orig flow.Key // the unmasked key of the packet that created it (re-translation, dump)
	hash uint32   // maskedHash(key) in its subtable
	acts Actions

	created  int64 // clock ns at install
	used     int64 // clock ns of the last batch that hit it; valid if everUsed
	everUsed bool
	packets  uint64
	bytes    uint64
	tcpFlags uint16

	// dead is set when the flow leaves its classifier; EMC entries that
	// still point here then miss.
	dead bool
	st   *subtable
	cls  *classifier

	// Per-batch accumulation: stats are folded in once per batch.
	batchSeq              uint64
	batchPkts, batchBytes uint64
	batchFlags            uint16

	// cookie is the CookieUpcaller's value for this flow (xcache.go);
	// pulledPkts/pulledBytes are packets/bytes already reported by
	// PullStats.
	cookie                  any
	pulledPkts, pulledBytes uint64
}

// lastActive is the clock time idle expiry measures from.
func (f *megaflow) lastActive() int64 {
	if f.everUsed {
		return f.used
	}
	return f.created
}

// hasExtra reports whether mask a has a bit that b lacks (a is narrower
// somewhere), as OVS's flow_wildcards_has_extra.
func hasExtra(a, b *flow.Key) bool {
	for i := range a.W {
		if a.W[i]&^b.W[i] != 0 {
			return true
		}
	}
	return false
}
