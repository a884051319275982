package ofpact

import (
	"strconv"

	"govs/flowtable"
)

// rawText is an action that only exists on the wire of some version (for
// example set_queue/pop_queue around an OpenFlow 1.1+ enqueue); it is used
// for display only.
type rawText struct{ s string }

func (r *rawText) Name() string { return r.s }

// nxNoteHeader is the fixed part of NXAST_NOTE before the note bytes;
// actions are padded to actionAlign bytes and the padding comes back as
// note bytes.
const (
	nxNoteHeader = 10
	actionAlign  = 8
)

// Encode returns the actions as a switch speaking version v would send them
// back (ofpacts_put_openflow_instructions followed by a decode). Check must
// have been run on acts first so that VLAN and L4 context is known.
func Encode(acts []Action, v FormatVersion) []Action {
	out := make([]Action, 0, len(acts))
	for _, a := range acts {
		out = encodeOne(out, a, v)
	}
	return out
}

func setField(f *flowtable.Field, v flowtable.Value) *SetField {
	sf := &SetField{Field: f, Value: v}
	for i := 0; i < f.Bytes; i++ {
		sf.Mask[i] = 0xff
	}
	return sf
}

func u16Value(x uint16) (v flowtable.Value) { v[0], v[1] = byte(x>>8), byte(x); return }
func u8Value(x uint8) (v flowtable.Value)   { v[0] = x; return }
func u32Value(x uint32) (v flowtable.Value) {
	v[0], v[1], v[2], v[3] = byte(x>>24), byte(x>>16), byte(x>>8), byte(x)
	return
}
func u64Value(x uint64) (v flowtable.Value) {
	for i := 0; i < 8; i++ {
		v[i] = byte(x >> (56 - 8*uint(i)))
	}
	return
}

func loadField(f *flowtable.Field, v flowtable.Value) *SetField {
	sf := setField(f, v)
	sf.Load = true
	return sf
}

func encodeOne(out []Action, a Action, v FormatVersion) []Action {
	of10 := v == OF10
	switch a := a.(type) {
	case *Note:
		n := len(a.Data) + nxNoteHeader
		n = (n+actionAlign-1)/actionAlign*actionAlign - nxNoteHeader
		d := make([]byte, n)
		copy(d, a.Data)
		return append(out, &Note{Data: d})
	case *StripVLAN:
		return append(out, &StripVLAN{Pop: !of10})
	case *GotoTable:
		if of10 {
			return append(out, &Resubmit{InPort: flowtable.PortInPort, Table: a.Table})
		}
	case *ClearActions, *WriteMetadata:
		if of10 {
			if _, ok := a.(*WriteMetadata); ok {
				return append(out, a)
			}
			return out
		}
	case *WriteActions:
		if of10 {
			return out
		}
		return append(out, &WriteActions{Actions: Encode(a.Actions, v)})
	case *Enqueue:
		if !of10 {
			out = append(out, &rawText{"set_queue:" + strconv.FormatUint(uint64(a.Queue), 10)})
			out = append(out, &Output{Port: a.Port})
			return append(out, &rawText{"pop_queue"})
		}
	case *SetIPECN:
		if of10 {
			return append(out, loadField(flowtable.FieldNwECN, u8Value(a.ECN)))
		}
		return append(out, setField(flowtable.FieldNwECN, u8Value(a.ECN)))
	case *SetIPTTL:
		if of10 {
			return append(out, loadField(flowtable.FieldNwTTL, u8Value(a.TTL)))
		}
	case *SetVLANVID:
		if of10 {
			return append(out, &SetVLANVID{VID: a.VID, PushIfNeeded: true})
		}
		if a.PushIfNeeded && !a.flowHasVLAN {
			out = append(out, &PushVLAN{EthType: flowtable.EthTypeVLAN})
		}
		return append(out, setField(flowtable.FieldVLANVID, u16Value(a.VID|flowtable.VLANCFI)))
	case *SetVLANPCP:
		if of10 {
			return append(out, &SetVLANPCP{PCP: a.PCP, PushIfNeeded: true})
		}
		if a.PushIfNeeded && !a.flowHasVLAN {
			out = append(out, &PushVLAN{EthType: flowtable.EthTypeVLAN})
		}
		return append(out, setField(flowtable.FieldVLANPCP, u8Value(a.PCP)))
	case *SetEthSrc:
		if !of10 {
			var x flowtable.Value
			copy(x[:], a.MAC[:])
			return append(out, setField(flowtable.FieldEthSrc, x))
		}
	case *SetEthDst:
		if !of10 {
			var x flowtable.Value
			copy(x[:], a.MAC[:])
			return append(out, setField(flowtable.FieldEthDst, x))
		}
	case *SetIPv4Src:
		if !of10 {
			return append(out, setField(flowtable.FieldIPSrc, u32Value(a.IP)))
		}
	case *SetIPv4Dst:
		if !of10 {
			return append(out, setField(flowtable.FieldIPDst, u32Value(a.IP)))
		}
	case *SetIPDSCP:
		if !of10 {
			return append(out, setField(flowtable.FieldIPDSCP, u8Value(a.DSCP>>2)))
		}
	case *SetL4SrcPort:
		if !of10 {
			if f := l4Field(a.flowProto, true); f != nil {
				return append(out, setField(f, u16Value(a.Port)))
			}
		}
	case *SetL4DstPort:
		if !of10 {
			if f := l4Field(a.flowProto, false); f != nil {
				return append(out, setField(f, u16Value(a.Port)))
			}
		}
	case *SetTunnel:
		if !of10 {
			return append(out, setField(flowtable.FieldTunID, u64Value(a.ID)))
		}
		return append(out, &SetTunnel{ID: a.ID, Is64: a.Is64 || a.ID > 0xffffffff})
	case *SetField:
		return encodeSetField(out, a, v)
	}
	return append(out, a)
}

func l4Field(proto uint8, src bool) *flowtable.Field {
	switch proto {
	case flowtable.IPProtoTCP:
		if src {
			return flowtable.FieldTCPSrc
		}
		return flowtable.FieldTCPDst
	case flowtable.IPProtoUDP:
		if src {
			return flowtable.FieldUDPSrc
		}
		return flowtable.FieldUDPDst
	case flowtable.IPProtoSCTP:
		if src {
			return flowtable.FieldSCTPSrc
		}
		return flowtable.FieldSCTPDst
	}
	return nil
}

func encodeSetField(out []Action, a *SetField, v FormatVersion) []Action {
	toNX := func() []Action {
		if isZero(a.Mask[:a.Field.Bytes]) {
			return out
		}
		if a.Field.NXMName == "" {
			c := *a
			c.Load = false
			return append(out, &c)
		}
		c := *a
		c.Load = true
		return append(out, &c)
	}
	if v >= OF15 && a.Field.NXMName != "" {
		// OpenFlow 1.5 only has Set-Field.
		if isZero(a.Mask[:a.Field.Bytes]) {
			return out
		}
		c := *a
		c.Load = false
		return append(out, &c)
	}
	if a.Load {
		if isZero(a.Mask[:a.Field.Bytes]) {
			// A load of no bits encodes to nothing.
			return out
		}
		return toNX()
	}
	if v != OF10 {
		full := true
		for _, c := range a.Mask[:a.Field.Bytes] {
			if c != 0xff {
				full = false
			}
		}
		if full {
			return append(out, a)
		}
		return toNX()
	}
	val := a.Value
	u16 := uint16(val[0])<<8 | uint16(val[1])
	switch a.Field {
	case flowtable.FieldVLANTCI:
		if u16&flowtable.VLANCFI != 0 {
			out = append(out, &SetVLANVID{VID: u16 & flowtable.VLANVIDMask, PushIfNeeded: true})
			return append(out, &SetVLANPCP{PCP: uint8(u16 >> flowtable.VLANPCPShift), PushIfNeeded: true})
		}
		return append(out, &StripVLAN{})
	case flowtable.FieldVLANVID:
		return append(out, &SetVLANVID{VID: u16 & flowtable.VLANVIDMask, PushIfNeeded: true})
	case flowtable.FieldVLANPCP:
		return append(out, &SetVLANPCP{PCP: val[0], PushIfNeeded: true})
	case flowtable.FieldEthSrc, flowtable.FieldEthDst:
		var m [6]byte
		copy(m[:], val[:6])
		if a.Field == flowtable.FieldEthSrc {
			return append(out, &SetEthSrc{MAC: m})
		}
		return append(out, &SetEthDst{MAC: m})
	case flowtable.FieldIPSrc, flowtable.FieldIPDst:
		ip := uint32(val[0])<<24 | uint32(val[1])<<16 | uint32(val[2])<<8 | uint32(val[3])
		if a.Field == flowtable.FieldIPSrc {
			return append(out, &SetIPv4Src{IP: ip})
		}
		return append(out, &SetIPv4Dst{IP: ip})
	case flowtable.FieldNwTos:
		return append(out, &SetIPDSCP{DSCP: val[0]})
	case flowtable.FieldIPDSCP:
		return append(out, &SetIPDSCP{DSCP: val[0] << 2})
	case flowtable.FieldNwECN:
		return append(out, loadField(flowtable.FieldNwECN, u8Value(val[0])))
	case flowtable.FieldTCPSrc, flowtable.FieldUDPSrc:
		return append(out, &SetL4SrcPort{Port: u16})
	case flowtable.FieldTCPDst, flowtable.FieldUDPDst:
		return append(out, &SetL4DstPort{Port: u16})
	}
	return toNX()
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
