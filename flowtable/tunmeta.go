package flowtable

import (
	"strconv"
	"strings"

	"govs/datapath/flow"
	"govs/tunnel/tlv"
)

// Geneve option match fields tun_metadata0..63 (NXM_NX_TUN_METADATA0+n).
//
// Their data lives in the key's 32-byte tun_metadata slot; where depends
// on the bridge's TLV map (package tlv). A Match records its own layout
// (TunMetaLayout): parsing text or NXM places each field at the next free
// offset with the value's byte length (as ovs-ofctl's local allocation);
// BindTunMetadata moves the fields to the bridge map's offsets and
// lengths (the switch does this before installing a flow, so matches,
// dump-flows and the datapath all use the bridge's layout). A bound
// field also matches its presence bit (flow.TunFlagOptPresent), as OVS's
// present map: tun_metadata0=0 does not match a packet without the option.
//
// govs supports what fits its slot: values longer than 32 bytes, more
// than MaxTunMetaFields fields in a match, or a field that the bridge does
// not map are refused with errors naming the limit.

// NumTunMetadata is the number of tun_metadata fields.
const NumTunMetadata = tlv.NumFields

// MaxTunMetaFields is how many tun_metadata fields one match may use.
const MaxTunMetaFields = flow.TunMetadataLen / 4

// TunMetaLoc is where one tun_metadata field's data is in the slot.
type TunMetaLoc struct {
	Index, Off, Len uint8
}

// TunMetaLayout lists the tun_metadata fields a Match uses (comparable).
type TunMetaLayout struct {
	N   uint8
	Loc [MaxTunMetaFields]TunMetaLoc
}

// TunMetadataIndex parses "tun_metadataN" (N < 64).
func TunMetadataIndex(name string) (int, bool) {
	s, ok := strings.CutPrefix(name, "tun_metadata")
	if !ok || s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n >= NumTunMetadata {
		return 0, false
	}
	return n, true
}

func (l *TunMetaLayout) find(index int) int {
	for i := 0; i < int(l.N); i++ {
		if int(l.Loc[i].Index) == index {
			return i
		}
	}
	return -1
}

// sorted returns the locations in field index order.
func (l *TunMetaLayout) sorted() [MaxTunMetaFields]TunMetaLoc {
	locs := l.Loc
	for i := 1; i < int(l.N); i++ {
		for j := i; j > 0 && locs[j].Index < locs[j-1].Index; j-- {
			locs[j], locs[j-1] = locs[j-1], locs[j]
		}
	}
	return locs
}

func (l *TunMetaLayout) used() int {
	n := 0
	for i := 0; i < int(l.N); i++ {
		if e := int(l.Loc[i].Off) + int(l.Loc[i].Len); e > n {
			n = e
		}
	}
	return n
}

// TunMetaFields returns the match's tun_metadata fields: index, value and
// mask (big-endian, the field's length), in field index order.
func (m *Match) TunMetaFields(fn func(index int, v, mask []byte)) {
	kd, md := m.Key.TunMetadata(), m.Mask.TunMetadata()
	locs := m.TunMeta.sorted()
	for _, l := range locs[:m.TunMeta.N] {
		fn(int(l.Index), kd[l.Off:l.Off+l.Len], md[l.Off:l.Off+l.Len])
	}
}

// HasTunMetadata reports whether m matches tun_metadata<index>.
func (m *Match) HasTunMetadata(index int) bool { return m.TunMeta.find(index) >= 0 }

// SetTunMetadata matches tun_metadata<index> against v under mask (same
// length, at most 32 bytes; mask nil: exact). The match's own layout packs
// its fields in index order from offset 0 (so equal matches are equal
// values whatever the parse order). A field already matched is an error
// (the caller reports a duplicate).
func (m *Match) SetTunMetadata(index int, v, mask []byte) error {
	if index < 0 || index >= NumTunMetadata {
		return errorf("tun_metadata%d: no such field", index)
	}
	if len(v) == 0 || len(v) > flow.TunMetadataLen {
		return errorf("tun_metadata%d: value of %d bytes, govs supports 1 to %d", index, len(v), flow.TunMetadataLen)
	}
	if m.TunMeta.find(index) >= 0 {
		return errorf("tun_metadata%d: duplicate field", index)
	}
	if int(m.TunMeta.N) == MaxTunMetaFields || m.TunMeta.used()+len(v) > flow.TunMetadataLen {
		return errorf("tun_metadata%d: the fields of one match must fit govs's %d-byte tunnel metadata space", index, flow.TunMetadataLen)
	}
	okd, omd := m.Key.TunMetadata(), m.Mask.TunMetadata()
	var kd, md [flow.TunMetadataLen]byte
	var nl TunMetaLayout
	off := 0
	place := func(idx int, val, mk []byte) {
		nl.Loc[nl.N] = TunMetaLoc{Index: uint8(idx), Off: uint8(off), Len: uint8(len(val))}
		nl.N++
		for i := range val {
			b := byte(0xff)
			if mk != nil {
				b = mk[i]
			}
			kd[off+i], md[off+i] = val[i]&b, b
		}
		off += len(val)
	}
	placed := false
	locs := m.TunMeta.sorted()
	for _, l := range locs[:m.TunMeta.N] {
		if !placed && int(l.Index) > index {
			place(index, v, mask)
			placed = true
		}
		place(int(l.Index), okd[l.Off:l.Off+l.Len], omd[l.Off:l.Off+l.Len])
	}
	if !placed {
		place(index, v, mask)
	}
	m.TunMeta = nl
	m.Key.SetTunMetadata(kd)
	m.Mask.SetTunMetadata(md)
	return nil
}

// ErrTunMetaUnmapped is returned by BindTunMetadata for a field the
// bridge's TLV map lacks (OVS: NXFMFC_INVALID_TLV_FIELD).
type ErrTunMetaUnmapped struct{ Index int }

func (e *ErrTunMetaUnmapped) Error() string {
	return "tun_metadata" + strconv.Itoa(e.Index) + " is not mapped (add-tlv-map)"
}

// BindTunMetadata re-lays m's tun_metadata fields out by the bridge map
// tm: each value is right-aligned into its mapped length (a value wider
// than the mapping with non-zero high bytes is refused) and the field's
// presence bit is matched. Binding a bound match again is a no-op.
func (m *Match) BindTunMetadata(tm *tlv.Map) error {
	if m.TunMeta.N == 0 {
		return nil
	}
	okd, omd := m.Key.TunMetadata(), m.Mask.TunMetadata()
	var kd, md [flow.TunMetadataLen]byte
	var nl TunMetaLayout
	kf, mf := m.Key.TunFlags(), m.Mask.TunFlags()
	for i := 0; i < int(m.TunMeta.N); i++ {
		l := m.TunMeta.Loc[i]
		e := tm.Field(int(l.Index))
		if !e.Valid {
			return &ErrTunMetaUnmapped{Index: int(l.Index)}
		}
		v, mk := okd[l.Off:l.Off+l.Len], omd[l.Off:l.Off+l.Len]
		for len(v) > int(e.Len) {
			if v[0] != 0 || mk[0] != 0 {
				return errorf("tun_metadata%d: value wider than the mapped %d bytes", l.Index, e.Len)
			}
			v, mk = v[1:], mk[1:]
		}
		dst := int(e.Offset) + int(e.Len) - len(v)
		copy(kd[dst:], v)
		copy(md[dst:], mk)
		nl.Loc[i] = TunMetaLoc{Index: l.Index, Off: e.Offset, Len: e.Len}
		bit := flow.TunFlagOptPresent << (e.Offset / 4)
		kf, mf = kf|bit, mf|bit
	}
	nl.N = m.TunMeta.N
	m.TunMeta = nl
	m.Key.SetTunMetadata(kd)
	m.Mask.SetTunMetadata(md)
	m.Key.SetTunFlags(kf)
	m.Mask.SetTunFlags(mf)
	return nil
}

// ParseTunMetadataValue parses "0xHEX[/0xHEX]" (or decimal) as a
// tun_metadata value: its byte length is that of the wider of value and
// mask (at least 1), as ovs-ofctl's.
func ParseTunMetadataValue(name, s string) (v, mask []byte, err error) {
	vs, ms, masked := strings.Cut(s, "/")
	vb, ok := parseBigHex(vs)
	if !ok {
		return nil, nil, errorf("%s: bad value \"%s\"", name, s)
	}
	var mb []byte
	if masked {
		if mb, ok = parseBigHex(ms); !ok {
			return nil, nil, errorf("%s: bad mask \"%s\"", name, s)
		}
	}
	n := max(len(vb), len(mb), 1)
	if n > flow.TunMetadataLen {
		return nil, nil, errorf("%s: value \"%s\" is longer than govs's %d-byte tunnel metadata space", name, s, flow.TunMetadataLen)
	}
	v = make([]byte, n)
	copy(v[n-len(vb):], vb)
	if masked {
		mask = make([]byte, n)
		copy(mask[n-len(mb):], mb)
	}
	return v, mask, nil
}

// parseBigHex parses a hex (0x...) or decimal (up to 64 bits) number into
// its minimal big-endian bytes.
func parseBigHex(s string) ([]byte, bool) {
	if h, ok := strings.CutPrefix(s, "0x"); ok || strings.HasPrefix(s, "0X") {
		if !ok {
			h = s[2:]
		}
		h = strings.TrimLeft(h, "0")
		if h == "" {
			return nil, true
		}
		if len(h)%2 == 1 {
			h = "0" + h
		}
		b := make([]byte, len(h)/2)
		for i := range b {
			x, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
			if err != nil {
				return nil, false
			}
			b[i] = byte(x)
		}
		return b, true
	}
	u, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return nil, false
	}
	var b []byte
	for ; u != 0; u >>= 8 {
		b = append([]byte{byte(u)}, b...)
	}
	return b, true
}

// appendTunMetadata formats the match's tun_metadata fields as OVS
// (tun_metadataN=0xVALUE[/0xMASK], hex without leading zeros), in index
// order, without allocating.
func appendTunMetadata(b []byte, m *Match) []byte {
	if m.TunMeta.N == 0 {
		return b
	}
	kd, md := m.Key.TunMetadata(), m.Mask.TunMetadata()
	locs := m.TunMeta.sorted()
	for _, l := range locs[:m.TunMeta.N] {
		v, mask := kd[l.Off:l.Off+l.Len], md[l.Off:l.Off+l.Len]
		b = append(b, "tun_metadata"...)
		b = strconv.AppendInt(b, int64(l.Index), 10)
		b = append(b, '=')
		b = appendBigHex(b, v)
		if !isAllOnes(mask) {
			b = append(b, '/')
			b = appendBigHex(b, mask)
		}
		b = append(b, ',')
	}
	return b
}

func appendBigHex(b []byte, v []byte) []byte {
	if isAllZeros(v) {
		return append(b, '0')
	}
	b = append(b, "0x"...)
	start := len(b)
	for _, x := range v {
		if len(b) == start {
			if x == 0 {
				continue
			}
			b = strconv.AppendUint(b, uint64(x), 16)
			continue
		}
		const digits = "0123456789abcdef"
		b = append(b, digits[x>>4], digits[x&0xf])
	}
	if len(b) == start {
		b = append(b, '0')
	}
	return b
}

// LayoutTunMetadata sets m's tun_metadata layout from the TLV map tm for
// a match built from a datapath key and mask (ofproto/trace's flows): each
// mapped field whose presence bit is set in both Key and Mask is listed,
// so the formatter prints it. Allocation-free.
func (m *Match) LayoutTunMetadata(tm *tlv.Map) {
	m.TunMeta = TunMetaLayout{}
	kf, mf := m.Key.TunFlags(), m.Mask.TunFlags()
	for i := 0; i < NumTunMetadata && int(m.TunMeta.N) < MaxTunMetaFields; i++ {
		e := tm.Field(i)
		bit := flow.TunFlagOptPresent << (e.Offset / 4)
		if !e.Valid || kf&bit == 0 || mf&bit == 0 {
			continue
		}
		m.TunMeta.Loc[m.TunMeta.N] = TunMetaLoc{Index: uint8(i), Off: e.Offset, Len: e.Len}
		m.TunMeta.N++
	}
}
