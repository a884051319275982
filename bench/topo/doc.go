// Package topo builds govs-bench's lab topology out of network namespaces
// and veth pairs, and removes it:
//
//	ns gen:  GenDev ──veth── SwGenDev  ┐
//	                                   ├ ns switch (the switch under test)
//	ns sink: SinkDev ──veth── SwSinkDev ┘
//
// NewTunnel builds the tunnel lab instead: the sink's veth is in a second
// switch namespace, joined to the first by an underlay veth pair
// (MTU UnderlayMTU):
//
//	gen ── Switch ══ underlay veth ══ Switch2 ── sink
//
// The generator's veth has GenMAC. The sink's veth has SinkDevMAC, not
// SinkMAC, the address the generated frames are sent to: the sink reads
// them on a promiscuous socket, and for its kernel they are
// PACKET_OTHERHOST, which ip_rcv drops first thing. With its own address
// they were PACKET_HOST and the sink's IPv4 stack looked up a route for
// every frame (ip_route_input_slow, ip_error), in the softirq of the veth
// transmit, that is on the switch's sending thread: a cost charged to the
// switch under test (about 15 % of govs's rate at 64 B). The switches
// learn SinkMAC from the sink's learn frames, which carry it as source.
//
// Nothing is created in the host namespace. Names are a prefix, the pid
// and a sequence number, at most 15 bytes (IFNAMSIZ-1). Deleting a
// namespace deletes the veth ends in it, so Close only deletes the three
// namespaces. Every namespace created is also recorded in a process-wide
// registry so that a signal handler can remove whatever is left with
// CleanupAll.
//
// Commands run with a timeout (ExecTimeout). NS.Do runs a function on a
// fresh OS thread that joined the namespace, so sockets opened there
// belong to it; the thread is never reused. All functions are safe for
// concurrent use; a Topology is closed once. Nothing here is on a
// per-packet path.
package topo
