package header

import "encoding/binary"

// SCTP is an SCTP common header view (RFC 9260): src(2) dst(2) vtag(4)
// checksum(4), followed by chunks; the checksum is CRC32c over the whole
// SCTP packet.
type SCTP []byte

// SCTP offsets and constants.
const (
	sctpSrc  = 0
	sctpDst  = 2
	sctpVTag = 4
	sctpCsum = 8
	// SCTPSize is the size of the common header.
	SCTPSize = 12
)

// IsValid reports whether s holds a whole common header.
func (s SCTP) IsValid() bool { return len(s) >= SCTPSize }

// SrcPort returns the source port.
func (s SCTP) SrcPort() uint16 { return binary.BigEndian.Uint16(s[sctpSrc:]) }

// DstPort returns the destination port.
func (s SCTP) DstPort() uint16 { return binary.BigEndian.Uint16(s[sctpDst:]) }

// VerificationTag returns the verification tag.
func (s SCTP) VerificationTag() uint32 { return binary.BigEndian.Uint32(s[sctpVTag:]) }

// Checksum returns the stored CRC32c. SCTP stores the CRC least
// significant byte first (RFC 9260 Appendix A; Linux and OVS do the same).
func (s SCTP) Checksum() uint32 { return binary.LittleEndian.Uint32(s[sctpCsum:]) }

// SetChecksum stores a CRC32c as Checksum reads it.
func (s SCTP) SetChecksum(c uint32) { binary.LittleEndian.PutUint32(s[sctpCsum:], c) }

// sctpZeroCsum stands in for the checksum field while computing the CRC.
var sctpZeroCsum [4]byte

// CalculateChecksum returns the CRC32c of the whole packet s with the
// checksum field taken as zero.
func (s SCTP) CalculateChecksum() uint32 {
	c := CRC32c(s[:sctpCsum])
	c = CRC32cUpdate(c, sctpZeroCsum[:])
	return CRC32cUpdate(c, s[SCTPSize:])
}

// SetPortsWithChecksumUpdate sets both ports and fixes the CRC the way OVS
// does (packet_set_sctp_port): a packet whose CRC was wrong stays wrong by
// the same difference, a correct one stays correct.
func (s SCTP) SetPortsWithChecksumUpdate(src, dst uint16) {
	old := s.Checksum()
	oldCorrect := s.CalculateChecksum()
	binary.BigEndian.PutUint16(s[sctpSrc:], src)
	binary.BigEndian.PutUint16(s[sctpDst:], dst)
	s.SetChecksum(old ^ oldCorrect ^ s.CalculateChecksum())
}
