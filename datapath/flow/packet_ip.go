package flow

import "govs/datapath/header"

// SetIPv4Src sets the IPv4 source address, updating the IPv4 header
// checksum and the TCP/UDP checksum (pseudo header) incrementally (RFC
// 1624); a UDP checksum of 0 (none) stays 0 and a result of 0 is stored as
// 0xffff. ICMP and SCTP checksums do not cover the address. No-op unless
// the frame holds an IPv4 header at L.L3.
func (p *Packet) SetIPv4Src(addr uint32) {
	if ip := p.ipv4(); ip != nil {
		p.updateL4Addr(ip.SetSrcWithChecksumUpdate(addr), addr)
	}
}

// SetIPv4Dst is SetIPv4Src for the destination address.
func (p *Packet) SetIPv4Dst(addr uint32) {
	if ip := p.ipv4(); ip != nil {
		p.updateL4Addr(ip.SetDstWithChecksumUpdate(addr), addr)
	}
}

// updateL4Addr fixes the transport checksum after an address change.
// Later fragments have no L4 (L.L4 is -1) and are left alone.
func (p *Packet) updateL4Addr(old, new uint32) {
	seg := p.l4()
	switch p.L.L4Proto {
	case header.ProtoTCP:
		if t := header.TCP(seg); len(t) >= header.TCPMinSize {
			t.SetChecksum(header.ChecksumUpdate32(t.Checksum(), old, new))
		}
	case header.ProtoUDP:
		if u := header.UDP(seg); u.IsValid() {
			u.UpdateChecksum32(old, new)
		}
	}
}

// SetIPv4Tos sets the whole IPv4 TOS byte (DSCP and ECN), updating the
// header checksum. No-op unless the frame holds an IPv4 header.
func (p *Packet) SetIPv4Tos(tos uint8) {
	if ip := p.ipv4(); ip != nil {
		ip.SetTOSWithChecksumUpdate(tos)
	}
}

// SetIPv4TTL sets the IPv4 TTL, updating the header checksum. No-op
// unless the frame holds an IPv4 header.
func (p *Packet) SetIPv4TTL(ttl uint8) {
	if ip := p.ipv4(); ip != nil {
		ip.SetTTLWithChecksumUpdate(ttl)
	}
}

// DecTTL decrements the IPv4 TTL (updating the checksum) or the IPv6 hop
// limit. It returns false, leaving the packet unchanged, when the value is
// <= 1 (the caller drops the packet or sends it to the controller, as OVS
// dec_ttl) or when the frame has no IP header.
func (p *Packet) DecTTL() bool {
	if ip := p.ipv4(); ip != nil {
		if ip.TTL() <= 1 {
			return false
		}
		ip.SetTTLWithChecksumUpdate(ip.TTL() - 1)
		return true
	}
	if ip := p.ipv6(); ip != nil {
		if ip.HopLimit() <= 1 {
			return false
		}
		ip.SetHopLimit(ip.HopLimit() - 1)
		return true
	}
	return false
}

// SetTpSrc sets the transport source port: TCP and UDP with an
// incremental checksum update (UDP: 0 stays 0, 0 result becomes 0xffff),
// SCTP with the CRC32c recomputed as OVS does (a wrong CRC stays wrong),
// ICMPv4/ICMPv6: the type (tp_src holds the type), checksum updated. No-op
// when L4 is absent or too short for the header.
func (p *Packet) SetTpSrc(port uint16) { p.setTp(port, true) }

// SetTpDst is SetTpSrc for the destination port (ICMP: the code).
func (p *Packet) SetTpDst(port uint16) { p.setTp(port, false) }

func (p *Packet) setTp(port uint16, src bool) {
	seg := p.l4()
	switch p.L.L4Proto {
	case header.ProtoTCP:
		t := header.TCP(seg)
		if len(t) < header.TCPMinSize {
			return
		}
		if src {
			t.SetSrcPortWithChecksumUpdate(port)
		} else {
			t.SetDstPortWithChecksumUpdate(port)
		}
	case header.ProtoUDP:
		u := header.UDP(seg)
		if !u.IsValid() {
			return
		}
		if src {
			u.SetSrcPortWithChecksumUpdate(port)
		} else {
			u.SetDstPortWithChecksumUpdate(port)
		}
	case header.ProtoSCTP:
		s := header.SCTP(p.ipPayload(seg))
		if !s.IsValid() {
			return
		}
		if src {
			s.SetPortsWithChecksumUpdate(port, s.DstPort())
		} else {
			s.SetPortsWithChecksumUpdate(s.SrcPort(), port)
		}
	case header.ProtoICMPv4, header.ProtoICMPv6:
		i := header.ICMPv4(seg) // same layout for type/code/checksum
		if !i.IsValid() {
			return
		}
		if src {
			i.SetTypeWithChecksumUpdate(uint8(port))
		} else {
			i.SetCodeWithChecksumUpdate(uint8(port))
		}
	}
}

// ipPayload trims the transport segment seg (L4 to frame end) to the end
// of the IP payload given by the IP length field, so that L2 padding is
// not covered by a checksum. It returns nil when the lengths are
// inconsistent.
func (p *Packet) ipPayload(seg []byte) []byte {
	var end int
	if ip := p.ipv4(); ip != nil {
		end = int(p.L.L3) + int(ip.TotalLen())
	} else if ip := p.ipv6(); ip != nil {
		end = int(p.L.L3) + header.IPv6FixedHeaderSize + int(ip.PayloadLen())
	} else {
		return nil
	}
	n := end - int(p.L.L4)
	if n < 0 || n > len(seg) {
		return nil
	}
	return seg[:n]
}
