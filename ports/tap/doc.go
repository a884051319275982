// Package tap implements ports.Port over Linux TAP devices: the bridge's
// LOCAL port (type "internal", a TAP named like the bridge) and "tap"
// interfaces.
//
// # Device lifetime
//
// Open creates the TAP device with github.com/songgao/water (TUNSETIFF,
// IFF_TAP|IFF_NO_PI), or attaches to an existing persistent TAP of that
// name. A device we created is not persistent, and Close clears
// TUNSETPERSIST before closing the descriptor, so it disappears with the
// port (and with the daemon, even when it crashes); a device that existed
// before Open is left as it was. With Options.Up (OpenInternal sets it)
// the device is brought administratively up, as the bridge's internal
// port is.
//
// # I/O
//
// The descriptor is non-blocking (O_NONBLOCK is set explicitly). Read
// loops readv(2) into the caller's batch buffers at ports.Headroom until
// EAGAIN or the batch is full; Write issues one write(2) per frame: a TAP
// without IFF_VNET_HDR has no batched write (water does not set vnet
// headers; see style-anchors §2.2 for the offload path it would need).
// When the device queue is full (EAGAIN) the rest of the batch is dropped
// and counted in TxDropped. A TAP read cuts a frame longer than the
// buffer silently, so Read uses readv(2) with a one-byte overflow iovec
// after the buffer: a frame that reaches it is dropped and counted in
// RxErrors, never returned cut. Our own writes never come back to Read (they go to the
// host stack).
//
// # Concurrency and allocation
//
// Read is called by one goroutine at a time (the poll loop that owns the
// port); Write by any goroutine (serialised by a mutex); Stats, Features,
// PollFD and Close by any goroutine. Read and Write do not allocate
// (tested with testing.AllocsPerRun in a network namespace) and keep no
// reference to the batch. Counters are updated once per batch. PollFD is
// the TAP descriptor, readable while frames are queued, valid until Close.
//
// Features reports the choices made, e.g.
// "rx=read-loop tx=write-per-frame vnet_hdr=off created=yes up=yes".
package tap
