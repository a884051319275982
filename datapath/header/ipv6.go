package header

import "encoding/binary"

// IPv6 is an IPv6 fixed header view (RFC 8200):
// ver/tc/label(4) payload_len(2) next(1) hlim(1) src(16) dst(16).
type IPv6 []byte

// IPv6 offsets and constants.
const (
	ipv6VerTCFlow = 0
	ipv6PayloadLn = 4
	ipv6Next      = 6
	ipv6HopLimit  = 7
	ipv6Src       = 8
	ipv6Dst       = 24

	// IPv6FixedHeaderSize is the size of the fixed header.
	IPv6FixedHeaderSize = 40
	// IPv6AddrLen is the size of an address.
	IPv6AddrLen = 16
	// IPv6LabelMask selects the flow label in the first word.
	IPv6LabelMask uint32 = 0x000fffff
	ipv6TCShift          = 20
)

// IsValid reports whether b is a usable IPv6 header inside a packet of pktLen
// bytes (len(b) >= pktLen), with OVS's ipv6_sanity_check rules: the fixed
// header and the payload length fit. Like OVS it does not check the version.
func (b IPv6) IsValid(pktLen int) bool {
	return pktLen <= len(b) && pktLen >= IPv6FixedHeaderSize &&
		int(b.PayloadLen())+IPv6FixedHeaderSize <= pktLen
}

// TrafficClass returns the traffic class byte.
func (b IPv6) TrafficClass() uint8 {
	return uint8(binary.BigEndian.Uint32(b[ipv6VerTCFlow:]) >> ipv6TCShift)
}

// FlowLabel returns the 20-bit flow label.
func (b IPv6) FlowLabel() uint32 { return binary.BigEndian.Uint32(b[ipv6VerTCFlow:]) & IPv6LabelMask }

// PayloadLen returns the payload length field.
func (b IPv6) PayloadLen() uint16 { return binary.BigEndian.Uint16(b[ipv6PayloadLn:]) }

// NextHeader returns the next header field.
func (b IPv6) NextHeader() uint8 { return b[ipv6Next] }

// HopLimit returns the hop limit.
func (b IPv6) HopLimit() uint8 { return b[ipv6HopLimit] }

// SetHopLimit sets the hop limit (IPv6 has no header checksum).
func (b IPv6) SetHopLimit(h uint8) { b[ipv6HopLimit] = h }

// Src returns the source address bytes (aliasing b).
func (b IPv6) Src() []byte { return b[ipv6Src : ipv6Src+IPv6AddrLen] }

// Dst returns the destination address bytes (aliasing b).
func (b IPv6) Dst() []byte { return b[ipv6Dst : ipv6Dst+IPv6AddrLen] }

// IsIPv6ExtHeader reports whether proto is an extension header OVS walks
// (hop-by-hop, routing, fragment, destination options, AH).
func IsIPv6ExtHeader(proto uint8) bool {
	switch proto {
	case ProtoHopOpts, ProtoRouting, ProtoFragment, ProtoDstOpts, ProtoAH:
		return true
	}
	return false
}

// IPv6ExtHdr is a view of a hop-by-hop, routing or destination options
// extension header: next(1) len(1, in 8-byte units, not counting the first
// 8 bytes) data.
type IPv6ExtHdr []byte

// IPv6 extension header constants.
const (
	ipv6ExtNext = 0
	ipv6ExtLen  = 1
	// IPv6ExtMinSize is the minimum size of any extension header.
	IPv6ExtMinSize = 8
	ipv6ExtUnit    = 8
	ipv6AHUnit     = 4
	ipv6AHBias     = 2
)

// IsValid reports whether the first IPv6ExtMinSize bytes are present (the
// fields this view reads). Compare Len with the space left before skipping.
func (e IPv6ExtHdr) IsValid() bool { return len(e) >= IPv6ExtMinSize }

// NextHeader returns the next header field.
func (e IPv6ExtHdr) NextHeader() uint8 { return e[ipv6ExtNext] }

// Len returns the whole header length in bytes ((len+1)*8).
func (e IPv6ExtHdr) Len() int { return (int(e[ipv6ExtLen]) + 1) * ipv6ExtUnit }

// IPv6AH is an IPsec Authentication Header view (RFC 4302): same next
// header position as IPv6ExtHdr, length in 4-byte units minus 2.
type IPv6AH []byte

// IsValid reports whether the fixed part is present.
func (a IPv6AH) IsValid() bool { return len(a) >= IPv6ExtMinSize }

// NextHeader returns the next header field.
func (a IPv6AH) NextHeader() uint8 { return a[ipv6ExtNext] }

// Len returns the whole header length in bytes ((len+2)*4).
func (a IPv6AH) Len() int { return (int(a[ipv6ExtLen]) + ipv6AHBias) * ipv6AHUnit }

// IPv6Fragment is a fragment extension header view:
// next(1) reserved(1) offset/res/M(2) id(4).
type IPv6Fragment []byte

// IPv6 fragment header constants.
const (
	ipv6FragNext = 0
	ipv6FragOffM = 2
	ipv6FragID   = 4
	// IPv6FragmentSize is the size of the fragment header.
	IPv6FragmentSize = 8
	// IPv6FragOffMask selects the offset in the offset/M word.
	IPv6FragOffMask uint16 = 0xfff8
	// IPv6FragMore is the M (more fragments) flag.
	IPv6FragMore uint16 = 0x0001
)

// IsValid reports whether the header is present.
func (f IPv6Fragment) IsValid() bool { return len(f) >= IPv6FragmentSize }

// NextHeader returns the next header field.
func (f IPv6Fragment) NextHeader() uint8 { return f[ipv6FragNext] }

// OffsetFlags returns the raw offset/reserved/M word.
func (f IPv6Fragment) OffsetFlags() uint16 { return binary.BigEndian.Uint16(f[ipv6FragOffM:]) }

// ID returns the identification.
func (f IPv6Fragment) ID() uint32 { return binary.BigEndian.Uint32(f[ipv6FragID:]) }
