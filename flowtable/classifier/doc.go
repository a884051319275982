// Package classifier is the OpenFlow flow-table classifier: one
// Classifier per OpenFlow table, modelled on OVS lib/classifier.c.
//
// # Model
//
// A Rule is a flowtable.Match (masked flow.Key plus the OpenFlow-only
// in_port, metadata, registers and nd_target), a priority and an opaque
// value of the caller's type V. Rules are grouped into subtables, one per
// distinct mask (tuple space search); each subtable is a hash table keyed
// by the masked match. Subtables are searched by decreasing maximum
// priority (then creation order), and the search stops at the first
// subtable whose maximum priority cannot beat the best match found. Rules
// with the same match and priority replace each other (Insert returns the
// old one). Overlapping rules of equal priority are undefined in
// OpenFlow; Lookup picks deterministically the one from the subtable
// searched first.
//
// Selection for flow mods: FindExactly is strict selection (same match,
// same priority). Loose is non-strict selection as OVS's
// cls_rule_is_loose_match: every field the request matches, the rule
// matches too with the same value under the request's mask; priority is
// ignored. So "del-flows in_port=1" selects in_port=1,ip but keeps ip and
// the priority=0 catch-all, and an empty request selects every rule.
//
// # Wildcard contract
//
// Lookup ORs into the caller's Wildcards the bits its answer depends on,
// as OVS's find_match_wc. The answer is the same for every packet that
// agrees with the looked-up one on those bits (tests check this). The
// caller resets wc before translation and can pass the same wc to the
// lookups of several tables.
//
//   - Staged lookup: a subtable's mask units are split into the stages
//     metadata (in_port, recirc_id, tunnel, OpenFlow in_port, metadata,
//     registers), L2 (w1-w3: eth, VLAN, key flags), L3 (w4-w9, w11, w12,
//     nd_target) and L4 (w10: tp_src, tp_dst, tcp_flags — OVS keeps
//     tcp_flags in L3; our stages are whole 64-bit key words). Each stage
//     but the last has an index of the rules' stage hashes; a subtable
//     visited adds its mask bits up to and including the first stage no
//     rule agrees with. When the last stage is reached the whole mask is
//     added, hit or miss, unless a trie below proves the miss with fewer
//     bits. A subtable never visited (priority cut-off) adds nothing.
//   - Prefix tries for nw_dst, nw_src (OVS's default prefix fields) and
//     ipv6_dst, ipv6_src: path-compressed tries of the prefixes of all
//     rules whose subtable has a CIDR mask /p on that field. When the
//     stage holding the field misses in a subtable with such a mask, the
//     packet's address is walked down the trie (once per lookup per
//     field). If no rule of length p lies on the packet's path, the
//     subtable is skipped having added only the earlier stages plus the
//     address bits that prove it: the bits up to and including the first
//     bit where the packet leaves the trie, or up to the end of the last
//     node on its path when that node is a leaf — OVS's trie_lookup_value.
//     The proof is used only if it costs at most p bits, or if wc already
//     has them (check_tries). Example: with nw_dst=10.0.0.0/8 as the only
//     prefix rule, a packet to 192.168.1.1 adds nw_dst=128.0.0.0/1 (plus
//     the earlier stages, e.g. dl_type). OVS walks the tries before
//     hashing a stage; we walk them only after the stage misses, which
//     gives the same bits (a hit means a rule agrees on the prefix, so the
//     trie cannot prove a miss) without walking on hits.
//   - Ports trie, as OVS's per-subtable ports_trie: when the final stage
//     misses in a subtable matching tp_src/tp_dst and no rule's masked
//     ports agree with the packet's, only the port bits up to the first
//     differing one are added (tcp,tp_dst=80 missed by port 443 gives
//     tp_dst=0x100/0xff00, as OVS). If some rule's ports agree (the miss
//     came from tcp_flags, which shares our L4 word), the whole mask is
//     added.
//   - TestWildcardsOVSOracle checks these masks against megaflows that
//     OVS 3.1 produced for the same flows (ofproto/trace).
//   - What the caller must add itself (ovs-facts §3.4, xlate_wc_init):
//     in_port and recirc_id, dl_type, nw_frag for IP, and tunnel fields for
//     tunnelled packets are always exact in OVS megaflows;
//     Wildcards.AddAlwaysExact does that. xlate_wc_finish's trimming (drop
//     metadata/registers, CFI, ICMP widths, later-fragment ports) and the
//     bits actions read are the translator's job. The OpenFlow-only fields
//     of Wildcards (InPort, Metadata, Regs, NDTarget) say what the lookup
//     consulted but cannot be expressed in a datapath mask.
//   - nd_target: neither flow.Key nor flowtable.PipelineState carries the
//     packet's ND target, so Lookup reads it as the all-zero address: a
//     rule matching a non-zero nd_target never matches in Lookup.
//
// # Concurrency
//
// RCU style, not OVS's versioned rules: each Classifier publishes an
// immutable table version through an atomic.Pointer. Lookup, FindExactly,
// Rules, Loose, Len and NumSubtables load it once and take no lock, so any
// number of readers run concurrently with a writer. Writers (Insert,
// Remove, Begin/Txn/Commit) build the next version copy-on-write — each
// subtable they touch is copied once per Txn, tries are path-copied — and
// publish it with one atomic store. A subtable's hash tables (entry table,
// stage indices) are paged: the copy shares the 256-slot pages it does
// not write, so a Txn changing one rule of an n-rule subtable costs
// O(n/256) plus the pages it writes, and n flow mods of one shape (one Txn
// each, as ovs-ofctl add-flows sends them with a barrier after each) load
// in near-linear time instead of O(n²). Writers must be serialised by the
// caller (the OpenFlow connection handler owning the table). Old versions
// are reclaimed by the garbage collector once no reader holds them.
//
// # Ownership and allocation
//
// The classifier keeps the *Rule given to Insert; its Match and Priority
// must not change while it is inserted. Returned rules are shared: read
// them, do not modify Match or Priority. Lookup allocates nothing (tested
// with testing.AllocsPerRun) and only reads k and st during the call.
// Writes and iterators allocate.
package classifier
