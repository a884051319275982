// Package flow defines the datapath flow key and everything that works on
// one packet's headers: key extraction, in-place header rewrites and the
// OVS text form of a megaflow.
//
// # Key
//
// Key (key.go) is 20 fixed 64-bit words, comparable and pointer-free; the
// layout comment in key.go is the contract shared with the engine
// (package datapath) and the flow tables. A mask is a Key of the same
// layout.
//
// # Extract
//
// Extract(frame, inPort, &k, &l) fills k and a Layout l (header offsets)
// following OVS 3.1's miniflow_extract: Ethernet and 802.3/LLC (eth_type
// 0x05ff), up to MaxVLANs 0x8100/0x88a8 tags (ExtractVLANs takes OVS's
// other_config:vlan-limit; the datapath passes its configured limit, one
// compare per tag), ARP/RARP, IPv4, IPv6 and its
// extension headers (hop-by-hop, routing, destination options, AH,
// fragment), TCP, UDP, SCTP, ICMPv4, IGMP, ICMPv6 and Neighbor Discovery.
// Not keyed (no Key field): the ND target address, ND reserved/option-type
// bits, the IGMP group, MPLS, NSH, conntrack state. Extract reads frame only
// during the call, never retains it, never panics on any input and never
// allocates. It returns false (and sets KeyFlagTruncated) for malformed or
// truncated frames; the key then holds what was parsed before the problem.
//
// # Packet
//
// Packet is a frame inside a caller-owned buffer with headroom plus its
// Layout. Its methods (PushVLAN, PopVLAN, SetEth*, SetIPv4*, DecTTL,
// SetTp*) rewrite the frame in place, update the IPv4, TCP, UDP, ICMP
// checksums incrementally (RFC 1624) and the SCTP CRC32c, and move
// Off/Len/Layout when the length changes. They check the bytes they touch,
// so a wrong Layout or a missing header makes them no-ops rather than
// panics. They allocate nothing and take no locks: a Packet belongs to one
// goroutine (the worker processing its batch).
//
// # Text form
//
// AppendKeyMask appends the `ovs-appctl dpctl/dump-flows` text of a
// key/mask pair exactly as OVS 3.1 prints it (golden lines captured from a
// real ovs-vswitchd are in odpformat_test.go). It allocates nothing when
// the destination buffer is large enough. Key.String is a debugging
// helper built on it that does allocate.
package flow
