package normal

import "govs/ofproto/maclearn"

// reservedMACs is OVS's eth_addr_is_reserved list (lib/packets.c):
// 01:80:c2:00:00:00-0f (STP, pause and other IEEE reserved protocols),
// Extreme EDP/EAPS, and Cisco ISL, CDP/VTP/DTP/PAgP/UDLD, PVST+,
// STP Uplink Fast and CFM addresses.
var reservedMACs = [...]uint64{
	0x00e02b000000, 0x00e02b000004, 0x00e02b000006,
	0x01000c000000, 0x01000ccccccc, 0x01000ccccccd, 0x01000ccdcdcd,
	0x01000cccccc0, 0x01000cccccc1, 0x01000cccccc2, 0x01000cccccc3,
	0x01000cccccc4, 0x01000cccccc5, 0x01000cccccc6, 0x01000cccccc7,
}

// ieeeReservedBase and ieeeReservedMask select 01:80:c2:00:00:00-0f.
const (
	ieeeReservedBase = 0x0180c2000000
	ieeeReservedMask = ^uint64(0x0f)
)

// IsReservedMAC reports whether m is a reserved multicast address that
// NORMAL drops unless forward-bpdu is set (OVS's eth_addr_is_reserved).
func IsReservedMAC(m maclearn.MAC) bool {
	v := uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 | uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
	if v&ieeeReservedMask == ieeeReservedBase {
		return true
	}
	for _, r := range reservedMACs {
		if v == r {
			return true
		}
	}
	return false
}
