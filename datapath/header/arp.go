package header

import "encoding/binary"

// ARP is an ARP header view for Ethernet/IPv4 (RFC 826):
// htype(2) ptype(2) hlen(1) plen(1) op(2) sha(6) spa(4) tha(6) tpa(4).
type ARP []byte

// ARP offsets and constants.
const (
	arpHType = 0
	arpPType = 2
	arpHLen  = 4
	arpPLen  = 5
	arpOp    = 6
	arpSHA   = 8
	arpSPA   = 14
	arpTHA   = 18
	arpTPA   = 24

	// ARPSize is the size of an Ethernet/IPv4 ARP packet.
	ARPSize = 28
	// ARPHTypeEthernet is the hardware type for Ethernet.
	ARPHTypeEthernet = 1
	// ARPOpRequest and ARPOpReply are the common opcodes.
	ARPOpRequest = 1
	ARPOpReply   = 2
	ipv4AddrLen  = 4
)

// IsValid reports whether a is a whole ARP packet for Ethernet hardware
// addresses and IPv4 protocol addresses (the only kind OVS keys).
func (a ARP) IsValid() bool {
	return len(a) >= ARPSize &&
		binary.BigEndian.Uint16(a[arpHType:]) == ARPHTypeEthernet &&
		binary.BigEndian.Uint16(a[arpPType:]) == EtherTypeIPv4 &&
		a[arpHLen] == EthernetAddrLen && a[arpPLen] == ipv4AddrLen
}

// Op returns the opcode.
func (a ARP) Op() uint16 { return binary.BigEndian.Uint16(a[arpOp:]) }

// SHA returns the sender hardware address.
func (a ARP) SHA() (m [6]byte) { copy(m[:], a[arpSHA:arpSHA+EthernetAddrLen]); return }

// THA returns the target hardware address.
func (a ARP) THA() (m [6]byte) { copy(m[:], a[arpTHA:arpTHA+EthernetAddrLen]); return }

// SPA returns the sender protocol (IPv4) address.
func (a ARP) SPA() uint32 { return binary.BigEndian.Uint32(a[arpSPA:]) }

// TPA returns the target protocol (IPv4) address.
func (a ARP) TPA() uint32 { return binary.BigEndian.Uint32(a[arpTPA:]) }

// SetOp sets the opcode.
func (a ARP) SetOp(op uint16) { binary.BigEndian.PutUint16(a[arpOp:], op) }

// SetSHA sets the sender hardware address.
func (a ARP) SetSHA(m [6]byte) { copy(a[arpSHA:arpSHA+EthernetAddrLen], m[:]) }

// SetTHA sets the target hardware address.
func (a ARP) SetTHA(m [6]byte) { copy(a[arpTHA:arpTHA+EthernetAddrLen], m[:]) }

// SetSPA sets the sender protocol (IPv4) address.
func (a ARP) SetSPA(addr uint32) { binary.BigEndian.PutUint32(a[arpSPA:], addr) }

// SetTPA sets the target protocol (IPv4) address.
func (a ARP) SetTPA(addr uint32) { binary.BigEndian.PutUint32(a[arpTPA:], addr) }
