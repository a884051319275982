package tunnel

import "encoding/binary"

// VXLAN is a VXLAN header view (RFC 7348 §5).
//
//	|R|R|R|R|I|R|R|R|            Reserved                           |
//	|                VXLAN Network Identifier (VNI) |   Reserved    |
type VXLAN []byte

// VXLAN offsets and constants.
const (
	vxlanFlags = 0
	vxlanVNI   = 4

	// VXLANSize is the header size.
	VXLANSize = 8
	// VXLANFlagI is the I flag word: the VNI is valid.
	VXLANFlagI uint32 = 0x08000000
)

// IsValid reports whether v holds a whole header.
func (v VXLAN) IsValid() bool { return len(v) >= VXLANSize }

// Flags is the first 32-bit word (flags and reserved bits).
func (v VXLAN) Flags() uint32 { return binary.BigEndian.Uint32(v[vxlanFlags:]) }

// VNI is the 24-bit network identifier.
func (v VXLAN) VNI() uint32 { return binary.BigEndian.Uint32(v[vxlanVNI:]) >> 8 }

// Reserved is the low byte of the second word (must be zero).
func (v VXLAN) Reserved() uint8 { return v[vxlanVNI+3] }

// Init writes a header with the I flag and vni.
func (v VXLAN) Init(vni uint32) {
	binary.BigEndian.PutUint32(v[vxlanFlags:], VXLANFlagI)
	binary.BigEndian.PutUint32(v[vxlanVNI:], vni<<8)
}
