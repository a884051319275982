package flowtable

import (
	"strconv"
	"strings"

	"govs/datapath/flow"
)

// Field registry. Order does not matter; lookups go through fieldByName.
var (
	FieldInPort, FieldMetadata, FieldTunID, FieldTunSrc, FieldTunDst     *Field
	FieldTunFlags                                                        *Field
	FieldEthSrc, FieldEthDst, FieldEthType, FieldVLANTCI, FieldDLVLAN    *Field
	FieldVLANVID, FieldDLVLANPCP, FieldVLANPCP, FieldIPSrc, FieldIPDst   *Field
	FieldIPv6Src, FieldIPv6Dst, FieldIPv6Label, FieldNwProto, FieldNwTos *Field
	FieldIPDSCP, FieldNwECN, FieldNwTTL, FieldIPFrag, FieldARPOp         *Field
	FieldARPSPA, FieldARPTPA, FieldARPSHA, FieldARPTHA, FieldTCPSrc      *Field
	FieldTCPDst, FieldTCPFlags, FieldUDPSrc, FieldUDPDst, FieldSCTPSrc   *Field
	FieldSCTPDst, FieldICMPType, FieldICMPCode, FieldICMPv6Type          *Field
	FieldICMPv6Code, FieldNDTarget, FieldNDSLL, FieldNDTLL               *Field
	FieldRegs                                                            [NumRegs]*Field
	FieldXRegs                                                           [NumRegs / 2]*Field
	allFields                                                            []*Field
	fieldByName                                                          map[string]*Field
)

// FieldByName finds a field by its name or alias (mf_from_name).
func FieldByName(name string) *Field { return fieldByName[name] }

// Fields returns every supported field.
func Fields() []*Field { return allFields }

// unsupportedFields are OVS 3.1 field names govs recognises but cannot
// match on; they are refused with a clear error instead of "unknown keyword".
var unsupportedFields = map[string]bool{
	"dp_hash": true, "recirc_id": true, "packet_type": true, "conj_id": true,
	"tun_ipv6_src": true, "tun_ipv6_dst": true, "tun_ttl": true,
	"tun_tos": true, "tun_gbp_id": true, "tun_gbp_flags": true,
	"tun_erspan_idx": true, "tun_erspan_ver": true, "tun_erspan_dir": true,
	"tun_erspan_hwid": true, "tun_gtpu_flags": true, "tun_gtpu_msgtype": true,
	"in_port_oxm": true, "actset_output": true, "skb_priority": true,
	"pkt_mark": true, "ct_state": true, "ct_zone": true, "ct_mark": true,
	"ct_label": true, "ct_nw_proto": true, "ct_nw_src": true, "ct_nw_dst": true,
	"ct_ipv6_src": true, "ct_ipv6_dst": true, "ct_tp_src": true, "ct_tp_dst": true,
	"mpls_label": true, "mpls_tc": true, "mpls_bos": true, "mpls_ttl": true,
	"nd_reserved": true, "nd_options_type": true, "nsh_flags": true,
	"nsh_mdtype": true, "nsh_np": true, "nsh_spi": true, "nsp": true,
	"nsh_si": true, "nsi": true, "nsh_ttl": true, "eth": true,
	"dl_vlan1": true, "vlan_tci1": true, "dl_vlan_pcp1": true,
}

// UnsupportedFieldError reports whether name is an OVS field govs refuses,
// returning the error to show.
func UnsupportedFieldError(name string) error {
	lower := name
	switch {
	case strings.HasPrefix(lower, "tun_metadata") && strings.IndexByte(lower, '[') >= 0:
		return errorf("%s: subfields of tun_metadata are not supported by govs (match the whole field with a mask)", name)
	case lower == "xxreg0" || lower == "xxreg1" || lower == "xxreg2" || lower == "xxreg3" || strings.HasPrefix(lower, "nsh_c"):
		return errorf("%s: field not supported by govs", name)
	case unsupportedFields[lower]:
		return errorf("%s: field not supported by govs", name)
	}
	return nil
}

func register(f *Field) *Field {
	allFields = append(allFields, f)
	return f
}

// keyU16 builds get/set for a 16-bit Key field with the given accessors.
func keyU16(get func(k *flowKey) uint16, set func(k *flowKey, x uint16)) (func(*Match) (Value, Value), func(*Match, Value, Value)) {
	return func(m *Match) (Value, Value) { return pU16(get(&m.Key)), pU16(get(&m.Mask)) },
		func(m *Match, v, mk Value) {
			set(&m.Mask, vU16(mk))
			set(&m.Key, vU16(v)&vU16(mk))
		}
}

func keyU8(get func(k *flowKey) uint8, set func(k *flowKey, x uint8)) (func(*Match) (Value, Value), func(*Match, Value, Value)) {
	return func(m *Match) (Value, Value) { return pU8(get(&m.Key)), pU8(get(&m.Mask)) },
		func(m *Match, v, mk Value) {
			set(&m.Mask, vU8(mk))
			set(&m.Key, vU8(v)&vU8(mk))
		}
}

func keyU32(get func(k *flowKey) uint32, set func(k *flowKey, x uint32)) (func(*Match) (Value, Value), func(*Match, Value, Value)) {
	return func(m *Match) (Value, Value) { return pU32(get(&m.Key)), pU32(get(&m.Mask)) },
		func(m *Match, v, mk Value) {
			set(&m.Mask, vU32(mk))
			set(&m.Key, vU32(v)&vU32(mk))
		}
}

func keyMAC(get func(k *flowKey) [6]byte, set func(k *flowKey, x [6]byte)) (func(*Match) (Value, Value), func(*Match, Value, Value)) {
	return func(m *Match) (Value, Value) { return pMAC(get(&m.Key)), pMAC(get(&m.Mask)) },
		func(m *Match, v, mk Value) {
			set(&m.Mask, vMAC(mk))
			set(&m.Key, and6(vMAC(v), vMAC(mk)))
		}
}

func keyIPv6(get func(k *flowKey) [16]byte, set func(k *flowKey, x [16]byte)) (func(*Match) (Value, Value), func(*Match, Value, Value)) {
	return func(m *Match) (Value, Value) { return pIPv6(get(&m.Key)), pIPv6(get(&m.Mask)) },
		func(m *Match, v, mk Value) {
			set(&m.Mask, vIPv6(mk))
			set(&m.Key, and16(vIPv6(v), vIPv6(mk)))
		}
}

func vlanTCI(k *flowKey) uint16 { _, t := k.VLAN(0); return t }
func setVLANTCI(k *flowKey, t uint16) {
	tpid, _ := k.VLAN(0)
	k.SetVLAN(0, tpid, t)
}

func nwTos(k *flowKey) uint8 { return k.NwTos() }

func init() {
	newF := func(f Field) *Field { return register(&f) }
	num := func(name, alias, nxm string, bytes, bits int, kind FieldKind, maskable bool, pre Prereq, ex, cidr, bw Protocols,
		g func(*Match) (Value, Value), s func(*Match, Value, Value)) *Field {
		return newF(Field{Name: name, Alias: alias, NXMName: nxm, Bytes: bytes, Bits: bits, Kind: kind,
			Maskable: maskable, Writable: true, Prereq: pre, Exact: ex, CIDR: cidr, Bitwise: bw, get: g, set: s})
	}
	const (
		any   = ProtoAny
		nxox  = ProtoNXMOXMAny
		of11u = ProtoNXMOF11Up
		none  = ProtoNone
	)

	FieldInPort = num("in_port", "", "NXM_OF_IN_PORT", 2, 16, KindOFPort, false, PrereqNone, any, none, none,
		func(m *Match) (Value, Value) { return pU16(uint16(m.InPort)), pU16(uint16(m.InPortMask)) },
		func(m *Match, v, mk Value) {
			m.InPortMask = PortNo(vU16(mk))
			m.InPort = PortNo(vU16(v)) & m.InPortMask
		})
	FieldMetadata = num("metadata", "", "OXM_OF_METADATA", 8, 64, KindHex, true, PrereqNone, of11u, of11u, of11u,
		func(m *Match) (Value, Value) { return pU64(m.Metadata), pU64(m.MetadataMask) },
		func(m *Match, v, mk Value) {
			m.MetadataMask = vU64(mk)
			m.Metadata = vU64(v) & m.MetadataMask
		})
	for i := range FieldRegs {
		i := i
		FieldRegs[i] = num("reg"+strconv.Itoa(i), "", "NXM_NX_REG"+strconv.Itoa(i), 4, 32, KindHex, true, PrereqNone, nxox, nxox, nxox,
			func(m *Match) (Value, Value) { return pU32(m.Regs[i]), pU32(m.RegMasks[i]) },
			func(m *Match, v, mk Value) {
				m.RegMasks[i] = vU32(mk)
				m.Regs[i] = vU32(v) & m.RegMasks[i]
			})
	}
	for i := range FieldXRegs {
		hi, lo := 2*i, 2*i+1
		FieldXRegs[i] = num("xreg"+strconv.Itoa(i), "", "OXM_OF_PKT_REG"+strconv.Itoa(i), 8, 64, KindHex, true, PrereqNone, nxox, nxox, nxox,
			func(m *Match) (Value, Value) {
				return pU64(uint64(m.Regs[hi])<<32 | uint64(m.Regs[lo])),
					pU64(uint64(m.RegMasks[hi])<<32 | uint64(m.RegMasks[lo]))
			},
			func(m *Match, v, mk Value) {
				x, w := vU64(v)&vU64(mk), vU64(mk)
				m.Regs[hi], m.Regs[lo] = uint32(x>>32), uint32(x)
				m.RegMasks[hi], m.RegMasks[lo] = uint32(w>>32), uint32(w)
			})
	}
	g, s := func(m *Match) (Value, Value) { return pU64(m.Key.TunID()), pU64(m.Mask.TunID()) },
		func(m *Match, v, mk Value) { m.Mask.SetTunID(vU64(mk)); m.Key.SetTunID(vU64(v) & vU64(mk)) }
	FieldTunID = num("tun_id", "tunnel_id", "NXM_NX_TUN_ID", 8, 64, KindHex, true, PrereqNone, nxox, nxox, nxox, g, s)
	g, s = keyU32((*flowKey).TunSrc, (*flowKey).SetTunSrc)
	FieldTunSrc = num("tun_src", "", "NXM_NX_TUN_IPV4_SRC", 4, 32, KindIPv4, true, PrereqNone, nxox, nxox, nxox, g, s)
	g, s = keyU32((*flowKey).TunDst, (*flowKey).SetTunDst)
	FieldTunDst = num("tun_dst", "", "NXM_NX_TUN_IPV4_DST", 4, 32, KindIPv4, true, PrereqNone, nxox, nxox, nxox, g, s)
	// tun_flags: OVS's public tunnel flags (only oam, FLOW_TNL_PUB_F_OAM =
	// 1), stored in the key as flow.TunFlagOAM; Geneve output copies it
	// into the O bit, as OVS.
	FieldTunFlags = num("tun_flags", "", "NXM_NX_TUN_FLAGS", 2, 1, KindTunFlags, true, PrereqNone, nxox, nxox, nxox,
		func(m *Match) (Value, Value) {
			return pU16(TunFlagsPublic(m.Key.TunFlags())), pU16(TunFlagsPublic(m.Mask.TunFlags()))
		},
		func(m *Match, v, mk Value) {
			pm := keyTunFlags(vU16(mk))
			m.Mask.SetTunFlags(m.Mask.TunFlags()&^flow.TunFlagOAM | pm)
			m.Key.SetTunFlags(m.Key.TunFlags()&^flow.TunFlagOAM | keyTunFlags(vU16(v))&pm)
		})

	g, s = keyMAC((*flowKey).EthSrc, (*flowKey).SetEthSrc)
	FieldEthSrc = num("eth_src", "dl_src", "NXM_OF_ETH_SRC", 6, 48, KindEthernet, true, PrereqEthernet, any, of11u, of11u, g, s)
	g, s = keyMAC((*flowKey).EthDst, (*flowKey).SetEthDst)
	FieldEthDst = num("eth_dst", "dl_dst", "NXM_OF_ETH_DST", 6, 48, KindEthernet, true, PrereqEthernet, any, of11u, of11u, g, s)
	g, s = keyU16((*flowKey).EthType, (*flowKey).SetEthType)
	FieldEthType = num("eth_type", "dl_type", "NXM_OF_ETH_TYPE", 2, 16, KindHex, false, PrereqEthernet, any, none, none, g, s)
	FieldEthType.Writable = false

	g, s = keyU16(vlanTCI, setVLANTCI)
	FieldVLANTCI = num("vlan_tci", "", "NXM_OF_VLAN_TCI", 2, 16, KindHex, true, PrereqEthernet, any, nxox, nxox, g, s)
	FieldDLVLAN = num("dl_vlan", "", "", 2, 12, KindDecimal, false, PrereqEthernet, any, none, none,
		func(m *Match) (Value, Value) {
			return pU16(vlanTCI(&m.Key) & VLANVIDMask), pU16(vlanTCI(&m.Mask) & VLANVIDMask)
		},
		func(m *Match, v, mk Value) {
			if vU16(mk) == 0 {
				setVLANTCI(&m.Mask, vlanTCI(&m.Mask)&^(VLANVIDMask))
				setVLANTCI(&m.Key, vlanTCI(&m.Key)&^(VLANVIDMask))
				return
			}
			m.setDLVLAN(vU16(v))
		})
	FieldVLANVID = num("vlan_vid", "", "OXM_OF_VLAN_VID", 2, 12, KindDecimal, true, PrereqEthernet, any, nxox, nxox,
		func(m *Match) (Value, Value) {
			return pU16(vlanTCI(&m.Key) & (VLANVIDMask | VLANCFI)), pU16(vlanTCI(&m.Mask) & (VLANVIDMask | VLANCFI))
		},
		func(m *Match, v, mk Value) { m.setVLANVIDMasked(vU16(v), vU16(mk)) })
	pcpGet := func(m *Match) (Value, Value) {
		return pU8(uint8(vlanTCI(&m.Key) >> VLANPCPShift)), pU8(uint8(vlanTCI(&m.Mask)>>VLANPCPShift) & 7)
	}
	pcpSet := func(m *Match, v, mk Value) {
		if vU8(mk) == 0 {
			setVLANTCI(&m.Mask, vlanTCI(&m.Mask)&^VLANPCPMask)
			setVLANTCI(&m.Key, vlanTCI(&m.Key)&^VLANPCPMask)
			return
		}
		m.setVLANPCP(vU8(v))
	}
	FieldDLVLANPCP = num("dl_vlan_pcp", "", "", 1, 3, KindDecimal, false, PrereqEthernet, any, none, none, pcpGet, pcpSet)
	FieldVLANPCP = num("vlan_pcp", "", "OXM_OF_VLAN_PCP", 1, 3, KindDecimal, false, PrereqVLANVID, any, none, none, pcpGet, pcpSet)

	g, s = keyU32((*flowKey).IPv4Src, (*flowKey).SetIPv4Src)
	FieldIPSrc = num("ip_src", "nw_src", "NXM_OF_IP_SRC", 4, 32, KindIPv4, true, PrereqIPv4, any, any, of11u, g, s)
	FieldARPSPA = num("arp_spa", "", "NXM_OF_ARP_SPA", 4, 32, KindIPv4, true, PrereqARP, any, any, of11u, g, s)
	g, s = keyU32((*flowKey).IPv4Dst, (*flowKey).SetIPv4Dst)
	FieldIPDst = num("ip_dst", "nw_dst", "NXM_OF_IP_DST", 4, 32, KindIPv4, true, PrereqIPv4, any, any, of11u, g, s)
	FieldARPTPA = num("arp_tpa", "", "NXM_OF_ARP_TPA", 4, 32, KindIPv4, true, PrereqARP, any, any, of11u, g, s)

	g, s = keyIPv6((*flowKey).IPv6Src, (*flowKey).SetIPv6Src)
	FieldIPv6Src = num("ipv6_src", "", "NXM_NX_IPV6_SRC", 16, 128, KindIPv6, true, PrereqIPv6, nxox, nxox, nxox, g, s)
	g, s = keyIPv6((*flowKey).IPv6Dst, (*flowKey).SetIPv6Dst)
	FieldIPv6Dst = num("ipv6_dst", "", "NXM_NX_IPV6_DST", 16, 128, KindIPv6, true, PrereqIPv6, nxox, nxox, nxox, g, s)
	g, labelSet := keyU32((*flowKey).IPv6Label, (*flowKey).SetIPv6Label)
	FieldIPv6Label = num("ipv6_label", "", "NXM_NX_IPV6_LABEL", 4, 20, KindHex, true, PrereqIPv6, nxox, nxox, nxox, g,
		func(m *Match, v, mk Value) {
			if vU32(mk)&IPv6LabelMask == IPv6LabelMask {
				mk = pU32(^uint32(0))
			}
			labelSet(m, v, mk)
		})

	g, s = keyU8((*flowKey).NwProto, (*flowKey).SetNwProto)
	FieldNwProto = num("nw_proto", "ip_proto", "NXM_OF_IP_PROTO", 1, 8, KindDecimal, false, PrereqIPAny, any, none, none, g, s)
	FieldNwProto.Writable = false
	FieldNwTos = num("nw_tos", "", "NXM_OF_IP_TOS", 1, 8, KindDecimal, false, PrereqIPAny, any, none, none,
		func(m *Match) (Value, Value) {
			return pU8(nwTos(&m.Key) & IPDSCPMask), pU8(nwTos(&m.Mask) & IPDSCPMask)
		},
		func(m *Match, v, mk Value) { m.setTosBits(IPDSCPMask, vU8(v), vU8(mk)) })
	FieldIPDSCP = num("ip_dscp", "", "OXM_OF_IP_DSCP", 1, 6, KindDecimal, false, PrereqIPAny, any, none, none,
		func(m *Match) (Value, Value) { return pU8(nwTos(&m.Key) >> 2), pU8(nwTos(&m.Mask) >> 2) },
		func(m *Match, v, mk Value) { m.setTosBits(IPDSCPMask, vU8(v)<<2, vU8(mk)) })
	FieldNwECN = num("nw_ecn", "ip_ecn", "NXM_NX_IP_ECN", 1, 2, KindDecimal, false, PrereqIPAny, of11u, none, none,
		func(m *Match) (Value, Value) { return pU8(nwTos(&m.Key) & IPECNMask), pU8(nwTos(&m.Mask) & IPECNMask) },
		func(m *Match, v, mk Value) { m.setTosBits(IPECNMask, vU8(v), vU8(mk)) })
	g, s = keyU8((*flowKey).NwTTL, (*flowKey).SetNwTTL)
	FieldNwTTL = num("nw_ttl", "", "NXM_NX_IP_TTL", 1, 8, KindDecimal, false, PrereqIPAny, nxox, none, none, g, s)
	g, fragSet := keyU8((*flowKey).NwFrag, (*flowKey).SetNwFrag)
	FieldIPFrag = num("ip_frag", "nw_frag", "NXM_NX_IP_FRAG", 1, 2, KindFrag, true, PrereqIPAny, nxox, nxox, nxox, g,
		func(m *Match, v, mk Value) { fragSet(m, pU8(vU8(v)&fragMask), pU8(vU8(mk)&fragMask)) })
	FieldIPFrag.Writable = false
	FieldARPOp = num("arp_op", "", "NXM_OF_ARP_OP", 2, 16, KindDecimal, false, PrereqARP, any, none, none,
		func(m *Match) (Value, Value) { return pU16(uint16(m.Key.NwProto())), pU16(uint16(m.Mask.NwProto())) },
		func(m *Match, v, mk Value) {
			m.Mask.SetNwProto(uint8(vU16(mk)))
			m.Key.SetNwProto(uint8(vU16(v) & vU16(mk)))
		})
	g, s = keyMAC((*flowKey).ArpSha, (*flowKey).SetArpSha)
	FieldARPSHA = num("arp_sha", "", "NXM_NX_ARP_SHA", 6, 48, KindEthernet, true, PrereqARP, nxox, nxox, nxox, g, s)
	FieldNDSLL = num("nd_sll", "", "NXM_NX_ND_SLL", 6, 48, KindEthernet, true, PrereqNDSolicit, nxox, nxox, nxox, g, s)
	g, s = keyMAC((*flowKey).ArpTha, (*flowKey).SetArpTha)
	FieldARPTHA = num("arp_tha", "", "NXM_NX_ARP_THA", 6, 48, KindEthernet, true, PrereqARP, nxox, nxox, nxox, g, s)
	FieldNDTLL = num("nd_tll", "", "NXM_NX_ND_TLL", 6, 48, KindEthernet, true, PrereqNDAdvert, nxox, nxox, nxox, g, s)

	gs, ss := keyU16((*flowKey).TpSrc, (*flowKey).SetTpSrc)
	gd, sd := keyU16((*flowKey).TpDst, (*flowKey).SetTpDst)
	FieldTCPSrc = num("tcp_src", "tp_src", "NXM_OF_TCP_SRC", 2, 16, KindDecimal, true, PrereqTCP, any, nxox, nxox, gs, ss)
	FieldTCPDst = num("tcp_dst", "tp_dst", "NXM_OF_TCP_DST", 2, 16, KindDecimal, true, PrereqTCP, any, nxox, nxox, gd, sd)
	FieldUDPSrc = num("udp_src", "", "NXM_OF_UDP_SRC", 2, 16, KindDecimal, true, PrereqUDP, any, nxox, nxox, gs, ss)
	FieldUDPDst = num("udp_dst", "", "NXM_OF_UDP_DST", 2, 16, KindDecimal, true, PrereqUDP, any, nxox, nxox, gd, sd)
	FieldSCTPSrc = num("sctp_src", "", "OXM_OF_SCTP_SRC", 2, 16, KindDecimal, true, PrereqSCTP, of11u, nxox, nxox, gs, ss)
	FieldSCTPDst = num("sctp_dst", "", "OXM_OF_SCTP_DST", 2, 16, KindDecimal, true, PrereqSCTP, of11u, nxox, nxox, gd, sd)
	g, flagsSet := keyU16((*flowKey).TCPFlags, (*flowKey).SetTCPFlags)
	// Only the 12 flag bits exist; an all-ones 16-bit mask is stored as 12 bits.
	FieldTCPFlags = num("tcp_flags", "", "NXM_NX_TCP_FLAGS", 2, 12, KindTCPFlags, true, PrereqTCP, nxox, nxox, nxox, g,
		func(m *Match, v, mk Value) { flagsSet(m, v, pU16(vU16(mk)&TCPFlagsMask)) })
	FieldTCPFlags.Writable = false
	icmpGet := func(get func(k *flowKey) uint16) func(m *Match) (Value, Value) {
		return func(m *Match) (Value, Value) { return pU8(uint8(get(&m.Key))), pU8(uint8(get(&m.Mask))) }
	}
	icmpSet := func(set func(m *Match, v, mk Value)) func(m *Match, v, mk Value) {
		return func(m *Match, v, mk Value) {
			w := uint16(0)
			if vU8(mk) != 0 {
				w = 0xffff
			}
			set(m, pU16(uint16(vU8(v))), pU16(w))
		}
	}
	FieldICMPType = num("icmp_type", "", "NXM_OF_ICMP_TYPE", 1, 8, KindDecimal, false, PrereqICMPv4, any, none, none, icmpGet((*flowKey).TpSrc), icmpSet(ss))
	FieldICMPCode = num("icmp_code", "", "NXM_OF_ICMP_CODE", 1, 8, KindDecimal, false, PrereqICMPv4, any, none, none, icmpGet((*flowKey).TpDst), icmpSet(sd))
	FieldICMPv6Type = num("icmpv6_type", "", "NXM_NX_ICMPV6_TYPE", 1, 8, KindDecimal, false, PrereqICMPv6, nxox, none, none, icmpGet((*flowKey).TpSrc), icmpSet(ss))
	FieldICMPv6Code = num("icmpv6_code", "", "NXM_NX_ICMPV6_CODE", 1, 8, KindDecimal, false, PrereqICMPv6, nxox, none, none, icmpGet((*flowKey).TpDst), icmpSet(sd))
	FieldNDTarget = num("nd_target", "", "NXM_NX_ND_TARGET", 16, 128, KindIPv6, true, PrereqND, nxox, nxox, nxox,
		func(m *Match) (Value, Value) { return pIPv6(m.NDTarget), pIPv6(m.NDTargetMask) },
		func(m *Match, v, mk Value) {
			m.NDTargetMask = vIPv6(mk)
			m.NDTarget = and16(vIPv6(v), m.NDTargetMask)
		})

	fieldByName = make(map[string]*Field, 2*len(allFields))
	for _, f := range allFields {
		fieldByName[f.Name] = f
		if f.Alias != "" {
			fieldByName[f.Alias] = f
		}
	}
}

// fragMask is FLOW_NW_FRAG_MASK.
const fragMask = 0x03

func (m *Match) setDLVLAN(vid uint16) {
	const vlanNone = 0xffff // OFP10_VLAN_NONE
	if vid == vlanNone {
		setVLANTCI(&m.Key, 0)
		setVLANTCI(&m.Mask, 0xffff)
		return
	}
	setVLANTCI(&m.Key, vlanTCI(&m.Key)&^VLANVIDMask|VLANCFI|vid&VLANVIDMask)
	setVLANTCI(&m.Mask, vlanTCI(&m.Mask)|VLANVIDMask|VLANCFI)
}

func (m *Match) setVLANPCP(pcp uint8) {
	setVLANTCI(&m.Key, vlanTCI(&m.Key)&^VLANPCPMask|uint16(pcp&7)<<VLANPCPShift|VLANCFI)
	setVLANTCI(&m.Mask, vlanTCI(&m.Mask)|VLANPCPMask|VLANCFI)
}

func (m *Match) setVLANVIDMasked(vid, mask uint16) {
	const vidCFI = VLANVIDMask | VLANCFI
	mask &= vidCFI
	vid &= mask
	setVLANTCI(&m.Key, vlanTCI(&m.Key)&^vidCFI|vid&vidCFI)
	setVLANTCI(&m.Mask, mask|vlanTCI(&m.Mask)&VLANPCPMask)
}

// setTosBits sets the bits in 'bits' of nw_tos (DSCP or ECN part).
func (m *Match) setTosBits(bits, v, mask uint8) {
	if mask == 0 {
		m.Mask.SetNwTos(m.Mask.NwTos() &^ bits)
		m.Key.SetNwTos(m.Key.NwTos() &^ bits)
		return
	}
	m.Key.SetNwTos(m.Key.NwTos()&^bits | v&bits)
	m.Mask.SetNwTos(m.Mask.NwTos() | bits)
}

// TunFlagOAM is the public tun_flags bit "oam" (FLOW_TNL_PUB_F_OAM).
const TunFlagOAM = 1

// TunFlagsPublic maps a key's tunnel flags to tun_flags' value.
func TunFlagsPublic(k uint16) uint16 {
	if k&flow.TunFlagOAM != 0 {
		return TunFlagOAM
	}
	return 0
}

func keyTunFlags(pub uint16) uint16 {
	if pub&TunFlagOAM != 0 {
		return flow.TunFlagOAM
	}
	return 0
}

// TunFlagOAMKey is the key's bit for the Geneve O flag (flow.TunFlagOAM).
const TunFlagOAMKey = flow.TunFlagOAM
