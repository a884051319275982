package ofpact

import (
	"strconv"

	"govs/flowtable"
)

// FormatVersion selects how actions are shown. OVS prints actions as they
// come back from the wire, so the text depends on the OpenFlow version a
// flow was encoded with: in OpenFlow 1.0 set_field becomes mod_* or load,
// goto_table becomes resubmit and instructions are dropped; in OpenFlow
// 1.1+ mod_* becomes set_field.
type FormatVersion int

// Format versions.
const (
	// AsParsed prints the actions as they were written (ofpacts_format).
	AsParsed FormatVersion = 0
	// OF10 prints what an OpenFlow 1.0 (or NXM) switch would return.
	OF10 FormatVersion = flowtable.OFVersion10
	// OF13 prints what an OpenFlow 1.3 switch would return (also used
	// for 1.1, 1.2 and 1.4).
	OF13 FormatVersion = flowtable.OFVersion13
	// OF15 prints what an OpenFlow 1.5 switch would return (load becomes
	// set_field).
	OF15 FormatVersion = flowtable.OFVersion15
)

// AppendActions appends acts in ovs-ofctl syntax ("drop" when empty) after
// converting them as encoding for version v would.
func AppendActions(b []byte, acts []Action, v FormatVersion, pm *flowtable.PortMap) []byte {
	if v != AsParsed {
		acts = Encode(acts, v)
	}
	if len(acts) == 0 {
		return append(b, "drop"...)
	}
	for i, a := range acts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAction(b, a, pm)
	}
	return b
}

// FormatActions is AppendActions returning a string.
func FormatActions(acts []Action, v FormatVersion, pm *flowtable.PortMap) string {
	return string(AppendActions(nil, acts, v, pm))
}

func appendHashX(b []byte, v uint64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	return strconv.AppendUint(append(b, "0x"...), v, 16)
}

func appendAction(b []byte, a Action, pm *flowtable.PortMap) []byte {
	switch a := a.(type) {
	case *Output:
		if a.Port < flowtable.PortMax {
			b = append(b, "output:"...)
		}
		b = flowtable.AppendPort(b, a.Port, pm)
		if a.Port == flowtable.PortController {
			b = append(b, ':')
			b = strconv.AppendUint(b, uint64(a.MaxLen), 10)
		}
	case *Controller:
		b = append(b, "controller("...)
		start := len(b)
		if a.Reason != ReasonAction {
			b = append(b, "reason="...)
			b = append(b, a.Reason.String()...)
			b = append(b, ',')
		}
		if a.MaxLen != 0xffff {
			b = append(b, "max_len="...)
			b = strconv.AppendUint(b, uint64(a.MaxLen), 10)
			b = append(b, ',')
		}
		if a.ID != 0 {
			b = append(b, "id="...)
			b = strconv.AppendUint(b, uint64(a.ID), 10)
			b = append(b, ',')
		}
		if len(b) > start && b[len(b)-1] == ',' {
			b = b[:len(b)-1]
		}
		b = append(b, ')')
	case *Enqueue:
		b = append(b, "enqueue:"...)
		b = flowtable.AppendPort(b, a.Port, pm)
		b = append(b, ':')
		b = strconv.AppendUint(b, uint64(a.Queue), 10)
	case *SetVLANVID:
		if a.PushIfNeeded {
			b = append(b, "mod_vlan_vid:"...)
		} else {
			b = append(b, "set_vlan_vid:"...)
		}
		b = strconv.AppendUint(b, uint64(a.VID), 10)
	case *SetVLANPCP:
		if a.PushIfNeeded {
			b = append(b, "mod_vlan_pcp:"...)
		} else {
			b = append(b, "set_vlan_pcp:"...)
		}
		b = strconv.AppendUint(b, uint64(a.PCP), 10)
	case *StripVLAN:
		if a.Pop {
			b = append(b, "pop_vlan"...)
		} else {
			b = append(b, "strip_vlan"...)
		}
	case *PushVLAN:
		b = append(b, "push_vlan:"...)
		b = appendHashX(b, uint64(a.EthType))
	case *SetEthSrc:
		b = flowtable.AppendMAC(append(b, "mod_dl_src:"...), a.MAC)
	case *SetEthDst:
		b = flowtable.AppendMAC(append(b, "mod_dl_dst:"...), a.MAC)
	case *SetIPv4Src:
		b = flowtable.AppendIPv4(append(b, "mod_nw_src:"...), a.IP)
	case *SetIPv4Dst:
		b = flowtable.AppendIPv4(append(b, "mod_nw_dst:"...), a.IP)
	case *SetIPDSCP:
		b = strconv.AppendUint(append(b, "mod_nw_tos:"...), uint64(a.DSCP), 10)
	case *SetIPECN:
		b = strconv.AppendUint(append(b, "mod_nw_ecn:"...), uint64(a.ECN), 10)
	case *SetIPTTL:
		b = strconv.AppendUint(append(b, "mod_nw_ttl:"...), uint64(a.TTL), 10)
	case *SetL4SrcPort:
		b = strconv.AppendUint(append(b, "mod_tp_src:"...), uint64(a.Port), 10)
	case *SetL4DstPort:
		b = strconv.AppendUint(append(b, "mod_tp_dst:"...), uint64(a.Port), 10)
	case *SetTunMetadata:
		b = appendSetTunMetadata(b, a)
	case *SetField:
		if a.Load {
			first := true
			for _, seg := range loadSegments(a) {
				if !first {
					b = append(b, ',')
				}
				first = false
				b = append(b, "load:"...)
				b = appendHashX(b, seg.value)
				b = append(b, "->"...)
				b = appendSubfield(b, seg.dst)
			}
		} else {
			b = append(b, "set_field:"...)
			b = append(b, formatFieldValue(a.Field, a.Value, &a.Mask)...)
			b = append(b, "->"...)
			b = append(b, a.Field.Name...)
		}
	case *RegMove:
		b = appendSubfield(append(b, "move:"...), a.Src)
		b = appendSubfield(append(b, "->"...), a.Dst)
	case *DecTTL:
		b = append(b, "dec_ttl"...)
		if a.Explicit {
			b = append(b, '(')
			for i, id := range a.IDs {
				if i > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendUint(b, uint64(id), 10)
			}
			b = append(b, ')')
		}
	case *Resubmit:
		if a.InPort != flowtable.PortInPort && a.Table == 255 {
			b = flowtable.AppendPort(append(b, "resubmit:"...), a.InPort, pm)
		} else {
			b = append(b, "resubmit("...)
			if a.InPort != flowtable.PortInPort {
				b = flowtable.AppendPort(b, a.InPort, pm)
			}
			b = append(b, ',')
			if a.Table != 255 {
				b = strconv.AppendUint(b, uint64(a.Table), 10)
			}
			b = append(b, ')')
		}
	case *GotoTable:
		b = strconv.AppendUint(append(b, "goto_table:"...), uint64(a.Table), 10)
	case *SetTunnel:
		b = append(b, "set_tunnel"...)
		if a.ID > 0xffffffff || a.Is64 {
			b = append(b, "64"...)
		}
		b = appendHashX(append(b, ':'), a.ID)
	case *Note:
		b = append(b, "note:"...)
		for i, c := range a.Data {
			if i > 0 {
				b = append(b, '.')
			}
			const hexDigits = "0123456789abcdef"
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
	case *WriteMetadata:
		b = appendHashX(append(b, "write_metadata:"...), a.Value)
		if a.Mask != ^uint64(0) {
			b = appendHashX(append(b, '/'), a.Mask)
		}
	case *ClearActions:
		b = append(b, "clear_actions"...)
	case *rawText:
		b = append(b, a.s...)
	case *WriteActions:
		b = append(b, "write_actions("...)
		for i, x := range a.Actions {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendAction(b, x, pm)
		}
		b = append(b, ')')
	}
	return b
}

type loadSeg struct {
	dst   Subfield
	value uint64
}

// loadSegments splits a set_field mask into contiguous runs of at most 64
// bits (next_load_segment).
func loadSegments(a *SetField) []loadSeg {
	f := a.Field
	var segs []loadSeg
	i := 0
	for i < f.Bits {
		for i < f.Bits && !getBit(a.Mask, f.Bytes, i) {
			i++
		}
		if i >= f.Bits {
			break
		}
		j := i + 1
		for j < f.Bits && j < i+64 && getBit(a.Mask, f.Bytes, j) {
			j++
		}
		var v uint64
		for k := j - 1; k >= i; k-- {
			v <<= 1
			if getBit(a.Value, f.Bytes, k) {
				v |= 1
			}
		}
		segs = append(segs, loadSeg{dst: Subfield{Field: f, Ofs: i, NBits: j - i}, value: v})
		i = j
	}
	return segs
}

// appendHexBytes is ds_put_hex: "0x" and the value without leading zeros.
func appendHexBytes(b []byte, v []byte) []byte {
	i := 0
	for i < len(v) && v[i] == 0 {
		i++
	}
	if i == len(v) {
		return append(b, "0x0"...)
	}
	b = append(b, "0x"...)
	b = strconv.AppendUint(b, uint64(v[i]), 16)
	const hexDigits = "0123456789abcdef"
	for _, c := range v[i+1:] {
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// formatFieldValue is mf_format: the value (and the mask unless nil or
// all-ones) in the field's text syntax.
func formatFieldValue(f *flowtable.Field, v flowtable.Value, mask *flowtable.Value) string {
	n := f.Bytes
	if mask != nil {
		allZero, allOne := true, true
		for _, c := range mask[:n] {
			if c != 0 {
				allZero = false
			}
			if c != 0xff {
				allOne = false
			}
		}
		if allZero {
			return "ANY"
		}
		if allOne {
			mask = nil
		}
	}
	var b []byte
	switch f.Kind {
	case flowtable.KindOFPort:
		if mask == nil {
			return string(flowtable.AppendPort(nil, flowtable.PortNo(uint16(v[0])<<8|uint16(v[1])), nil))
		}
		fallthrough
	case flowtable.KindDecimal, flowtable.KindHex, flowtable.KindFrag, flowtable.KindTCPFlags, flowtable.KindTunFlags:
		if f.Kind == flowtable.KindHex {
			b = appendHexBytes(b, v[:n])
		} else {
			var x uint64
			for _, c := range v[:n] {
				x = x<<8 | uint64(c)
			}
			b = strconv.AppendUint(b, x, 10)
		}
		if mask != nil {
			b = appendHexBytes(append(b, '/'), mask[:n])
		}
	case flowtable.KindEthernet:
		var a [6]byte
		copy(a[:], v[:6])
		b = flowtable.AppendMAC(b, a)
		if mask != nil {
			copy(a[:], mask[:6])
			b = flowtable.AppendMAC(append(b, '/'), a)
		}
	case flowtable.KindIPv4:
		ip := uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
		m := ^uint32(0)
		if mask != nil {
			m = uint32(mask[0])<<24 | uint32(mask[1])<<16 | uint32(mask[2])<<8 | uint32(mask[3])
		}
		b = flowtable.AppendIPv4Masked(b, ip, m)
	case flowtable.KindIPv6:
		var a, m [16]byte
		copy(a[:], v[:16])
		for i := range m {
			m[i] = 0xff
		}
		if mask != nil {
			copy(m[:], mask[:16])
		}
		b = flowtable.AppendIPv6Masked(b, a, m)
	}
	return string(b)
}
