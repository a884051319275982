package header

import "encoding/binary"

// IPv4 is an IPv4 header view (RFC 791).
type IPv4 []byte

// IPv4 offsets and constants.
const (
	ipv4VerIHL   = 0
	ipv4TOS      = 1
	ipv4TotalLen = 2
	ipv4ID       = 4
	ipv4FragOff  = 6
	ipv4TTL      = 8
	ipv4Proto    = 9
	ipv4Csum     = 10
	ipv4Src      = 12
	ipv4Dst      = 16

	// IPv4MinSize is the size of a header without options.
	IPv4MinSize = 20
	// IPv4Version is the version nibble value.
	IPv4Version = 4
	ipv4IHLMask = 0x0f
	ipv4IHLUnit = 4
	// IPv4FlagMF is the more-fragments flag in the flags/offset word.
	IPv4FlagMF uint16 = 0x2000
	// IPv4FlagDF is the don't-fragment flag.
	IPv4FlagDF uint16 = 0x4000
	// IPv4FragOffMask selects the fragment offset.
	IPv4FragOffMask uint16 = 0x1fff
)

// IP protocol numbers.
const (
	ProtoHopOpts  uint8 = 0
	ProtoICMPv4   uint8 = 1
	ProtoIGMP     uint8 = 2
	ProtoTCP      uint8 = 6
	ProtoUDP      uint8 = 17
	ProtoRouting  uint8 = 43
	ProtoFragment uint8 = 44
	ProtoAH       uint8 = 51
	ProtoICMPv6   uint8 = 58
	ProtoNoNext   uint8 = 59
	ProtoDstOpts  uint8 = 60
	ProtoSCTP     uint8 = 132
)

// IsValid reports whether b is a usable IPv4 header inside a packet of pktLen
// bytes starting at b[0] (len(b) >= pktLen), with OVS's ipv4_sanity_check
// rules: at least IPv4MinSize bytes, IHL >= 5, the header and the total
// length inside the packet, header within the total length. Like OVS it
// does not check the version nibble (see HasVersion4).
func (b IPv4) IsValid(pktLen int) bool {
	if pktLen > len(b) || pktLen < IPv4MinSize {
		return false
	}
	hl := b.HeaderLen()
	tl := int(b.TotalLen())
	return hl >= IPv4MinSize && hl <= pktLen && tl <= pktLen && hl <= tl
}

// HasVersion4 reports whether the version nibble is 4.
func (b IPv4) HasVersion4() bool { return b[ipv4VerIHL]>>4 == IPv4Version }

// HeaderLen returns the header length in bytes (IHL*4).
func (b IPv4) HeaderLen() int { return int(b[ipv4VerIHL]&ipv4IHLMask) * ipv4IHLUnit }

// TOS returns the type-of-service byte (DSCP and ECN).
func (b IPv4) TOS() uint8 { return b[ipv4TOS] }

// TotalLen returns the total length field.
func (b IPv4) TotalLen() uint16 { return binary.BigEndian.Uint16(b[ipv4TotalLen:]) }

// ID returns the identification field.
func (b IPv4) ID() uint16 { return binary.BigEndian.Uint16(b[ipv4ID:]) }

// FlagsFragOff returns the flags and fragment offset word.
func (b IPv4) FlagsFragOff() uint16 { return binary.BigEndian.Uint16(b[ipv4FragOff:]) }

// IsFragment reports whether MF is set or the offset is non-zero.
func (b IPv4) IsFragment() bool { return b.FlagsFragOff()&(IPv4FlagMF|IPv4FragOffMask) != 0 }

// IsLaterFragment reports whether the fragment offset is non-zero.
func (b IPv4) IsLaterFragment() bool { return b.FlagsFragOff()&IPv4FragOffMask != 0 }

// TTL returns the time to live.
func (b IPv4) TTL() uint8 { return b[ipv4TTL] }

// Protocol returns the protocol field.
func (b IPv4) Protocol() uint8 { return b[ipv4Proto] }

// Checksum returns the header checksum field.
func (b IPv4) Checksum() uint16 { return binary.BigEndian.Uint16(b[ipv4Csum:]) }

// Src returns the source address.
func (b IPv4) Src() uint32 { return binary.BigEndian.Uint32(b[ipv4Src:]) }

// Dst returns the destination address.
func (b IPv4) Dst() uint32 { return binary.BigEndian.Uint32(b[ipv4Dst:]) }

// SetChecksum sets the header checksum field.
func (b IPv4) SetChecksum(c uint16) { binary.BigEndian.PutUint16(b[ipv4Csum:], c) }

// CalculateChecksum returns the correct header checksum (computed over
// HeaderLen bytes with the checksum field taken as zero).
func (b IPv4) CalculateChecksum() uint16 {
	hl := b.HeaderLen()
	s := Checksum(b[:ipv4Csum], 0)
	s = Checksum(b[ipv4Csum+2:hl], s)
	return ^s
}

// SetSrcWithChecksumUpdate sets the source address and updates the header
// checksum incrementally. It returns the old address.
func (b IPv4) SetSrcWithChecksumUpdate(a uint32) (old uint32) {
	old = b.Src()
	binary.BigEndian.PutUint32(b[ipv4Src:], a)
	b.SetChecksum(ChecksumUpdate32(b.Checksum(), old, a))
	return old
}

// SetDstWithChecksumUpdate sets the destination address and updates the
// header checksum incrementally. It returns the old address.
func (b IPv4) SetDstWithChecksumUpdate(a uint32) (old uint32) {
	old = b.Dst()
	binary.BigEndian.PutUint32(b[ipv4Dst:], a)
	b.SetChecksum(ChecksumUpdate32(b.Checksum(), old, a))
	return old
}

// SetTOSWithChecksumUpdate sets the whole TOS byte.
func (b IPv4) SetTOSWithChecksumUpdate(tos uint8) {
	old := binary.BigEndian.Uint16(b[ipv4VerIHL:])
	b[ipv4TOS] = tos
	b.SetChecksum(ChecksumUpdate16(b.Checksum(), old, binary.BigEndian.Uint16(b[ipv4VerIHL:])))
}

// SetTTLWithChecksumUpdate sets the TTL.
func (b IPv4) SetTTLWithChecksumUpdate(ttl uint8) {
	old := binary.BigEndian.Uint16(b[ipv4TTL:])
	b[ipv4TTL] = ttl
	b.SetChecksum(ChecksumUpdate16(b.Checksum(), old, binary.BigEndian.Uint16(b[ipv4TTL:])))
}
