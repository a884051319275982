package ofp

import (
	"encoding/binary"

	"govs/flowtable"
)

// OpenFlow 1.0 ofp_match wildcard bits (OFPFW10_*).
const (
	ofpfwInPort    = 1 << 0
	ofpfwDLVLAN    = 1 << 1
	ofpfwDLSrc     = 1 << 2
	ofpfwDLDst     = 1 << 3
	ofpfwDLType    = 1 << 4
	ofpfwNwProto   = 1 << 5
	ofpfwTpSrc     = 1 << 6
	ofpfwTpDst     = 1 << 7
	ofpfwNwSrcShft = 8
	ofpfwNwDstShft = 14
	ofpfwNwBits    = 0x3f
	ofpfwDLVLANPCP = 1 << 20
	ofpfwNwTos     = 1 << 21
	ofpfwAll       = 1<<22 - 1

	ofp10MatchLen = 40
	ofp10VLANNone = 0xffff // OFP10_VLAN_NONE
	ipv4Bits      = 32
)

func wcbitsToNetmask(n uint32) uint32 {
	n &= ofpfwNwBits
	if n >= ipv4Bits {
		return 0
	}
	return ^(uint32(1)<<n - 1)
}

// netmaskToWcbits is 32 minus the CIDR prefix length; ok is false for a
// non-CIDR mask.
func netmaskToWcbits(m uint32) (uint32, bool) {
	x := ^m
	if x&(x+1) != 0 {
		return 0, false
	}
	n := uint32(0)
	for x != 0 {
		n++
		x >>= 1
	}
	return n, true
}

// DecodeMatch10 parses a 40-byte OpenFlow 1.0 ofp_match into m as OVS
// ofputil_match_from_ofp10_match followed by ofputil_normalize_match.
// exactAll reports a match with no wildcards at all (OpenFlow 1.0 then
// forces the flow's priority to 65535).
func DecodeMatch10(b []byte, m *flowtable.Match) (exactAll bool, err error) {
	if len(b) < ofp10MatchLen {
		return false, newErr(OFPBRC_BAD_LEN, "ofp_match of %d bytes", len(b))
	}
	*m = flowtable.Match{}
	r := newReader(b[:ofp10MatchLen])
	raw := r.u32()
	wc := raw & ofpfwAll
	inPort := r.u16()
	dlSrc, dlDst := r.mac(), r.mac()
	dlVLAN, pcp := r.u16(), r.u8()
	r.skip(1)
	dlType := r.u16()
	tos, proto := r.u8(), r.u8()
	r.skip(2)
	nwSrc, nwDst := r.u32(), r.u32()
	tpSrc, tpDst := r.u16(), r.u16()

	k, mk := &m.Key, &m.Mask
	if wc&ofpfwInPort == 0 {
		m.SetInPort(flowtable.PortNo(inPort))
	}
	if wc&ofpfwNwTos == 0 {
		mk.SetNwTos(flowtable.IPDSCPMask)
		k.SetNwTos(tos & flowtable.IPDSCPMask)
	}
	if wc&ofpfwNwProto == 0 {
		m.SetNwProto(proto)
	}
	mk.SetIPv4Src(wcbitsToNetmask(wc >> ofpfwNwSrcShft))
	k.SetIPv4Src(nwSrc & mk.IPv4Src())
	mk.SetIPv4Dst(wcbitsToNetmask(wc >> ofpfwNwDstShft))
	k.SetIPv4Dst(nwDst & mk.IPv4Dst())
	if wc&ofpfwTpSrc == 0 {
		mk.SetTpSrc(0xffff)
		k.SetTpSrc(tpSrc)
	}
	if wc&ofpfwTpDst == 0 {
		mk.SetTpDst(0xffff)
		k.SetTpDst(tpDst)
	}
	allMAC := [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if wc&ofpfwDLSrc == 0 {
		mk.SetEthSrc(allMAC)
		k.SetEthSrc(dlSrc)
	}
	if wc&ofpfwDLDst == 0 {
		mk.SetEthDst(allMAC)
		k.SetEthDst(dlDst)
	}
	if wc&ofpfwDLType == 0 {
		m.SetEthType(dlType)
	}
	var tciMask uint16
	if wc&ofpfwDLVLANPCP == 0 {
		tciMask |= flowtable.VLANPCPMask | flowtable.VLANCFI
	}
	if wc&ofpfwDLVLAN == 0 {
		tciMask |= flowtable.VLANVIDMask | flowtable.VLANCFI
	}
	tpid, _ := k.VLAN(0)
	if wc&ofpfwDLVLAN == 0 && dlVLAN == ofp10VLANNone {
		k.SetVLAN(0, tpid, 0)
		mk.SetVLAN(0, 0, 0xffff)
	} else {
		tci := dlVLAN&flowtable.VLANVIDMask | uint16(pcp)<<flowtable.VLANPCPShift&flowtable.VLANPCPMask | flowtable.VLANCFI
		k.SetVLAN(0, tpid, tci&tciMask)
		mk.SetVLAN(0, 0, tciMask)
	}
	m.Normalize()
	return wc == 0, nil
}

// AppendMatch10 appends m as an OpenFlow 1.0 ofp_match
// (ofputil_match_to_ofp10_match). Fields ofp_match cannot express
// (registers, metadata, tunnel, IPv6, ARP hardware addresses, ECN, TTL,
// fragments, TCP flags, non-CIDR masks, masked MACs/ports) are refused
// with an error naming them.
func AppendMatch10(b []byte, m *flowtable.Match) ([]byte, error) {
	if err := check10(m); err != nil {
		return b, err
	}
	k, mk := &m.Key, &m.Mask
	var wc uint32
	if m.InPortMask == 0 {
		wc |= ofpfwInPort
	}
	if mk.EthType() == 0 {
		wc |= ofpfwDLType
	}
	if mk.NwProto() == 0 {
		wc |= ofpfwNwProto
	}
	s, _ := netmaskToWcbits(mk.IPv4Src())
	d, _ := netmaskToWcbits(mk.IPv4Dst())
	wc |= s<<ofpfwNwSrcShft | d<<ofpfwNwDstShft
	if mk.NwTos()&flowtable.IPDSCPMask == 0 {
		wc |= ofpfwNwTos
	}
	if mk.TpSrc() == 0 {
		wc |= ofpfwTpSrc
	}
	if mk.TpDst() == 0 {
		wc |= ofpfwTpDst
	}
	if mk.EthSrc() == ([6]byte{}) {
		wc |= ofpfwDLSrc
	}
	if mk.EthDst() == ([6]byte{}) {
		wc |= ofpfwDLDst
	}
	_, tci := k.VLAN(0)
	_, tciMask := mk.VLAN(0)
	var vlan uint16
	var pcp uint8
	switch {
	case tciMask == 0:
		wc |= ofpfwDLVLAN | ofpfwDLVLANPCP
	case tciMask&flowtable.VLANCFI != 0 && tci&flowtable.VLANCFI == 0:
		vlan = ofp10VLANNone
	default:
		if tciMask&flowtable.VLANVIDMask == 0 {
			wc |= ofpfwDLVLAN
		} else {
			vlan = tci & flowtable.VLANVIDMask
		}
		if tciMask&flowtable.VLANPCPMask == 0 {
			wc |= ofpfwDLVLANPCP
		} else {
			pcp = uint8(tci >> flowtable.VLANPCPShift)
		}
	}
	b = put32(b, wc)
	b = put16(b, uint16(m.InPort))
	src, dst := k.EthSrc(), k.EthDst()
	b = append(b, src[:]...)
	b = append(b, dst[:]...)
	b = put16(b, vlan)
	b = put8(b, pcp)
	b = put8(b, 0)
	b = put16(b, k.EthType())
	b = put8(b, k.NwTos()&flowtable.IPDSCPMask)
	b = put8(b, k.NwProto())
	b = put16(b, 0)
	b = put32(b, k.IPv4Src())
	b = put32(b, k.IPv4Dst())
	b = put16(b, k.TpSrc())
	b = put16(b, k.TpDst())
	return b, nil
}

// check10 refuses matches ofp_match cannot carry.
func check10(m *flowtable.Match) error {
	bad := func(what string) error {
		return newErr(NXBRC_UNENCODABLE_ERROR, "%s cannot be expressed in an OpenFlow 1.0 ofp_match (use NXM)", what)
	}
	mk := &m.Mask
	switch {
	case m.MetadataMask != 0:
		return bad("metadata")
	case m.RegMasks != [flowtable.NumRegs]uint32{}:
		return bad("registers")
	case m.NDTargetMask != [16]byte{}:
		return bad("nd_target")
	case mk.TunID() != 0 || mk.TunSrc() != 0 || mk.TunDst() != 0:
		return bad("tunnel fields")
	case mk.IPv6Src() != [16]byte{} || mk.IPv6Dst() != [16]byte{} || mk.IPv6Label() != 0:
		return bad("IPv6 fields")
	case mk.ArpSha() != [6]byte{} || mk.ArpTha() != [6]byte{}:
		return bad("arp_sha/arp_tha")
	case mk.NwTos()&flowtable.IPECNMask != 0 || mk.NwTTL() != 0 || mk.NwFrag() != 0 || mk.TCPFlags() != 0:
		return bad("nw_ecn/nw_ttl/ip_frag/tcp_flags")
	case mk.TpSrc() != 0 && mk.TpSrc() != 0xffff, mk.TpDst() != 0 && mk.TpDst() != 0xffff:
		return bad("masked L4 ports")
	}
	allMAC := [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	if s := mk.EthSrc(); s != allMAC && s != ([6]byte{}) {
		return bad("masked dl_src")
	}
	if d := mk.EthDst(); d != allMAC && d != ([6]byte{}) {
		return bad("masked dl_dst")
	}
	if _, ok := netmaskToWcbits(mk.IPv4Src()); !ok {
		return bad("non-CIDR nw_src mask")
	}
	if _, ok := netmaskToWcbits(mk.IPv4Dst()); !ok {
		return bad("non-CIDR nw_dst mask")
	}
	if t := mk.EthType(); t != 0 && t != 0xffff {
		return bad("masked dl_type")
	}
	return nil
}

// OpenFlow 1.1+ match types.
const (
	ofpmtStandard = 0
	ofpmtOXM      = 1
	oxmMatchHdr   = 4
	ofp11MatchLen = 88 // OpenFlow 1.1 OFPMT_STANDARD match
)

// DecodeOXMMatch parses an ofp_match of type OFPMT_OXM at the start of b
// (header, fields and padding) and returns the number of bytes used.
func DecodeOXMMatch(b []byte, m *flowtable.Match) (int, error) {
	if len(b) < oxmMatchHdr {
		return 0, newErr(OFPBMC_BAD_LEN, "match header truncated")
	}
	typ, n := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
	switch {
	case typ == ofpmtStandard && (n != ofp11MatchLen || len(b) < n):
		return 0, newErr(OFPBMC_BAD_LEN, "OFPMT_STANDARD match of length %d", n)
	case typ != ofpmtOXM:
		return 0, newErr(OFPBMC_BAD_TYPE, "match type %d (only OFPMT_OXM is supported)", typ)
	}
	padded := roundUp8(n)
	if n < oxmMatchHdr || padded > len(b) {
		return 0, newErr(OFPBMC_BAD_LEN, "match length %d", n)
	}
	if err := decodeNXM(b[oxmMatchHdr:n], m, nil); err != nil {
		return 0, err
	}
	return padded, nil
}

// AppendOXMMatch appends m as an OFPMT_OXM ofp_match, padded to 8 bytes.
func AppendOXMMatch(b []byte, m *flowtable.Match) []byte {
	return appendOXMMatchPort(b, m, 0)
}

func appendOXMMatchPort(b []byte, m *flowtable.Match, inPort flowtable.PortNo) []byte {
	start := len(b)
	b = put16(b, ofpmtOXM)
	b = put16(b, 0)
	b = encodeNXMPort(b, m, true, nil, inPort)
	binary.BigEndian.PutUint16(b[start+2:], uint16(len(b)-start))
	return padTo8(b, start)
}

// DecodeNXMMatch parses an NXM match of matchLen bytes followed by its
// padding to 8 bytes at the start of b; it returns the bytes used.
func DecodeNXMMatch(b []byte, matchLen int, m *flowtable.Match, cookie, cookieMask *uint64) (int, error) {
	padded := roundUp8(matchLen)
	if padded > len(b) {
		return 0, newErr(OFPBRC_BAD_LEN, "NXM match of %d bytes runs past the message", matchLen)
	}
	var ex nxmExtra
	if err := decodeNXM(b[:matchLen], m, &ex); err != nil {
		return 0, err
	}
	if cookie != nil {
		*cookie, *cookieMask = ex.Cookie, ex.CookieMask
	} else if ex.CookieMask != 0 {
		return 0, newErr(OFPBMC_BAD_FIELD, "NXM_NX_COOKIE is not allowed here")
	}
	return padded, nil
}

// AppendNXMMatch appends m as NXM TLVs (plus NXM_NX_COOKIE when
// cookieMask is non-zero), returns the unpadded match length, and pads to
// 8 bytes.
func AppendNXMMatch(b []byte, m *flowtable.Match, cookie, cookieMask uint64) ([]byte, int) {
	start := len(b)
	b = encodeNXM(b, m, false, &nxmExtra{Cookie: cookie, CookieMask: cookieMask})
	n := len(b) - start
	return padTo8(b, start), n
}
