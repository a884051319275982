package flow

import (
	"encoding/binary"

	"govs/datapath/header"
)

// extractL4 keys the transport header seg (the IP payload from the L4
// offset to the end given by the IP length fields) found at frame offset
// off. A header too short for its protocol leaves the L4 fields zero and
// reports truncation; unknown protocols are fine.
func extractL4(seg []byte, off int, proto uint8, k *Key, l *Layout) bool {
	if off > maxLayoutOff {
		return false
	}
	l.L4, l.L4Proto = int16(off), proto
	switch proto {
	case header.ProtoTCP:
		t := header.TCP(seg)
		if !t.IsValid() {
			return false
		}
		k.W[wTp] = uint64(t.SrcPort())<<tpSrcShift | uint64(t.DstPort())<<tpDstShift |
			uint64(t.Flags())<<tcpFlagShift
	case header.ProtoUDP:
		u := header.UDP(seg)
		if !u.IsValid() {
			return false
		}
		k.W[wTp] = uint64(u.SrcPort())<<tpSrcShift | uint64(u.DstPort())<<tpDstShift
	case header.ProtoSCTP:
		s := header.SCTP(seg)
		if !s.IsValid() {
			return false
		}
		k.W[wTp] = uint64(s.SrcPort())<<tpSrcShift | uint64(s.DstPort())<<tpDstShift
	case header.ProtoICMPv4:
		i := header.ICMPv4(seg)
		if !i.IsValid() {
			return false
		}
		k.W[wTp] = uint64(i.Type())<<tpSrcShift | uint64(i.Code())<<tpDstShift
	case header.ProtoIGMP:
		// OVS keys IGMP type/code like ICMP (and the group address,
		// which this Key has no field for).
		if len(seg) < header.IGMPMinSize {
			return false
		}
		i := header.ICMPv4(seg)
		k.W[wTp] = uint64(i.Type())<<tpSrcShift | uint64(i.Code())<<tpDstShift
	case header.ProtoICMPv6:
		return extractICMPv6(seg, k)
	}
	return true
}

// extractICMPv6 keys type/code and, for neighbor solicitations and
// advertisements, the link-layer address options as OVS's parse_icmpv6:
// the first SLL option goes to arp_sha, the first TLL to arp_tha, a
// repeated one clears both, parsing stops at a zero or overlong option.
func extractICMPv6(seg []byte, k *Key) bool {
	i := header.ICMPv6(seg)
	if !i.IsValid() {
		return false
	}
	k.W[wTp] = uint64(i.Type())<<tpSrcShift | uint64(i.Code())<<tpDstShift
	if !i.IsND() {
		return true
	}
	nd := header.NDP(seg[header.ICMPv6MinSize:])
	if !nd.IsValid() {
		// OVS keys such a message with zero link-layer addresses.
		return false
	}
	var sll, tll uint64
	opts := nd.Options()
	for {
		typ, ol, _, rest, ok := opts.Next()
		if !ok {
			break
		}
		if ol == header.NDLLAOptSize && (typ == header.NDOptSourceLinkAddr || typ == header.NDOptTargetLinkAddr) {
			mac := binary.BigEndian.Uint64(opts) << macShift // the 6 bytes after type/len
			slot := &sll
			if typ == header.NDOptTargetLinkAddr {
				slot = &tll
			}
			if *slot != 0 {
				sll, tll = 0, 0 // duplicate option: OVS treats the ND as invalid
				break
			}
			*slot = mac
		}
		opts = rest
	}
	k.W[wArpSha], k.W[wArpTha] = sll, tll
	return true
}
