package ofpact

import (
	"strconv"

	"govs/datapath/flow"
	"govs/flowtable"
)

// SetTunMetadata is set_field:VALUE[/MASK]->tun_metadataN: it writes the
// Geneve option field N (as mapped by the bridge's TLV map) and marks it
// present, so output to a Geneve port sends the option. Value and Mask
// hold Len bytes, big-endian; the switch right-aligns them into the
// mapped length. On the wire (as OVS): OFPAT_SET_FIELD with
// NXM_NX_TUN_METADATA<N> in 1.3, NXAST_REG_LOAD2 in 1.0 and for masked
// writes.
type SetTunMetadata struct {
	Index       uint8
	Len         uint8
	Value, Mask [flow.TunMetadataLen]byte
	// HasMask: written with an explicit mask (OVS keeps such a write
	// masked, even when the mask covers the value's bytes).
	HasMask bool
}

// Name implements Action.
func (*SetTunMetadata) Name() string { return "set_field" }

// Masked reports whether the action writes only some bits.
func (a *SetTunMetadata) Masked() bool {
	if a.HasMask {
		return true
	}
	for _, m := range a.Mask[:a.Len] {
		if m != 0xff {
			return true
		}
	}
	return false
}

func parseSetTunMetadata(index int, key, value string, usable *flowtable.Protocols) (Action, error) {
	v, m, err := flowtable.ParseTunMetadataValue(key, value)
	if err != nil {
		return nil, err
	}
	a := &SetTunMetadata{Index: uint8(index), Len: uint8(len(v)), HasMask: m != nil}
	for i := range v {
		mk := byte(0xff)
		if m != nil {
			mk = m[i]
		}
		a.Value[i], a.Mask[i] = v[i]&mk, mk
	}
	*usable &= flowtable.ProtoNXMOXMAny
	return a, nil
}

func appendSetTunMetadata(b []byte, a *SetTunMetadata) []byte {
	b = append(b, "set_field:"...)
	b = appendHexBytes(b, a.Value[:a.Len])
	if a.Masked() {
		b = append(b, '/')
		b = appendHexBytes(b, a.Mask[:a.Len])
	}
	b = append(b, "->tun_metadata"...)
	return strconv.AppendUint(b, uint64(a.Index), 10)
}
