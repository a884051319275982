package maclearn

import (
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath/flow"
)

// Defaults and limits, as OVS lib/mac-learning.[ch] and bridge.c.
const (
	// DefaultAgingSeconds is MAC_ENTRY_DEFAULT_IDLE_TIME
	// (other_config:mac-aging-time).
	DefaultAgingSeconds = 300
	// MinAgingSeconds and MaxAgingSeconds clamp the aging time
	// (normalize_idle_time).
	MinAgingSeconds = 15
	MaxAgingSeconds = 3600
	// DefaultMaxEntries is MAC_DEFAULT_MAX (other_config:mac-table-size).
	DefaultMaxEntries = 8192
	// MinMaxEntries and MaxMaxEntries clamp the table size
	// (mac_learning_set_max_entries).
	MinMaxEntries = 10
	MaxMaxEntries = 1000 * 1000
	// GratARPLockSeconds is MAC_GRAT_ARP_LOCK_TIME: after a gratuitous
	// ARP is learned from a non-bond port, bond ports may not move the
	// entry for this long.
	GratARPLockSeconds = 5
)

// initialMapHint bounds the map pre-sizing so that a huge configured
// capacity does not reserve memory up front.
const initialMapHint = 1024

// nilIdx marks the end of an intrusive list in the entry slab.
const nilIdx int32 = -1

// Config configures a Table. Zero fields take the defaults.
type Config struct {
	// AgingSeconds is mac-aging-time; clamped to 15..3600. 0 = 300.
	AgingSeconds int
	// MaxEntries is mac-table-size; clamped to 10..1000000. 0 = 8192.
	MaxEntries int
	// Clock returns the current time; nil = time.Now. Only differences
	// between its values are used (keep the monotonic reading).
	Clock func() time.Time
}

// Table is one bridge's MAC learning table: (VLAN, MAC) → port, with
// aging, a size limit and fair eviction. All methods are safe for
// concurrent use; see the package documentation for the lock contract.
type Table struct {
	clock func() time.Time
	epoch time.Time

	// gen counts visible changes (learn, move, expire, evict, flush).
	gen atomic.Uint64
	// moveGen counts the changes after which a cached translation may
	// send to the wrong port: moves, flushes, flood-VLAN and aging
	// changes (not new entries, expiry or eviction).
	moveGen atomic.Uint64
	// Statistics, as OVS's total_learned/expired/evicted/moved.
	nLearned, nExpired, nEvicted, nMoved atomic.Uint64

	mu sync.RWMutex
	// Fields below are guarded by mu.
	idle       int64                    // +checklocks:mu aging time, seconds
	max        int                      // +checklocks:mu capacity
	byKey      map[uint64]int32         // +checklocks:mu tableKey → slab index
	slab       []entry                  // +checklocks:mu entries; free ones chained by next
	free       int32                    // +checklocks:mu head of the free list
	lru        list                     // +checklocks:mu every live entry, least recently refreshed first
	ports      map[flow.PortNo]*portLRU // +checklocks:mu per-port LRU lists (fair eviction)
	floodVLANs *[NumVIDs / 64]uint64    // +checklocks:mu VLANs with learning disabled; nil = none
}

// portLRU is one port's entries, least recently refreshed first.
type portLRU struct {
	l list
	n int
}

// entry is one slab slot. learned is the second (on the Table's clock)
// of the last refresh: the entry expires at learned+idle.
type entry struct {
	key      uint64
	port     flow.PortNo
	learned  int64
	gratLock int64 // second until which the grat-ARP lock holds
	live     bool
	// Global LRU and per-port LRU links (slab indices).
	prev, next   int32
	pprev, pnext int32
}

// New returns an empty table configured by c.
func New(c Config) *Table {
	t := &Table{clock: c.Clock, free: nilIdx, lru: emptyList()}
	if t.clock == nil {
		t.clock = time.Now
	}
	t.epoch = t.clock()
	t.idle = int64(normalizeAging(c.AgingSeconds))
	t.max = normalizeMax(c.MaxEntries)
	t.byKey = make(map[uint64]int32, min(t.max, initialMapHint))
	t.ports = make(map[flow.PortNo]*portLRU)
	return t
}

func normalizeAging(s int) int {
	if s == 0 {
		return DefaultAgingSeconds
	}
	return min(max(s, MinAgingSeconds), MaxAgingSeconds)
}

func normalizeMax(n int) int {
	if n == 0 {
		return DefaultMaxEntries
	}
	return min(max(n, MinMaxEntries), MaxMaxEntries)
}

// now returns the current second on the table's clock (floor), as OVS's
// time_now().
func (t *Table) now() int64 { return int64(t.clock().Sub(t.epoch) / time.Second) }

// SetAgingSeconds changes mac-aging-time (clamped to 15..3600, 0 means
// the default). Ages are kept, so entries older than the new time expire
// at the next Expire call and are hidden from Lookup at once. A change
// bumps the generation.
func (t *Table) SetAgingSeconds(s int) {
	idle := int64(normalizeAging(s))
	t.mu.Lock()
	defer t.mu.Unlock()
	if idle != t.idle {
		t.idle = idle
		t.gen.Add(1)
		t.moveGen.Add(1)
	}
}

// AgingSeconds returns the effective aging time.
func (t *Table) AgingSeconds() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return int(t.idle)
}

// SetMaxEntries changes mac-table-size (clamped to 10..1000000, 0 means
// the default). A smaller size takes effect at the next Expire call,
// which drops the least recently refreshed entries, as mac_learning_run.
func (t *Table) SetMaxEntries(n int) {
	t.mu.Lock()
	t.max = normalizeMax(n)
	t.mu.Unlock()
}

// MaxEntries returns the effective capacity.
func (t *Table) MaxEntries() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.max
}

// SetFloodVLANs sets Bridge.flood_vlans: VLANs on which nothing is
// learned and every lookup misses (so traffic floods). VIDs above 4095
// are ignored. It reports whether the set changed; a change bumps the
// generation.
func (t *Table) SetFloodVLANs(vids []uint16) bool {
	var bm *[NumVIDs / 64]uint64
	if len(vids) > 0 {
		bm = new([NumVIDs / 64]uint64)
		for _, v := range vids {
			if v <= MaxVID {
				bm[v/64] |= 1 << (v % 64)
			}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	same := (bm == nil && t.floodVLANs == nil) ||
		(bm != nil && t.floodVLANs != nil && *bm == *t.floodVLANs)
	if same {
		return false
	}
	t.floodVLANs = bm
	t.gen.Add(1)
	t.moveGen.Add(1)
	return true
}

// isLearningVLAN reports whether vlan learns (is not a flood VLAN).
// Caller holds mu (read or write).
func (t *Table) isLearningVLAN(vlan uint16) bool {
	bm := t.floodVLANs
	return bm == nil || bm[(vlan&MaxVID)/64]&(1<<(vlan%64)) == 0
}

// Generation returns a counter that changes whenever the forwarding
// state changes: a MAC learned, moved, expired, evicted or flushed, or
// the flood VLANs changed (OVS's need_revalidate / REV_MAC_LEARNING).
// Refreshing an entry on the same port does not change it. The
// translator records it with a cached translation and revalidates when
// it differs.
func (t *Table) Generation() uint64 { return t.gen.Load() }

// MoveGeneration is the part of Generation after which a cached
// translation may forward to the wrong port: an entry moved, entries were
// flushed, the flood VLANs or the aging time changed. When only
// Generation moved (new entries, expiry, eviction), cached translations
// at worst flood where they could unicast or unicast to where the MAC
// was last seen, so their revalidation may be paced.
func (t *Table) MoveGeneration() uint64 { return t.moveGen.Load() }

// Stats are cumulative counters, as OVS's fdb/stats-show.
type Stats struct {
	Learned, Expired, Evicted, Moved uint64
	// Entries is the current number of entries (including expired ones
	// that Expire has not yet removed).
	Entries int
	// MaxEntries is the current capacity.
	MaxEntries int
}

// Stats returns the counters.
func (t *Table) Stats() Stats {
	t.mu.RLock()
	n, m := len(t.byKey), t.max
	t.mu.RUnlock()
	return Stats{
		Learned: t.nLearned.Load(), Expired: t.nExpired.Load(),
		Evicted: t.nEvicted.Load(), Moved: t.nMoved.Load(),
		Entries: n, MaxEntries: m,
	}
}

// Len returns the number of entries (including expired ones not yet
// removed by Expire).
func (t *Table) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.byKey)
}
