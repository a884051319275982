package tunnel

import (
	"encoding/binary"
	"govs/tunnel/tlv"

	"govs/datapath/flow"
	"govs/datapath/header"
)

// maxIPv4Len is the largest outer IPv4 packet.
const maxIPv4Len = 0xffff

// EncapResult says what Encap did.
type EncapResult uint8

// Encap results.
const (
	EncapOK EncapResult = iota
	// EncapNoHeadroom: the frame has less headroom than the header.
	EncapNoHeadroom
	// EncapOversize: the outer IPv4 packet would exceed 65535 bytes.
	EncapOversize
	// EncapBadFrame: the frame is not a valid slice of its buffer.
	EncapBadFrame
)

// Encap writes the encapsulation tmpl (h's template, len h.Len()) in front
// of p's frame, growing it into its headroom, and fills in the per-packet
// fields: IPv4 total length and checksum, UDP source port (from the inner
// flow hash), length and (h.Csum) checksum. It allocates nothing.
func Encap(p *flow.Packet, h *Header, tmpl []byte) EncapResult {
	n := len(tmpl)
	if p.Off < 0 || p.Len < 0 || p.Off+p.Len > len(p.Buf) {
		return EncapBadFrame
	}
	if p.Off < n {
		return EncapNoHeadroom
	}
	ipTotal := n - ethLen + p.Len
	if ipTotal > maxIPv4Len {
		return EncapOversize
	}
	hash := innerHash(p.Buf[p.Off:p.Off+p.Len], &p.L)
	p.Off -= n
	p.Len += n
	b := p.Buf[p.Off : p.Off+p.Len]
	copy(b, tmpl)
	ip := header.IPv4(b[ethLen:])
	binary.BigEndian.PutUint16(ip[2:], uint16(ipTotal))
	ip.SetChecksum(^header.Checksum(ip[:ipv4Len], 0))
	udp := header.UDP(ip[ipv4Len:])
	udpTotal := ipTotal - ipv4Len
	binary.BigEndian.PutUint16(udp[0:], srcPort(hash))
	binary.BigEndian.PutUint16(udp[4:], uint16(udpTotal))
	if h.Csum {
		sum := header.PseudoHeaderChecksumV4(ipProtoUDP, h.Src, h.Dst, uint16(udpTotal))
		c := ^header.Checksum(udp[:udpTotal], sum)
		if c == 0 {
			c = header.UDPChecksumZero
		}
		udp.SetChecksum(c)
	}
	p.L = flow.Layout{L3: ethLen, L4: ethLen + ipv4Len, L2_5: 12, L4Proto: ipProtoUDP}
	return EncapOK
}

// DecapError says why Decap refused a packet.
type DecapError uint8

// Decap errors (counted by the Table).
const (
	DecapOK DecapError = iota
	// DecapMalformedOuter: not Ethernet/IPv4/UDP, a fragment, bad lengths.
	DecapMalformedOuter
	// DecapBadChecksum: a non-zero UDP checksum that does not verify.
	DecapBadChecksum
	// DecapMalformedTunnel: truncated tunnel header, bad options, an
	// inner frame shorter than an Ethernet header.
	DecapMalformedTunnel
	// DecapBadVersion: Geneve version not 0, or VXLAN flags other than I.
	DecapBadVersion
	// DecapBadProto: Geneve protocol type other than TEB.
	DecapBadProto
	// DecapCriticalOption: a Geneve option with the critical type bit
	// (0x80) that the bridge's TLV map does not map (OVS drops these too).
	DecapCriticalOption
	// DecapOptionLength: a mapped Geneve option (class, type) whose
	// length differs from the map's (OVS: EINVAL, dropped).
	DecapOptionLength
	numDecapErrors
)

var decapErrorNames = [...]string{"ok", "malformed_outer", "bad_checksum", "malformed_tunnel",
	"bad_version", "bad_proto", "critical_option", "option_length"}

// String names the error.
func (e DecapError) String() string {
	if int(e) < len(decapErrorNames) {
		return decapErrorNames[e]
	}
	return "unknown"
}

// Decap parses frame (outer Ethernet/IPv4/UDP and a tunnel header of type
// t) and stores the tunnel metadata in tun (tun_id, tun_src/dst, tos,
// ttl, tp_src/dst, flags, Geneve options). It returns the length of the
// inner frame's bounds: it is frame[start:end] (outer Ethernet padding
// excluded). Geneve options are placed by the TLV map m (nil: none
// mapped, see MapOptions). It reads only frame and allocates nothing.
func Decap(frame []byte, t Type, m *tlv.Map, tun *flow.Key) (start, end int, e DecapError) {
	eth := header.Ethernet(frame)
	if !eth.IsValid() || eth.Type() != etherTypeIPv4 {
		return 0, 0, DecapMalformedOuter
	}
	ipb := frame[ethLen:]
	ip := header.IPv4(ipb)
	if len(ipb) < ipv4Len || !ip.HasVersion4() || ip.HeaderLen() < ipv4Len || ip.IsFragment() ||
		ip.Protocol() != ipProtoUDP {
		return 0, 0, DecapMalformedOuter
	}
	hl, total := ip.HeaderLen(), int(ip.TotalLen())
	if total > len(ipb) || total < hl+udpLen {
		return 0, 0, DecapMalformedOuter
	}
	udpb := ipb[hl:total]
	udp := header.UDP(udpb)
	ul := int(udp.Length())
	if ul < udpLen || ul > len(udpb) {
		return 0, 0, DecapMalformedOuter
	}
	udpb = udpb[:ul]
	flags := uint16(flow.TunFlagKey)
	if c := udp.Checksum(); c != 0 {
		sum := header.PseudoHeaderChecksumV4(ipProtoUDP, ip.Src(), ip.Dst(), uint16(ul))
		if header.Checksum(udpb, sum) != 0xffff {
			return 0, 0, DecapBadChecksum
		}
		flags |= flow.TunFlagCsum
	}
	if ip.FlagsFragOff()&header.IPv4FlagDF != 0 {
		flags |= flow.TunFlagDontFragment
	}
	payload := udpb[udpLen:]
	var inner int
	var vni uint32
	switch t {
	case TypeGeneve:
		g := Geneve(payload)
		if len(g) < GeneveBaseSize || !g.IsValid() {
			return 0, 0, DecapMalformedTunnel
		}
		if g.Version() != GeneveVersion {
			return 0, 0, DecapBadVersion
		}
		if g.Proto() != ProtoTEB {
			return 0, 0, DecapBadProto
		}
		opts := g.Options()
		if !ValidOptions(opts) {
			return 0, 0, DecapMalformedTunnel
		}
		if g.OAM() {
			flags |= flow.TunFlagOAM
		}
		flags |= flow.TunFlagGeneve
		present, e := MapOptions(opts, m, tun)
		if e != DecapOK {
			return 0, 0, e
		}
		flags |= present
		vni, inner = g.VNI(), g.HeaderLen()
	case TypeVXLAN:
		v := VXLAN(payload)
		if !v.IsValid() {
			return 0, 0, DecapMalformedTunnel
		}
		if v.Flags() != VXLANFlagI || v.Reserved() != 0 {
			return 0, 0, DecapBadVersion
		}
		vni, inner = v.VNI(), VXLANSize
	default:
		return 0, 0, DecapMalformedTunnel
	}
	if len(payload)-inner < ethLen {
		return 0, 0, DecapMalformedTunnel
	}
	tun.SetTunID(uint64(vni))
	tun.SetTunSrc(ip.Src())
	tun.SetTunDst(ip.Dst())
	tun.SetTunTos(ip.TOS())
	tun.SetTunTTL(ip.TTL())
	tun.SetTunTpSrc(udp.SrcPort())
	tun.SetTunTpDst(udp.DstPort())
	tun.SetTunFlags(flags)
	// The inner frame ends where the UDP payload ends (trailing
	// Ethernet padding of the outer frame is not part of it).
	return ethLen + hl + udpLen + inner, ethLen + hl + ul, DecapOK
}

// MapOptions stores the Geneve options of opts (well-formed TLVs) that
// the TLV map m maps into tun's tun_metadata slot at their fields'
// offsets, and returns the presence bits (flow.TunFlagOptPresent shifted
// by the field's first 4-byte chunk) of those present, as OVS's
// tun_metadata_from_geneve__: an unmapped option is ignored unless its
// type has the critical bit (DecapCriticalOption); a mapped (class, type)
// with another length is DecapOptionLength. Allocation-free.
func MapOptions(opts []byte, m *tlv.Map, tun *flow.Key) (present uint16, e DecapError) {
	var md [flow.TunMetadataLen]byte
	for len(opts) > 0 {
		o, rest, ok := NextOption(opts)
		if !ok {
			return 0, DecapMalformedTunnel
		}
		opts = rest
		f, mapped := m.FindClassType(o.Class, o.Type)
		switch {
		case !mapped && o.Type&GeneveOptCritical != 0:
			return 0, DecapCriticalOption
		case !mapped:
			continue
		case int(f.Len) != len(o.Data):
			return 0, DecapOptionLength
		}
		copy(md[f.Offset:], o.Data)
		present |= flow.TunFlagOptPresent << (f.Offset / 4)
	}
	tun.SetTunMetadata(md)
	return present, DecapOK
}
