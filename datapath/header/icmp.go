package header

import "encoding/binary"

// ICMPv4 is an ICMPv4 header view: type(1) code(1) checksum(2) rest(4).
type ICMPv4 []byte

// ICMP offsets and constants (shared by ICMPv4, ICMPv6 and IGMP).
const (
	icmpType = 0
	icmpCode = 1
	icmpCsum = 2
	// ICMPv4MinSize is the size OVS requires (ICMP_HEADER_LEN).
	ICMPv4MinSize = 8
	// ICMPv6MinSize is the size OVS requires (icmp6_data_header).
	ICMPv6MinSize = 8
	// IGMPMinSize is the size OVS requires (IGMP_HEADER_LEN).
	IGMPMinSize = 8
)

// IsValid reports whether the header is present.
func (i ICMPv4) IsValid() bool { return len(i) >= ICMPv4MinSize }

// Type returns the type.
func (i ICMPv4) Type() uint8 { return i[icmpType] }

// Code returns the code.
func (i ICMPv4) Code() uint8 { return i[icmpCode] }

// Checksum returns the checksum field.
func (i ICMPv4) Checksum() uint16 { return binary.BigEndian.Uint16(i[icmpCsum:]) }

// SetTypeWithChecksumUpdate sets the type, updating the checksum.
func (i ICMPv4) SetTypeWithChecksumUpdate(t uint8) { setICMPByte(i, icmpType, t) }

// SetCodeWithChecksumUpdate sets the code, updating the checksum.
func (i ICMPv4) SetCodeWithChecksumUpdate(c uint8) { setICMPByte(i, icmpCode, c) }

func setICMPByte(b []byte, off int, v uint8) {
	old := binary.BigEndian.Uint16(b[icmpType:])
	b[off] = v
	c := ChecksumUpdate16(binary.BigEndian.Uint16(b[icmpCsum:]), old, binary.BigEndian.Uint16(b[icmpType:]))
	binary.BigEndian.PutUint16(b[icmpCsum:], c)
}

// ICMPv6 is an ICMPv6 header view: type(1) code(1) checksum(2) data(4).
type ICMPv6 []byte

// ICMPv6 types OVS treats specially (Neighbor Discovery, RFC 4861).
const (
	ICMPv6NeighborSolicit uint8 = 135
	ICMPv6NeighborAdvert  uint8 = 136
)

// IsValid reports whether the header (with its 4 data bytes) is present.
func (i ICMPv6) IsValid() bool { return len(i) >= ICMPv6MinSize }

// Type returns the type.
func (i ICMPv6) Type() uint8 { return i[icmpType] }

// Code returns the code.
func (i ICMPv6) Code() uint8 { return i[icmpCode] }

// Checksum returns the checksum field.
func (i ICMPv6) Checksum() uint16 { return binary.BigEndian.Uint16(i[icmpCsum:]) }

// SetTypeWithChecksumUpdate sets the type, updating the checksum (the
// pseudo header does not cover the type, so this is exact).
func (i ICMPv6) SetTypeWithChecksumUpdate(t uint8) { setICMPByte(i, icmpType, t) }

// SetCodeWithChecksumUpdate sets the code, updating the checksum.
func (i ICMPv6) SetCodeWithChecksumUpdate(c uint8) { setICMPByte(i, icmpCode, c) }

// IsND reports whether the message is a neighbor solicitation or
// advertisement with code 0 (what OVS parses as ND).
func (i ICMPv6) IsND() bool {
	return i.Code() == 0 && (i.Type() == ICMPv6NeighborSolicit || i.Type() == ICMPv6NeighborAdvert)
}

// NDP is the body of a neighbor solicitation/advertisement after the
// 8-byte ICMPv6 header: target(16) options.
type NDP []byte

// ND constants.
const (
	// NDTargetSize is the size of the target address.
	NDTargetSize = 16
	// NDOptUnit is the unit of option lengths.
	NDOptUnit = 8
	// NDOptSourceLinkAddr and NDOptTargetLinkAddr are the link-layer
	// address option types.
	NDOptSourceLinkAddr uint8 = 1
	NDOptTargetLinkAddr uint8 = 2
	ndOptType                 = 0
	ndOptLen                  = 1
	ndOptLLA                  = 2
	// NDLLAOptSize is the size of an Ethernet link-layer address option.
	NDLLAOptSize = 8
)

// IsValid reports whether the target address is present.
func (n NDP) IsValid() bool { return len(n) >= NDTargetSize }

// Target returns the target address bytes (aliasing n).
func (n NDP) Target() []byte { return n[:NDTargetSize] }

// Options returns the options area.
func (n NDP) Options() NDOptions { return NDOptions(n[NDTargetSize:]) }

// NDOptions is a sequence of ND options.
type NDOptions []byte

// Next returns the first option (type, whole length in bytes, body after
// the type/len bytes) and the rest. ok is false when fewer than NDOptUnit
// bytes remain, or the option's length is zero or runs past the end (OVS
// stops parsing there).
func (o NDOptions) Next() (typ uint8, l int, body []byte, rest NDOptions, ok bool) {
	if len(o) < NDOptUnit {
		return 0, 0, nil, nil, false
	}
	l = int(o[ndOptLen]) * NDOptUnit
	if l == 0 || l > len(o) {
		return 0, 0, nil, nil, false
	}
	return o[ndOptType], l, o[ndOptLLA:l], o[l:], true
}
