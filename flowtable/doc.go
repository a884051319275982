// Package flowtable holds the OpenFlow match model shared by the flow
// syntax (flowsyntax), the actions (ofpact), the classifier and, later, the
// NXM/OXM wire codecs.
//
// # Model
//
// A Match is the packet header fields as a masked flow.Key (Key + Mask,
// the datapath's 20-word key, so a classifier can do tuple-space search
// over masked words directly) plus the OpenFlow-only fields the datapath
// key does not carry: the OpenFlow in_port (PortNo, exact or wildcard),
// metadata, reg0..reg15 and the ND target. Match is fixed-size, has no
// pointers and is comparable with ==. Every setter keeps Key == Key&Mask.
//
// Fields are described once, in a registry of *Field (FieldByName, Fields):
// name and alias exactly as ovs-ofctl 3.1 spells them (eth_src/dl_src,
// tun_id/tunnel_id, ...), width, text syntax, maskability,
// prerequisites, and the OpenFlow protocols able to express an exact, CIDR
// or arbitrary mask (Protocols, OVS's "usable protocols"). Field.Get/Set
// read and write a field as a big-endian Value, which is what set_field,
// load, move and the NXM/OXM codecs need.
//
// Text: ParseFieldValue parses a field value with OVS mf_parse's syntax
// and error messages; AppendMatch prints a Match in OVS match_format's
// canonical order and spelling. Normalize clears fields whose
// prerequisites are not met (what encoding a match does), OF10RoundTrip
// and OXMRoundTrip apply the OpenFlow 1.0 and 1.2+ wire forms.
//
// # Supported and refused
//
// Supported match fields: in_port, eth_src/dst (dl_src/dst, masks),
// eth_type, vlan_tci (mask), dl_vlan, dl_vlan_pcp, vlan_vid (mask),
// vlan_pcp, ip_src/dst (nw_src/dst; prefix and arbitrary masks), nw_proto
// (ip_proto), nw_tos, ip_dscp, nw_ecn (ip_ecn), nw_ttl, ip_frag (nw_frag),
// tcp/udp/sctp src/dst (tp_src/tp_dst, masks), tcp_flags, icmp_type/code,
// icmpv6_type/code, arp_op/spa/tpa/sha/tha, ipv6_src/dst (masks),
// ipv6_label, nd_target, nd_sll, nd_tll, tun_id (tunnel_id), tun_src,
// tun_dst, metadata, reg0-reg15, and "reg0[a..b]=V" subfield matches;
// tun_metadata0..63 (Geneve options, tunmeta.go: value/mask of up to 32
// bytes each, at most 32 bytes and 8 fields per match, laid out by the
// bridge's TLV map once bound with Match.BindTunMetadata).
// nd_target has no slot in flow.Key, so the datapath cannot match it: a
// rule with a non-zero NDTargetMask must be handled on the slow path.
//
// Refused with an error naming the field ("...: field not supported by
// govs"): tun_metadata subfields (tun_metadata0[0..7]), xreg/xxreg, ct_*,
// pkt_mark, mpls_*, nsh_*, packet_type, dp_hash, recirc_id and the other
// OVS fields not listed above. Unknown names give OVS's own
// "unknown keyword NAME".
//
// # Contract
//
// Everything here is plain values or immutable registries; nothing holds a
// lock. Parsing and formatting run on the control path and may allocate,
// except AppendMatch, which allocates nothing when the buffer has room.
// Match.Matches is the per-packet test: it allocates nothing and is safe
// for concurrent use (tests prove 0 allocations).
package flowtable
