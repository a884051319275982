package datapath

import "govs/datapath/flow"

// Upcaller is the slow path: it translates a flow key that missed every
// cache into a megaflow.
//
// Upcall is called from worker goroutines, concurrently (misses, and the
// re-translations of a worker catching up with Revalidate), and from
// Revalidate itself for a worker that is not running. k is the full key of
// the packet (read-only). The Upcaller sets in mask every key bit it
// consulted (mask arrives zeroed; in_port and recirc_id are forced exact by
// the datapath) and appends the actions to *acts (arriving with length 0;
// it may reuse its capacity). It may allocate. It must not call back into
// the Datapath's control methods (Revalidate, Flush, AddPort, ...): they
// wait for the worker that is calling it.
//
// An error drops the packet (counted as an upcall error). The flow limit
// is the datapath's business: at the limit the packet is still executed
// with the returned actions, only not installed. The datapath copies the
// actions and never writes into a slice the Upcaller stored in *acts.
type Upcaller interface {
	Upcall(k *flow.Key, mask *flow.Key, acts *Actions) error
}

// ControllerHook receives packets sent by the userspace action. It runs on
// a worker goroutine in the middle of a batch: frame is valid only during
// the call (copy it to keep it), k is the packet's key as extracted at
// receive. It must not block for long and must not call the Datapath's
// control methods.
type ControllerHook interface {
	Controller(frame []byte, k *flow.Key, cookie uint64)
}

// TunnelHook encapsulates and decapsulates tunnel packets. It runs on a
// worker goroutine in the middle of a batch and must not allocate per
// packet or call the Datapath's control methods.
type TunnelHook interface {
	// Push encapsulates p in place, growing it into its headroom, with the
	// header the hook knows as data (the TunnelPush action's Arg) for
	// tunnel port tnlPort. false drops the packet.
	Push(p *flow.Packet, tnlPort flow.PortNo, data uint64) bool
	// Pop strips the tunnel header of p (received for tunnel port port)
	// in place and stores the tunnel metadata in tun's tunnel fields
	// (TunID, TunSrc, ... TunMetadata). false drops the packet. The inner
	// packet is then recirculated as received on port.
	Pop(p *flow.Packet, port flow.PortNo, tun *flow.Key) bool
}
