package ofp

import "govs/flowtable"

// NXM/OXM TLV header classes (OVS lib/nx-match.h, meta-flow.h).
const (
	nxmClassOF    = 0x0000 // NXM_OF_*
	nxmClassNX    = 0x0001 // NXM_NX_*
	oxmClassBasic = 0x8000 // OXM_OF_* (OFPXMC_OPENFLOW_BASIC)
	oxmClassExp   = 0xffff // experimenter OXM: a 32-bit experimenter id follows the header

	// ONFVendorID is the ONF experimenter id used by OVS for tcp_flags in
	// OpenFlow 1.3 (ONFOXM_ET_TCP_FLAGS).
	ONFVendorID = 0x4f4e4600

	nxmHeaderLen = 4
	nxmExpLen    = 4

	// NXM/OXM header layout: class(16) field(7) hasmask(1) length(8).
	nxmClassShift = 16
	nxmFieldShift = 9
	nxmFieldMask  = 0x7f
	nxmHasMaskBit = 1 << 8
	nxmLenMask    = 0xff

	// NXAST_REG_LOAD / OUTPUT_REG ofs_nbits: ofs<<6 | (n_bits-1).
	nxmOfsShift  = 6
	nxmNBitsMask = 0x3f

	dscpBits = 6
	pcpBits  = 3
)

// nxmHeader is a parsed 32-bit NXM/OXM header.
type nxmHeader struct {
	class   uint16
	field   uint8
	hasMask bool
	n       int // payload length, experimenter id included
}

func parseNXMHeader(h uint32) nxmHeader {
	return nxmHeader{
		class:   uint16(h >> nxmClassShift),
		field:   uint8(h>>nxmFieldShift) & nxmFieldMask,
		hasMask: h&nxmHasMaskBit != 0,
		n:       int(h & nxmLenMask),
	}
}

func makeNXMHeader(class uint16, field uint8, hasMask bool, n int) uint32 {
	h := uint32(class)<<nxmClassShift | uint32(field)<<nxmFieldShift | uint32(n)&nxmLenMask
	if hasMask {
		h |= nxmHasMaskBit
	}
	return h
}

// nxmFieldCookie is NXM_NX_COOKIE, which matches the flow cookie rather
// than packet fields; it is decoded into the flow mod, not the Match.
const nxmFieldCookie = 30

// wireConv says how a wire value differs from the flowtable field value.
type wireConv uint8

const (
	convNone   wireConv = iota
	convPort11          // 32-bit OpenFlow 1.1+ port number ↔ 16-bit in_port
)

// nxmField is one NXM/OXM header and the flowtable field it carries.
type nxmField struct {
	class uint16
	field uint8
	exp   uint32 // experimenter id for class 0xffff
	n     int    // value length on the wire
	name  string // flowtable field name
	conv  wireConv
	f     *flowtable.Field
}

func (d *nxmField) header(hasMask bool) uint32 {
	n := d.n
	if hasMask {
		n *= 2
	}
	if d.class == oxmClassExp {
		n += nxmExpLen
	}
	return makeNXMHeader(d.class, d.field, hasMask, n)
}

// nxmFields lists every header the codec understands. This table is
// keyed by flowtable field name; it would be better placed in flowtable's
// Field registry (see the package doc).
var nxmFields = []*nxmField{
	{class: nxmClassOF, field: 0, n: 2, name: "in_port"},
	{class: nxmClassOF, field: 1, n: 6, name: "eth_dst"},
	{class: nxmClassOF, field: 2, n: 6, name: "eth_src"},
	{class: nxmClassOF, field: 3, n: 2, name: "eth_type"},
	{class: nxmClassOF, field: 4, n: 2, name: "vlan_tci"},
	{class: nxmClassOF, field: 5, n: 1, name: "nw_tos"},
	{class: nxmClassOF, field: 6, n: 1, name: "nw_proto"},
	{class: nxmClassOF, field: 7, n: 4, name: "ip_src"},
	{class: nxmClassOF, field: 8, n: 4, name: "ip_dst"},
	{class: nxmClassOF, field: 9, n: 2, name: "tcp_src"},
	{class: nxmClassOF, field: 10, n: 2, name: "tcp_dst"},
	{class: nxmClassOF, field: 11, n: 2, name: "udp_src"},
	{class: nxmClassOF, field: 12, n: 2, name: "udp_dst"},
	{class: nxmClassOF, field: 13, n: 1, name: "icmp_type"},
	{class: nxmClassOF, field: 14, n: 1, name: "icmp_code"},
	{class: nxmClassOF, field: 15, n: 2, name: "arp_op"},
	{class: nxmClassOF, field: 16, n: 4, name: "arp_spa"},
	{class: nxmClassOF, field: 17, n: 4, name: "arp_tpa"},

	{class: nxmClassNX, field: 16, n: 8, name: "tun_id"},
	{class: nxmClassNX, field: 17, n: 6, name: "arp_sha"},
	{class: nxmClassNX, field: 18, n: 6, name: "arp_tha"},
	{class: nxmClassNX, field: 19, n: 16, name: "ipv6_src"},
	{class: nxmClassNX, field: 20, n: 16, name: "ipv6_dst"},
	{class: nxmClassNX, field: 21, n: 1, name: "icmpv6_type"},
	{class: nxmClassNX, field: 22, n: 1, name: "icmpv6_code"},
	{class: nxmClassNX, field: 23, n: 16, name: "nd_target"},
	{class: nxmClassNX, field: 24, n: 6, name: "nd_sll"},
	{class: nxmClassNX, field: 25, n: 6, name: "nd_tll"},
	{class: nxmClassNX, field: 26, n: 1, name: "ip_frag"},
	{class: nxmClassNX, field: 27, n: 4, name: "ipv6_label"},
	{class: nxmClassNX, field: 28, n: 1, name: "nw_ecn"},
	{class: nxmClassNX, field: 29, n: 1, name: "nw_ttl"},
	{class: nxmClassNX, field: 31, n: 4, name: "tun_src"},
	{class: nxmClassNX, field: 32, n: 4, name: "tun_dst"},
	{class: nxmClassNX, field: 104, n: 2, name: "tun_flags"},
	{class: nxmClassNX, field: 34, n: 2, name: "tcp_flags"},

	{class: oxmClassBasic, field: 0, n: 4, name: "in_port", conv: convPort11},
	{class: oxmClassBasic, field: 2, n: 8, name: "metadata"},
	{class: oxmClassBasic, field: 3, n: 6, name: "eth_dst"},
	{class: oxmClassBasic, field: 4, n: 6, name: "eth_src"},
	{class: oxmClassBasic, field: 5, n: 2, name: "eth_type"},
	{class: oxmClassBasic, field: 6, n: 2, name: "vlan_vid"},
	{class: oxmClassBasic, field: 7, n: 1, name: "vlan_pcp"},
	{class: oxmClassBasic, field: 8, n: 1, name: "ip_dscp"},
	{class: oxmClassBasic, field: 9, n: 1, name: "nw_ecn"},
	{class: oxmClassBasic, field: 10, n: 1, name: "nw_proto"},
	{class: oxmClassBasic, field: 11, n: 4, name: "ip_src"},
	{class: oxmClassBasic, field: 12, n: 4, name: "ip_dst"},
	{class: oxmClassBasic, field: 13, n: 2, name: "tcp_src"},
	{class: oxmClassBasic, field: 14, n: 2, name: "tcp_dst"},
	{class: oxmClassBasic, field: 15, n: 2, name: "udp_src"},
	{class: oxmClassBasic, field: 16, n: 2, name: "udp_dst"},
	{class: oxmClassBasic, field: 17, n: 2, name: "sctp_src"},
	{class: oxmClassBasic, field: 18, n: 2, name: "sctp_dst"},
	{class: oxmClassBasic, field: 19, n: 1, name: "icmp_type"},
	{class: oxmClassBasic, field: 20, n: 1, name: "icmp_code"},
	{class: oxmClassBasic, field: 21, n: 2, name: "arp_op"},
	{class: oxmClassBasic, field: 22, n: 4, name: "arp_spa"},
	{class: oxmClassBasic, field: 23, n: 4, name: "arp_tpa"},
	{class: oxmClassBasic, field: 24, n: 6, name: "arp_sha"},
	{class: oxmClassBasic, field: 25, n: 6, name: "arp_tha"},
	{class: oxmClassBasic, field: 26, n: 16, name: "ipv6_src"},
	{class: oxmClassBasic, field: 27, n: 16, name: "ipv6_dst"},
	{class: oxmClassBasic, field: 28, n: 4, name: "ipv6_label"},
	{class: oxmClassBasic, field: 29, n: 1, name: "icmpv6_type"},
	{class: oxmClassBasic, field: 30, n: 1, name: "icmpv6_code"},
	{class: oxmClassBasic, field: 31, n: 16, name: "nd_target"},
	{class: oxmClassBasic, field: 32, n: 6, name: "nd_sll"},
	{class: oxmClassBasic, field: 33, n: 6, name: "nd_tll"},
	{class: oxmClassBasic, field: 38, n: 8, name: "tun_id"},
	{class: oxmClassExp, field: 42, exp: ONFVendorID, n: 2, name: "tcp_flags"},
}

type nxmKey struct {
	class uint16
	field uint8
	exp   uint32
}

var (
	nxmByKey = map[nxmKey]*nxmField{}
	// nxmFor / oxmFor pick the header OVS writes for a field in NXM
	// (OpenFlow 1.0) and OXM (OpenFlow 1.2+) matches: the NXM header if
	// the field has one (else its OXM header), and the OXM header if the
	// field has one (else its NXM header).
	nxmFor = map[string]*nxmField{}
	oxmFor = map[string]*nxmField{}
)

func init() {
	for i := 0; i < flowtable.NumRegs; i++ {
		nxmFields = append(nxmFields, &nxmField{class: nxmClassNX, field: uint8(i), n: 4, name: flowtable.FieldRegs[i].Name})
	}
	for _, d := range nxmFields {
		d.f = flowtable.FieldByName(d.name)
		if d.f == nil {
			panic("ofp: flowtable has no field " + d.name)
		}
		nxmByKey[nxmKey{d.class, d.field, d.exp}] = d
		switch d.class {
		case nxmClassOF, nxmClassNX:
			nxmFor[d.name] = d
			if oxmFor[d.name] == nil {
				oxmFor[d.name] = d
			}
		default:
			oxmFor[d.name] = d
			if nxmFor[d.name] == nil {
				nxmFor[d.name] = d
			}
		}
	}
	initEncFields()
}

// NXMHeaderFor returns the 32-bit NXM (oxm=false) or OXM (oxm=true)
// header OVS uses for the flowtable field name (without the mask bit);
// ok is false for fields without one. Actions (reg_load, move,
// output_reg) name their fields with these headers.
func NXMHeaderFor(name string, oxm bool) (uint32, bool) {
	d := nxmFor[name]
	if oxm {
		d = oxmFor[name]
	}
	if d == nil || d.class == oxmClassExp {
		return 0, false
	}
	return d.header(false), true
}

// fieldFromHeader resolves a 32-bit (non-experimenter) NXM/OXM header.
func fieldFromHeader(h uint32) *nxmField {
	p := parseNXMHeader(h)
	return nxmByKey[nxmKey{p.class, p.field, 0}]
}

// valueValid is OVS mf_is_value_valid for the fields that restrict values.
func valueValid(name string, v flowtable.Value) bool {
	u16 := uint16(v[0])<<8 | uint16(v[1])
	switch name {
	case "nw_tos":
		return v[0]&^flowtable.IPDSCPMask == 0
	case "ip_dscp":
		return v[0] < 1<<dscpBits
	case "nw_ecn":
		return v[0]&^flowtable.IPECNMask == 0
	case "vlan_pcp":
		return v[0] < 1<<pcpBits
	case "vlan_vid":
		return u16&^(flowtable.VLANVIDMask|flowtable.VLANCFI) == 0
	case "ip_frag":
		return v[0]&^3 == 0
	case "ipv6_label":
		return v[0] == 0 && v[1]&0xf0 == 0
	case "tcp_flags":
		return u16&^flowtable.TCPFlagsMask == 0
	case "arp_op":
		return v[0] == 0
	}
	return true
}
