package flowtable

// Normalize clears every matched field whose prerequisites m does not
// meet, as OVS does when it encodes a match (ofputil_normalize_match and
// the prerequisite-gated NXM/OXM encoder): for example tp_dst without
// tcp/udp/sctp, nw_src without ip/arp, nd_target without an ICMPv6 ND
// type. It returns true if anything changed.
func (m *Match) Normalize() bool {
	before := *m
	k, w := &m.Key, &m.Mask
	dl := k.EthType()
	proto := k.NwProto()
	var mayNwAddr, mayTp, mayProto, mayIPvx, maySha, mayTha, mayIPv6, mayND, mayTCPFlags bool
	switch dl {
	case EthTypeIPv4:
		mayProto, mayIPvx, mayNwAddr = true, true, true
		switch proto {
		case IPProtoTCP, IPProtoUDP, IPProtoSCTP, IPProtoICMP:
			mayTp = true
		}
		mayTCPFlags = proto == IPProtoTCP
	case EthTypeIPv6:
		mayProto, mayIPvx, mayIPv6 = true, true, true
		switch proto {
		case IPProtoTCP, IPProtoUDP, IPProtoSCTP:
			mayTp = true
		case IPProtoICMPv6:
			mayTp = true
			switch k.TpSrc() {
			case NDSolicit:
				mayND, maySha = true, true
			case NDAdvert:
				mayND, mayTha = true, true
			}
		}
		mayTCPFlags = proto == IPProtoTCP
	case EthTypeARP, EthTypeRARP:
		mayProto, mayNwAddr, maySha, mayTha = true, true, true, true
	}
	if !mayNwAddr {
		k.SetIPv4Src(0)
		k.SetIPv4Dst(0)
		w.SetIPv4Src(0)
		w.SetIPv4Dst(0)
	}
	if !mayTp {
		k.SetTpSrc(0)
		k.SetTpDst(0)
		w.SetTpSrc(0)
		w.SetTpDst(0)
	}
	if !mayTCPFlags {
		k.SetTCPFlags(0)
		w.SetTCPFlags(0)
	}
	if !mayProto {
		k.SetNwProto(0)
		w.SetNwProto(0)
	}
	if !mayIPvx {
		k.SetNwTos(0)
		w.SetNwTos(0)
		k.SetNwTTL(0)
		w.SetNwTTL(0)
		k.SetNwFrag(0)
		w.SetNwFrag(0)
	}
	if !maySha {
		k.SetArpSha([6]byte{})
		w.SetArpSha([6]byte{})
	}
	if !mayTha {
		k.SetArpTha([6]byte{})
		w.SetArpTha([6]byte{})
	}
	if !mayIPv6 {
		k.SetIPv6Src([16]byte{})
		k.SetIPv6Dst([16]byte{})
		w.SetIPv6Src([16]byte{})
		w.SetIPv6Dst([16]byte{})
		k.SetIPv6Label(0)
		w.SetIPv6Label(0)
	}
	if !mayND {
		m.NDTarget, m.NDTargetMask = [16]byte{}, [16]byte{}
	}
	return *m != before
}

// PrereqsOK reports whether m meets prerequisite p (mf_are_prereqs_ok).
func (m *Match) PrereqsOK(p Prereq) bool {
	dl := m.Key.EthType()
	proto := m.Key.NwProto()
	ipAny := dl == EthTypeIPv4 || dl == EthTypeIPv6
	switch p {
	case PrereqNone, PrereqEthernet:
		return true
	case PrereqARP:
		return dl == EthTypeARP || dl == EthTypeRARP
	case PrereqIPv4:
		return dl == EthTypeIPv4
	case PrereqIPv6:
		return dl == EthTypeIPv6
	case PrereqIPAny:
		return ipAny
	case PrereqTCP:
		return ipAny && proto == IPProtoTCP
	case PrereqUDP:
		return ipAny && proto == IPProtoUDP
	case PrereqSCTP:
		return ipAny && proto == IPProtoSCTP
	case PrereqICMPv4:
		return dl == EthTypeIPv4 && proto == IPProtoICMP
	case PrereqICMPv6:
		return dl == EthTypeIPv6 && proto == IPProtoICMPv6
	case PrereqND:
		t := m.Key.TpSrc()
		return dl == EthTypeIPv6 && proto == IPProtoICMPv6 && m.Mask.TpSrc() == 0xffff && (t == NDSolicit || t == NDAdvert)
	case PrereqNDSolicit:
		return dl == EthTypeIPv6 && proto == IPProtoICMPv6 && m.Mask.TpSrc() == 0xffff && m.Key.TpSrc() == NDSolicit
	case PrereqNDAdvert:
		return dl == EthTypeIPv6 && proto == IPProtoICMPv6 && m.Mask.TpSrc() == 0xffff && m.Key.TpSrc() == NDAdvert
	case PrereqVLANVID:
		_, tci := m.Key.VLAN(0)
		_, tm := m.Mask.VLAN(0)
		return tm&VLANCFI != 0 && tci&VLANCFI != 0
	}
	return false
}

// OF10RoundTrip rewrites m the way encoding it as an OpenFlow 1.0
// ofp_match and decoding it back does (VLAN match forms, DSCP-only TOS),
// so that text shown for an OpenFlow 1.0 flow is what a switch would see.
func (m *Match) OF10RoundTrip() {
	tci, mask := vlanTCI(&m.Key), vlanTCI(&m.Mask)
	switch {
	case mask == 0:
	case mask&VLANCFI != 0 && tci&VLANCFI == 0:
		setVLANTCI(&m.Key, 0)
		setVLANTCI(&m.Mask, 0xffff)
	default:
		var nm uint16
		if mask&VLANVIDMask != 0 {
			nm |= VLANVIDMask | VLANCFI
		}
		if mask&VLANPCPMask != 0 {
			nm |= VLANPCPMask | VLANCFI
		}
		setVLANTCI(&m.Key, (tci|VLANCFI)&nm)
		setVLANTCI(&m.Mask, nm)
	}
	if m.Mask.NwTos()&IPDSCPMask != 0 {
		m.Mask.SetNwTos(IPDSCPMask)
	} else {
		m.Mask.SetNwTos(0)
	}
	m.Key.SetNwTos(m.Key.NwTos() & m.Mask.NwTos())
	m.Normalize()
}

// OXMRoundTrip rewrites m the way encoding it as OpenFlow 1.2+ OXM and
// decoding it back does: VLAN matches become OXM_OF_VLAN_VID (VID and
// present bit) plus OXM_OF_VLAN_PCP only when the present bit (CFI) is
// matched as set, the prerequisite OXM_OF_VLAN_PCP has on the wire.
func (m *Match) OXMRoundTrip() {
	const vidCFI = VLANVIDMask | VLANCFI
	tci, mask := vlanTCI(&m.Key), vlanTCI(&m.Mask)
	nm := mask & vidCFI
	if tci&VLANCFI != 0 && mask&VLANPCPMask != 0 {
		nm |= VLANPCPMask
	}
	setVLANTCI(&m.Key, tci&nm)
	setVLANTCI(&m.Mask, nm)
	m.NXMRoundTrip()
}

// NXMRoundTrip rewrites m the way encoding it as NXM (or OXM) and decoding
// it back does: prerequisite normalization, and ICMP type and code, which
// are 8-bit fields on the wire, become exact 8-bit matches.
func (m *Match) NXMRoundTrip() {
	m.Normalize()
	dl, proto := m.Key.EthType(), m.Key.NwProto()
	if dl == EthTypeIPv4 && proto == IPProtoICMP || dl == EthTypeIPv6 && proto == IPProtoICMPv6 {
		if m.Mask.TpSrc() != 0 {
			m.Key.SetTpSrc(m.Key.TpSrc() & 0xff)
			m.Mask.SetTpSrc(0xffff)
		}
		if m.Mask.TpDst() != 0 {
			m.Key.SetTpDst(m.Key.TpDst() & 0xff)
			m.Mask.SetTpDst(0xffff)
		}
	}
}
