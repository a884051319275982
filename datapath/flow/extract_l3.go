package flow

import (
	"encoding/binary"

	"govs/datapath/header"
)

// extractIPv4 parses the IPv4 header at frame[off:] (ipv4_sanity_check
// rules) and the transport header after it.
func extractIPv4(frame []byte, off int, k *Key, l *Layout) bool {
	ip := header.IPv4(frame[off:])
	if !ip.IsValid(len(ip)) || len(ip)-int(ip.TotalLen()) > maxL2Pad {
		return false
	}
	k.W[wIPv4] = binary.BigEndian.Uint64(frame[off+ipv4SrcOff:])
	var frag uint8
	if ip.IsFragment() {
		frag = FragAny
		if ip.IsLaterFragment() {
			frag |= FragLater
		}
	}
	proto := ip.Protocol()
	k.W[wNw] = uint64(proto)<<nwProtoShift | uint64(ip.TOS())<<nwTosShift |
		uint64(ip.TTL())<<nwTTLShift | uint64(frag)<<nwFragShift
	if frag&FragLater != 0 {
		return true
	}
	l4 := off + ip.HeaderLen()
	return extractL4(frame[l4:off+int(ip.TotalLen())], l4, proto, k, l)
}

// ipv4SrcOff is the offset of the source address, followed by the
// destination: one 8-byte word, exactly w5.
const ipv4SrcOff = 12

// Offsets of the IPv6 addresses, each read as two 8-byte words.
const (
	ipv6SrcOff = 8
	ipv6DstOff = 24
	wordLen    = 8
)

// extractIPv6 parses the IPv6 header at frame[off:], walks the extension
// headers as OVS's parse_ipv6_ext_hdrs__, and parses the transport header.
func extractIPv6(frame []byte, off int, k *Key, l *Layout) bool {
	ip := header.IPv6(frame[off:])
	if !ip.IsValid(len(ip)) {
		return false
	}
	end := off + header.IPv6FixedHeaderSize + int(ip.PayloadLen())
	if len(frame)-end > maxL2Pad {
		return false
	}
	k.W[wIPv6Src] = binary.BigEndian.Uint64(frame[off+ipv6SrcOff:])
	k.W[wIPv6Src+1] = binary.BigEndian.Uint64(frame[off+ipv6SrcOff+wordLen:])
	k.W[wIPv6Dst] = binary.BigEndian.Uint64(frame[off+ipv6DstOff:])
	k.W[wIPv6Dst+1] = binary.BigEndian.Uint64(frame[off+ipv6DstOff+wordLen:])

	proto := ip.NextHeader()
	cur := off + header.IPv6FixedHeaderSize
	var frag uint8
walk:
	for header.IsIPv6ExtHeader(proto) {
		// OVS checks that 8 bytes are there before reading any header.
		if end-cur < header.IPv6ExtMinSize {
			return false
		}
		var hl int
		switch proto {
		case header.ProtoFragment:
			f := header.IPv6Fragment(frame[cur:end])
			proto = f.NextHeader()
			cur += header.IPv6FragmentSize
			// OVS parses only the first fragment's transport header.
			if of := f.OffsetFlags(); of != 0 {
				frag = FragAny
				if of&header.IPv6FragOffMask != 0 {
					frag |= FragLater
					proto = header.ProtoFragment
					break walk
				}
			}
			continue
		case header.ProtoAH:
			a := header.IPv6AH(frame[cur:end])
			proto, hl = a.NextHeader(), a.Len()
		default: // hop-by-hop, routing, destination options
			e := header.IPv6ExtHdr(frame[cur:end])
			proto, hl = e.NextHeader(), e.Len()
		}
		if end-cur < hl {
			return false
		}
		cur += hl
	}
	k.W[wNw] = uint64(proto)<<nwProtoShift | uint64(ip.TrafficClass())<<nwTosShift |
		uint64(ip.HopLimit())<<nwTTLShift | uint64(frag)<<nwFragShift | uint64(ip.FlowLabel())
	if frag&FragLater != 0 {
		return true
	}
	return extractL4(frame[cur:end], cur, proto, k, l)
}
