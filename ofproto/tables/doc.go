// Package tables holds one bridge's OpenFlow tables 0..253 and implements
// OVS 3.1's flow-mod semantics on them (ovs-facts §5).
//
// # Model
//
// Each table is a flowtable/classifier.Classifier of *Rule. A Rule is
// immutable once inserted (match, priority, cookie, timeouts,
// importance, state flags, actions stored as ofpact.Encode(actions,
// version of the adding connection), created/modified times) except its
// Counters (packets, bytes, last used), which are atomics. A MODIFY
// replaces the rule with a new one that shares the old rule's Counters
// unless reset_counts, exactly as OVS forwards stats from a replaced
// rule to its replacement; so an xlate cache still holding the old rule
// keeps crediting the right counters.
//
// Apply(fm, version) executes ADD (replace same match+priority, keep
// counters unless reset_counts, check_overlap → OFPFMFC_OVERLAP),
// MODIFY/MODIFY_STRICT (loose/strict selection, cookie/mask, OpenFlow
// 1.0/1.1 "modify may add"), DELETE/DELETE_STRICT (loose selection
// across all tables with table=255, out_port/out_group, cookie mask).
// Errors are *Error (or *ofpact.CheckError) carrying OVS's ofperr name.
// Expire(now) removes rules past their hard timeout (from Modified) or
// idle timeout (from the last credited packet) and returns them with
// their Reason for FLOW_REMOVED. Select/FlowStats/Aggregate answer
// flow and aggregate stats requests with the same loose/strict
// selection. AddDefaultNormal adds the fail_mode standalone flow
// "priority=0 actions=NORMAL" as an ordinary, visible, deletable rule
// (OVS's connmgr_flushed does the same; verified on OVS 3.1).
//
// # Concurrency
//
// Lookup, Select, FlowStats, Aggregate, TableLen and Generation take no
// lock: every classifier publishes immutable versions through an atomic
// pointer (RCU), so translation on datapath worker goroutines runs
// concurrently with flow mods. Writers (Apply, Expire, Flush,
// AddDefaultNormal, Batch) are serialised by Tables' mutex. A write to
// several tables (DELETE table=255) publishes table by table. A Batch
// (Begin … Commit, holding the mutex) is Apply in order, but publishes
// consecutive plain ADDs with one classifier transaction per table: a
// transaction copies each subtable it changes, so one per rule would make
// loading n rules O(n²).
//
// # Revalidation guarantee chain
//
// Every change bumps Generation. The OpenFlow server applies a FLOW_MOD
// with Apply, then calls the bridge's Revalidate (datapath.Revalidate
// re-translates every megaflow against the new tables and returns only
// when no worker can forward with a stale action), and only then sends
// BARRIER_REPLY (or processes the next message). The pipeline's Tick also
// requests revalidation whenever Generation moved since the last one, as
// a safety net for changes made without an explicit Revalidate.
//
// # Counters' accuracy
//
// Counters are credited by the translation pipeline (ofproto/xlate): the
// upcalled packet at upcall time, and every megaflow's traffic from the
// datapath's PullStats (every 500 ms) through its xlate cache. So
// dump-flows n_packets/n_bytes and idle_age lag traffic by at most about
// half a second, as in OVS.
//
// # Allocation
//
// Lookup allocates nothing. Flow mods, expiry and stats allocate
// (control path).
package tables
