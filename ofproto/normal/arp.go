package normal

import (
	"govs/datapath/flow"
	"govs/datapath/header"
	"govs/ofproto/maclearn"
)

// ARP opcodes (nw_proto of an ARP key).
const (
	arpOpRequest = 1
	arpOpReply   = 2
)

// IsGratuitousARP reports whether key is a gratuitous ARP (a broadcast
// ARP reply, or a broadcast ARP request whose sender and target IP are
// equal), as OVS's is_gratuitous_arp, and ORs the fields it consulted
// into mask: eth dst for ARP; the opcode for broadcast ARP; sender and
// target IP for broadcast requests. mask may be nil.
func IsGratuitousARP(key *flow.Key, mask *flow.Key) bool {
	if mask == nil {
		var m flow.Key
		return isGratuitousARP(key, &m)
	}
	return isGratuitousARP(key, mask)
}

func isGratuitousARP(key, mask *flow.Key) bool {
	if key.EthType() != header.EtherTypeARP {
		return false
	}
	setMAC(mask, false, true)
	if !maclearn.MAC(key.EthDst()).IsBroadcast() {
		return false
	}
	mask.SetNwProto(fullMask8)
	switch key.NwProto() {
	case arpOpReply:
		return true
	case arpOpRequest:
		mask.SetIPv4Src(fullMask32)
		mask.SetIPv4Dst(fullMask32)
		return key.IPv4Src() == key.IPv4Dst()
	}
	return false
}
