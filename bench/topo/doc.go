// Package topo builds govs-bench's lab topology out of network namespaces
// and veth pairs, and removes it:
//
//	ns gen:  GenDev ──veth── SwGenDev  ┐
//	                                   ├ ns switch (the switch under test)
//	ns sink: SinkDev ──veth── SwSinkDev ┘
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
