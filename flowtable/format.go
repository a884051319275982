package flowtable

import (
	"strconv"
)

// DefaultPriority is OFP_DEFAULT_PRIORITY.
const DefaultPriority = 0x8000

// AppendMatch appends m in OVS match_format syntax: "priority=N," unless
// priority is DefaultPriority, protocol shorthand first (ip, tcp6, arp...),
// then fields in OVS's canonical order, comma separated, no trailing comma.
func AppendMatch(b []byte, m *Match, priority int, pm *PortMap) []byte {
	start := len(b)
	if priority != DefaultPriority {
		b = append(b, "priority="...)
		b = strconv.AppendInt(b, int64(priority), 10)
		b = append(b, ',')
	}
	k, w := &m.Key, &m.Mask
	dlType := k.EthType()
	skipType, skipProto := false, false
	if w.EthType() != 0 {
		skipType = true
		proto, protoSet := k.NwProto(), w.NwProto() != 0
		switch dlType {
		case EthTypeIPv4:
			name := "ip"
			if protoSet {
				switch proto {
				case IPProtoICMP:
					name = "icmp"
				case IPProtoTCP:
					name = "tcp"
				case IPProtoUDP:
					name = "udp"
				case IPProtoSCTP:
					name = "sctp"
				}
				skipProto = name != "ip"
			}
			b = append(append(b, name...), ',')
		case EthTypeIPv6:
			name := "ipv6"
			if protoSet {
				switch proto {
				case IPProtoICMPv6:
					name = "icmp6"
				case IPProtoTCP:
					name = "tcp6"
				case IPProtoUDP:
					name = "udp6"
				case IPProtoSCTP:
					name = "sctp6"
				}
				skipProto = name != "ipv6"
			}
			b = append(append(b, name...), ',')
		case EthTypeARP:
			b = append(b, "arp,"...)
		case EthTypeRARP:
			b = append(b, "rarp,"...)
		default:
			skipType = false
		}
	}
	for i := range m.Regs {
		b = appendU32Masked(b, FieldRegs[i].Name, m.Regs[i], m.RegMasks[i])
	}
	b = appendU64Masked(b, "tun_id", k.TunID(), w.TunID())
	b = appendIPv4Field(b, "tun_src", k.TunSrc(), w.TunSrc())
	b = appendIPv4Field(b, "tun_dst", k.TunDst(), w.TunDst())
	if w.TunFlags()&TunFlagOAMKey != 0 {
		// OVS prints the public flags against its full internal mask,
		// so always in the +/- form.
		if k.TunFlags()&TunFlagOAMKey != 0 {
			b = append(b, "tun_flags=+oam,"...)
		} else {
			b = append(b, "tun_flags=-oam,"...)
		}
	}
	b = appendTunMetadata(b, m)
	b = appendU64Masked(b, "metadata", m.Metadata, m.MetadataMask)
	if m.InPortMask != 0 {
		b = append(b, "in_port="...)
		b = AppendPort(b, m.InPort, pm)
		b = append(b, ',')
	}
	b = appendVLAN(b, vlanTCI(k), vlanTCI(w))
	b = appendMACField(b, "dl_src", k.EthSrc(), w.EthSrc())
	b = appendMACField(b, "dl_dst", k.EthDst(), w.EthDst())
	if !skipType && w.EthType() != 0 {
		b = append(b, "dl_type=0x"...)
		b = appendHexPad(b, uint64(dlType), 4)
		b = append(b, ',')
	}
	isARP := dlType == EthTypeARP || dlType == EthTypeRARP
	switch {
	case dlType == EthTypeIPv6:
		b = appendIPv6Field(b, "ipv6_src", k.IPv6Src(), w.IPv6Src())
		b = appendIPv6Field(b, "ipv6_dst", k.IPv6Dst(), w.IPv6Dst())
		if lm := w.IPv6Label(); lm != 0 {
			b = append(b, "ipv6_label=0x"...)
			b = appendHexPad(b, uint64(k.IPv6Label()), 5)
			if lm != ^uint32(0) {
				b = append(b, "/0x"...)
				b = appendHexPad(b, uint64(lm), 5)
			}
			b = append(b, ',')
		}
	case isARP:
		b = appendIPv4Field(b, "arp_spa", k.IPv4Src(), w.IPv4Src())
		b = appendIPv4Field(b, "arp_tpa", k.IPv4Dst(), w.IPv4Dst())
	default:
		b = appendIPv4Field(b, "nw_src", k.IPv4Src(), w.IPv4Src())
		b = appendIPv4Field(b, "nw_dst", k.IPv4Dst(), w.IPv4Dst())
	}
	if !skipProto && w.NwProto() != 0 {
		if isARP {
			b = append(b, "arp_op="...)
		} else {
			b = append(b, "nw_proto="...)
		}
		b = strconv.AppendUint(b, uint64(k.NwProto()), 10)
		b = append(b, ',')
	}
	if isARP {
		b = appendMACField(b, "arp_sha", k.ArpSha(), w.ArpSha())
		b = appendMACField(b, "arp_tha", k.ArpTha(), w.ArpTha())
	}
	if w.NwTos()&IPDSCPMask != 0 {
		b = appendUintField(b, "nw_tos", uint64(k.NwTos()&IPDSCPMask))
	}
	if w.NwTos()&IPECNMask != 0 {
		b = appendUintField(b, "nw_ecn", uint64(k.NwTos()&IPECNMask))
	}
	if w.NwTTL() != 0 {
		b = appendUintField(b, "nw_ttl", uint64(k.NwTTL()))
	}
	b = appendFrag(b, k.NwFrag(), w.NwFrag())
	proto := k.NwProto()
	switch {
	case dlType == EthTypeIPv4 && proto == IPProtoICMP:
		b = appendU16Masked(b, "icmp_type", k.TpSrc(), w.TpSrc())
		b = appendU16Masked(b, "icmp_code", k.TpDst(), w.TpDst())
	case dlType == EthTypeIPv6 && proto == IPProtoICMPv6:
		b = appendU16Masked(b, "icmp_type", k.TpSrc(), w.TpSrc())
		b = appendU16Masked(b, "icmp_code", k.TpDst(), w.TpDst())
		b = appendIPv6Field(b, "nd_target", m.NDTarget, m.NDTargetMask)
		b = appendMACField(b, "nd_sll", k.ArpSha(), w.ArpSha())
		b = appendMACField(b, "nd_tll", k.ArpTha(), w.ArpTha())
	default:
		b = appendU16Masked(b, "tp_src", k.TpSrc(), w.TpSrc())
		b = appendU16Masked(b, "tp_dst", k.TpDst(), w.TpDst())
	}
	if (dlType == EthTypeIPv4 || dlType == EthTypeIPv6) && proto == IPProtoTCP && w.TCPFlags()&TCPFlagsMask != 0 {
		b = append(b, "tcp_flags="...)
		b = appendFlagsMasked(b, uint32(k.TCPFlags()), uint32(w.TCPFlags()&TCPFlagsMask), TCPFlagsMask)
		b = append(b, ',')
	}
	if len(b) > start && b[len(b)-1] == ',' {
		b = b[:len(b)-1]
	}
	return b
}

// FormatMatch returns AppendMatch as a string.
func FormatMatch(m *Match, priority int, pm *PortMap) string {
	return string(AppendMatch(nil, m, priority, pm))
}

func appendHexPad(b []byte, v uint64, width int) []byte {
	var tmp [16]byte
	h := strconv.AppendUint(tmp[:0], v, 16)
	for i := len(h); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, h...)
}

// appendHashX is C "%#x": "0" for zero, "0x..." otherwise.
func appendHashX(b []byte, v uint64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	b = append(b, "0x"...)
	return strconv.AppendUint(b, v, 16)
}

func appendU32Masked(b []byte, name string, v, m uint32) []byte {
	return appendU64MaskedW(b, name, uint64(v), uint64(m), uint64(^uint32(0)))
}

func appendU64Masked(b []byte, name string, v, m uint64) []byte {
	return appendU64MaskedW(b, name, v, m, ^uint64(0))
}

func appendU64MaskedW(b []byte, name string, v, m, max uint64) []byte {
	if m == 0 {
		return b
	}
	b = append(append(b, name...), '=')
	b = appendHashX(b, v)
	if m != max {
		b = append(b, '/')
		b = appendHashX(b, m)
	}
	return append(b, ',')
}

func appendU16Masked(b []byte, name string, v, m uint16) []byte {
	if m == 0 {
		return b
	}
	b = append(append(b, name...), '=')
	if m == 0xffff {
		b = strconv.AppendUint(b, uint64(v), 10)
	} else {
		b = append(b, "0x"...)
		b = strconv.AppendUint(b, uint64(v), 16)
		b = append(b, "/0x"...)
		b = strconv.AppendUint(b, uint64(m), 16)
	}
	return append(b, ',')
}

func appendUintField(b []byte, name string, v uint64) []byte {
	b = append(append(b, name...), '=')
	b = strconv.AppendUint(b, v, 10)
	return append(b, ',')
}

func appendIPv4Field(b []byte, name string, v, m uint32) []byte {
	if m == 0 {
		return b
	}
	b = append(append(b, name...), '=')
	b = appendIPv4Masked(b, v, m)
	return append(b, ',')
}

func appendIPv6Field(b []byte, name string, v, m [16]byte) []byte {
	if m == ([16]byte{}) {
		return b
	}
	b = append(append(b, name...), '=')
	b = appendIPv6Masked(b, v, m)
	return append(b, ',')
}

func appendMACField(b []byte, name string, v, m [6]byte) []byte {
	if m == ([6]byte{}) {
		return b
	}
	b = append(append(b, name...), '=')
	b = AppendMAC(b, v)
	if m != [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
		b = append(b, '/')
		b = AppendMAC(b, m)
	}
	return append(b, ',')
}

func appendVLAN(b []byte, tci, mask uint16) []byte {
	if mask == 0 {
		return b
	}
	vidMask, pcpMask, cfi := mask&VLANVIDMask, mask&VLANPCPMask, mask&VLANCFI
	if cfi != 0 && tci&VLANCFI != 0 && (vidMask == 0 || vidMask == VLANVIDMask) &&
		(pcpMask == 0 || pcpMask == VLANPCPMask) && (vidMask != 0 || pcpMask != 0) {
		if vidMask != 0 {
			b = appendUintField(b, "dl_vlan", uint64(tci&VLANVIDMask))
		}
		if pcpMask != 0 {
			b = appendUintField(b, "dl_vlan_pcp", uint64(tci>>VLANPCPShift))
		}
		return b
	}
	b = append(b, "vlan_tci=0x"...)
	b = appendHexPad(b, uint64(tci), 4)
	if mask != 0xffff {
		b = append(b, "/0x"...)
		b = appendHexPad(b, uint64(mask), 4)
	}
	return append(b, ',')
}

func appendFrag(b []byte, v, m uint8) []byte {
	var s string
	switch m & fragMask {
	case 3:
		switch v & 3 {
		case 0:
			s = "no"
		case 1:
			s = "first"
		case 3:
			s = "later"
		default:
			s = "<error>"
		}
	case 1:
		s = "no"
		if v&1 != 0 {
			s = "yes"
		}
	case 2:
		s = "not_later"
		if v&2 != 0 {
			s = "later"
		}
	default:
		return b
	}
	b = append(b, "nw_frag="...)
	b = append(b, s...)
	return append(b, ',')
}

// appendFlagsMasked is format_flags_masked for TCP flags.
func appendFlagsMasked(b []byte, flags, mask, max uint32) []byte {
	if mask == max {
		return appendFlags(b, flags&max)
	}
	if mask == 0 {
		return append(b, "0/0"...)
	}
	for mask != 0 {
		bit := mask & -mask
		if flags&bit != 0 {
			b = append(b, '+')
		} else {
			b = append(b, '-')
		}
		if n := tcpFlagName(bit); n != "" {
			b = append(b, n...)
		} else {
			b = append(b, "[Unknown]"...)
		}
		mask &^= bit
	}
	return b
}

// appendFlags is format_flags with '|' between names.
func appendFlags(b []byte, flags uint32) []byte {
	if flags == 0 {
		return append(b, '0')
	}
	first := true
	for flags != 0 {
		bit := flags & -flags
		if !first {
			b = append(b, '|')
		}
		first = false
		if n := tcpFlagName(bit); n != "" {
			b = append(b, n...)
		} else {
			b = append(b, "0x"...)
			b = strconv.AppendUint(b, uint64(bit), 16)
		}
		flags &^= bit
	}
	return b
}
