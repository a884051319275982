package maclearn

import "fmt"

// MAC is an Ethernet address, as flow.Key's EthSrc/EthDst return it.
type MAC [6]byte

// multicastBit is the I/G bit of the first octet: set for group
// (multicast and broadcast) addresses.
const multicastBit = 0x01

// IsMulticast reports whether m is a group address (multicast or
// broadcast), as OVS's eth_addr_is_multicast.
func (m MAC) IsMulticast() bool { return m[0]&multicastBit != 0 }

// IsBroadcast reports whether m is ff:ff:ff:ff:ff:ff.
func (m MAC) IsBroadcast() bool { return m == MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} }

// String formats m as OVS's ETH_ADDR_FMT ("00:11:22:33:44:55").
func (m MAC) String() string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// VLAN numbers: a VID is 12 bits; VLAN 0 is "no VLAN / untagged".
const (
	vidBits = 12
	// MaxVID is the largest VLAN ID (4095).
	MaxVID = 1<<vidBits - 1
	// NumVIDs is the number of VLAN IDs (4096).
	NumVIDs = 1 << vidBits
)

// macBits is the width of a MAC address packed into a uint64.
const macBits = 48

// tableKey packs (VLAN, MAC) into one comparable word: vlan in bits
// 48-59, the MAC in bits 0-47.
func tableKey(vlan uint16, m MAC) uint64 {
	return uint64(vlan&MaxVID)<<macBits |
		uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 |
		uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
}

// splitKey is the inverse of tableKey.
func splitKey(k uint64) (vlan uint16, m MAC) {
	vlan = uint16(k >> macBits)
	m = MAC{byte(k >> 40), byte(k >> 32), byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
	return vlan, m
}
