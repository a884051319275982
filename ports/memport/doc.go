// Package memport is an in-memory ports.Port for tests that need no root:
// frames a test Injects come out of Read, frames the switch Writes are
// collected for the test to Drain.
//
// Memory: New preallocates two bounded queues (receive and transmit) of
// capacity frames each, ports.MaxFrameLen bytes per frame. Inject, Read,
// Write and Drain copy frames in or out of caller-owned memory and never
// retain the caller's slices; none of them allocates (tested with
// testing.AllocsPerRun), except DrainFrames, which returns fresh copies.
//
// Bounds: a full receive queue drops injected frames (counted in
// RxDropped, as a kernel ring would); a full transmit queue drops written
// frames (TxDropped). Frames shorter than an Ethernet header or longer than
// ports.MaxFrameLen are counted as RxErrors (Inject) or TxErrors (Write).
//
// Concurrency: every method may be called from any goroutine; each queue
// has its own mutex, taken once per batch. Read never blocks.
//
// PollFD is the read end of a non-blocking pipe that is readable exactly
// while Read has frames to return (see internal/fq); TxPollFD is the same
// for frames waiting to be Drained. Counters are updated once per batch.
package memport
