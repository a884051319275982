// Package netnstest gives tests private network namespaces: New creates a
// named namespace (deleted by tb.Cleanup) with loopback up and IPv6
// disabled, Exec and Command run commands in it, Do runs a function on a
// fresh OS thread that has joined it (so sockets and devices the function
// creates belong to the namespace), and Veth wires two namespaces.
//
// Contract:
//   - Names are a prefix, the pid and a per-process sequence number, cut
//     to the 15 bytes an interface name may have (UniqueName).
//   - No link, address or route of the host namespace is touched; Veth
//     creates the pair inside one namespace and moves the peer straight
//     into the other.
//   - IPv6 is disabled in every namespace New makes (all and default) and
//     on both ends of every Veth, so no router or neighbour solicitation
//     adds frames to exact counts.
//   - Every command is bounded (10 s); without root or without the ip
//     tool, Require and New skip the test.
//
// It is the one copy of these helpers for ports, datapath
// (datapath/datapathtest) and the rest of the tree. Only tests and
// test-support packages import it; it allocates freely.
package netnstest
