// Package tunnel is govs's Geneve (RFC 8926) and VXLAN (RFC 7348)
// support: header views and codecs, Interface option parsing, the
// per-bridge tunnel Table that is the datapath's TunnelHook, and the
// underlay port that carries encapsulated packets through the kernel.
//
// # Model (as OVS's userspace "native tunneling", ovs-facts §6)
//
// A tunnel Interface (type geneve or vxlan, options remote_ip, local_ip,
// key/in_key/out_key, dst_port, csum, tos, ttl, df_default) is an
// OpenFlow port of its bridge (a virtual Port: listed by the bridge, not
// a datapath port). All tunnel ports of one (type, dst_port) on a bridge
// share one hidden datapath port, the UnderlayPort genev_sys_6081 /
// vxlan_sys_4789, numbered from UnderlayPortBase (0xff10, above OpenFlow's
// OFPP_MAX, so no OpenFlow port can have it and dump-ports-desc does not
// show it).
//
//   - Output to a tunnel port: translation (ofproto/xlate) builds a Header
//     from the port's options and, for remote_ip=flow / local_ip=flow /
//     key=flow, the flow's tun_dst / tun_src / tun_id (un-wildcarding what
//     it read), interns it in the Table and emits
//     tnl_push(tnl_port(OFPORT),header(...),out_port(UNDERLAY)). The
//     datapath calls Table.Push, which writes the template into the
//     frame's headroom (ports.Headroom = 128 >= MaxHeaderLen) and fills in
//     the per-packet fields (Encap), then outputs to the underlay port.
//   - Input: the underlay port receives UDP payloads and rebuilds outer
//     Ethernet/IPv4/UDP headers in front of them; translation of a packet
//     on an underlay port addressed to its UDP port emits tnl_pop(UNDERLAY);
//     Table.Pop (Decap) strips the outer headers into the key's tunnel
//     fields and the datapath recirculates the inner frame as received
//     on the underlay port; translation then maps (underlay, tun_id,
//     tun_src, tun_dst) to the tunnel port as OVS's tnl_find (Table.Find:
//     exact key before key=flow, exact remote_ip before remote_ip=flow,
//     configured local_ip before none before local_ip=flow) and goes on
//     as if the packet had arrived on that port (NORMAL learns MACs on
//     tunnel ports like on any port; tables match tun_id, tun_src, tun_dst).
//
// # Headers
//
// Outer IPv4: DF set unless df_default=false, TTL 64 unless ttl (or
// inherit), TOS 0 unless tos (or inherit), IP id 0 (DF packets, RFC
// 6864; the raw socket fills it in); UDP source port from a hash of the inner flow in [32768, 61000)
// as OVS; UDP checksum 0 unless csum=true (then computed over the whole
// packet). Geneve: version 0, protocol 0x6558 (TEB), VNI = low 24 bits of
// the key, C bit set when an option type has 0x80, O bit from the flow's
// tun_flags oam (as OVS; a received O bit sets it); VXLAN: flags
// 0x08000000, VNI<<8. The outer Ethernet addresses are written as zero:
// the kernel routes the packet and resolves the next hop (see Underlay).
// Decap requires Ethernet/IPv4/UDP, not a fragment, coherent lengths, a
// verifying UDP checksum when it is non-zero, Geneve version 0 and
// protocol TEB with well-formed options, VXLAN flags exactly I and a zero
// reserved byte; it sets tun_id, tun_src/dst, tun_tos/ttl, tun_tp_src/dst
// and the flags key, df, csum, oam (and TunFlagGeneve). Anything else is
// counted by reason in Table.Stats and dropped.
//
// # Geneve options (TLV map)
//
// Each bridge has a TLV map (package tlv, set by SetTLV; ovs-ofctl
// add-tlv-map) assigning Geneve options (class, type, len) to the fields
// tun_metadata0..63 and each field a place in the key's 32-byte
// tun_metadata slot (flow.TunMetadataLen, words w16-w19). Decap
// (MapOptions) copies each received option the map has into its field's
// place and sets the field's presence bit (flow.TunFlagOptPresent << the
// field's first 4-byte chunk; OVS keeps a 64-bit present map, govs one bit
// per chunk, which is equivalent since a field owns its chunks). As OVS
// (tun_metadata_from_geneve__), an unmapped option is ignored unless its
// type has the critical bit 0x80: then the packet is dropped
// (critical_option); a mapped (class, type) with another length is
// dropped too (option_length). On output to a Geneve port, translation
// (BuildOptions) emits an option for every present mapped field, in field
// index order, from the slot, and the C bit is set when one of their
// types has 0x80; the header text then reads, as OVS's,
// geneve(crit,vni=0x5,options({class=0x102,type=0x80,len=4,0xa0b0c0d})).
// The option area is at most MaxOptionBytes (64).
//
// # Underlay
//
// UnderlayPort receives through a UDP socket bound to the port on every
// local address, with recvmmsg (a batch of 32), IP_PKTINFO (tun_dst),
// the sender address (tun_src), IP_RECVTOS and IP_RECVTTL; the kernel has
// already verified the UDP checksum, reassembled fragments, and it sends
// no ICMP port unreachable. It transmits through a raw IPv4 socket
// (IPPROTO_RAW, i.e. IP_HDRINCL) with sendmmsg: govs writes the whole
// IPv4/UDP/tunnel header, the kernel routes the packet and resolves the
// next-hop MAC. The source address for an unconfigured local_ip is the
// kernel route's (cached for 5 s). Both sockets live in the network
// namespace the daemon runs in. Only one bridge per daemon can use a
// given (type, dst_port) (the second bind fails with "Address already in
// use" in its Interface.error).
//
// # Oversize packets
//
// An inner frame is never truncated or fragmented. An encapsulated packet
// longer than 65535 bytes is dropped by Push (encap drop "oversize"); one
// longer than the route's MTU is refused by the kernel (EMSGSIZE), counted
// as a tx drop of the underlay port and in UnderlayPort.Oversize, and
// logged at most once a second ("tunnel packet larger than the underlay
// MTU dropped"). No ICMP "fragmentation needed" is generated: endpoints
// must use an MTU 50 bytes (Geneve without options, VXLAN) below the
// underlay's, as with OVS's userspace tunnels.
//
// # Concurrency, ownership, allocation
//
// Table: AddTunnel, RemoveTunnel and Close are control-plane calls (the
// reconciler's goroutine) serialised by Table.mu; they publish an
// immutable snapshot (atomic pointer) that Push, Pop, Find, Tunnel and
// Underlay read lock-free from datapath workers and upcalls. Intern (upcall
// path, may allocate) takes the header mutex and publishes a copy-on-write
// list; Push reads it with one atomic load. Interned headers live as long
// as the Table; at most MaxHeaders per bridge (then the translation drops
// the packet). Push and Pop allocate nothing (AllocsPerRun test) and touch
// only the frame and per-Table atomic counters. The Table owns the
// underlay ports: it adds them to the bridge's datapath and closes them
// when their last tunnel port goes (or on Close, after the bridge closed).
// UnderlayPort follows the ports.Port contract: Read on the owning worker,
// Write serialised by its own mutex, buffers prepared once.
package tunnel
