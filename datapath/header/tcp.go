package header

import "encoding/binary"

// TCP is a TCP header view (RFC 9293).
type TCP []byte

// TCP offsets and constants.
const (
	tcpSrc     = 0
	tcpDst     = 2
	tcpSeq     = 4
	tcpAck     = 8
	tcpDataOff = 12
	tcpCsum    = 16
	// TCPMinSize is the size of a header without options.
	TCPMinSize = 20
	// TCPFlagsMask selects the 12 flag bits of the offset/flags word
	// (as OVS's tcp_flags).
	TCPFlagsMask  uint16 = 0x0fff
	tcpOffShift          = 12
	tcpOffUnit           = 4
	tcpOffMaskInW uint16 = 0xf000
)

// IsValid reports whether t holds a whole TCP header including options.
func (t TCP) IsValid() bool {
	if len(t) < TCPMinSize {
		return false
	}
	hl := t.HeaderLen()
	return hl >= TCPMinSize && hl <= len(t)
}

// SrcPort returns the source port.
func (t TCP) SrcPort() uint16 { return binary.BigEndian.Uint16(t[tcpSrc:]) }

// DstPort returns the destination port.
func (t TCP) DstPort() uint16 { return binary.BigEndian.Uint16(t[tcpDst:]) }

// Seq returns the sequence number.
func (t TCP) Seq() uint32 { return binary.BigEndian.Uint32(t[tcpSeq:]) }

// Ack returns the acknowledgement number.
func (t TCP) Ack() uint32 { return binary.BigEndian.Uint32(t[tcpAck:]) }

// HeaderLen returns the data offset in bytes.
func (t TCP) HeaderLen() int {
	return int(binary.BigEndian.Uint16(t[tcpDataOff:])&tcpOffMaskInW>>tcpOffShift) * tcpOffUnit
}

// Flags returns the 12 flag bits.
func (t TCP) Flags() uint16 { return binary.BigEndian.Uint16(t[tcpDataOff:]) & TCPFlagsMask }

// Checksum returns the checksum field.
func (t TCP) Checksum() uint16 { return binary.BigEndian.Uint16(t[tcpCsum:]) }

// SetChecksum sets the checksum field.
func (t TCP) SetChecksum(c uint16) { binary.BigEndian.PutUint16(t[tcpCsum:], c) }

// SetSrcPortWithChecksumUpdate sets the source port, updating the checksum.
func (t TCP) SetSrcPortWithChecksumUpdate(p uint16) {
	old := t.SrcPort()
	binary.BigEndian.PutUint16(t[tcpSrc:], p)
	t.SetChecksum(ChecksumUpdate16(t.Checksum(), old, p))
}

// SetDstPortWithChecksumUpdate sets the destination port, updating the checksum.
func (t TCP) SetDstPortWithChecksumUpdate(p uint16) {
	old := t.DstPort()
	binary.BigEndian.PutUint16(t[tcpDst:], p)
	t.SetChecksum(ChecksumUpdate16(t.Checksum(), old, p))
}
