// Package header provides wire-format views over packet bytes, in the style
// of gVisor's tcpip/header: each protocol header is a named []byte type
// (Ethernet, VLAN, ARP, IPv4, IPv6, IPv6 extension headers, TCP, UDP, SCTP,
// ICMPv4, ICMPv6 and Neighbor Discovery) with named offset constants.
//
// Contract:
//
//   - Validate first, then access. Every view has an IsValid (or, for
//     variable-length headers, a length check such as IPv4.IsValid(pktLen))
//     that checks the slice is long enough for the fixed header and that
//     the length fields are consistent. Accessors after a successful check
//     are unchecked: on a slice that failed the check they may panic with
//     an index out of range, exactly as a slice access would. Nothing in
//     this package panics on a slice that passed its check.
//   - Views alias the caller's memory. They copy nothing and keep nothing;
//     a view is valid as long as the caller keeps the bytes alive and does
//     not reslice them shorter.
//   - Setters write in place. The ...WithChecksumUpdate setters update the
//     header's own checksum incrementally (RFC 1624); pseudo-header
//     checksums of upper layers are the caller's business (see
//     ChecksumUpdate16/ChecksumUpdate32).
//   - Nothing allocates. All functions are safe for concurrent use on
//     distinct memory; there are no locks and no package state except the
//     read-only CRC32c table.
package header
