package flow

// Tunnel flags in Key.TunFlags, with OVS's FLOW_TNL_F_* values so that
// they print as OVS prints them.
const (
	// TunFlagDontFragment: the outer IPv4 header had DF (OVS "df").
	TunFlagDontFragment uint16 = 1 << 0
	// TunFlagCsum: the outer UDP checksum was present (OVS "csum").
	TunFlagCsum uint16 = 1 << 1
	// TunFlagKey: tun_id is valid (OVS "key").
	TunFlagKey uint16 = 1 << 2
	// TunFlagOAM: the Geneve O bit (OVS "oam").
	TunFlagOAM uint16 = 1 << 3
	// TunFlagGeneve: the tunnel is Geneve, its options are in the
	// metadata slot (OVS FLOW_TNL_F_UDPIF); it makes AppendKeyMask print
	// geneve(...) and is not one of the printed flags(...).
	TunFlagGeneve uint16 = 1 << 4
	// TunFlagOptPresent is the first of 8 presence bits (bits 8-15), one
	// per 4-byte chunk of the tun_metadata slot: bit 8+c is set when the
	// Geneve option mapped (tunnel/tlv) to the field whose data starts at
	// chunk c is present (received, or set by set_field), as OVS's
	// tun_metadata present map.
	TunFlagOptPresent uint16 = 1 << 8
	tunFlagsMask             = TunFlagDontFragment | TunFlagCsum | TunFlagKey | TunFlagOAM
)

var tunFlagNames = [...]string{"df", "csum", "key", "oam"}

// tunnel prints tunnel(tun_id=..,src=..,dst=..,tos=..,ttl=..,tp_src=..,
// tp_dst=..,geneve(),flags(..)) as format_odp_tun_attr (non-verbose).
// Geneve option TLVs are not printed inside geneve(): the Key holds them
// laid out by the tunnel port's TLV map, which this package does not know.
func (w *odpWriter) tunnel(k, m *Key) {
	w.open("tunnel")
	kf, mf := k.TunFlags(), m.TunFlags()
	if kf&TunFlagKey != 0 && m.TunID() != 0 {
		w.b = append(w.b, "tun_id="...)
		w.hexC(k.TunID())
		if m.TunID() != ^uint64(0) {
			w.b = append(w.b, '/')
			w.hexC(m.TunID())
		}
		w.b = append(w.b, ',')
	}
	w.ip4("src", k.TunSrc(), m.TunSrc())
	w.ip4("dst", k.TunDst(), m.TunDst())
	w.u8x("tos", k.TunTos(), m.TunTos())
	w.u8u("ttl", k.TunTTL(), m.TunTTL())
	w.be16("tp_src", k.TunTpSrc(), m.TunTpSrc())
	w.be16("tp_dst", k.TunTpDst(), m.TunTpDst())
	if kf&TunFlagGeneve != 0 {
		w.b = append(w.b, "geneve(),"...)
	}
	if mf&tunFlagsMask != 0 {
		w.b = append(w.b, "flags("...)
		if mf&tunFlagsMask == tunFlagsMask {
			n := 0
			for i, s := range tunFlagNames {
				if kf&(1<<i) != 0 {
					if n > 0 {
						w.b = append(w.b, '|')
					}
					w.b = append(w.b, s...)
					n++
				}
			}
			if n == 0 {
				w.b = append(w.b, '0')
			}
		} else {
			for i, s := range tunFlagNames {
				if mf&(1<<i) == 0 {
					continue
				}
				if kf&(1<<i) != 0 {
					w.b = append(w.b, '+')
				} else {
					w.b = append(w.b, '-')
				}
				w.b = append(w.b, s...)
			}
		}
		w.b = append(w.b, "),"...)
	}
	w.close()
}
