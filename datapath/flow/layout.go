package flow

// Layout records where Extract found each header, as byte offsets from the
// frame start; -1 means absent. It is a small value (8 bytes) kept next to
// the packet; Packet methods keep it consistent when they move headers.
type Layout struct {
	// L3 is the start of the network header: the first byte after the
	// ethertype (and after an LLC/SNAP header), whatever the ethertype,
	// as OVS's l3_ofs. -1 only for frames shorter than an Ethernet header.
	L3 int16
	// L4 is the start of the transport header of an IPv4/IPv6 packet
	// (after any IPv6 extension headers), as OVS's l4_ofs. The header
	// there may be truncated (the key's KeyFlagTruncated says so). -1 for
	// non-IP packets, later fragments and IP headers that failed the
	// sanity checks.
	L4 int16
	// L2_5 is the offset of the ethertype field that follows the VLAN
	// tags (EthernetTypeOffset + 4*NVLAN); -1 for runt frames.
	L2_5 int16
	// NVLAN is the number of VLAN tags Extract parsed (0..vlan limit).
	NVLAN int8
	// L4Proto is the IP protocol of the header at L4 (after the
	// extension header walk); 0 when L4 is -1.
	L4Proto uint8
}

// MaxVLANs is the number of VLAN tags Extract parses, as OVS's
// FLOW_MAX_VLAN_HEADERS; further tags are left in the payload and the
// ethertype is the third TPID.
const MaxVLANs = 2

// DefaultVLANLimit is OVS's other_config:vlan-limit when the key is
// absent: only the outer tag is parsed.
const DefaultVLANLimit = 1

// VLANLimit turns an other_config:vlan-limit value into the number of
// tags ExtractVLANs parses, as OVS's flow_limit_vlans: 0 or negative
// means unlimited (MaxVLANs); larger values are capped at MaxVLANs.
func VLANLimit(n int) int {
	if n <= 0 || n > MaxVLANs {
		return MaxVLANs
	}
	return n
}

// noHeader marks an absent header in a Layout.
const noHeader = -1

// Reset marks every header absent.
func (l *Layout) Reset() { *l = Layout{L3: noHeader, L4: noHeader, L2_5: noHeader} }
