package ofp

import (
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// tableAny is the table id meaning "current table" / "all tables".
const tableAny = 255

// NXVendorID is the Nicira vendor/experimenter id (NX_VENDOR_ID).
const NXVendorID = 0x00002320

// OpenFlow 1.0 action types (OFPAT10_*).
const (
	ofpat10Output     = 0
	ofpat10SetVLANVID = 1
	ofpat10SetVLANPCP = 2
	ofpat10StripVLAN  = 3
	ofpat10SetDLSrc   = 4
	ofpat10SetDLDst   = 5
	ofpat10SetNwSrc   = 6
	ofpat10SetNwDst   = 7
	ofpat10SetNwTos   = 8
	ofpat10SetTpSrc   = 9
	ofpat10SetTpDst   = 10
	ofpat10Enqueue    = 11
	ofpatVendor       = 0xffff
)

// OpenFlow 1.1+ action types (OFPAT11+/OFPAT13_*).
const (
	ofpat13Output      = 0
	ofpat13CopyTTLOut  = 11
	ofpat13CopyTTLIn   = 12
	ofpat13SetMPLSTTL  = 15
	ofpat13DecMPLSTTL  = 16
	ofpat13PushVLAN    = 17
	ofpat13PopVLAN     = 18
	ofpat13PushMPLS    = 19
	ofpat13PopMPLS     = 20
	ofpat13SetQueue    = 21
	ofpat13Group       = 22
	ofpat13SetNwTTL    = 23
	ofpat13DecNwTTL    = 24
	ofpat13SetField    = 25
	ofpat13PushPBB     = 26
	ofpat13PopPBB      = 27
	actionHeaderLen    = 4
	nxActionHeaderLen  = 10 // type, len, vendor, subtype
	nxActionFixedLen16 = 16
	nxActionFixedLen24 = 24
	nxActionFixedLen32 = 32
)

// Nicira action subtypes (NXAST_*).
const (
	nxastResubmit      = 1
	nxastSetTunnel     = 2
	nxastSetQueue      = 4
	nxastPopQueue      = 5
	nxastRegMove       = 6
	nxastRegLoad       = 7
	nxastNote          = 8
	nxastSetTunnel64   = 9
	nxastResubmitTable = 14
	nxastOutputReg     = 15
	nxastDecTTL        = 18
	nxastController    = 20
	nxastDecTTLCntIDs  = 21
	nxastWriteMetadata = 22
	nxastRegLoad2      = 33
)

// setQueue and popQueue are wire-only actions; ofpact has no type for
// them, so the decoder folds "set_queue, output, pop_queue" (how OVS
// sends enqueue in OpenFlow 1.1+) into ofpact.Enqueue and refuses them
// otherwise.
type setQueue struct{ queue uint32 }
type popQueue struct{}

func (*setQueue) Name() string { return "set_queue" }
func (*popQueue) Name() string { return "pop_queue" }

// DecodeActions parses an action list of version v (OpenFlow 1.0 or
// 1.3 action encodings, Nicira vendor actions in both) into ofpact
// actions, with the OFPBAC_* errors OVS returns.
func DecodeActions(b []byte, v uint8) ([]ofpact.Action, error) {
	if len(b)%align8 != 0 {
		return nil, newErr(OFPBAC_BAD_LEN, "action list of %d bytes is not a multiple of 8", len(b))
	}
	var out []ofpact.Action
	for len(b) > 0 {
		if len(b) < actionHeaderLen {
			return nil, newErr(OFPBAC_BAD_LEN, "action header truncated")
		}
		r := newReader(b)
		typ, n := r.u16(), int(r.u16())
		if n < align8 || n%align8 != 0 || n > len(b) {
			return nil, newErr(OFPBAC_BAD_LEN, "action type %d has length %d", typ, n)
		}
		a, err := decodeAction(b[:n], typ, v)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
		b = b[n:]
	}
	return foldQueues(out)
}

func foldQueues(in []ofpact.Action) ([]ofpact.Action, error) {
	out := in[:0]
	for i := 0; i < len(in); i++ {
		switch a := in[i].(type) {
		case *setQueue:
			if i+2 < len(in) {
				if o, ok := in[i+1].(*ofpact.Output); ok {
					if _, ok := in[i+2].(*popQueue); ok {
						out = append(out, &ofpact.Enqueue{Port: o.Port, Queue: a.queue})
						i += 2
						continue
					}
				}
			}
			return nil, newErr(OFPBAC_BAD_TYPE, "set_queue is only supported as set_queue,output,pop_queue (enqueue)")
		case *popQueue:
			return nil, newErr(OFPBAC_BAD_VENDOR_TYPE, "pop_queue is only supported after set_queue,output")
		}
		out = append(out, in[i])
	}
	return out, nil
}

func wantLen(b []byte, n int, what string) error {
	if len(b) != n {
		return newErr(OFPBAC_BAD_LEN, "%s action has length %d, want %d", what, len(b), n)
	}
	return nil
}

func decodeAction(b []byte, typ uint16, v uint8) (ofpact.Action, error) {
	if typ == ofpatVendor {
		return decodeVendorAction(b, v)
	}
	if is10(v) {
		return decodeAction10(b, typ)
	}
	return decodeAction13(b, typ)
}

// checkOutPort is ofpact_check_output_port.
func checkOutPort(p flowtable.PortNo) error {
	switch p {
	case flowtable.PortInPort, flowtable.PortTable, flowtable.PortNormal, flowtable.PortFlood,
		flowtable.PortAll, flowtable.PortController, flowtable.PortLocal:
		return nil
	}
	if p < flowtable.PortMax {
		return nil
	}
	return newErr(OFPBAC_BAD_OUT_PORT, "output to port %d", p)
}

func decodeAction10(b []byte, typ uint16) (ofpact.Action, error) {
	r := newReader(b[actionHeaderLen:])
	const short, long = 8, 16
	switch typ {
	case ofpat10Output:
		if err := wantLen(b, short, "output"); err != nil {
			return nil, err
		}
		o := &ofpact.Output{Port: flowtable.PortNo(r.u16()), MaxLen: r.u16()}
		return o, checkOutPort(o.Port)
	case ofpat10SetVLANVID:
		if err := wantLen(b, short, "set_vlan_vid"); err != nil {
			return nil, err
		}
		vid := r.u16()
		if vid&^flowtable.VLANVIDMask != 0 {
			return nil, newErr(OFPBAC_BAD_ARGUMENT, "set_vlan_vid %d", vid)
		}
		return &ofpact.SetVLANVID{VID: vid, PushIfNeeded: true}, nil
	case ofpat10SetVLANPCP:
		if err := wantLen(b, short, "set_vlan_pcp"); err != nil {
			return nil, err
		}
		pcp := r.u8()
		if pcp > 7 {
			return nil, newErr(OFPBAC_BAD_ARGUMENT, "set_vlan_pcp %d", pcp)
		}
		return &ofpact.SetVLANPCP{PCP: pcp, PushIfNeeded: true}, nil
	case ofpat10StripVLAN:
		if err := wantLen(b, short, "strip_vlan"); err != nil {
			return nil, err
		}
		return &ofpact.StripVLAN{}, nil
	case ofpat10SetDLSrc, ofpat10SetDLDst:
		if err := wantLen(b, long, "set_dl_addr"); err != nil {
			return nil, err
		}
		mac := r.mac()
		if typ == ofpat10SetDLSrc {
			return &ofpact.SetEthSrc{MAC: mac}, nil
		}
		return &ofpact.SetEthDst{MAC: mac}, nil
	case ofpat10SetNwSrc, ofpat10SetNwDst:
		if err := wantLen(b, short, "set_nw_addr"); err != nil {
			return nil, err
		}
		if typ == ofpat10SetNwSrc {
			return &ofpact.SetIPv4Src{IP: r.u32()}, nil
		}
		return &ofpact.SetIPv4Dst{IP: r.u32()}, nil
	case ofpat10SetNwTos:
		if err := wantLen(b, short, "set_nw_tos"); err != nil {
			return nil, err
		}
		tos := r.u8()
		if tos&^flowtable.IPDSCPMask != 0 {
			return nil, newErr(OFPBAC_BAD_ARGUMENT, "set_nw_tos %d", tos)
		}
		return &ofpact.SetIPDSCP{DSCP: tos}, nil
	case ofpat10SetTpSrc, ofpat10SetTpDst:
		if err := wantLen(b, short, "set_tp_port"); err != nil {
			return nil, err
		}
		if typ == ofpat10SetTpSrc {
			return &ofpact.SetL4SrcPort{Port: r.u16()}, nil
		}
		return &ofpact.SetL4DstPort{Port: r.u16()}, nil
	case ofpat10Enqueue:
		if err := wantLen(b, long, "enqueue"); err != nil {
			return nil, err
		}
		p := flowtable.PortNo(r.u16())
		r.skip(6)
		if p >= flowtable.PortMax && p != flowtable.PortInPort && p != flowtable.PortLocal {
			return nil, newErr(OFPBAC_BAD_OUT_PORT, "enqueue to port %d", p)
		}
		return &ofpact.Enqueue{Port: p, Queue: r.u32()}, nil
	}
	return nil, newErr(OFPBAC_BAD_TYPE, "unknown OpenFlow 1.0 action type %d", typ)
}

func decodeAction13(b []byte, typ uint16) (ofpact.Action, error) {
	r := newReader(b[actionHeaderLen:])
	const short, long = 8, 16
	switch typ {
	case ofpat13Output:
		if err := wantLen(b, long, "output"); err != nil {
			return nil, err
		}
		p, err := PortFrom11(r.u32())
		if err != nil {
			return nil, err
		}
		o := &ofpact.Output{Port: p, MaxLen: r.u16()}
		return o, checkOutPort(o.Port)
	case ofpat13PushVLAN:
		if err := wantLen(b, short, "push_vlan"); err != nil {
			return nil, err
		}
		t := r.u16()
		if t != flowtable.EthTypeVLAN && t != flowtable.EthTypeQinQ {
			return nil, newErr(OFPBAC_BAD_ARGUMENT, "push_vlan ethertype 0x%04x", t)
		}
		return &ofpact.PushVLAN{EthType: t}, nil
	case ofpat13PopVLAN:
		if err := wantLen(b, short, "pop_vlan"); err != nil {
			return nil, err
		}
		return &ofpact.StripVLAN{Pop: true}, nil
	case ofpat13SetQueue:
		if err := wantLen(b, short, "set_queue"); err != nil {
			return nil, err
		}
		return &setQueue{queue: r.u32()}, nil
	case ofpat13Group:
		return nil, newErr(OFPBAC_BAD_OUT_GROUP, "group actions are not supported (no group table)")
	case ofpat13SetNwTTL:
		if err := wantLen(b, short, "set_nw_ttl"); err != nil {
			return nil, err
		}
		return &ofpact.SetIPTTL{TTL: r.u8()}, nil
	case ofpat13DecNwTTL:
		if err := wantLen(b, short, "dec_nw_ttl"); err != nil {
			return nil, err
		}
		return &ofpact.DecTTL{IDs: []uint16{0}}, nil
	case ofpat13SetField:
		return decodeSetField(b[actionHeaderLen:])
	case ofpat13CopyTTLOut, ofpat13CopyTTLIn, ofpat13SetMPLSTTL, ofpat13DecMPLSTTL,
		ofpat13PushMPLS, ofpat13PopMPLS, ofpat13PushPBB, ofpat13PopPBB:
		return nil, newErr(OFPBAC_BAD_TYPE, "OpenFlow 1.3 action type %d (copy_ttl/MPLS/PBB) is not supported by govs", typ)
	}
	return nil, newErr(OFPBAC_BAD_TYPE, "unknown OpenFlow 1.3 action type %d", typ)
}

// decodeSetField parses the OXM TLV (and padding) of OFPAT_SET_FIELD.
func decodeSetField(p []byte) (ofpact.Action, error) {
	r := newReader(p)
	h := r.u32()
	if r.err != nil {
		return nil, newErr(OFPBAC_BAD_SET_LEN, "set_field without a field")
	}
	ph := parseNXMHeader(h)
	class, field, hasMask, n := ph.class, ph.field, ph.hasMask, ph.n
	var exp uint32
	if class == oxmClassExp {
		exp = r.u32()
		n -= nxmExpLen
	}
	if class == nxmClassNX && field >= nxmFieldTunMetadata0 && field < nxmFieldTunMetadata0+flowtable.NumTunMetadata {
		if hasMask {
			return nil, newErr(OFPBAC_BAD_SET_MASK, "set_field tun_metadata with a mask")
		}
		if n == 0 || n > flow.TunMetadataLen || r.left() < n || roundUp8(actionHeaderLen+nxmHeaderLen+ph.n) != actionHeaderLen+len(p) {
			return nil, newErr(OFPBAC_BAD_SET_LEN, "set_field tun_metadata of length %d (govs supports 1 to %d)", n, flow.TunMetadataLen)
		}
		a := &ofpact.SetTunMetadata{Index: field - nxmFieldTunMetadata0, Len: uint8(n)}
		copy(a.Value[:], r.bytes(n))
		for i := 0; i < n; i++ {
			a.Mask[i] = 0xff
		}
		return a, nil
	}
	d := nxmByKey[nxmKey{class, field, exp}]
	if d == nil {
		return nil, newErr(OFPBAC_BAD_SET_TYPE, "set_field of unknown field 0x%08x", h)
	}
	if hasMask {
		return nil, newErr(OFPBAC_BAD_SET_MASK, "set_field %s with a mask", d.name)
	}
	if n != d.n || r.left() < n || roundUp8(actionHeaderLen+nxmHeaderLen+ph.n) != actionHeaderLen+len(p) {
		return nil, newErr(OFPBAC_BAD_SET_LEN, "set_field %s length %d", d.name, n)
	}
	var v flowtable.Value
	if err := wireToValue(d, r.bytes(n), &v); err != nil {
		return nil, newErr(OFPBAC_BAD_SET_ARGUMENT, "%v", err)
	}
	if !d.f.Writable || !valueValid(d.name, v) {
		return nil, newErr(OFPBAC_BAD_SET_ARGUMENT, "set_field %s: read-only field or invalid value", d.name)
	}
	if d.name == "vlan_vid" && v[0]&(flowtable.VLANCFI>>8) == 0 {
		return nil, newErr(OFPBAC_BAD_SET_ARGUMENT, "set_field vlan_vid without OFPVID_PRESENT")
	}
	sf := &ofpact.SetField{Field: d.f, Value: v}
	for i := 0; i < d.f.Bytes; i++ {
		sf.Mask[i] = 0xff
	}
	return sf, nil
}

func decodeVendorAction(b []byte, v uint8) (ofpact.Action, error) {
	r := newReader(b[actionHeaderLen:])
	vendor := r.u32()
	if r.err != nil {
		return nil, newErr(OFPBAC_BAD_LEN, "vendor action truncated")
	}
	if vendor != NXVendorID {
		return nil, newErr(OFPBAC_BAD_VENDOR, "vendor 0x%08x", vendor)
	}
	sub := r.u16()
	if r.err != nil {
		return nil, newErr(OFPBAC_BAD_LEN, "Nicira action truncated")
	}
	switch sub {
	case nxastRegLoad2:
		return decodeRegLoad2(b)
	case nxastResubmit, nxastResubmitTable:
		if err := wantLen(b, nxActionFixedLen16, "resubmit"); err != nil {
			return nil, err
		}
		port, table := flowtable.PortNo(r.u16()), r.u8()
		pad := r.bytes(3)
		if sub == nxastResubmit {
			return &ofpact.Resubmit{InPort: port, Table: tableAny, Short: true}, nil
		}
		if !isZeros(pad) {
			return nil, newErr(OFPBAC_BAD_ARGUMENT, "resubmit padding not zero")
		}
		return &ofpact.Resubmit{InPort: port, Table: table}, nil
	case nxastSetTunnel:
		if err := wantLen(b, nxActionFixedLen16, "set_tunnel"); err != nil {
			return nil, err
		}
		r.skip(2)
		return &ofpact.SetTunnel{ID: uint64(r.u32())}, nil
	case nxastSetTunnel64:
		if err := wantLen(b, nxActionFixedLen24, "set_tunnel64"); err != nil {
			return nil, err
		}
		r.skip(6)
		return &ofpact.SetTunnel{ID: r.u64(), Is64: true}, nil
	case nxastSetQueue:
		if err := wantLen(b, nxActionFixedLen16, "set_queue"); err != nil {
			return nil, err
		}
		r.skip(2)
		return &setQueue{queue: r.u32()}, nil
	case nxastPopQueue:
		if err := wantLen(b, nxActionFixedLen16, "pop_queue"); err != nil {
			return nil, err
		}
		return &popQueue{}, nil
	case nxastRegMove:
		if err := wantLen(b, nxActionFixedLen24, "move"); err != nil {
			return nil, err
		}
		nBits, srcOfs, dstOfs := int(r.u16()), int(r.u16()), int(r.u16())
		src, err := subfield(r.u32(), srcOfs, nBits)
		if err != nil {
			return nil, err
		}
		dst, err := subfield(r.u32(), dstOfs, nBits)
		if err != nil {
			return nil, err
		}
		if !dst.Field.Writable {
			return nil, newErr(OFPBAC_BAD_SET_ARGUMENT, "move to read-only field %s", dst.Field.Name)
		}
		return &ofpact.RegMove{Src: src, Dst: dst}, nil
	case nxastRegLoad:
		if err := wantLen(b, nxActionFixedLen24, "load"); err != nil {
			return nil, err
		}
		ofsNBits, h, value := r.u16(), r.u32(), r.u64()
		dst, err := subfield(h, int(ofsNBits>>nxmOfsShift), int(ofsNBits&nxmNBitsMask)+1)
		if err != nil {
			return nil, err
		}
		if !dst.Field.Writable {
			return nil, newErr(OFPBAC_BAD_SET_ARGUMENT, "load to read-only field %s", dst.Field.Name)
		}
		if dst.NBits < 64 && value>>uint(dst.NBits) != 0 {
			return nil, newErr(OFPBAC_BAD_ARGUMENT, "load value 0x%x wider than %d bits", value, dst.NBits)
		}
		sf := &ofpact.SetField{Field: dst.Field, Load: true}
		nb := dst.Field.Bytes
		for i := 0; i < dst.NBits; i++ {
			ofpact.PutBit(&sf.Value, nb, dst.Ofs+i, value>>uint(i)&1 != 0)
			ofpact.PutBit(&sf.Mask, nb, dst.Ofs+i, true)
		}
		return sf, nil
	case nxastNote:
		return &ofpact.Note{Data: append([]byte(nil), b[nxActionHeaderLen:]...)}, nil
	case nxastDecTTL:
		if err := wantLen(b, nxActionFixedLen16, "dec_ttl"); err != nil {
			return nil, err
		}
		return &ofpact.DecTTL{IDs: []uint16{0}}, nil
	case nxastController:
		if err := wantLen(b, nxActionFixedLen16, "controller"); err != nil {
			return nil, err
		}
		c := &ofpact.Controller{MaxLen: r.u16(), ID: r.u16(), Reason: ofpact.Reason(r.u8())}
		if r.u8() != 0 {
			return nil, newErr(NXBAC_MUST_BE_ZERO, "controller action padding not zero")
		}
		return c, nil
	case nxastDecTTLCntIDs:
		n := int(r.u16())
		r.skip(4)
		if len(b) != roundUp8(nxActionFixedLen16+2*n) {
			return nil, newErr(OFPBAC_BAD_LEN, "dec_ttl(%d ids) of length %d", n, len(b))
		}
		d := &ofpact.DecTTL{Explicit: true, IDs: make([]uint16, n)}
		for i := range d.IDs {
			d.IDs[i] = r.u16()
		}
		return d, nil
	case nxastWriteMetadata:
		if err := wantLen(b, nxActionFixedLen32, "write_metadata"); err != nil {
			return nil, err
		}
		if !isZeros(r.bytes(6)) {
			return nil, newErr(NXBAC_MUST_BE_ZERO, "write_metadata padding not zero")
		}
		return &ofpact.WriteMetadata{Value: r.u64(), Mask: r.u64()}, nil
	case nxastOutputReg:
		return nil, newErr(OFPBAC_BAD_VENDOR_TYPE, "output_reg (NXAST_OUTPUT_REG) is not supported by govs")
	}
	return nil, newErr(OFPBAC_BAD_VENDOR_TYPE, "Nicira action subtype %d is not supported", sub)
}

// subfield resolves an NXM header + bit range (mf_check_src/dst).
func subfield(h uint32, ofs, nBits int) (ofpact.Subfield, error) {
	d := fieldFromHeader(h)
	if d == nil || parseNXMHeader(h).hasMask {
		return ofpact.Subfield{}, newErr(OFPBAC_BAD_SET_TYPE, "unknown field 0x%08x", h)
	}
	f := d.f
	if nBits == 0 || ofs >= f.Bits || ofs+nBits > f.Bits {
		return ofpact.Subfield{}, newErr(OFPBAC_BAD_SET_LEN, "bits %d..%d of %d-bit field %s", ofs, ofs+nBits-1, f.Bits, f.Name)
	}
	return ofpact.Subfield{Field: f, Ofs: ofs, NBits: nBits}, nil
}

// decodeRegLoad2 parses NXAST_REG_LOAD2 (type, len, vendor, subtype,
// then one OXM/NXM entry and zeros to a multiple of 8 bytes). govs decodes
// it for tun_metadata only, which OVS sends it for in OpenFlow 1.0 and for
// masked writes; other fields are refused.
func decodeRegLoad2(b []byte) (ofpact.Action, error) {
	const fixed = actionHeaderLen + 4 + 2
	if len(b) < fixed+nxmHeaderLen {
		return nil, newErr(OFPBAC_BAD_LEN, "reg_load2 truncated")
	}
	r := newReader(b[fixed:])
	ph := parseNXMHeader(r.u32())
	if ph.class != nxmClassNX || ph.field < nxmFieldTunMetadata0 || ph.field >= nxmFieldTunMetadata0+flowtable.NumTunMetadata {
		return nil, newErr(OFPBAC_BAD_VENDOR_TYPE, "reg_load2 is supported by govs for tun_metadata only")
	}
	n := ph.n
	if ph.hasMask {
		n /= 2
	}
	if n == 0 || n > flow.TunMetadataLen || (ph.hasMask && ph.n%2 != 0) || r.left() < ph.n ||
		roundUp8(fixed+nxmHeaderLen+ph.n) != len(b) || !isZeros(b[fixed+nxmHeaderLen+ph.n:]) {
		return nil, newErr(OFPBAC_BAD_SET_LEN, "reg_load2 tun_metadata of length %d (govs supports 1 to %d)", n, flow.TunMetadataLen)
	}
	a := &ofpact.SetTunMetadata{Index: ph.field - nxmFieldTunMetadata0, Len: uint8(n), HasMask: ph.hasMask}
	v := r.bytes(n)
	for i := 0; i < n; i++ {
		a.Mask[i] = 0xff
	}
	if ph.hasMask {
		copy(a.Mask[:], r.bytes(n))
	}
	for i := 0; i < n; i++ {
		a.Value[i] = v[i] & a.Mask[i]
	}
	return a, nil
}
