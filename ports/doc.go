// Package ports defines the contract between the datapath and its network
// ports, and holds what every port implementation shares.
//
// A Port moves Ethernet frames a Batch at a time (up to BatchSize = 32,
// OVS's NETDEV_MAX_BURST). The caller owns the Batch and its buffers: Read
// copies frames into b.Bufs[i] at Off[i] = Headroom (so actions can push
// headers without moving the payload) and never blocks; Write sends frames
// from b and keeps no reference to it. Read is called by one goroutine at
// a time; Write may be called from any goroutine (implementations
// serialise it); Stats and Close from any goroutine. PollFD becomes
// readable when Read has frames, for poll/epoll based idle loops.
// Implementations update Counters once per batch and do not allocate per
// batch.
//
// Errors from opening a device are *OpenError values whose message is the
// one OVS stores in Interface.error ("could not open network device X (No
// such device)").
//
// Implementations: ports/afpacket (AF_PACKET on any netdev), ports/afxdp
// (AF_XDP on rx queue 0 of a netdev, for type=afxdp), ports/tap
// (internal and tap ports), ports/patch (patch port pairs) and
// ports/memport (in-memory, for tests).
package ports
