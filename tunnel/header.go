package tunnel

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"govs/datapath/flow"
	"govs/datapath/header"
)

// Outer header sizes.
const (
	ethLen  = header.EthernetMinSize
	ipv4Len = header.IPv4MinSize
	udpLen  = header.UDPSize
	// OuterLen is the Ethernet+IPv4+UDP part of every encapsulation.
	OuterLen = ethLen + ipv4Len + udpLen
	// MaxOptionBytes is the largest Geneve option area govs emits: the
	// tun_metadata slot's data plus a 4-byte TLV header per field (at
	// most one field per 4-byte chunk).
	MaxOptionBytes = flow.TunMetadataLen + flow.TunMetadataLen
	// MaxHeaderLen is the largest encapsulation govs builds (Geneve with
	// MaxOptionBytes of options): it fits ports.Headroom.
	MaxHeaderLen = OuterLen + GeneveBaseSize + MaxOptionBytes

	etherTypeIPv4 = 0x0800
	ipProtoUDP    = 17
	// srcPortMin and srcPortMax bound the outer UDP source port, as OVS's
	// default tnl/egress_port_range [32768, 61000).
	srcPortMin = 32768
	srcPortMax = 61000
)

// Header is everything an encapsulation writes: translation builds one
// per (tunnel port, flow) and the Table interns it, so it is comparable.
type Header struct {
	Type     Type
	Src, Dst uint32 // outer IPv4 addresses (host order)
	DstPort  uint16
	VNI      uint32
	TOS, TTL uint8
	DF, Csum bool
	OAM      bool // Geneve O bit (the flow's tun_flags oam)
	// Geneve options (OptLen bytes of Opts).
	OptLen uint8
	Opts   [MaxOptionBytes]byte
}

// Len is the size of the encapsulation.
func (h *Header) Len() int {
	if h.Type == TypeVXLAN {
		return OuterLen + VXLANSize
	}
	return OuterLen + GeneveBaseSize + int(h.OptLen)
}

// template writes the constant part of the encapsulation into b (len
// h.Len()): Ethernet (zero MACs: the kernel routes and resolves the next
// hop), IPv4 without length and checksum, UDP without source port,
// length and checksum, and the tunnel header.
func (h *Header) template(b []byte) {
	clear(b)
	binary.BigEndian.PutUint16(b[12:], etherTypeIPv4)
	ip := b[ethLen:]
	ip[0] = 0x45
	ip[1] = h.TOS
	if h.DF {
		binary.BigEndian.PutUint16(ip[6:], header.IPv4FlagDF)
	}
	ip[8] = h.TTL
	ip[9] = ipProtoUDP
	binary.BigEndian.PutUint32(ip[12:], h.Src)
	binary.BigEndian.PutUint32(ip[16:], h.Dst)
	udp := ip[ipv4Len:]
	binary.BigEndian.PutUint16(udp[2:], h.DstPort)
	t := udp[udpLen:]
	if h.Type == TypeVXLAN {
		VXLAN(t).Init(h.VNI)
	} else {
		Geneve(t).Init(h.VNI, h.OAM, h.Opts[:h.OptLen])
	}
}

// AppendText appends the header(...) argument of tnl_push as OVS's
// format_odp_tnl_push_header: size, type (OVS_VPORT_TYPE_GENEVE 5,
// VXLAN 4), eth, ipv4, udp and geneve/vxlan.
func (h *Header) AppendText(b []byte) []byte {
	b = append(b, "size="...)
	b = strconv.AppendInt(b, int64(h.Len()), 10)
	b = append(b, ",type="...)
	if h.Type == TypeVXLAN {
		b = append(b, '4')
	} else {
		b = append(b, '5')
	}
	b = append(b, ",eth(dst=00:00:00:00:00:00,src=00:00:00:00:00:00,dl_type=0x0800),ipv4(src="...)
	b = appendIP(b, h.Src)
	b = append(b, ",dst="...)
	b = appendIP(b, h.Dst)
	b = append(b, ",proto=17,tos="...)
	b = strconv.AppendInt(b, int64(h.TOS), 10)
	b = append(b, ",ttl="...)
	b = strconv.AppendInt(b, int64(h.TTL), 10)
	b = append(b, ",frag=0x"...)
	if h.DF {
		b = append(b, "4000"...)
	} else {
		b = append(b, '0')
	}
	b = append(b, "),udp(src=0,dst="...)
	b = strconv.AppendInt(b, int64(h.DstPort), 10)
	b = append(b, ",csum=0x"...)
	if h.Csum {
		b = append(b, "ffff"...)
	} else {
		b = append(b, '0')
	}
	b = append(b, "),"...)
	if h.Type == TypeVXLAN {
		b = append(b, "vxlan(flags=0x8000000,vni=0x"...)
		b = strconv.AppendUint(b, uint64(h.VNI), 16)
		return append(b, ')')
	}
	b = append(b, "geneve("...)
	opts := h.Opts[:h.OptLen]
	if h.OAM {
		b = append(b, "oam,"...)
	}
	if OptionsCritical(opts) {
		b = append(b, "crit,"...)
	}
	b = append(b, "vni=0x"...)
	b = strconv.AppendUint(b, uint64(h.VNI), 16)
	if len(opts) > 0 {
		b = append(b, ",options("...)
		for len(opts) > 0 {
			o, rest, ok := NextOption(opts)
			if !ok {
				break
			}
			b = append(b, "{class=0x"...)
			b = strconv.AppendUint(b, uint64(o.Class), 16)
			b = append(b, ",type=0x"...)
			b = strconv.AppendUint(b, uint64(o.Type), 16)
			b = append(b, ",len="...)
			b = strconv.AppendInt(b, int64(len(o.Data)), 10)
			b = append(b, ",0x"...)
			for _, x := range o.Data {
				if len(b) > 0 && b[len(b)-1] == 'x' && x == 0 {
					continue // OVS prints the value without leading zeros
				}
				b = appendHexByte(b, x, b[len(b)-1] == 'x')
			}
			if b[len(b)-1] == 'x' {
				b = append(b, '0')
			}
			b = append(b, '}')
			opts = rest
		}
		b = append(b, ')')
	}
	return append(b, ')')
}

func appendHexByte(b []byte, x byte, first bool) []byte {
	const digits = "0123456789abcdef"
	if first && x < 0x10 {
		return append(b, digits[x])
	}
	return append(b, digits[x>>4], digits[x&15])
}

func appendIP(b []byte, a uint32) []byte {
	var x [4]byte
	binary.BigEndian.PutUint32(x[:], a)
	return netip.AddrFrom4(x).AppendTo(b)
}

// srcPort maps a flow hash into [srcPortMin, srcPortMax), as OVS's
// netdev_tnl_get_src_port.
func srcPort(hash uint32) uint16 {
	return uint16(srcPortMin + uint64(hash)*(srcPortMax-srcPortMin)>>32)
}

// innerHash hashes the inner frame's addresses and ports (the 5-tuple
// for IPv4 TCP/UDP/SCTP, the MAC addresses otherwise), so that one inner
// flow always gets the same outer source port.
func innerHash(frame []byte, l *flow.Layout) uint32 {
	h := uint64(0x9e3779b97f4a7c15)
	mix := func(v uint64) {
		h ^= v
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 31
	}
	l3 := int(l.L3)
	if l3 > 0 && int(l.L2_5) >= 0 && int(l.L2_5)+2 <= len(frame) &&
		binary.BigEndian.Uint16(frame[l.L2_5:]) == etherTypeIPv4 && l3+ipv4Len <= len(frame) {
		mix(uint64(binary.BigEndian.Uint64(frame[l3+12:])))
		mix(uint64(frame[l3+9]))
		if l4 := int(l.L4); l4 > 0 && l4+4 <= len(frame) {
			mix(uint64(binary.BigEndian.Uint32(frame[l4:])))
		}
	} else if len(frame) >= 12 {
		mix(binary.BigEndian.Uint64(frame[0:]))
		mix(uint64(binary.BigEndian.Uint32(frame[8:])))
	}
	return uint32(h >> 32)
}
