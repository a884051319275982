package xlate

import (
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// allOnesKey is a flow.Key mask with every bit set.
var allOnesKey = func() (k flow.Key) {
	for i := range k.W {
		k.W[i] = ^uint64(0)
	}
	return k
}()

// asMatch returns the working flow and pipeline state as an exact Match,
// so flowtable.Field.Get/Set can read and write any field.
func (c *ctx) asMatch() flowtable.Match {
	m := flowtable.Match{Key: c.work, Mask: allOnesKey, InPort: c.st.InPort, InPortMask: flowtable.PortNone,
		Metadata: c.st.Metadata, MetadataMask: ^uint64(0), Regs: c.st.Regs}
	for i := range m.RegMasks {
		m.RegMasks[i] = ^uint32(0)
	}
	return m
}

// fromMatch stores m back as the working flow and pipeline state.
func (c *ctx) fromMatch(m *flowtable.Match) {
	c.work = m.Key
	c.st.InPort, c.st.Metadata, c.st.Regs = m.InPort, m.Metadata, m.Regs
}

// fullMask is the all-ones value of f.
func fullMask(f *flowtable.Field) (v flowtable.Value) {
	for i := 0; i < f.Bytes && i < len(v); i++ {
		v[i] = 0xff
	}
	return v
}

// keyBits returns the flow.Key bits that bits mask of field f occupies
// (zero for OpenFlow-only fields: metadata, registers, in_port).
func keyBits(f *flowtable.Field, mask flowtable.Value) flow.Key {
	var z flowtable.Match
	f.Set(&z, mask, mask)
	return z.Mask
}

// subfieldMask returns the mask of bits [Ofs, Ofs+NBits) of sf's field
// (bit 0 = least significant bit of the big-endian value).
func subfieldMask(sf *ofpact.Subfield) (v flowtable.Value) {
	n := sf.Field.Bytes
	for i := sf.Ofs; i < sf.Ofs+sf.NBits && i < 8*n; i++ {
		if i < 0 {
			continue
		}
		v[n-1-i/8] |= 1 << uint(i%8)
	}
	return v
}

func getBit(v *flowtable.Value, n, i int) bool { return v[n-1-i/8]&(1<<uint(i%8)) != 0 }

func setBit(v *flowtable.Value, n, i int, on bool) {
	if on {
		v[n-1-i/8] |= 1 << uint(i%8)
	} else {
		v[n-1-i/8] &^= 1 << uint(i%8)
	}
}

// vlanField reports fields that only apply to a present VLAN tag.
func vlanField(f *flowtable.Field) bool {
	return f == flowtable.FieldVLANVID || f == flowtable.FieldVLANPCP || f == flowtable.FieldDLVLAN ||
		f == flowtable.FieldDLVLANPCP
}

// setField is set_field / load: field = field&^mask | value&mask. The set
// bits are un-wildcarded (OVS mf_mask_field_masked), so a megaflow whose
// packets already had the value needs no datapath action.
func (c *ctx) setField(a *ofpact.SetField) {
	f := a.Field
	if f == nil || !f.Writable {
		return
	}
	if vlanField(f) {
		wt, wtci := c.wc.Key.VLAN(0)
		c.wc.Key.SetVLAN(0, wt, wtci|flow.VLANCFI)
		if _, tci := c.work.VLAN(0); tci&flow.VLANCFI == 0 {
			return
		}
	}
	wb := keyBits(f, a.Mask)
	c.wc.Key.Or(&wb)
	m := c.asMatch()
	cur, _ := f.Get(&m)
	for i := 0; i < f.Bytes && i < len(cur); i++ {
		cur[i] = cur[i]&^a.Mask[i] | a.Value[i]&a.Mask[i]
	}
	f.Set(&m, cur, fullMask(f))
	c.fromMatch(&m)
}

// regMove is move:SRC->DST.
func (c *ctx) regMove(a *ofpact.RegMove) {
	src, dst := &a.Src, &a.Dst
	if src.Field == nil || dst.Field == nil || !dst.Field.Writable || src.NBits != dst.NBits {
		return
	}
	sb := keyBits(src.Field, subfieldMask(src))
	c.wc.Key.Or(&sb)
	db := keyBits(dst.Field, subfieldMask(dst))
	c.wc.Key.Or(&db)
	m := c.asMatch()
	sv, _ := src.Field.Get(&m)
	dv, _ := dst.Field.Get(&m)
	sn, dn := src.Field.Bytes, dst.Field.Bytes
	for i := 0; i < src.NBits; i++ {
		si, di := src.Ofs+i, dst.Ofs+i
		if si < 0 || di < 0 || si >= 8*sn || di >= 8*dn {
			return
		}
		setBit(&dv, dn, di, getBit(&sv, sn, si))
	}
	dst.Field.Set(&m, dv, fullMask(dst.Field))
	c.fromMatch(&m)
}
