package ofp

import (
	"govs/flowtable"
)

// nxmExtra is what an NXM match carries besides the flowtable match: the
// flow cookie matched with NXM_NX_COOKIE (CookieMask 0 when absent).
type nxmExtra struct {
	Cookie, CookieMask uint64
}

// decodeNXM parses a TLV list (NXM or OXM: both header spaces are
// accepted, as OVS does) into m, checking lengths, masks, values,
// prerequisites (in order, as OVS nx_pull_raw) and duplicates.
func decodeNXM(b []byte, m *flowtable.Match, ex *nxmExtra) error {
	*m = flowtable.Match{}
	r := newReader(b)
	for r.left() > 0 {
		h := r.u32()
		if r.err != nil {
			return newErr(OFPBMC_BAD_LEN, "match field header truncated")
		}
		ph := parseNXMHeader(h)
		class, field, hasMask, n := ph.class, ph.field, ph.hasMask, ph.n
		var exp uint32
		if class == oxmClassExp {
			if n < nxmExpLen {
				return newErr(OFPBMC_BAD_LEN, "experimenter match field of length %d", n)
			}
			exp = r.u32()
			n -= nxmExpLen
		}
		payload := r.bytes(n)
		if r.err != nil {
			return newErr(OFPBMC_BAD_LEN, "match field 0x%08x runs past the match", h)
		}
		if class == nxmClassNX && field == nxmFieldCookie && ex != nil {
			if err := decodeCookie(payload, hasMask, ex); err != nil {
				return err
			}
			continue
		}
		if class == nxmClassNX && field >= nxmFieldTunMetadata0 && field < nxmFieldTunMetadata0+flowtable.NumTunMetadata {
			if err := decodeTunMetadata(m, int(field-nxmFieldTunMetadata0), payload, hasMask); err != nil {
				return err
			}
			continue
		}
		d := nxmByKey[nxmKey{class, field, exp}]
		if d == nil {
			return newErr(OFPBMC_BAD_FIELD, "unknown or unsupported match field 0x%08x", h)
		}
		want := d.n
		if hasMask {
			want *= 2
		}
		if n != want {
			// OVS looks fields up by the whole header, length included.
			return newErr(OFPBMC_BAD_FIELD, "%s with length %d (want %d)", d.name, n, want)
		}
		var v, mask flowtable.Value
		if err := wireToValue(d, payload[:d.n], &v); err != nil {
			return err
		}
		if hasMask {
			if d.conv != convNone {
				return newErr(OFPBMC_BAD_MASK, "%s cannot be masked", d.name)
			}
			copy(mask[:], payload[d.n:])
		} else {
			for i := 0; i < d.f.Bytes; i++ {
				mask[i] = 0xff
			}
		}
		if err := setField(m, d, v, mask, hasMask); err != nil {
			return err
		}
	}
	return nil
}

func decodeCookie(p []byte, hasMask bool, ex *nxmExtra) error {
	const cookieLen = 8
	if (!hasMask && len(p) != cookieLen) || (hasMask && len(p) != 2*cookieLen) {
		return newErr(OFPBMC_BAD_LEN, "NXM_NX_COOKIE of length %d", len(p))
	}
	if ex.CookieMask != 0 {
		return newErr(OFPBMC_DUP_FIELD, "NXM_NX_COOKIE")
	}
	r := newReader(p)
	ex.Cookie, ex.CookieMask = r.u64(), ^uint64(0)
	if hasMask {
		ex.CookieMask = r.u64()
		ex.Cookie &= ex.CookieMask
	}
	return nil
}

func wireToValue(d *nxmField, p []byte, v *flowtable.Value) error {
	if d.conv == convPort11 {
		r := newReader(p)
		port, err := PortFrom11(r.u32())
		if err != nil {
			return newErr(OFPBMC_BAD_VALUE, "in_port: %v", err)
		}
		v[0], v[1] = byte(port>>8), byte(port)
		return nil
	}
	copy(v[:], p)
	return nil
}

func isZeros(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func isOnes(b []byte) bool {
	for _, c := range b {
		if c != 0xff {
			return false
		}
	}
	return true
}

// setField applies one decoded TLV to m with OVS's checks.
func setField(m *flowtable.Match, d *nxmField, v, mask flowtable.Value, hasMask bool) error {
	f := d.f
	nb := f.Bytes
	if hasMask && !f.Maskable && !isOnes(mask[:nb]) {
		return newErr(OFPBMC_BAD_MASK, "%s cannot be masked", d.name)
	}
	if !valueValid(d.name, v) {
		return newErr(OFPBMC_BAD_VALUE, "%s: invalid value", d.name)
	}
	if !m.PrereqsOK(f.Prereq) {
		return newErr(OFPBMC_BAD_PREREQ, "%s: prerequisites not met", d.name)
	}
	if _, old := f.Get(m); !isZeros(old[:nb]) {
		return newErr(OFPBMC_DUP_FIELD, "%s appears twice", d.name)
	}
	if isZeros(mask[:nb]) {
		return nil
	}
	f.Set(m, v, mask)
	return nil
}

// fieldPair holds the NXM and OXM descriptors of one field, resolved once
// so encoding does no name lookups.
type fieldPair struct{ nxm, oxm *nxmField }

func pairOf(name string) *fieldPair {
	p := &fieldPair{nxm: nxmFor[name], oxm: oxmFor[name]}
	if p.nxm == nil || p.oxm == nil {
		panic("ofp: no NXM/OXM header for " + name)
	}
	return p
}

// Encoder field handles (initialized after nxmFor/oxmFor, see init order
// in nxm_fields.go).
var (
	encArpOp      *fieldPair
	encArpSha     *fieldPair
	encArpSpa     *fieldPair
	encArpTha     *fieldPair
	encArpTpa     *fieldPair
	encEthDst     *fieldPair
	encEthSrc     *fieldPair
	encEthType    *fieldPair
	encIcmpCode   *fieldPair
	encIcmpType   *fieldPair
	encIcmpv6Code *fieldPair
	encIcmpv6Type *fieldPair
	encInPort     *fieldPair
	encIpDscp     *fieldPair
	encIpDst      *fieldPair
	encIpFrag     *fieldPair
	encIpSrc      *fieldPair
	encIpv6Dst    *fieldPair
	encIpv6Label  *fieldPair
	encIpv6Src    *fieldPair
	encMetadata   *fieldPair
	encNdSll      *fieldPair
	encNdTarget   *fieldPair
	encNdTll      *fieldPair
	encNwEcn      *fieldPair
	encNwProto    *fieldPair
	encNwTos      *fieldPair
	encNwTtl      *fieldPair
	encSctpDst    *fieldPair
	encSctpSrc    *fieldPair
	encTcpDst     *fieldPair
	encTcpFlags   *fieldPair
	encTcpSrc     *fieldPair
	encTunDst     *fieldPair
	encTunFlags   *fieldPair
	encTunId      *fieldPair
	encTunSrc     *fieldPair
	encUdpDst     *fieldPair
	encUdpSrc     *fieldPair
	encVlanPcp    *fieldPair
	encVlanTci    *fieldPair
	encVlanVid    *fieldPair
	encRegs       [flowtable.NumRegs]*fieldPair
)

func initEncFields() {
	encArpOp = pairOf("arp_op")
	encArpSha = pairOf("arp_sha")
	encArpSpa = pairOf("arp_spa")
	encArpTha = pairOf("arp_tha")
	encArpTpa = pairOf("arp_tpa")
	encEthDst = pairOf("eth_dst")
	encEthSrc = pairOf("eth_src")
	encEthType = pairOf("eth_type")
	encIcmpCode = pairOf("icmp_code")
	encIcmpType = pairOf("icmp_type")
	encIcmpv6Code = pairOf("icmpv6_code")
	encIcmpv6Type = pairOf("icmpv6_type")
	encInPort = pairOf("in_port")
	encIpDscp = pairOf("ip_dscp")
	encIpDst = pairOf("ip_dst")
	encIpFrag = pairOf("ip_frag")
	encIpSrc = pairOf("ip_src")
	encIpv6Dst = pairOf("ipv6_dst")
	encIpv6Label = pairOf("ipv6_label")
	encIpv6Src = pairOf("ipv6_src")
	encMetadata = pairOf("metadata")
	encNdSll = pairOf("nd_sll")
	encNdTarget = pairOf("nd_target")
	encNdTll = pairOf("nd_tll")
	encNwEcn = pairOf("nw_ecn")
	encNwProto = pairOf("nw_proto")
	encNwTos = pairOf("nw_tos")
	encNwTtl = pairOf("nw_ttl")
	encSctpDst = pairOf("sctp_dst")
	encSctpSrc = pairOf("sctp_src")
	encTcpDst = pairOf("tcp_dst")
	encTcpFlags = pairOf("tcp_flags")
	encTcpSrc = pairOf("tcp_src")
	encTunDst = pairOf("tun_dst")
	encTunFlags = pairOf("tun_flags")
	encTunId = pairOf("tun_id")
	encTunSrc = pairOf("tun_src")
	encUdpDst = pairOf("udp_dst")
	encUdpSrc = pairOf("udp_src")
	encVlanPcp = pairOf("vlan_pcp")
	encVlanTci = pairOf("vlan_tci")
	encVlanVid = pairOf("vlan_vid")
	for i := range encRegs {
		encRegs[i] = pairOf(flowtable.FieldRegs[i].Name)
	}
}

// nxmWriter appends TLVs.
type nxmWriter struct {
	b   []byte
	oxm bool
}

func (w *nxmWriter) desc(p *fieldPair) *nxmField {
	if w.oxm {
		return p.oxm
	}
	return p.nxm
}

// put appends field name with value v and mask mk (n bytes each, as the
// flowtable field): nothing if the mask is zero, the exact form if it is
// all ones, the masked form otherwise (nxm_put).
func (w *nxmWriter) put(p *fieldPair, v, mk flowtable.Value) {
	d := w.desc(p)
	n := d.f.Bytes
	if isZeros(mk[:n]) {
		return
	}
	masked := !isOnes(mk[:n])
	w.b = put32(w.b, d.header(masked))
	if d.class == oxmClassExp {
		w.b = put32(w.b, d.exp)
	}
	if d.conv == convPort11 {
		w.b = put32(w.b, PortTo11(flowtable.PortNo(uint16(v[0])<<8|uint16(v[1]))))
		return
	}
	w.b = append(w.b, v[:n]...)
	if masked {
		w.b = append(w.b, mk[:n]...)
	}
}

// putField writes a flowtable field as it stands in m.
func (w *nxmWriter) putField(p *fieldPair, m *flowtable.Match) {
	v, mk := w.desc(p).f.Get(m)
	w.put(p, v, mk)
}

// putExact writes name as an exact match of v (nxm_put_8/16).
func (w *nxmWriter) putExact(p *fieldPair, v flowtable.Value) {
	d := w.desc(p)
	var mk flowtable.Value
	for i := 0; i < d.f.Bytes; i++ {
		mk[i] = 0xff
	}
	w.put(p, v, mk)
}

func u8v(x uint8) (v flowtable.Value)   { v[0] = x; return }
func u16v(x uint16) (v flowtable.Value) { v[0], v[1] = byte(x>>8), byte(x); return }

// encodeNXM appends m as NXM (oxm=false) or OXM (oxm=true) TLVs in OVS's
// order (nx_put_raw), so that what ovs-ofctl sends re-encodes byte for
// byte. ex, if non-nil with a non-zero CookieMask, adds NXM_NX_COOKIE.
func encodeNXM(b []byte, m *flowtable.Match, oxm bool, ex *nxmExtra) []byte {
	return encodeNXMPort(b, m, oxm, ex, 0)
}

// encodeNXMPort is encodeNXM with an in_port to use when m has none
// (0: none), so callers need not copy the match to add one.
func encodeNXMPort(b []byte, m *flowtable.Match, oxm bool, ex *nxmExtra, inPort flowtable.PortNo) []byte {
	w := &nxmWriter{b: b, oxm: oxm}
	k, mk := &m.Key, &m.Mask
	if m.InPortMask == 0 && inPort != 0 {
		w.putExact(encInPort, u16v(uint16(inPort)))
	} else {
		w.putField(encInPort, m)
	}
	w.putField(encEthSrc, m)
	w.putField(encEthDst, m)
	w.putField(encEthType, m)
	_, tci := k.VLAN(0)
	_, tciMask := mk.VLAN(0)
	if oxm {
		const vidCFI = flowtable.VLANVIDMask | flowtable.VLANCFI
		vid, vmask := tci&vidCFI, tciMask&vidCFI
		switch {
		case vmask == vidCFI:
			w.putExact(encVlanVid, u16v(vid))
		case vmask != 0:
			w.put(encVlanVid, u16v(vid), u16v(vmask))
		}
		// OVS (nx_put_raw) writes OXM_OF_VLAN_PCP whenever vid != 0,
		// but OXM_OF_VLAN_PCP requires the present bit (OFPVID_PRESENT,
		// our CFI), so a TCI match with VID bits and no CFI, e.g. an
		// NXM_OF_VLAN_TCI(4130) that the OXM decoder accepts, would
		// re-encode to bytes that both OVS 3.1 and we reject
		// (OFPBMC_BAD_PREREQ; ovs-ofctl -O OpenFlow13 parse-flow
		// vlan_tci=0x4130 shows it). OXM cannot express PCP without the
		// present bit, so leave it out, as flowtable.OXMRoundTrip does.
		if vid&flowtable.VLANCFI != 0 && tciMask&flowtable.VLANPCPMask != 0 {
			w.putExact(encVlanPcp, u8v(uint8(tci>>flowtable.VLANPCPShift)))
		}
	} else {
		w.putField(encVlanTci, m)
	}
	dl := k.EthType()
	switch dl {
	case flowtable.EthTypeIPv4, flowtable.EthTypeIPv6:
		if dl == flowtable.EthTypeIPv4 {
			w.putField(encIpSrc, m)
			w.putField(encIpDst, m)
		} else {
			w.putField(encIpv6Src, m)
			w.putField(encIpv6Dst, m)
		}
		frag, fragMask := k.NwFrag()&3, mk.NwFrag()&3
		if fragMask == 3 {
			fragMask = 0xff
		}
		w.put(encIpFrag, u8v(frag), u8v(fragMask))
		if mk.NwTos()&flowtable.IPDSCPMask != 0 {
			if oxm {
				w.putExact(encIpDscp, u8v(k.NwTos()>>2))
			} else {
				w.putExact(encNwTos, u8v(k.NwTos()&flowtable.IPDSCPMask))
			}
		}
		if mk.NwTos()&flowtable.IPECNMask != 0 {
			w.putExact(encNwEcn, u8v(k.NwTos()&flowtable.IPECNMask))
		}
		if mk.NwTTL() != 0 {
			w.putExact(encNwTtl, u8v(k.NwTTL()))
		}
		w.putField(encIpv6Label, m)
		if mk.NwProto() != 0 {
			proto := k.NwProto()
			w.putExact(encNwProto, u8v(proto))
			encodeL4(w, m, dl, proto)
		}
	case flowtable.EthTypeARP, flowtable.EthTypeRARP:
		if mk.NwProto() != 0 {
			w.putExact(encArpOp, u16v(uint16(k.NwProto())))
		}
		w.putField(encArpSpa, m)
		w.putField(encArpTpa, m)
		w.putField(encArpSha, m)
		w.putField(encArpTha, m)
	}
	w.putField(encTunId, m)
	w.putField(encTunFlags, m)
	w.putField(encTunSrc, m)
	w.putField(encTunDst, m)
	w.putTunMetadata(m)
	for i := 0; i < flowtable.NumRegs; i++ {
		w.putField(encRegs[i], m)
	}
	w.putField(encMetadata, m)
	if ex != nil && ex.CookieMask != 0 {
		masked := ex.CookieMask != ^uint64(0)
		const cookieLen = 8
		n := cookieLen
		if masked {
			n *= 2
		}
		w.b = put32(w.b, makeNXMHeader(nxmClassNX, nxmFieldCookie, masked, n))
		w.b = put64(w.b, ex.Cookie)
		if masked {
			w.b = put64(w.b, ex.CookieMask)
		}
	}
	return w.b
}

func encodeL4(w *nxmWriter, m *flowtable.Match, dl uint16, proto uint8) {
	k, mk := &m.Key, &m.Mask
	switch {
	case proto == flowtable.IPProtoTCP:
		w.putField(encTcpSrc, m)
		w.putField(encTcpDst, m)
		w.putField(encTcpFlags, m)
	case proto == flowtable.IPProtoUDP:
		w.putField(encUdpSrc, m)
		w.putField(encUdpDst, m)
	case proto == flowtable.IPProtoSCTP:
		w.putField(encSctpSrc, m)
		w.putField(encSctpDst, m)
	case dl == flowtable.EthTypeIPv4 && proto == flowtable.IPProtoICMP:
		if mk.TpSrc() != 0 {
			w.putExact(encIcmpType, u8v(uint8(k.TpSrc())))
		}
		if mk.TpDst() != 0 {
			w.putExact(encIcmpCode, u8v(uint8(k.TpDst())))
		}
	case dl == flowtable.EthTypeIPv6 && proto == flowtable.IPProtoICMPv6:
		if mk.TpSrc() != 0 {
			w.putExact(encIcmpv6Type, u8v(uint8(k.TpSrc())))
		}
		if mk.TpDst() != 0 {
			w.putExact(encIcmpv6Code, u8v(uint8(k.TpDst())))
		}
		t := k.TpSrc()
		if (t == flowtable.NDSolicit || t == flowtable.NDAdvert) && k.TpDst() == 0 {
			w.putField(encNdTarget, m)
			if t == flowtable.NDSolicit {
				w.putField(encNdSll, m)
			} else {
				w.putField(encNdTll, m)
			}
		}
	}
}

// nxmFieldTunMetadata0 is NXM_NX_TUN_METADATA0's field number; the 64
// fields follow it.
const nxmFieldTunMetadata0 = 40

// decodeTunMetadata decodes NXM_NX_TUN_METADATA<index> (any length up to
// govs's 32-byte slot) into m's own layout; the switch binds it to the
// bridge's TLV map.
func decodeTunMetadata(m *flowtable.Match, index int, p []byte, hasMask bool) error {
	n := len(p)
	if hasMask {
		if n%2 != 0 {
			return newErr(OFPBMC_BAD_LEN, "tun_metadata%d: odd masked length %d", index, n)
		}
		n /= 2
	}
	if n == 0 || n > TLVMaxOptLen {
		return newErr(OFPBMC_BAD_LEN, "tun_metadata%d of length %d", index, n)
	}
	if m.HasTunMetadata(index) {
		return newErr(OFPBMC_DUP_FIELD, "tun_metadata%d appears twice", index)
	}
	var mask []byte
	if hasMask {
		mask = p[n:]
		if isZeros(mask) {
			return nil
		}
	}
	if err := m.SetTunMetadata(index, p[:n], mask); err != nil {
		return newErr(OFPBMC_BAD_LEN, "%v", err)
	}
	return nil
}

// putTunMetadata writes the match's tun_metadata fields in index order.
func (w *nxmWriter) putTunMetadata(m *flowtable.Match) {
	if m.TunMeta.N == 0 {
		return
	}
	type ent struct {
		index   int
		v, mask []byte
	}
	var es [flowtable.MaxTunMetaFields]ent
	n := 0
	m.TunMetaFields(func(index int, v, mask []byte) {
		es[n] = ent{index, v, mask}
		n++
	})
	for _, e := range es[:n] {
		if isZeros(e.mask) {
			continue
		}
		masked := !isOnes(e.mask)
		w.b = put32(w.b, makeNXMHeader(nxmClassNX, uint8(nxmFieldTunMetadata0+e.index), masked, tunMetaWireLen(len(e.v), masked)))
		w.b = append(w.b, e.v...)
		if masked {
			w.b = append(w.b, e.mask...)
		}
	}
}

func tunMetaWireLen(n int, masked bool) int {
	if masked {
		return 2 * n
	}
	return n
}
