package flow

import (
	"encoding/binary"

	"govs/datapath/header"
)

// Key bit positions used when Extract assembles whole words.
const (
	ethTypeMask  = 0xffff // low 16 bits of w1/w2 (eth_type / key_flags)
	vlanSlotBits = 32     // each VLAN tag takes half of w3
	nwProtoShift = 56
	nwTosShift   = 48
	nwTTLShift   = 40
	nwFragShift  = 32
	tpSrcShift   = 48
	tpDstShift   = 32
	tcpFlagShift = 16
	macShift     = 16 // a MAC sits in the top 48 bits of its word
	hi32Shift    = 32
	maxLayoutOff = 1<<15 - 1 // offsets must fit Layout's int16
	maxL2Pad     = 0xffff    // OVS rejects more trailing padding than this
	etherTypeLen = 2         // size of the ethertype field
	arpOpMax     = 0xff      // largest ARP opcode OVS keys
)

// Extract fills k (reset first) from frame as received on inPort, and l.
//
// It mirrors OVS 3.1 miniflow_extract (lib/flow.c): Ethernet (802.3/LLC
// frames get eth_type 0x05ff unless they carry SNAP with an ethertype), up
// to MaxVLANs 0x8100/0x88a8 tags (TCI keyed with VLANCFI set, TPID kept),
// ARP/RARP, IPv4 (no version check, as OVS), IPv6 with its extension header
// walk, TCP, UDP, SCTP, ICMPv4, IGMP (type/code only), ICMPv6 and ND (SLL
// and TLL in arp_sha/arp_tha; the ND target address is not keyed).
//
// It returns false when the frame is malformed or truncated: then
// KeyFlagTruncated is set and k holds every field parsed before the
// problem, as OVS does (the key equals OVS's). Frames shorter than an
// Ethernet header give a key with only in_port and KeyFlagTruncated set.
// IP padding after the IPv4 total length / IPv6 payload length is ignored.
//
// frame is only read and not retained. Extract never panics and never
// allocates; it is safe for concurrent use on distinct keys.
//
// Extract parses MaxVLANs tags (OVS's vlan-limit=0); ExtractVLANs takes
// the limit.
func Extract(frame []byte, inPort PortNo, k *Key, l *Layout) bool {
	return ExtractVLANs(frame, inPort, MaxVLANs, k, l)
}

// ExtractVLANs is Extract parsing at most vlanLimit VLAN tags, as OVS's
// parse_vlan with flow_vlan_limit (other_config:vlan-limit): with limit
// 1 a double-tagged frame keys only the outer tag, its eth_type is the
// inner TPID (0x8100) and the inner tag is payload. vlanLimit must be
// in 1..MaxVLANs (see VLANLimit); other values act as MaxVLANs.
func ExtractVLANs(frame []byte, inPort PortNo, vlanLimit int, k *Key, l *Layout) bool {
	if uint(vlanLimit-1) >= MaxVLANs {
		vlanLimit = MaxVLANs
	}
	*k = Key{}
	l.Reset()
	k.W[wInPort] = uint64(inPort) << hi32Shift
	if len(frame) < header.EthernetMinSize {
		return truncated(k)
	}
	k.W[wEthDst] = binary.BigEndian.Uint64(frame) &^ ethTypeMask
	k.W[wEthSrc] = binary.BigEndian.Uint64(frame[header.EthernetAddrLen:]) &^ ethTypeMask

	off := header.EthernetTypeOffset
	typ := binary.BigEndian.Uint16(frame[off:])
	ok := true
	var n int
	for n < vlanLimit && header.IsVLANTPID(typ) {
		// OVS needs the tag and the next ethertype: 6 bytes.
		if len(frame)-off < header.VLANTagSize+etherTypeLen {
			ok = false
			break
		}
		q := binary.BigEndian.Uint32(frame[off:]) | VLANCFI
		k.W[wVLAN] |= uint64(q) << (vlanSlotBits * (1 - n))
		off += header.VLANTagSize
		n++
		typ = binary.BigEndian.Uint16(frame[off:])
	}
	l.L2_5, l.NVLAN = int16(off), int8(n)
	off += etherTypeLen
	if typ < header.EtherTypeMin {
		typ = header.EtherTypeNoneLL
		if s := header.LLCSNAP(frame[off:]); s.IsValid() && s.IsEthernetSNAP() {
			if t := s.Type(); t >= header.EtherTypeMin {
				typ = t
			}
			off += header.LLCSNAPSize
		}
	}
	k.W[wEthDst] |= uint64(typ)
	l.L3 = int16(off)

	switch typ {
	case header.EtherTypeIPv4:
		ok = extractIPv4(frame, off, k, l) && ok
	case header.EtherTypeIPv6:
		ok = extractIPv6(frame, off, k, l) && ok
	case header.EtherTypeARP, header.EtherTypeRARP:
		ok = extractARP(frame[off:], k) && ok
	}
	if !ok {
		return truncated(k)
	}
	return true
}

func truncated(k *Key) bool {
	k.W[wEthSrc] |= uint64(KeyFlagTruncated)
	return false
}

// extractARP keys an Ethernet/IPv4 ARP packet. Other hardware/protocol
// types are legal and simply not keyed; a short packet is truncated.
func extractARP(b []byte, k *Key) bool {
	a := header.ARP(b)
	if len(a) < header.ARPSize {
		return false
	}
	if !a.IsValid() {
		return true
	}
	k.W[wIPv4] = uint64(a.SPA())<<hi32Shift | uint64(a.TPA())
	// OVS only matches the low 8 bits of the opcode and leaves nw_proto
	// zero for larger opcodes.
	if op := a.Op(); op <= arpOpMax {
		k.W[wNw] = uint64(op) << nwProtoShift
	}
	k.W[wArpSha] = binary.BigEndian.Uint64(b[arpSHAOff:]) &^ ethTypeMask
	k.W[wArpTha] = binary.BigEndian.Uint64(b[arpTHAOff:]) &^ ethTypeMask
	return true
}

// Offsets of the MACs in an ARP packet, read as 8-byte words (the two
// trailing bytes are masked off; both words end inside ARPSize).
const (
	arpSHAOff = 8
	arpTHAOff = 18
)
