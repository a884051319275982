// Package datapathtest is test support for end-to-end datapath tests: it
// builds a three-namespace lab (two hosts, A and B, each wired by a veth
// pair to a private "switch" namespace), opens AF_PACKET ports inside any
// of those namespaces, builds raw Ethernet frames and captures frames with
// a bounded wait.
//
// # Contract
//
//   - Everything it creates is named with a prefix, the pid and a sequence
//     number (at most 15 bytes, the interface-name limit) and is removed by
//     tb.Cleanup, also when the test fails. Namespaces are deleted last, so
//     the veths inside them go with them.
//   - No link, address or route of the host namespace is touched: veths are
//     created inside the switch namespace and their peers moved straight
//     into the host namespaces A and B. Sockets are opened on a fresh OS
//     thread that has joined the namespace (see NS.Do); that thread is never
//     reused.
//   - IPv6 is disabled in every namespace (all and default), so no router
//     or neighbour solicitation adds frames to exact counts.
//   - Every wait is bounded by a timeout given by the caller.
//   - Without root or without the ip tool, NewLab skips the test (the
//     namespaces come from internal/netnstest).
//
// It allocates freely and is never used outside tests; the frames it
// returns are fresh slices owned by the caller.
package datapathtest
