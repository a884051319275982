package tunnel

import "encoding/binary"

// Geneve is a Geneve header view (RFC 8926 §3.4): the 8-byte base header
// followed by OptLen() bytes of option TLVs.
//
//	 0                   1                   2                   3
//	|Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
//	|        Virtual Network Identifier (VNI)       |    Reserved   |
//	|                    Variable-Length Options                    |
type Geneve []byte

// Geneve offsets and constants.
const (
	geneveVerOptLen = 0 // ver(2) opt_len(6)
	geneveFlags     = 1 // O(1) C(1) reserved(6)
	geneveProto     = 2
	geneveVNI       = 4 // vni(24) reserved(8)

	// GeneveBaseSize is the size of the base header.
	GeneveBaseSize = 8
	// GeneveMaxOptLen is the largest option area (6-bit length in words).
	GeneveMaxOptLen = 63 * 4
	// GeneveVersion is the only version defined.
	GeneveVersion = 0
	// GeneveFlagOAM is the O bit: a control packet.
	GeneveFlagOAM = 0x80
	// GeneveFlagCritical is the C bit: some option is critical.
	GeneveFlagCritical = 0x40
	// ProtoTEB is Transparent Ethernet Bridging, the protocol of an
	// Ethernet payload.
	ProtoTEB = 0x6558
	// GeneveOptCritical is the critical bit of an option's type.
	GeneveOptCritical = 0x80

	geneveOptClass  = 0
	geneveOptType   = 2
	geneveOptLen    = 3 // reserved(3) length(5), in 4-byte words
	geneveOptHdrLen = 4
)

// IsValid reports whether g holds the base header and its options.
func (g Geneve) IsValid() bool {
	return len(g) >= GeneveBaseSize && len(g) >= g.HeaderLen()
}

// Version is the 2-bit version.
func (g Geneve) Version() uint8 { return g[geneveVerOptLen] >> 6 }

// OptLen is the length of the options in bytes.
func (g Geneve) OptLen() int { return int(g[geneveVerOptLen]&0x3f) * 4 }

// HeaderLen is the base header plus options.
func (g Geneve) HeaderLen() int { return GeneveBaseSize + g.OptLen() }

// OAM reports the O bit.
func (g Geneve) OAM() bool { return g[geneveFlags]&GeneveFlagOAM != 0 }

// Critical reports the C bit.
func (g Geneve) Critical() bool { return g[geneveFlags]&GeneveFlagCritical != 0 }

// Proto is the protocol type of the payload.
func (g Geneve) Proto() uint16 { return binary.BigEndian.Uint16(g[geneveProto:]) }

// VNI is the 24-bit virtual network identifier.
func (g Geneve) VNI() uint32 { return binary.BigEndian.Uint32(g[geneveVNI:]) >> 8 }

// Options returns the option TLV bytes.
func (g Geneve) Options() []byte { return g[GeneveBaseSize:g.HeaderLen()] }

// Init writes a base header with opts (len(opts) a multiple of 4, at most
// GeneveMaxOptLen; g must hold GeneveBaseSize+len(opts) bytes). The C bit
// is set when any option is critical.
func (g Geneve) Init(vni uint32, oam bool, opts []byte) {
	g[geneveVerOptLen] = GeneveVersion<<6 | uint8(len(opts)/4)&0x3f
	var f uint8
	if oam {
		f |= GeneveFlagOAM
	}
	if OptionsCritical(opts) {
		f |= GeneveFlagCritical
	}
	g[geneveFlags] = f
	binary.BigEndian.PutUint16(g[geneveProto:], ProtoTEB)
	binary.BigEndian.PutUint32(g[geneveVNI:], vni<<8)
	copy(g[GeneveBaseSize:], opts)
}

// GeneveOption is one option TLV.
type GeneveOption struct {
	Class uint16
	Type  uint8
	Data  []byte // a multiple of 4 bytes, at most 124
}

// NextOption parses the option at the start of opts and returns it and
// the rest; ok is false when opts is too short for the option it starts.
func NextOption(opts []byte) (o GeneveOption, rest []byte, ok bool) {
	if len(opts) < geneveOptHdrLen {
		return o, nil, false
	}
	n := geneveOptHdrLen + int(opts[geneveOptLen]&0x1f)*4
	if len(opts) < n {
		return o, nil, false
	}
	o.Class = binary.BigEndian.Uint16(opts[geneveOptClass:])
	o.Type = opts[geneveOptType]
	o.Data = opts[geneveOptHdrLen:n]
	return o, opts[n:], true
}

// ValidOptions reports whether opts is a whole number of option TLVs.
func ValidOptions(opts []byte) bool {
	for len(opts) > 0 {
		var ok bool
		if _, opts, ok = NextOption(opts); !ok {
			return false
		}
	}
	return true
}

// OptionsCritical reports whether some option of opts has the critical
// type bit (a malformed tail is ignored).
func OptionsCritical(opts []byte) bool {
	for len(opts) > 0 {
		o, rest, ok := NextOption(opts)
		if !ok {
			return false
		}
		if o.Type&GeneveOptCritical != 0 {
			return true
		}
		opts = rest
	}
	return false
}

// AppendOption appends one option TLV (len(data) a multiple of 4, at most
// 124 bytes) to b.
func AppendOption(b []byte, class uint16, typ uint8, data []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, class)
	b = append(b, typ, uint8(len(data)/4)&0x1f)
	return append(b, data...)
}
