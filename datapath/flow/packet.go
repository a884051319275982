package flow

import (
	"encoding/binary"

	"govs/datapath/header"
)

// Packet is one frame in a buffer with headroom: the frame is
// Buf[Off:Off+Len] and L is its layout, with offsets relative to Off (as
// Extract returns it for Frame()). Methods that change the frame length
// move Off/Len and keep L consistent.
//
// Ownership: the Packet does not own Buf; it is the caller's batch buffer
// and the methods write into it in place. A Packet is not safe for
// concurrent use.
//
// Every method is allocation-free and never panics, whatever Buf, Off, Len
// and L hold: methods are meant for packets whose key says the header
// exists, and they re-check the frame bytes (ethertype, lengths) before
// writing; when the header is not there they do nothing (PushVLAN and
// DecTTL return false).
type Packet struct {
	Buf      []byte
	Off, Len int
	L        Layout
}

// valid reports whether Off/Len describe a slice of Buf.
func (p *Packet) valid() bool {
	return p.Off >= 0 && p.Len >= 0 && p.Off <= len(p.Buf) && p.Len <= len(p.Buf)-p.Off
}

// Frame returns the frame bytes (aliasing Buf); nil if Off/Len are out of
// range.
func (p *Packet) Frame() []byte {
	if !p.valid() {
		return nil
	}
	return p.Buf[p.Off : p.Off+p.Len]
}

// macsLen is the length of the two MAC addresses that stay in front of any
// pushed tag.
const macsLen = 2 * header.EthernetAddrLen

// PushVLAN inserts a VLAN tag (tpid, tci as on the wire: no CFI trick)
// right after the MAC addresses, as OVS push_vlan: the new tag becomes the
// outermost. It returns false, changing nothing, when there is not enough
// headroom (Off < 4) or the frame is shorter than an Ethernet header.
// L's offsets move by 4 and NVLAN grows by one.
func (p *Packet) PushVLAN(tpid, tci uint16) bool {
	if !p.valid() || p.Len < header.EthernetMinSize || p.Off < header.VLANTagSize {
		return false
	}
	p.Off -= header.VLANTagSize
	p.Len += header.VLANTagSize
	f := p.Buf[p.Off : p.Off+p.Len]
	copy(f, f[header.VLANTagSize:header.VLANTagSize+macsLen])
	header.VLAN(f[macsLen:]).Set(tpid, tci)
	p.L.shift(header.VLANTagSize)
	p.L.NVLAN++
	return true
}

// PopVLAN removes the outermost VLAN tag if the frame has one (TPID 0x8100
// or 0x88a8 after the MACs and room for the next ethertype); otherwise it
// does nothing. L's offsets move back by 4 and NVLAN shrinks by one.
func (p *Packet) PopVLAN() {
	if !p.valid() || p.Len < header.EthernetMinSize+header.VLANTagSize {
		return
	}
	f := p.Buf[p.Off : p.Off+p.Len]
	if !header.IsVLANTPID(header.Ethernet(f).Type()) {
		return
	}
	copy(f[header.VLANTagSize:], f[:macsLen])
	p.Off += header.VLANTagSize
	p.Len -= header.VLANTagSize
	p.L.shift(-header.VLANTagSize)
	if p.L.NVLAN > 0 {
		p.L.NVLAN--
	}
}

// shift moves every present offset by d; offsets that would fall before
// the ethertype (a layout that did not describe this frame) become absent.
func (l *Layout) shift(d int16) {
	for _, o := range [...]*int16{&l.L2_5, &l.L3, &l.L4} {
		if *o < 0 {
			continue
		}
		*o += d
		if *o < header.EthernetTypeOffset {
			*o = noHeader
		}
	}
}

// SetEthSrc sets the Ethernet source address (no-op on a runt frame).
func (p *Packet) SetEthSrc(mac [6]byte) {
	if p.valid() && p.Len >= header.EthernetMinSize {
		header.Ethernet(p.Buf[p.Off : p.Off+p.Len]).SetSrc(mac)
	}
}

// SetEthDst sets the Ethernet destination address (no-op on a runt frame).
func (p *Packet) SetEthDst(mac [6]byte) {
	if p.valid() && p.Len >= header.EthernetMinSize {
		header.Ethernet(p.Buf[p.Off : p.Off+p.Len]).SetDst(mac)
	}
}

// l3Type returns the ethertype at L2_5 and the frame, or 0 when the layout
// does not fit the frame.
func (p *Packet) l3Type() (uint16, []byte) {
	if !p.valid() || p.L.L2_5 < header.EthernetTypeOffset || p.L.L3 < p.L.L2_5+etherTypeLen {
		return 0, nil
	}
	f := p.Buf[p.Off : p.Off+p.Len]
	if int(p.L.L2_5)+etherTypeLen > len(f) {
		return 0, nil
	}
	return binary.BigEndian.Uint16(f[p.L.L2_5:]), f
}

// ipv4 returns the IPv4 header view (its fixed part is in the frame and
// the header length fits) or nil.
func (p *Packet) ipv4() header.IPv4 {
	t, f := p.l3Type()
	if t != header.EtherTypeIPv4 || int(p.L.L3)+header.IPv4MinSize > len(f) {
		return nil
	}
	ip := header.IPv4(f[p.L.L3:])
	if hl := ip.HeaderLen(); hl < header.IPv4MinSize || hl > len(ip) {
		return nil
	}
	return ip
}

// ipv6 returns the IPv6 fixed header view or nil.
func (p *Packet) ipv6() header.IPv6 {
	t, f := p.l3Type()
	if t != header.EtherTypeIPv6 || int(p.L.L3)+header.IPv6FixedHeaderSize > len(f) {
		return nil
	}
	return header.IPv6(f[p.L.L3:])
}

// l4 returns the transport header bytes up to the frame end, or nil when
// L4 is absent or not after L3.
func (p *Packet) l4() []byte {
	f := p.Frame()
	if p.L.L4 < 0 || p.L.L3 < 0 || p.L.L4 < p.L.L3 || int(p.L.L4) > len(f) {
		return nil
	}
	return f[p.L.L4:]
}
