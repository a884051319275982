package tunnel

import (
	"govs/datapath/flow"
	"govs/tunnel/tlv"
)

// BuildOptions writes into h the Geneve options for the tun_metadata
// fields of k that are present (flow.TunFlagOptPresent bits), in field
// index order, as OVS's tun_metadata_to_geneve: each mapped field's
// (class, type, len) and its data from k's slot. The C bit follows
// (Header.template: set when an option type has 0x80). mask, if not nil,
// gets the presence bits of every mapped field and the data bytes of the
// present ones un-wildcarded (what the encapsulation depended on).
func BuildOptions(h *Header, m *tlv.Map, k, mask *flow.Key) {
	h.OptLen = 0
	if m == nil {
		return
	}
	md := k.TunMetadata()
	flags := k.TunFlags()
	var mflags uint16
	var mmd [flow.TunMetadataLen]byte
	n := 0
	for i := 0; i < tlv.NumFields; i++ {
		f := m.Field(i)
		if !f.Valid {
			continue
		}
		bit := flow.TunFlagOptPresent << (f.Offset / 4)
		mflags |= bit
		if flags&bit == 0 {
			continue
		}
		data := md[f.Offset : int(f.Offset)+int(f.Len)]
		if n+4+len(data) > len(h.Opts) {
			break // cannot happen: one field per 4-byte chunk at most
		}
		o := h.Opts[n:]
		o[0], o[1], o[2], o[3] = byte(f.Class>>8), byte(f.Class), f.Type, uint8(len(data)/4)
		copy(o[4:], data)
		n += 4 + len(data)
		for j := range data {
			mmd[int(f.Offset)+j] = 0xff
		}
	}
	h.OptLen = uint8(n)
	if mask != nil {
		mask.SetTunFlags(mask.TunFlags() | mflags)
		old := mask.TunMetadata()
		for j := range old {
			old[j] |= mmd[j]
		}
		mask.SetTunMetadata(old)
	}
}
