package datapathtest

import (
	"encoding/binary"
	"net"
	"net/netip"
)

// Frame layout constants.
const (
	// EthTypeIPv4 is the IPv4 ethertype.
	EthTypeIPv4 = 0x0800
	// EthTypeVLAN is the 802.1Q TPID.
	EthTypeVLAN = 0x8100
	// EthHeaderLen is an untagged Ethernet header.
	EthHeaderLen = 14
	// VLANTagLen is one 802.1Q tag.
	VLANTagLen = 4
	// MinFrameLen is the shortest Ethernet frame without FCS.
	MinFrameLen = 60

	ethAddrsLen = 12
	ipv4HdrLen  = 20
	udpHdrLen   = 8
	ipProtoUDP  = 17
	defaultTTL  = 64
	ipv4Version = 0x45 // version 4, 5-word header
	ipDontFrag  = 0x40 // DF in the high byte of the flags/offset field
	ipCsumOff   = 10
	vidMask     = 0x0fff
	pcpShift    = 13
)

// UDP describes an Ethernet/IPv4/UDP frame for UDPFrame.
type UDP struct {
	Dst, Src         net.HardwareAddr
	SrcIP, DstIP     netip.Addr // IPv4
	SrcPort, DstPort uint16
	// Tagged adds an 802.1Q tag with TCI (PCP<<13 | DEI<<12 | VID).
	Tagged bool
	TCI    uint16
	// Payload follows the UDP header; the frame is padded to MinFrameLen.
	Payload []byte
}

// TCI returns the 802.1Q tag control information for pcp and vid.
func TCI(pcp uint8, vid uint16) uint16 { return uint16(pcp)<<pcpShift | vid&vidMask }

// UDPFrame builds the frame u describes, with a valid IPv4 checksum and no
// UDP checksum. It returns a new slice.
func UDPFrame(u UDP) []byte {
	f := make([]byte, 0, MinFrameLen+VLANTagLen+len(u.Payload))
	f = append(f, u.Dst...)
	f = append(f, u.Src...)
	if u.Tagged {
		f = binary.BigEndian.AppendUint16(f, EthTypeVLAN)
		f = binary.BigEndian.AppendUint16(f, u.TCI)
	}
	f = binary.BigEndian.AppendUint16(f, EthTypeIPv4)
	ip := len(f)
	f = append(f, ipv4Version, 0)
	f = binary.BigEndian.AppendUint16(f, uint16(ipv4HdrLen+udpHdrLen+len(u.Payload)))
	f = append(f, 0, 0, ipDontFrag, 0, defaultTTL, ipProtoUDP, 0, 0)
	s4, d4 := u.SrcIP.As4(), u.DstIP.As4()
	f = append(f, s4[:]...)
	f = append(f, d4[:]...)
	binary.BigEndian.PutUint16(f[ip+ipCsumOff:], ipv4Checksum(f[ip:ip+ipv4HdrLen]))
	f = binary.BigEndian.AppendUint16(f, u.SrcPort)
	f = binary.BigEndian.AppendUint16(f, u.DstPort)
	f = binary.BigEndian.AppendUint16(f, uint16(udpHdrLen+len(u.Payload)))
	f = append(f, 0, 0)
	f = append(f, u.Payload...)
	for len(f) < MinFrameLen {
		f = append(f, 0)
	}
	return f
}

func ipv4Checksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// PushTag returns a copy of the untagged frame f with an 802.1Q tag tci
// inserted after the MAC addresses, as push_vlan does; nil if f is shorter
// than the two MAC addresses.
func PushTag(f []byte, tci uint16) []byte {
	if len(f) < ethAddrsLen {
		return nil
	}
	out := make([]byte, 0, len(f)+VLANTagLen)
	out = append(out, f[:ethAddrsLen]...)
	out = binary.BigEndian.AppendUint16(out, EthTypeVLAN)
	out = binary.BigEndian.AppendUint16(out, tci)
	return append(out, f[ethAddrsLen:]...)
}

// PopTag returns a copy of the tagged frame f without its outer tag, as
// pop_vlan does; nil if f is too short to hold a tag.
func PopTag(f []byte) []byte {
	if len(f) < ethAddrsLen+VLANTagLen {
		return nil
	}
	out := make([]byte, 0, len(f)-VLANTagLen)
	out = append(out, f[:ethAddrsLen]...)
	return append(out, f[ethAddrsLen+VLANTagLen:]...)
}
