package flowtable

import "govs/datapath/flow"

type flowKey = flow.Key

// NumRegs is the number of 32-bit Nicira registers (reg0..reg15).
const NumRegs = 16

// Ethernet types and IP protocols that OpenFlow prerequisites refer to.
const (
	EthTypeIPv4 = 0x0800
	EthTypeARP  = 0x0806
	EthTypeRARP = 0x8035
	EthTypeIPv6 = 0x86dd
	EthTypeVLAN = 0x8100
	EthTypeQinQ = 0x88a8

	IPProtoICMP   = 1
	IPProtoTCP    = 6
	IPProtoUDP    = 17
	IPProtoICMPv6 = 58
	IPProtoSCTP   = 132

	NDSolicit = 135 // ICMPv6 neighbor solicitation type
	NDAdvert  = 136 // ICMPv6 neighbor advertisement type
)

// VLAN TCI bit fields.
const (
	VLANVIDMask  = 0x0fff
	VLANPCPMask  = 0xe000
	VLANPCPShift = 13
	VLANCFI      = flow.VLANCFI
)

// IP TOS bit fields.
const (
	IPDSCPMask = 0xfc
	IPECNMask  = 0x03
)

// IPv6 flow label width.
const IPv6LabelMask = 0x000fffff

// TCP flags: the 12 low bits of the TCP header word.
const TCPFlagsMask = 0x0fff

// Match is an OpenFlow match: packet header fields as a masked flow.Key,
// plus the OpenFlow-only fields the datapath key does not carry. It is a
// fixed-size comparable value (no pointers), so the classifier can hash
// and compare it directly and NXM/OXM codecs can map each field to a
// (word, shift, width) of Key/Mask or to one of the named fields.
//
// Invariants (kept by every setter): Key == Key & Mask word by word, and
// likewise for each OpenFlow-only field. A zero Match matches everything.
//
// Field placement in Key (see flow.Key layout): in_port is NOT in Key
// (datapath and OpenFlow port numbers differ: see InPort); vlan_tci is tag 0
// TCI; nw_tos is the whole TOS byte (DSCP<<2 | ECN); ip_frag is nw_frag
// (flow.FragAny/FragLater); arp_op lives in nw_proto's slot, arp_spa/tpa in
// ipv4 src/dst, arp_sha/nd_sll in arp_sha, arp_tha/nd_tll in arp_tha;
// icmp type/code in tp_src/tp_dst.
type Match struct {
	Key  flow.Key
	Mask flow.Key

	// InPort is the OpenFlow ingress port; InPortMask is 0 (wildcard) or
	// 0xffff (exact). OpenFlow cannot mask in_port.
	InPort     PortNo
	InPortMask PortNo

	Metadata     uint64
	MetadataMask uint64

	Regs     [NumRegs]uint32
	RegMasks [NumRegs]uint32

	// NDTarget is the IPv6 neighbor discovery target. flow.Key has no slot
	// of its own for it, so the datapath cannot match it: a classifier must
	// treat a rule with a non-zero NDTargetMask as needing the slow path.
	NDTarget     [16]byte
	NDTargetMask [16]byte

	// TunMeta says where the tun_metadata fields matched in Key/Mask's
	// option slot are (see tunmeta.go).
	TunMeta TunMetaLayout
}

// IsCatchAll reports whether m matches every packet.
func (m *Match) IsCatchAll() bool {
	var z Match
	return m.Mask == z.Mask && m.InPortMask == 0 && m.MetadataMask == 0 &&
		m.RegMasks == z.RegMasks && m.NDTargetMask == z.NDTargetMask
}

// EthType returns the matched Ethernet type and whether it is matched.
func (m *Match) EthType() (uint16, bool) {
	return m.Key.EthType(), m.Mask.EthType() != 0
}

// NwProto returns the matched IP protocol (or ARP opcode low byte) and
// whether it is matched.
func (m *Match) NwProto() (uint8, bool) {
	return m.Key.NwProto(), m.Mask.NwProto() != 0
}

// SetEthType matches the Ethernet type exactly.
func (m *Match) SetEthType(t uint16) {
	m.Key.SetEthType(t)
	m.Mask.SetEthType(0xffff)
}

// SetNwProto matches the IP protocol exactly.
func (m *Match) SetNwProto(p uint8) {
	m.Key.SetNwProto(p)
	m.Mask.SetNwProto(0xff)
}

// SetInPort matches the OpenFlow ingress port exactly.
func (m *Match) SetInPort(p PortNo) {
	m.InPort, m.InPortMask = p, PortNone
}

// isIPAny reports dl_type IPv4 or IPv6 (the value, as OVS's is_ip_any).
func (m *Match) isIPAny() bool {
	t := m.Key.EthType()
	return t == EthTypeIPv4 || t == EthTypeIPv6
}

// Matches reports whether a packet with key k (and OpenFlow ingress port
// inPort, metadata, registers taken from the pipeline state st) matches m.
// It allocates nothing and is safe for concurrent use.
func (m *Match) Matches(k *flow.Key, st *PipelineState) bool {
	for i := range k.W {
		if k.W[i]&m.Mask.W[i] != m.Key.W[i] {
			return false
		}
	}
	if st.InPort&m.InPortMask != m.InPort || st.Metadata&m.MetadataMask != m.Metadata {
		return false
	}
	for i := range m.RegMasks {
		if st.Regs[i]&m.RegMasks[i] != m.Regs[i] {
			return false
		}
	}
	return true
}

// PipelineState is the OpenFlow-only per-packet state a Match can test:
// the OpenFlow ingress port, metadata and registers. It is a plain value
// owned by the caller.
type PipelineState struct {
	InPort   PortNo
	Metadata uint64
	Regs     [NumRegs]uint32
}
