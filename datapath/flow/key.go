package flow

import "encoding/binary"

// PortNo is a datapath port number. OpenFlow port numbers map onto it
// one to one for the ports a bridge owns; PortLocal is the bridge's own
// internal port (OFPP_LOCAL).
type PortNo uint32

const (
	// PortNone means "no port" (e.g. a wildcarded in_port).
	PortNone PortNo = 0xffff
	// PortLocal is the bridge's LOCAL port, as OFPP_LOCAL.
	PortLocal PortNo = 0xfffe
)

// KeyWords is the number of 64-bit words in a Key.
const KeyWords = 20

// Key is the flow key: every header field the datapath can match on,
// packed into fixed 64-bit words. It is comparable (usable as a map key
// and with ==), has no pointers and no padding, and masks apply to it
// word by word (see Key.And). Field positions are the named word/shift
// constants below; accessors read and write them.
//
// Layout (bits are numbered from the most significant end of a word):
//
//	w0  in_port(32)        | recirc_id(32)
//	w1  eth_dst(48)        | eth_type(16)
//	w2  eth_src(48)        | key_flags(16)   (KeyFlag*)
//	w3  vlan0 tpid(16) tci(16) | vlan1 tpid(16) tci(16)
//	w4  nw_proto(8) nw_tos(8) nw_ttl(8) nw_frag(8) | ipv6_label(32)
//	w5  ipv4_src(32)       | ipv4_dst(32)     (ARP: spa | tpa)
//	w6-7 ipv6_src(128)
//	w8-9 ipv6_dst(128)     (ND: the target address is not keyed, see Extract)
//	w10 tp_src(16) tp_dst(16) tcp_flags(16) | 0(16)  (ICMP: type in tp_src, code in tp_dst)
//	w11 arp_sha(48)        | 0(16)            (ND: source link-layer address)
//	w12 arp_tha(48)        | 0(16)            (ND: target link-layer address)
//	w13 tun_id(64)
//	w14 tun_src(32)        | tun_dst(32)
//	w15 tun_flags(16) tun_tos(8) tun_ttl(8) | tun_tp_src(16) tun_tp_dst(16)
//	w16-19 tun_metadata: 32 bytes of Geneve option data, laid out by the
//	        bridge's TLV map (tunnel/tlv); which fields are present is in
//	        tun_flags bits 8-15 (TunFlagOptPresent).
//
// A VLAN TCI in the key always has the CFI/"present" bit (0x1000) set
// when a tag is present, as in OVS, so "no tag" (tci 0) and "tag with
// VID 0" differ.
type Key struct {
	W [KeyWords]uint64
}

// Word indices into Key.W.
const (
	wInPort  = 0
	wEthDst  = 1
	wEthSrc  = 2
	wVLAN    = 3
	wNw      = 4
	wIPv4    = 5
	wIPv6Src = 6
	wIPv6Dst = 8
	wTp      = 10
	wArpSha  = 11
	wArpTha  = 12
	wTunID   = 13
	wTunIP   = 14
	wTunMisc = 15
	wTunMeta = 16
)

// TunMetadataLen is the size of the Geneve option slot in the key.
const TunMetadataLen = 32

// Key flags (w2 low 16 bits): facts about parsing that are not header fields.
const (
	// KeyFlagTruncated: the frame ended before a header that its
	// outer headers announced; fields after that point are zero.
	KeyFlagTruncated uint16 = 1 << 0
	// KeyFlagTunnel: the packet arrived through a tunnel; w13-w19 are valid.
	KeyFlagTunnel uint16 = 1 << 1
)

// nw_frag values (as OVS FLOW_NW_FRAG_*).
const (
	FragAny   uint8 = 1 << 0 // the packet is a fragment
	FragLater uint8 = 1 << 1 // the packet is a non-first fragment
)

// VLANCFI is the bit set in a key TCI when a tag is present.
const VLANCFI = 0x1000

// TCP flags as they appear in the key (the 12 low bits of the TCP header's
// data-offset/flags word, as OVS).
const (
	TCPFin = 1 << 0
	TCPSyn = 1 << 1
	TCPRst = 1 << 2
	TCPPsh = 1 << 3
	TCPAck = 1 << 4
	TCPUrg = 1 << 5
)

// And sets k to k & m, word by word.
func (k *Key) And(m *Key) {
	for i := range k.W {
		k.W[i] &= m.W[i]
	}
}

// Masked returns k & m.
func (k *Key) Masked(m *Key) Key {
	var r Key
	for i := range k.W {
		r.W[i] = k.W[i] & m.W[i]
	}
	return r
}

// Or sets k to k | m (used to widen masks: un-wildcarding).
func (k *Key) Or(m *Key) {
	for i := range k.W {
		k.W[i] |= m.W[i]
	}
}

// Reset zeroes every field.
func (k *Key) Reset() { *k = Key{} }

func get(w uint64, shift, bits uint) uint64 { return (w >> shift) & (1<<bits - 1) }
func set(w *uint64, shift, bits uint, v uint64) {
	m := uint64(1<<bits-1) << shift
	*w = *w&^m | (v<<shift)&m
}

func (k *Key) InPort() PortNo       { return PortNo(k.W[wInPort] >> 32) }
func (k *Key) SetInPort(p PortNo)   { set(&k.W[wInPort], 32, 32, uint64(p)) }
func (k *Key) RecircID() uint32     { return uint32(k.W[wInPort]) }
func (k *Key) SetRecircID(v uint32) { set(&k.W[wInPort], 0, 32, uint64(v)) }

func (k *Key) EthDst() (a [6]byte) { putMAC(&a, k.W[wEthDst]>>16); return }
func (k *Key) SetEthDst(a [6]byte) { set(&k.W[wEthDst], 16, 48, mac64(a)) }
func (k *Key) EthType() uint16     { return uint16(k.W[wEthDst]) }
func (k *Key) SetEthType(v uint16) { set(&k.W[wEthDst], 0, 16, uint64(v)) }
func (k *Key) EthSrc() (a [6]byte) { putMAC(&a, k.W[wEthSrc]>>16); return }
func (k *Key) SetEthSrc(a [6]byte) { set(&k.W[wEthSrc], 16, 48, mac64(a)) }
func (k *Key) Flags() uint16       { return uint16(k.W[wEthSrc]) }
func (k *Key) SetFlags(v uint16)   { set(&k.W[wEthSrc], 0, 16, uint64(v)) }

// VLAN returns tag i (0 outer, 1 inner): TPID and TCI (TCI has VLANCFI set
// when present; zero when absent).
func (k *Key) VLAN(i int) (tpid, tci uint16) {
	sh := uint(32 - 32*i)
	return uint16(k.W[wVLAN] >> (sh + 16)), uint16(k.W[wVLAN] >> sh)
}

// SetVLAN sets tag i (0 outer, 1 inner).
func (k *Key) SetVLAN(i int, tpid, tci uint16) {
	sh := uint(32 - 32*i)
	set(&k.W[wVLAN], sh, 32, uint64(tpid)<<16|uint64(tci))
}

func (k *Key) NwProto() uint8        { return uint8(k.W[wNw] >> 56) }
func (k *Key) SetNwProto(v uint8)    { set(&k.W[wNw], 56, 8, uint64(v)) }
func (k *Key) NwTos() uint8          { return uint8(k.W[wNw] >> 48) }
func (k *Key) SetNwTos(v uint8)      { set(&k.W[wNw], 48, 8, uint64(v)) }
func (k *Key) NwTTL() uint8          { return uint8(k.W[wNw] >> 40) }
func (k *Key) SetNwTTL(v uint8)      { set(&k.W[wNw], 40, 8, uint64(v)) }
func (k *Key) NwFrag() uint8         { return uint8(k.W[wNw] >> 32) }
func (k *Key) SetNwFrag(v uint8)     { set(&k.W[wNw], 32, 8, uint64(v)) }
func (k *Key) IPv6Label() uint32     { return uint32(k.W[wNw]) }
func (k *Key) SetIPv6Label(v uint32) { set(&k.W[wNw], 0, 32, uint64(v)) }

func (k *Key) IPv4Src() uint32     { return uint32(k.W[wIPv4] >> 32) }
func (k *Key) SetIPv4Src(v uint32) { set(&k.W[wIPv4], 32, 32, uint64(v)) }
func (k *Key) IPv4Dst() uint32     { return uint32(k.W[wIPv4]) }
func (k *Key) SetIPv4Dst(v uint32) { set(&k.W[wIPv4], 0, 32, uint64(v)) }

func (k *Key) IPv6Src() (a [16]byte) { put128(&a, k.W[wIPv6Src], k.W[wIPv6Src+1]); return }
func (k *Key) SetIPv6Src(a [16]byte) {
	k.W[wIPv6Src], k.W[wIPv6Src+1] = binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:])
}
func (k *Key) IPv6Dst() (a [16]byte) { put128(&a, k.W[wIPv6Dst], k.W[wIPv6Dst+1]); return }
func (k *Key) SetIPv6Dst(a [16]byte) {
	k.W[wIPv6Dst], k.W[wIPv6Dst+1] = binary.BigEndian.Uint64(a[:8]), binary.BigEndian.Uint64(a[8:])
}

func (k *Key) TpSrc() uint16        { return uint16(k.W[wTp] >> 48) }
func (k *Key) SetTpSrc(v uint16)    { set(&k.W[wTp], 48, 16, uint64(v)) }
func (k *Key) TpDst() uint16        { return uint16(k.W[wTp] >> 32) }
func (k *Key) SetTpDst(v uint16)    { set(&k.W[wTp], 32, 16, uint64(v)) }
func (k *Key) TCPFlags() uint16     { return uint16(k.W[wTp] >> 16) }
func (k *Key) SetTCPFlags(v uint16) { set(&k.W[wTp], 16, 16, uint64(v)) }

func (k *Key) ArpSha() (a [6]byte) { putMAC(&a, k.W[wArpSha]>>16); return }
func (k *Key) SetArpSha(a [6]byte) { set(&k.W[wArpSha], 16, 48, mac64(a)) }
func (k *Key) ArpTha() (a [6]byte) { putMAC(&a, k.W[wArpTha]>>16); return }
func (k *Key) SetArpTha(a [6]byte) { set(&k.W[wArpTha], 16, 48, mac64(a)) }

func (k *Key) TunID() uint64        { return k.W[wTunID] }
func (k *Key) SetTunID(v uint64)    { k.W[wTunID] = v }
func (k *Key) TunSrc() uint32       { return uint32(k.W[wTunIP] >> 32) }
func (k *Key) SetTunSrc(v uint32)   { set(&k.W[wTunIP], 32, 32, uint64(v)) }
func (k *Key) TunDst() uint32       { return uint32(k.W[wTunIP]) }
func (k *Key) SetTunDst(v uint32)   { set(&k.W[wTunIP], 0, 32, uint64(v)) }
func (k *Key) TunFlags() uint16     { return uint16(k.W[wTunMisc] >> 48) }
func (k *Key) SetTunFlags(v uint16) { set(&k.W[wTunMisc], 48, 16, uint64(v)) }
func (k *Key) TunTos() uint8        { return uint8(k.W[wTunMisc] >> 40) }
func (k *Key) SetTunTos(v uint8)    { set(&k.W[wTunMisc], 40, 8, uint64(v)) }
func (k *Key) TunTTL() uint8        { return uint8(k.W[wTunMisc] >> 32) }
func (k *Key) SetTunTTL(v uint8)    { set(&k.W[wTunMisc], 32, 8, uint64(v)) }
func (k *Key) TunTpSrc() uint16     { return uint16(k.W[wTunMisc] >> 16) }
func (k *Key) SetTunTpSrc(v uint16) { set(&k.W[wTunMisc], 16, 16, uint64(v)) }
func (k *Key) TunTpDst() uint16     { return uint16(k.W[wTunMisc]) }
func (k *Key) SetTunTpDst(v uint16) { set(&k.W[wTunMisc], 0, 16, uint64(v)) }

// TunMetadata copies the Geneve option slot into b (len TunMetadataLen).
func (k *Key) TunMetadata() (b [TunMetadataLen]byte) {
	for i := 0; i < TunMetadataLen/8; i++ {
		binary.BigEndian.PutUint64(b[i*8:], k.W[wTunMeta+i])
	}
	return
}

// SetTunMetadata sets the Geneve option slot.
func (k *Key) SetTunMetadata(b [TunMetadataLen]byte) {
	for i := 0; i < TunMetadataLen/8; i++ {
		k.W[wTunMeta+i] = binary.BigEndian.Uint64(b[i*8:])
	}
}

// CopyTunnel sets k's tunnel fields (w13-w19: tun_id, addresses, flags,
// ToS, TTL, ports and the Geneve option slot) to from's and marks k as
// having arrived through a tunnel (KeyFlagTunnel). Allocation-free.
func (k *Key) CopyTunnel(from *Key) {
	copy(k.W[wTunID:wTunMeta+TunMetadataLen/8], from.W[wTunID:wTunMeta+TunMetadataLen/8])
	k.SetFlags(k.Flags() | KeyFlagTunnel)
}

func mac64(a [6]byte) uint64 {
	return uint64(a[0])<<40 | uint64(a[1])<<32 | uint64(a[2])<<24 | uint64(a[3])<<16 | uint64(a[4])<<8 | uint64(a[5])
}

func putMAC(a *[6]byte, v uint64) {
	a[0], a[1], a[2], a[3], a[4], a[5] = byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

func put128(a *[16]byte, hi, lo uint64) {
	binary.BigEndian.PutUint64(a[:8], hi)
	binary.BigEndian.PutUint64(a[8:], lo)
}
