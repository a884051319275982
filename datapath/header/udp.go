package header

import "encoding/binary"

// UDP is a UDP header view (RFC 768).
type UDP []byte

// UDP offsets and constants.
const (
	udpSrc  = 0
	udpDst  = 2
	udpLen  = 4
	udpCsum = 6
	// UDPSize is the header size.
	UDPSize = 8
	// UDPChecksumNone is the "no checksum" value (IPv4 only); a computed
	// checksum of zero is sent as UDPChecksumZero instead.
	UDPChecksumNone uint16 = 0
	// UDPChecksumZero is the stored form of a computed zero checksum.
	UDPChecksumZero uint16 = 0xffff
)

// IsValid reports whether u holds a whole UDP header.
func (u UDP) IsValid() bool { return len(u) >= UDPSize }

// SrcPort returns the source port.
func (u UDP) SrcPort() uint16 { return binary.BigEndian.Uint16(u[udpSrc:]) }

// DstPort returns the destination port.
func (u UDP) DstPort() uint16 { return binary.BigEndian.Uint16(u[udpDst:]) }

// Length returns the length field.
func (u UDP) Length() uint16 { return binary.BigEndian.Uint16(u[udpLen:]) }

// Checksum returns the checksum field.
func (u UDP) Checksum() uint16 { return binary.BigEndian.Uint16(u[udpCsum:]) }

// SetChecksum sets the checksum field.
func (u UDP) SetChecksum(c uint16) { binary.BigEndian.PutUint16(u[udpCsum:], c) }

// UpdateChecksum16 applies an RFC 1624 update for a covered 16-bit word
// changing old→new, keeping "no checksum" (0) as is and storing a
// computed 0 as 0xffff.
func (u UDP) UpdateChecksum16(old, new uint16) {
	if c := u.Checksum(); c != UDPChecksumNone {
		u.SetChecksum(udpNonZero(ChecksumUpdate16(c, old, new)))
	}
}

// UpdateChecksum32 is UpdateChecksum16 for a 32-bit word (IPv4 address).
func (u UDP) UpdateChecksum32(old, new uint32) {
	if c := u.Checksum(); c != UDPChecksumNone {
		u.SetChecksum(udpNonZero(ChecksumUpdate32(c, old, new)))
	}
}

func udpNonZero(c uint16) uint16 {
	if c == UDPChecksumNone {
		return UDPChecksumZero
	}
	return c
}

// SetSrcPortWithChecksumUpdate sets the source port, updating the checksum.
func (u UDP) SetSrcPortWithChecksumUpdate(p uint16) {
	old := u.SrcPort()
	binary.BigEndian.PutUint16(u[udpSrc:], p)
	u.UpdateChecksum16(old, p)
}

// SetDstPortWithChecksumUpdate sets the destination port, updating the checksum.
func (u UDP) SetDstPortWithChecksumUpdate(p uint16) {
	old := u.DstPort()
	binary.BigEndian.PutUint16(u[udpDst:], p)
	u.UpdateChecksum16(old, p)
}
