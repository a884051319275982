package ofp

import (
	"encoding/binary"

	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// actionCtx tracks the flow state that changes how an action encodes
// (OVS keeps it in the ofpact after ofpacts_check): whether a VLAN tag is
// present and the IP protocol for mod_tp_*.
type actionCtx struct {
	hasVLAN bool
	proto   uint8
	ipAny   bool
}

func newActionCtx(m *flowtable.Match) actionCtx {
	if m == nil {
		return actionCtx{}
	}
	_, tci := m.Key.VLAN(0)
	t := m.Key.EthType()
	return actionCtx{
		hasVLAN: tci&flowtable.VLANCFI != 0,
		proto:   m.Key.NwProto(),
		ipAny:   t == flowtable.EthTypeIPv4 || t == flowtable.EthTypeIPv6,
	}
}

// AppendActions appends acts as a version-v action list (no instruction
// wrapping), the way OVS ofpacts_put_openflow_actions would. m is the
// flow's match (nil if there is none, e.g. packet-out): it decides
// whether mod_vlan_vid pushes a tag and which field mod_tp_src sets in
// 1.3. Instructions (clear_actions, write_actions, write_metadata,
// goto_table) are left out in 1.0 as OVS does, except goto_table which
// becomes resubmit(,N) and write_metadata which is a Nicira action.
func AppendActions(b []byte, acts []ofpact.Action, v uint8, m *flowtable.Match) ([]byte, error) {
	ctx := newActionCtx(m)
	var err error
	for _, a := range acts {
		if b, err = appendAction(b, a, v, &ctx); err != nil {
			return b, err
		}
	}
	return b, nil
}

func appendActHdr(b []byte, typ uint16) (nb []byte, start int) {
	start = len(b)
	b = put16(b, typ)
	return put16(b, 0), start
}

func closeAct(b []byte, start int) []byte {
	b = padTo8(b, start)
	binary.BigEndian.PutUint16(b[start+2:], uint16(len(b)-start))
	return b
}

func appendNXHdr(b []byte, sub uint16) ([]byte, int) {
	b, start := appendActHdr(b, ofpatVendor)
	b = put32(b, NXVendorID)
	return put16(b, sub), start
}

func appendOutput(b []byte, port flowtable.PortNo, maxLen uint16, v uint8) []byte {
	b, s := appendActHdr(b, ofpat10Output)
	if is10(v) {
		b = put16(b, uint16(port))
		b = put16(b, maxLen)
	} else {
		b = put32(b, PortTo11(port))
		b = put16(b, maxLen)
	}
	return closeAct(b, s)
}

func appendSetFieldOXM(b []byte, f *flowtable.Field, val flowtable.Value) ([]byte, error) {
	d := oxmFor[f.Name]
	if d == nil {
		return b, newErr(OFPBAC_BAD_SET_TYPE, "set_field %s has no OXM/NXM encoding", f.Name)
	}
	b, s := appendActHdr(b, ofpat13SetField)
	w := nxmWriter{b: b, oxm: true}
	w.putExact(&fieldPair{nxm: d, oxm: d}, val)
	return closeAct(w.b, s), nil
}

// appendRegLoads writes sf as NXAST_REG_LOAD, one per contiguous run of
// mask bits of at most 64 bits (OVS set_field_to_nxast).
func appendRegLoads(b []byte, sf *ofpact.SetField) ([]byte, error) {
	f := sf.Field
	h, ok := NXMHeaderFor(f.Name, false)
	if !ok {
		return b, newErr(OFPBAC_BAD_SET_TYPE, "load to %s needs NXAST_REG_LOAD2, which govs does not encode", f.Name)
	}
	const maxLoadBits = 64
	for i := 0; i < f.Bits; {
		for i < f.Bits && !ofpact.GetBit(sf.Mask, f.Bytes, i) {
			i++
		}
		if i >= f.Bits {
			break
		}
		j := i + 1
		for j < f.Bits && j < i+maxLoadBits && ofpact.GetBit(sf.Mask, f.Bytes, j) {
			j++
		}
		var val uint64
		for k := j - 1; k >= i; k-- {
			val <<= 1
			if ofpact.GetBit(sf.Value, f.Bytes, k) {
				val |= 1
			}
		}
		var s int
		b, s = appendNXHdr(b, nxastRegLoad)
		b = put16(b, uint16(i)<<nxmOfsShift|uint16(j-i-1))
		b = put32(b, h)
		b = put64(b, val)
		b = closeAct(b, s)
		i = j
	}
	return b, nil
}

func fullMask(sf *ofpact.SetField) bool { return isOnes(sf.Mask[:sf.Field.Bytes]) }

func l4Field(proto uint8, src bool) string {
	switch proto {
	case flowtable.IPProtoTCP:
		if src {
			return "tcp_src"
		}
		return "tcp_dst"
	case flowtable.IPProtoUDP:
		if src {
			return "udp_src"
		}
		return "udp_dst"
	case flowtable.IPProtoSCTP:
		if src {
			return "sctp_src"
		}
		return "sctp_dst"
	}
	return ""
}

func appendAction(b []byte, a ofpact.Action, v uint8, ctx *actionCtx) ([]byte, error) {
	of10 := is10(v)
	var s int
	switch a := a.(type) {
	case *ofpact.Output:
		return appendOutput(b, a.Port, a.MaxLen, v), nil
	case *ofpact.Controller:
		if a.Reason == ofpact.ReasonAction && a.ID == 0 {
			return appendOutput(b, flowtable.PortController, a.MaxLen, v), nil
		}
		b, s = appendNXHdr(b, nxastController)
		b = put16(b, a.MaxLen)
		b = put16(b, a.ID)
		b = put8(b, uint8(a.Reason))
		return closeAct(b, s), nil
	case *ofpact.Enqueue:
		if of10 {
			b, s = appendActHdr(b, ofpat10Enqueue)
			b = put16(b, uint16(a.Port))
			b = putZeros(b, 6)
			b = put32(b, a.Queue)
			return closeAct(b, s), nil
		}
		b, s = appendActHdr(b, ofpat13SetQueue)
		b = put32(b, a.Queue)
		b = closeAct(b, s)
		b = appendOutput(b, a.Port, enqueueMaxLen, v)
		b, s = appendNXHdr(b, nxastPopQueue)
		return closeAct(b, s), nil
	case *ofpact.SetVLANVID:
		if of10 {
			b, s = appendActHdr(b, ofpat10SetVLANVID)
			b = put16(b, a.VID)
			ctx.hasVLAN = true
			return closeAct(b, s), nil
		}
		if a.PushIfNeeded && !ctx.hasVLAN {
			b = appendPushVLAN(b, flowtable.EthTypeVLAN)
		}
		ctx.hasVLAN = true
		return appendSetFieldOXM(b, flowtable.FieldVLANVID, u16v(a.VID|flowtable.VLANCFI))
	case *ofpact.SetVLANPCP:
		if of10 {
			b, s = appendActHdr(b, ofpat10SetVLANPCP)
			b = put8(b, a.PCP)
			ctx.hasVLAN = true
			return closeAct(b, s), nil
		}
		if a.PushIfNeeded && !ctx.hasVLAN {
			b = appendPushVLAN(b, flowtable.EthTypeVLAN)
		}
		ctx.hasVLAN = true
		return appendSetFieldOXM(b, flowtable.FieldVLANPCP, u8v(a.PCP))
	case *ofpact.StripVLAN:
		ctx.hasVLAN = false
		if of10 {
			b, s = appendActHdr(b, ofpat10StripVLAN)
		} else {
			b, s = appendActHdr(b, ofpat13PopVLAN)
		}
		return closeAct(b, s), nil
	case *ofpact.PushVLAN:
		if of10 {
			return b, nil // OVS: implied by set_vlan_vid/pcp in 1.0
		}
		ctx.hasVLAN = true
		return appendPushVLAN(b, a.EthType), nil
	case *ofpact.SetEthSrc, *ofpact.SetEthDst:
		var mac [6]byte
		typ, name := uint16(ofpat10SetDLSrc), "eth_src"
		if x, ok := a.(*ofpact.SetEthSrc); ok {
			mac = x.MAC
		} else {
			mac, typ, name = a.(*ofpact.SetEthDst).MAC, ofpat10SetDLDst, "eth_dst"
		}
		if of10 {
			b, s = appendActHdr(b, typ)
			b = append(b, mac[:]...)
			return closeAct(b, s), nil
		}
		var val flowtable.Value
		copy(val[:], mac[:])
		return appendSetFieldOXM(b, flowtable.FieldByName(name), val)
	case *ofpact.SetIPv4Src:
		return appendNwAddr(b, ofpat10SetNwSrc, flowtable.FieldIPSrc, a.IP, v)
	case *ofpact.SetIPv4Dst:
		return appendNwAddr(b, ofpat10SetNwDst, flowtable.FieldIPDst, a.IP, v)
	case *ofpact.SetIPDSCP:
		if of10 {
			b, s = appendActHdr(b, ofpat10SetNwTos)
			b = put8(b, a.DSCP)
			return closeAct(b, s), nil
		}
		return appendSetFieldOXM(b, flowtable.FieldIPDSCP, u8v(a.DSCP>>2))
	case *ofpact.SetIPECN:
		sf := &ofpact.SetField{Field: flowtable.FieldNwECN, Value: u8v(a.ECN), Mask: u8v(0xff), Load: of10}
		return appendAction(b, sf, v, ctx)
	case *ofpact.SetIPTTL:
		if of10 {
			return appendRegLoads(b, &ofpact.SetField{Field: flowtable.FieldNwTTL, Value: u8v(a.TTL), Mask: u8v(0xff)})
		}
		b, s = appendActHdr(b, ofpat13SetNwTTL)
		b = put8(b, a.TTL)
		return closeAct(b, s), nil
	case *ofpact.SetL4SrcPort:
		return appendTpPort(b, ofpat10SetTpSrc, true, a.Port, v, ctx)
	case *ofpact.SetL4DstPort:
		return appendTpPort(b, ofpat10SetTpDst, false, a.Port, v, ctx)
	case *ofpact.SetField:
		return appendSetField(b, a, v, ctx)
	case *ofpact.SetTunMetadata:
		h := nxmFieldTunMetadata0 + int(a.Index)
		if is10(v) || a.Masked() {
			// As OVS: NXAST_REG_LOAD2 in 1.0 and for masked writes.
			b, s = appendNXHdr(b, nxastRegLoad2)
			b = put32(b, makeNXMHeader(nxmClassNX, uint8(h), a.Masked(), tunMetaWireLen(int(a.Len), a.Masked())))
			b = append(b, a.Value[:a.Len]...)
			if a.Masked() {
				b = append(b, a.Mask[:a.Len]...)
			}
			return closeAct(b, s), nil
		}
		b, s = appendActHdr(b, ofpat13SetField)
		b = put32(b, makeNXMHeader(nxmClassNX, uint8(nxmFieldTunMetadata0+int(a.Index)), false, int(a.Len)))
		b = append(b, a.Value[:a.Len]...)
		return closeAct(b, s), nil
	case *ofpact.RegMove:
		hs, ok1 := NXMHeaderFor(a.Src.Field.Name, false)
		hd, ok2 := NXMHeaderFor(a.Dst.Field.Name, false)
		if !ok1 || !ok2 {
			return b, newErr(OFPBAC_BAD_SET_TYPE, "move between %s and %s has no NXM encoding", a.Src.Field.Name, a.Dst.Field.Name)
		}
		b, s = appendNXHdr(b, nxastRegMove)
		b = put16(b, uint16(a.Src.NBits))
		b = put16(b, uint16(a.Src.Ofs))
		b = put16(b, uint16(a.Dst.Ofs))
		b = put32(b, hs)
		b = put32(b, hd)
		return closeAct(b, s), nil
	case *ofpact.DecTTL:
		if a.Explicit || len(a.IDs) != 1 || a.IDs[0] != 0 {
			b, s = appendNXHdr(b, nxastDecTTLCntIDs)
			b = put16(b, uint16(len(a.IDs)))
			b = putZeros(b, 4)
			for _, id := range a.IDs {
				b = put16(b, id)
			}
			return closeAct(b, s), nil
		}
		if of10 {
			b, s = appendNXHdr(b, nxastDecTTL)
		} else {
			b, s = appendActHdr(b, ofpat13DecNwTTL)
		}
		return closeAct(b, s), nil
	case *ofpact.Resubmit:
		return appendResubmit(b, a.InPort, a.Table, a.Short), nil
	case *ofpact.GotoTable:
		if of10 {
			return appendResubmit(b, flowtable.PortInPort, a.Table, false), nil
		}
		return b, newErr(OFPBIC_UNSUP_INST, "goto_table inside an action list")
	case *ofpact.SetTunnel:
		if !of10 {
			return appendSetFieldOXM(b, flowtable.FieldTunID, u64v(a.ID))
		}
		if a.ID <= 0xffffffff && !a.Is64 {
			b, s = appendNXHdr(b, nxastSetTunnel)
			b = putZeros(b, 2)
			b = put32(b, uint32(a.ID))
		} else {
			b, s = appendNXHdr(b, nxastSetTunnel64)
			b = putZeros(b, 6)
			b = put64(b, a.ID)
		}
		return closeAct(b, s), nil
	case *ofpact.Note:
		b, s = appendNXHdr(b, nxastNote)
		b = append(b, a.Data...)
		for len(b)-s < nxActionFixedLen16 {
			b = append(b, 0)
		}
		return closeAct(b, s), nil
	case *ofpact.WriteMetadata:
		if !of10 {
			return b, newErr(OFPBIC_UNSUP_INST, "write_metadata inside an action list")
		}
		b, s = appendNXHdr(b, nxastWriteMetadata)
		b = putZeros(b, 6)
		b = put64(b, a.Value)
		b = put64(b, a.Mask)
		return closeAct(b, s), nil
	case *ofpact.ClearActions, *ofpact.WriteActions:
		if of10 {
			return b, nil // OVS drops these when encoding for 1.0
		}
		return b, newErr(OFPBIC_UNSUP_INST, "%s inside an action list", a.Name())
	}
	return b, newErr(OFPBAC_BAD_TYPE, "action %q cannot be encoded", a.Name())
}

func u64v(x uint64) (v flowtable.Value) { binary.BigEndian.PutUint64(v[:], x); return }
func u32v(x uint32) (v flowtable.Value) { binary.BigEndian.PutUint32(v[:], x); return }

func appendPushVLAN(b []byte, t uint16) []byte {
	b, s := appendActHdr(b, ofpat13PushVLAN)
	b = put16(b, t)
	return closeAct(b, s)
}

// enqueueMaxLen is the max_len OVS puts in the output action of an
// OpenFlow 1.1+ enqueue (set_queue, output, pop_queue).
const enqueueMaxLen = 0xffff

// appendResubmit writes NXAST_RESUBMIT for the short form (Short, as the
// decoder sets it for NXAST_RESUBMIT) and NXAST_RESUBMIT_TABLE otherwise,
// as OVS does for actions that came from the wire. (OVS's parser never
// produces NXAST_RESUBMIT; both encodings mean the same.)
func appendResubmit(b []byte, port flowtable.PortNo, table uint8, short bool) []byte {
	var s int
	if short && table == tableAny {
		b, s = appendNXHdr(b, nxastResubmit)
		b = put16(b, uint16(port))
		return closeAct(b, s)
	}
	b, s = appendNXHdr(b, nxastResubmitTable)
	b = put16(b, uint16(port))
	b = put8(b, table)
	return closeAct(b, s)
}

func appendNwAddr(b []byte, typ uint16, f *flowtable.Field, ip uint32, v uint8) ([]byte, error) {
	if is10(v) {
		b, s := appendActHdr(b, typ)
		b = put32(b, ip)
		return closeAct(b, s), nil
	}
	return appendSetFieldOXM(b, f, u32v(ip))
}

func appendTpPort(b []byte, typ uint16, src bool, port uint16, v uint8, ctx *actionCtx) ([]byte, error) {
	if is10(v) {
		b, s := appendActHdr(b, typ)
		b = put16(b, port)
		return closeAct(b, s), nil
	}
	name := l4Field(ctx.proto, src)
	if name == "" || !ctx.ipAny {
		return b, newErr(OFPBAC_MATCH_INCONSISTENT, "mod_tp_src/dst needs a TCP, UDP or SCTP match to encode in OpenFlow 1.1+")
	}
	return appendSetFieldOXM(b, flowtable.FieldByName(name), u16v(port))
}

func appendSetField(b []byte, sf *ofpact.SetField, v uint8, ctx *actionCtx) ([]byte, error) {
	if sf.Field == flowtable.FieldVLANTCI || sf.Field == flowtable.FieldVLANVID || sf.Field == flowtable.FieldVLANPCP {
		ctx.hasVLAN = true
		if sf.Field == flowtable.FieldVLANTCI && sf.Value[0]&(flowtable.VLANCFI>>8) == 0 && fullMask(sf) {
			ctx.hasVLAN = false
		}
	}
	if sf.Load {
		return appendRegLoads(b, sf)
	}
	if is10(v) {
		legacy := ofpact.Encode([]ofpact.Action{sf}, ofpact.OF10)
		var err error
		for _, a := range legacy {
			if x, ok := a.(*ofpact.SetField); ok {
				b, err = appendRegLoads(b, x)
			} else {
				b, err = appendAction(b, a, v, ctx)
			}
			if err != nil {
				return b, err
			}
		}
		return b, nil
	}
	if !fullMask(sf) {
		return appendRegLoads(b, sf)
	}
	return appendSetFieldOXM(b, sf.Field, sf.Value)
}
