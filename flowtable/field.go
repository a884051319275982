package flowtable

import "encoding/binary"

// maxFieldBytes is the widest field value (IPv6 addresses).
const maxFieldBytes = 16

// Value holds a field value or mask: the field's n bytes, big-endian,
// left-aligned (Value[:Field.Bytes]), as OVS union mf_value.
type Value [maxFieldBytes]byte

// FieldKind says how a field's value is written in text (OVS enum
// mf_string).
type FieldKind uint8

// Field text kinds.
const (
	KindDecimal FieldKind = iota
	KindHex
	KindEthernet
	KindIPv4
	KindIPv6
	KindOFPort
	KindFrag
	KindTCPFlags
	// KindTunFlags is tun_flags: +oam/-oam (OVS's public tunnel flags).
	KindTunFlags
)

// Prereq is a field's prerequisite on other fields (OVS enum mf_prereqs).
type Prereq uint8

// Prerequisites.
const (
	PrereqNone Prereq = iota
	PrereqEthernet
	PrereqARP
	PrereqIPv4
	PrereqIPv6
	PrereqIPAny
	PrereqTCP
	PrereqUDP
	PrereqSCTP
	PrereqICMPv4
	PrereqICMPv6
	PrereqND
	PrereqNDSolicit
	PrereqNDAdvert
	PrereqVLANVID
)

// Field describes one OpenFlow match field: its names, width, text form,
// maskability, prerequisites, which protocols can express it, and how it
// maps onto Match. Fields are immutable and shared.
type Field struct {
	Name     string // canonical name, as printed
	Alias    string // "aka" name, or ""
	NXMName  string // NXM/OXM name used by load/move formatting
	Bytes    int    // value width in bytes
	Bits     int    // significant bits (n_bits)
	Kind     FieldKind
	Maskable bool
	Writable bool
	Prereq   Prereq
	// Usable protocols for an exact match, a CIDR mask and an arbitrary
	// bitwise mask (mf_field usable_protocols_*).
	Exact, CIDR, Bitwise Protocols

	get func(m *Match) (v, mask Value)
	set func(m *Match, v, mask Value)
}

// Get returns the field's value and mask in m.
func (f *Field) Get(m *Match) (v, mask Value) { return f.get(m) }

// Set sets the field in m to v/mask (mask all-ones: exact; all-zeros:
// wildcard), as OVS mf_set, and returns the protocols that can express it.
func (f *Field) Set(m *Match, v, mask Value) Protocols {
	switch {
	case isAllOnes(mask[:f.Bytes]):
		f.set(m, v, mask)
		return f.Exact
	case isAllZeros(mask[:f.Bytes]):
		f.set(m, Value{}, Value{})
		return ProtoAny
	}
	f.set(m, v, mask)
	if f.isCIDRMask(mask) {
		return f.CIDR
	}
	return f.Bitwise
}

func (f *Field) isCIDRMask(mask Value) bool {
	seenZero := false
	for _, c := range mask[:f.Bytes] {
		for bit := 7; bit >= 0; bit-- {
			one := c&(1<<uint(bit)) != 0
			if one && seenZero {
				return false
			}
			if !one {
				seenZero = true
			}
		}
	}
	return true
}

func isAllOnes(b []byte) bool {
	for _, c := range b {
		if c != 0xff {
			return false
		}
	}
	return true
}

func isAllZeros(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Value helpers (big-endian, left-aligned).
func vU8(v Value) uint8          { return v[0] }
func vU16(v Value) uint16        { return binary.BigEndian.Uint16(v[:]) }
func vU32(v Value) uint32        { return binary.BigEndian.Uint32(v[:]) }
func vU64(v Value) uint64        { return binary.BigEndian.Uint64(v[:]) }
func vMAC(v Value) (a [6]byte)   { copy(a[:], v[:6]); return }
func vIPv6(v Value) (a [16]byte) { return a16(v) }
func a16(v Value) (a [16]byte)   { copy(a[:], v[:]); return }
func pU8(x uint8) (v Value)      { v[0] = x; return }
func pU16(x uint16) (v Value)    { binary.BigEndian.PutUint16(v[:], x); return }
func pU32(x uint32) (v Value)    { binary.BigEndian.PutUint32(v[:], x); return }
func pU64(x uint64) (v Value)    { binary.BigEndian.PutUint64(v[:], x); return }
func pMAC(a [6]byte) (v Value)   { copy(v[:], a[:]); return }
func pIPv6(a [16]byte) (v Value) { copy(v[:], a[:]); return }
func mac64(a [6]byte) uint64     { var b [8]byte; copy(b[2:], a[:]); return binary.BigEndian.Uint64(b[:]) }
func and6(a, b [6]byte) (r [6]byte) {
	for i := range r {
		r[i] = a[i] & b[i]
	}
	return
}
func and16(a, b [16]byte) (r [16]byte) {
	for i := range r {
		r[i] = a[i] & b[i]
	}
	return
}
