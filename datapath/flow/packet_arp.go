package flow

import "govs/datapath/header"

// arp returns the ARP view when the frame holds a whole Ethernet/IPv4 ARP
// (or RARP) packet at L.L3 (the only kind whose fields the key has), or
// nil.
func (p *Packet) arp() header.ARP {
	t, f := p.l3Type()
	if (t != header.EtherTypeARP && t != header.EtherTypeRARP) || p.L.L3 < 0 || int(p.L.L3)+header.ARPSize > len(f) {
		return nil
	}
	if a := header.ARP(f[p.L.L3:]); a.IsValid() {
		return a
	}
	return nil
}

// SetARPOp sets the ARP opcode. The ARP setters are no-ops unless the
// frame holds a valid Ethernet/IPv4 ARP packet.
func (p *Packet) SetARPOp(op uint16) {
	if a := p.arp(); a != nil {
		a.SetOp(op)
	}
}

// SetARPSha sets the ARP sender hardware address.
func (p *Packet) SetARPSha(m [6]byte) {
	if a := p.arp(); a != nil {
		a.SetSHA(m)
	}
}

// SetARPTha sets the ARP target hardware address.
func (p *Packet) SetARPTha(m [6]byte) {
	if a := p.arp(); a != nil {
		a.SetTHA(m)
	}
}

// SetARPSpa sets the ARP sender protocol address.
func (p *Packet) SetARPSpa(addr uint32) {
	if a := p.arp(); a != nil {
		a.SetSPA(addr)
	}
}

// SetARPTpa sets the ARP target protocol address.
func (p *Packet) SetARPTpa(addr uint32) {
	if a := p.arp(); a != nil {
		a.SetTPA(addr)
	}
}
