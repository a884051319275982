package header

import "encoding/binary"

// Ethernet is an Ethernet II / 802.3 header view: dst(6) src(6) type(2).
type Ethernet []byte

// Ethernet field offsets and sizes.
const (
	ethDst  = 0
	ethSrc  = 6
	ethType = 12

	// EthernetAddrLen is the length of a MAC address.
	EthernetAddrLen = 6
	// EthernetTypeOffset is where the (outer) ethertype/TPID sits.
	EthernetTypeOffset = ethType
	// EthernetMinSize is the size of an untagged Ethernet header.
	EthernetMinSize = 14
)

// Ethertypes.
const (
	EtherTypeIPv4   uint16 = 0x0800
	EtherTypeARP    uint16 = 0x0806
	EtherTypeRARP   uint16 = 0x8035
	EtherTypeVLAN   uint16 = 0x8100 // 802.1Q C-tag
	EtherTypeQinQ   uint16 = 0x88a8 // 802.1ad S-tag
	EtherTypeIPv6   uint16 = 0x86dd
	EtherTypeMin    uint16 = 0x0600 // values below are 802.3 lengths
	EtherTypeNoneLL uint16 = 0x05ff // OVS FLOW_DL_TYPE_NONE: not Ethernet II / SNAP
)

// IsValid reports whether e holds a whole Ethernet header.
func (e Ethernet) IsValid() bool { return len(e) >= EthernetMinSize }

// Dst returns the destination MAC.
func (e Ethernet) Dst() (a [6]byte) { copy(a[:], e[ethDst:ethDst+EthernetAddrLen]); return }

// Src returns the source MAC.
func (e Ethernet) Src() (a [6]byte) { copy(a[:], e[ethSrc:ethSrc+EthernetAddrLen]); return }

// Type returns the ethertype (or TPID, or 802.3 length) field.
func (e Ethernet) Type() uint16 { return binary.BigEndian.Uint16(e[ethType:]) }

// SetDst sets the destination MAC.
func (e Ethernet) SetDst(a [6]byte) { copy(e[ethDst:], a[:]) }

// SetSrc sets the source MAC.
func (e Ethernet) SetSrc(a [6]byte) { copy(e[ethSrc:], a[:]) }

// SetType sets the ethertype field.
func (e Ethernet) SetType(t uint16) { binary.BigEndian.PutUint16(e[ethType:], t) }

// IsVLANTPID reports whether t is a TPID OVS parses as a VLAN tag
// (0x8100 or 0x88a8).
func IsVLANTPID(t uint16) bool { return t == EtherTypeVLAN || t == EtherTypeQinQ }

// VLAN is an 802.1Q/802.1ad tag view starting at its TPID: tpid(2) tci(2).
// The encapsulated ethertype follows it.
type VLAN []byte

// VLAN sizes and TCI fields.
const (
	// VLANTagSize is the size of one tag (TPID + TCI).
	VLANTagSize = 4
	vlanTPID    = 0
	vlanTCI     = 2
	// VLANVIDMask selects the VLAN ID in a TCI.
	VLANVIDMask uint16 = 0x0fff
	// VLANCFIMask is the CFI/DEI bit of a TCI.
	VLANCFIMask uint16 = 0x1000
	// VLANPCPShift is the shift of the 3-bit priority in a TCI.
	VLANPCPShift = 13
)

// IsValid reports whether v holds a whole tag.
func (v VLAN) IsValid() bool { return len(v) >= VLANTagSize }

// TPID returns the tag protocol identifier.
func (v VLAN) TPID() uint16 { return binary.BigEndian.Uint16(v[vlanTPID:]) }

// TCI returns the tag control information as on the wire.
func (v VLAN) TCI() uint16 { return binary.BigEndian.Uint16(v[vlanTCI:]) }

// Set writes the TPID and TCI.
func (v VLAN) Set(tpid, tci uint16) {
	binary.BigEndian.PutUint16(v[vlanTPID:], tpid)
	binary.BigEndian.PutUint16(v[vlanTCI:], tci)
}

// LLCSNAP is an 802.2 LLC + SNAP header view (after an 802.3 length):
// dsap(1) ssap(1) cntl(1) org(3) type(2).
type LLCSNAP []byte

// LLC/SNAP constants.
const (
	// LLCSNAPSize is the size of the LLC+SNAP header.
	LLCSNAPSize = 8
	llcDSAP     = 0
	llcSSAP     = 1
	llcCntl     = 2
	snapOrg     = 3
	snapType    = 6
	// LLCSAPSNAP is the DSAP/SSAP value announcing SNAP.
	LLCSAPSNAP = 0xaa
	// LLCCntlSNAP is the control value used with SNAP (UI frame).
	LLCCntlSNAP = 0x03
)

// IsValid reports whether s holds a whole LLC+SNAP header.
func (s LLCSNAP) IsValid() bool { return len(s) >= LLCSNAPSize }

// IsEthernetSNAP reports whether the header is SNAP with the Ethernet
// (all-zero) OUI, i.e. it carries an ethertype.
func (s LLCSNAP) IsEthernetSNAP() bool {
	return s[llcDSAP] == LLCSAPSNAP && s[llcSSAP] == LLCSAPSNAP && s[llcCntl] == LLCCntlSNAP &&
		s[snapOrg] == 0 && s[snapOrg+1] == 0 && s[snapOrg+2] == 0
}

// Type returns the SNAP protocol (ethertype) field.
func (s LLCSNAP) Type() uint16 { return binary.BigEndian.Uint16(s[snapType:]) }
