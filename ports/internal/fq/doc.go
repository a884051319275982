// Package fq is the bounded in-memory frame queue behind ports/memport and
// ports/patch.
//
// A Queue holds at most Cap frames in buffers preallocated by New (one slab
// of Cap*ports.MaxFrameLen bytes); Push copies a frame in, Pop copies it out
// into a caller-owned ports.Batch at ports.Headroom. Nothing is retained
// from the caller's slices, and no method allocates after New.
//
// Locking: one mutex guards the ring and the wakeup state, taken once per
// batch call. Any goroutine may call any method.
//
// Wakeup: FD returns the read end of a non-blocking pipe that is readable
// exactly while the queue holds frames (level-triggered, like an eventfd
// used as a flag): the first push into an empty queue writes one byte, the
// pop that empties the queue reads it back. Both happen under the mutex, so
// the pipe state and the queue state never disagree. On systems without
// pipes (non-unix) FD returns -1.
package fq
