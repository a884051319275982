// Package datapath is govs's userspace fast path, the equivalent of OVS's
// dpif-netdev: per-worker exact-match cache (EMC), megaflow classifier
// (dpcls), datapath actions, upcalls to the slow path, flow stats, idle
// expiry and revalidation.
//
// # Data path, rx to tx
//
// A worker reads a batch (up to ports.BatchSize frames) from one of its
// ports and runs Worker.ProcessBatch on it:
//
//  1. flow.Extract fills each packet's flow.Key and flow.Layout (frames
//     shorter than an Ethernet header are dropped, as OVS).
//  2. EMC lookup (8192 entries, 2 candidate slots per key, whole-key
//     compare; skipped when emc-insert-inv-prob is 0).
//  3. On an EMC miss, the classifier of the packet's in_port: one
//     subtable per distinct mask, each an open-addressing table keyed by
//     the masked key and hashed over the mask's non-zero words only;
//     subtables are probed most-hit first and the first match wins
//     (megaflows do not overlap). A hit is inserted into the EMC with
//     probability 1/emc-insert-inv-prob.
//  4. On a miss, the Upcaller translates the key into a mask and actions
//     (the datapath forces in_port and recirc_id exact in every mask, as
//     OVS xlate_wc_init does); the megaflow (key&mask, mask, actions) is
//     installed in the worker's classifier unless the flow limit is
//     reached (then the packet is executed anyway and counted as lost).
//     Packets are handled in order, so later packets of the same batch
//     hit the new megaflow: one batch never installs duplicates. As in
//     OVS the packet that caused the upcall is not counted in the
//     megaflow's stats.
//  5. Actions run on each packet in receive order through flow.Packet's
//     methods. Output appends the frame to the output port's tx batch,
//     without copying it unless a later action of the same list modifies
//     the frame (then a copy goes to a per-worker copy buffer). Tunnel
//     and controller actions call hooks (TunnelHook, ControllerHook);
//     with no hook installed the packet (or its controller copy) is
//     dropped and counted. tunnel_pop recirculates the inner packet once.
//  6. Each output port gets one Port.Write per rx batch; per-megaflow
//     stats (packets, bytes, used, TCP flags) are updated once per flow
//     per batch; the worker's counters are published with one atomic add
//     per counter per batch.
//
// # Ownership, goroutines and locks
//
// Each Worker owns its EMC, its classifiers, every megaflow in them, its
// tx batches and its copy buffers. When the Datapath is started, each
// worker is one goroutine locked to an OS thread, running a poll loop over
// its rx ports (assigned round robin by AddPort). A round reads each port
// that may have frames: one whose last Read filled a whole batch, or that
// a non-blocking epoll_wait (a raw system call, no runtime involvement)
// reported readable; drained ports cost no read. After 50 µs without a
// frame the worker blocks in epoll_wait (unless Config.BusyPoll) and wakes
// on port readiness or on its control eventfd. The hot path takes no lock
// and does no atomic read-modify-write except the per-batch counter adds
// (per batch it also stores the worker's active flag twice and loads the
// revalidation generation once; see Revalidation guarantee).
//
// Control operations (AddPort, RemovePort, Revalidate, Flush, DumpFlows,
// Execute, Set*Hook, SetMaxIdle, SetEMCInsertInvProb) are serialised by
// Datapath.mu and executed by every owning worker between two batches:
// the request is queued (under the worker's small ctl mutex, never taken
// on the packet path), the worker is woken through its eventfd, and the
// caller waits for the worker's acknowledgement. On a Datapath that was
// not started, requests run directly on the caller's goroutine, which
// must then be the only one calling Worker.ProcessBatch.
//
// Counters (Stats, PMDStats, the prometheus Collector) and FlowCount are
// read with atomic loads and never wait for workers; Port.Stats is read
// at scrape time.
//
// Execute (OpenFlow PACKET_OUT) runs a list of actions on a copy of a
// frame as if received on a port, on worker 0 between two batches, with
// the same tx queues, copy buffers and hooks as received traffic; it
// neither looks up nor installs megaflows.
//
// # Revalidation guarantee
//
// Revalidate re-translates every megaflow with the Upcaller: a flow whose
// translation fails or whose new mask has a bit the installed one lacks is
// deleted; a flow whose actions changed gets the new actions in place. When
// Revalidate (or Flush) returns, no packet is or will be forwarded by a
// stale cached action, which is stronger than OVS. Flush runs on every
// worker between batches and returns after every worker has acknowledged.
// Revalidate is cheaper (OpenFlow clients send a barrier after every flow
// mod, each one a Revalidate): it bumps a revalidation generation, and
// every worker compares its own with it at the start of each batch and of
// each run of control requests, re-translating its flows first when it is
// behind. Revalidate waits only for the workers that are in the middle of a
// batch or of requests (their active flag, set before they read the
// generation: with sequentially consistent atomics one of the two sides
// sees the other's write); an idle worker catches up when a frame or a
// request wakes it, before it classifies anything, so dumps and traffic
// after Revalidate see the new actions. Until then FlowCount may still
// count flows that the re-translation will delete, and the work is not on
// the caller's clock (RevalidateCost reports the last worker revalidation's
// duration). Re-translations come from the flow's own worker with frameLen
// 0 and must have no side effects. Deleted megaflows are marked dead, so
// EMC entries still pointing at them miss; updated megaflows are shared by
// their EMC entries, so the very next batch uses the new actions. Flows
// installed by upcalls in batches after the request ran were translated
// after the caller's slow-path change.
//
// # Memory and allocation
//
// Batch-sized arrays (keys, packets, per-packet actions), the EMC and
// 2*BatchSize copy buffers are allocated once per worker. Processing a
// batch allocates nothing when every packet hits the EMC or a megaflow,
// for every action kind (tested with testing.AllocsPerRun); only a miss
// that installs a megaflow allocates (the flow, its actions, and at times
// a subtable or classifier). Frames handed to Port.Write point into the
// rx batch or the copy buffers and are valid only during Write. Idle
// megaflows (Config.MaxIdle, default 10 s) are removed by their worker at
// most every 100 ms of loop time; subtables are re-ranked every second.
package datapath
