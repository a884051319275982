// Package patch implements OVS patch ports: two ports.Port values joined
// back to back, so that frames one bridge Writes to its end come out of
// the other bridge's Read on the peer end.
//
// Memory: each end owns a bounded receive queue of capacity frames,
// preallocated by Pair (ports.MaxFrameLen bytes per frame). Write copies
// frames from the caller's batch into the peer's queue; Read copies them
// out into the caller's batch at ports.Headroom. Neither retains the
// caller's memory or allocates (tested with testing.AllocsPerRun).
//
// Bounds: when the peer's queue is full the frames are dropped and counted
// in the writer's TxDropped (a patch port in OVS never drops, because the
// peer bridge is processed inline; ours are decoupled so that each bridge
// keeps its own poll loop). Frames shorter than an Ethernet header or
// longer than ports.MaxFrameLen count as TxErrors.
//
// Lifetime: closing one end makes its own Read and Write return
// ports.ErrClosed; Writes on the other end then drop their frames
// (TxDropped) and return 0, nil, as a patch port whose peer is missing.
//
// Concurrency: every method may be called from any goroutine; each queue
// has its own mutex, taken once per batch. PollFD is the read end of a
// non-blocking pipe, readable exactly while Read has frames (internal/fq).
package patch
