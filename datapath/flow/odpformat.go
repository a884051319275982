package flow

import "govs/datapath/header"

// AppendKeyMask appends the OVS 3.1 `ovs-appctl dpctl/dump-flows` text of a
// megaflow key k with mask m (without stats and actions) to b and returns
// the extended buffer, e.g.
//
//	recirc_id(0),in_port(2),packet_type(ns=0,id=0),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1/255.0.0.0,proto=6,frag=no),tcp(dst=80)
//
// It follows lib/odp-util.c (odp_flow_key_from_flow + odp_flow_format,
// non-verbose): attributes whose mask is all zero are omitted, fields with a
// zero mask are omitted inside an attribute, and a partial mask is printed
// as value/mask. VLAN tags print as eth_type(tpid),vlan(...),encap(...);
// non-Ethernet-II frames as eth_type(0/0xffff). packet_type(ns=0,id=0) is
// always printed (every govs packet is Ethernet, as in the netdev datapath).
// portName maps in_port to a name; nil or "" means print the number.
//
// Not printed (no Key field): skb_priority, skb_mark, ct_*, dp_hash, the
// ND target, nd_ext, and Geneve options inside tunnel(...) (their layout
// depends on the tunnel port's TLV map).
//
// It does not allocate when b has enough capacity (a 512-byte buffer holds
// any non-tunnel key) and portName does not allocate.
func AppendKeyMask(b []byte, k, m *Key, portName func(PortNo) string) []byte {
	w := odpWriter{b: b, first: true}
	if k.Flags()&KeyFlagTunnel != 0 && m.tunnelMasked() {
		w.tunnel(k, m)
	}
	if m.RecircID() != 0 {
		w.open("recirc_id")
		w.hexC(uint64(k.RecircID()))
		if mr := m.RecircID(); mr != ^uint32(0) {
			w.b = append(w.b, '/')
			w.hexC(uint64(mr))
		}
		w.close()
	}
	if mp := m.InPort(); mp != 0 {
		w.open("in_port")
		w.port(k.InPort(), mp, portName)
		w.close()
	}
	w.open("packet_type")
	w.b = append(w.b, "ns=0,id=0"...)
	w.close()
	if m.W[wEthSrc]>>macShift != 0 || m.W[wEthDst]>>macShift != 0 {
		w.open("eth")
		w.mac("src", k.EthSrc(), m.EthSrc())
		w.mac("dst", k.EthDst(), m.EthDst())
		w.close()
	}
	w.vlanLevel(k, m, 0)
	return w.b
}

// tunnelMasked reports whether any tunnel field is matched.
func (m *Key) tunnelMasked() bool {
	for i := wTunID; i < KeyWords; i++ {
		if m.W[i] != 0 {
			return true
		}
	}
	return false
}

// vlanLevel prints the VLAN tag i (and, nested in encap(), everything
// inside it) or, after the last tag, the ethertype and L3/L4 attributes,
// as odp_flow_key_from_flow's encapsulation loop.
func (w *odpWriter) vlanLevel(k, m *Key, i int) {
	dl := k.EthType()
	if i < MaxVLANs {
		tpid, tci := k.VLAN(i)
		_, mtci := m.VLAN(i)
		if tci == 0 && header.IsVLANTPID(dl) {
			tpid = dl // truncated tag: the TPID is all there is
		}
		if tci != 0 || header.IsVLANTPID(dl) {
			w.open("eth_type")
			w.hex04(tpid)
			w.close()
			if mtci != 0 {
				w.open("vlan")
				w.vlanTCI(tci, mtci)
				w.close()
			}
			w.open("encap")
			w.first = true
			if tci != 0 {
				w.vlanLevel(k, m, i+1)
			}
			w.b = append(w.b, ')')
			w.first = false
			return
		}
	}
	mdl := m.EthType()
	if dl < header.EtherTypeMin {
		if mdl != 0 {
			w.open("eth_type")
			w.b = append(w.b, "0/"...)
			w.hex04(mdl)
			w.close()
		}
		return
	}
	if mdl != 0 {
		w.open("eth_type")
		w.hex04(dl)
		if mdl != full16 {
			w.b = append(w.b, '/')
			w.hex04(mdl)
		}
		w.close()
	}
	switch dl {
	case header.EtherTypeIPv4:
		w.ipv4(k, m)
		w.l4(k, m, false)
	case header.EtherTypeIPv6:
		w.ipv6(k, m)
		w.l4(k, m, true)
	case header.EtherTypeARP, header.EtherTypeRARP:
		w.arp(k, m)
	}
}

// fragMask converts a key nw_frag mask to the ODP enum mask: all or
// nothing, depending on FragAny (ovs_to_odp_frag).
func fragMask(m uint8) uint8 {
	if m&FragAny != 0 {
		return 0xff
	}
	return 0
}

func (w *odpWriter) ipv4(k, m *Key) {
	mf := fragMask(m.NwFrag())
	if m.W[wIPv4] == 0 && m.NwProto() == 0 && m.NwTos() == 0 && m.NwTTL() == 0 && mf == 0 {
		return
	}
	w.open("ipv4")
	w.ip4("src", k.IPv4Src(), m.IPv4Src())
	w.ip4("dst", k.IPv4Dst(), m.IPv4Dst())
	w.u8u("proto", k.NwProto(), m.NwProto())
	w.u8x("tos", k.NwTos(), m.NwTos())
	w.u8u("ttl", k.NwTTL(), m.NwTTL())
	w.frag(k.NwFrag(), mf)
	w.close()
}

func (w *odpWriter) ipv6(k, m *Key) {
	mf := fragMask(m.NwFrag())
	if m.W[wIPv6Src]|m.W[wIPv6Src+1]|m.W[wIPv6Dst]|m.W[wIPv6Dst+1] == 0 && m.IPv6Label() == 0 &&
		m.NwProto() == 0 && m.NwTos() == 0 && m.NwTTL() == 0 && mf == 0 {
		return
	}
	w.open("ipv6")
	w.ip6("src", k.IPv6Src(), m.IPv6Src())
	w.ip6("dst", k.IPv6Dst(), m.IPv6Dst())
	if ml := m.IPv6Label(); ml != 0 {
		w.b = append(w.b, "label="...)
		w.hexC(uint64(k.IPv6Label()))
		if ml&header.IPv6LabelMask != header.IPv6LabelMask {
			w.b = append(w.b, '/')
			w.hexC(uint64(ml))
		}
		w.b = append(w.b, ',')
	}
	w.u8u("proto", k.NwProto(), m.NwProto())
	w.u8x("tclass", k.NwTos(), m.NwTos())
	w.u8u("hlimit", k.NwTTL(), m.NwTTL())
	w.frag(k.NwFrag(), mf)
	w.close()
}

// arpOpFull is the key mask of an exactly matched ARP opcode: the key holds
// its low 8 bits in nw_proto.
const arpOpFull = 0xff

func (w *odpWriter) arp(k, m *Key) {
	if m.W[wIPv4] == 0 && m.NwProto() == 0 && m.W[wArpSha]>>macShift == 0 && m.W[wArpTha]>>macShift == 0 {
		return
	}
	w.open("arp")
	w.ip4("sip", k.IPv4Src(), m.IPv4Src())
	w.ip4("tip", k.IPv4Dst(), m.IPv4Dst())
	if mo := m.NwProto(); mo != 0 {
		w.b = append(w.b, "op="...)
		w.dec(uint64(k.NwProto()))
		if mo != arpOpFull {
			w.b = append(w.b, '/')
			w.hexC(uint64(mo))
		}
		w.b = append(w.b, ',')
	}
	w.mac("sha", k.ArpSha(), m.ArpSha())
	w.mac("tha", k.ArpTha(), m.ArpTha())
	w.close()
}

// ICMP type/code live in 16-bit tp fields; ODP has 8-bit ones.
const (
	u8Mask    = 0xff
	full16    = 0xffff
	tcpFlagsM = 0x0fff
)

func (w *odpWriter) l4(k, m *Key, v6 bool) {
	if k.NwFrag()&FragLater != 0 {
		return
	}
	src, dst, msrc, mdst := k.TpSrc(), k.TpDst(), m.TpSrc(), m.TpDst()
	switch k.NwProto() {
	case header.ProtoTCP:
		w.ports("tcp", src, dst, msrc, mdst)
		if mf := m.TCPFlags(); mf != 0 {
			w.open("tcp_flags")
			w.tcpFlags(k.TCPFlags(), mf)
			w.close()
		}
	case header.ProtoUDP:
		w.ports("udp", src, dst, msrc, mdst)
	case header.ProtoSCTP:
		w.ports("sctp", src, dst, msrc, mdst)
	case header.ProtoICMPv4:
		if !v6 {
			w.icmp("icmp", src, dst, msrc, mdst)
		}
	case header.ProtoICMPv6:
		if !v6 {
			return
		}
		w.icmp("icmpv6", src, dst, msrc, mdst)
		if dst == 0 && (src == uint16(header.ICMPv6NeighborSolicit) || src == uint16(header.ICMPv6NeighborAdvert)) &&
			(m.W[wArpSha]>>macShift != 0 || m.W[wArpTha]>>macShift != 0) {
			w.open("nd")
			w.mac("sll", k.ArpSha(), m.ArpSha())
			w.mac("tll", k.ArpTha(), m.ArpTha())
			w.close()
		}
	}
}

func (w *odpWriter) ports(name string, src, dst, msrc, mdst uint16) {
	if msrc == 0 && mdst == 0 {
		return
	}
	w.open(name)
	w.be16("src", src, msrc)
	w.be16("dst", dst, mdst)
	w.close()
}

func (w *odpWriter) icmp(name string, typ, code, mtyp, mcode uint16) {
	mt, mc := uint8(mtyp&u8Mask), uint8(mcode&u8Mask)
	if mt == 0 && mc == 0 {
		return
	}
	w.open(name)
	w.u8u("type", uint8(typ), mt)
	w.u8u("code", uint8(code), mc)
	w.close()
}
