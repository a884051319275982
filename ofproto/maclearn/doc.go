// Package maclearn is a bridge's MAC learning table (the FDB), following
// OVS 3.1's lib/mac-learning.c as used by the NORMAL action.
//
// # Model
//
// Entries map (VLAN, MAC) to the OpenFlow port the MAC was last seen on;
// learning is per VLAN, so the same MAC may sit on different ports in
// different VLANs. Rules, as OVS:
//
//   - Multicast and broadcast sources are never learned, nothing is
//     learned on flood VLANs (Bridge.flood_vlans, SetFloodVLANs), and
//     flow.PortNone is never learned.
//   - Learning a known MAC on another port moves it (counted in
//     Stats.Moved). A gratuitous ARP learned from a non-bond port locks
//     the entry for GratARPLockSeconds against moves by gratuitous ARPs
//     from bond ports (FromBond; govs has no bonds, the rule is kept for
//     completeness).
//   - Aging: an entry expires AgingSeconds (mac-aging-time, default 300,
//     clamped 15..3600) after it was last learned or refreshed. Ages are
//     whole seconds on the table's Clock (OVS's time_now()). Lookup
//     ignores expired entries at once; Expire removes them (the owner
//     calls it about once a second, as mac_learning_run).
//   - Capacity: MaxEntries (mac-table-size, default 8192, clamped
//     10..1000000). Inserting into a full table evicts fairly, as OVS's
//     evict_mac_entry_fairly: the least recently refreshed entry of the
//     port that has the most entries (ties: lowest port number). When
//     SetMaxEntries shrinks the table, Expire drops the globally least
//     recently refreshed entries, as mac_learning_run.
//   - Generation changes whenever forwarding could change: learn, move,
//     expire, evict, flush, flood-VLAN change (OVS's need_revalidate →
//     REV_MAC_LEARNING). A refresh on the same port does not change it.
//     Translators cache it and revalidate datapath flows when it moves.
//   - fdb/show (AppendFDBShow) and Entries list entries least recently
//     refreshed first, the order of OVS's LRU list; ports print as
//     numbers and the bridge port as LOCAL. fdb/flush is Flush;
//     FlushReply is its reply text. FlushPort and FlushVLAN drop one
//     port's or one VLAN's entries.
//
// # Concurrency
//
// One sync.RWMutex guards the table. Lookup, GratARPLocked, MayLearn and
// the common case of Learn (entry already present on the same port and
// refreshed in the current second) take only the read lock, so
// translator goroutines doing lookups and repeat learning do not
// contend. Learning a new MAC, a move, a once-a-second refresh, Expire,
// the flushes and configuration setters take the write lock. Generation
// and Stats counters are atomics readable without the lock.
//
// # Allocation
//
// Lookup, GratARPLocked, MayLearn, Generation and Learn for a known MAC
// (refresh or move) allocate nothing. Learning a new MAC reuses freed
// slots; it allocates only while the table's storage grows towards its
// high-water mark, or on the first entry of a new port. Entries and
// AppendFDBShow allocate (they are for the control plane).
//
// # Not supported
//
// Static entries (fdb/add, fdb/del), fdb/stats-show text and per-port
// MAC limits are not implemented; multicast snooping is a separate table
// in OVS and is not part of this package.
package maclearn
