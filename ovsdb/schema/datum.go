package schema

import "sort"

// Datum is a column value: a set of keys, or a map when Values is non-nil
// (Values[i] belongs to Keys[i]). Keys are sorted and unique.
type Datum struct {
	Keys   []Atom
	Values []Atom
}

// NewScalar returns a one-element set.
func NewScalar(a Atom) Datum { return Datum{Keys: []Atom{a}} }

// Len returns the number of elements.
func (d Datum) Len() int { return len(d.Keys) }

// IsMap reports whether d carries values.
func (d Datum) IsMap() bool { return d.Values != nil }

// DefaultDatum returns the default value for t: empty when min is 0,
// otherwise one default atom (and default value for maps).
func DefaultDatum(t *Type) Datum {
	d := Datum{}
	if t.IsMap() {
		d.Values = []Atom{}
	}
	if t.Min == 0 {
		d.Keys = []Atom{}
		return d
	}
	d.Keys = []Atom{DefaultAtom(t.Key.Type)}
	if t.IsMap() {
		d.Values = []Atom{DefaultAtom(t.Value.Type)}
	}
	return d
}

// IsDefault reports whether d equals DefaultDatum(t).
func (d Datum) IsDefault(t *Type) bool { return d.Equal(DefaultDatum(t)) }

// Clone returns a copy of d that shares no slices with it.
func (d Datum) Clone() Datum {
	c := Datum{Keys: append([]Atom{}, d.Keys...)}
	if d.Values != nil {
		c.Values = append([]Atom{}, d.Values...)
	}
	return c
}

// Equal reports whether two datums hold the same elements.
func (d Datum) Equal(o Datum) bool {
	if len(d.Keys) != len(o.Keys) || (d.Values == nil) != (o.Values == nil) {
		return false
	}
	for i := range d.Keys {
		if CompareAtoms(d.Keys[i], o.Keys[i]) != 0 {
			return false
		}
		if d.Values != nil && CompareAtoms(d.Values[i], o.Values[i]) != 0 {
			return false
		}
	}
	return true
}

// Compare orders datums (used for conditions on scalars and for index
// keys): element-wise, then by length.
func (d Datum) Compare(o Datum) int {
	for i := 0; i < len(d.Keys) && i < len(o.Keys); i++ {
		if c := CompareAtoms(d.Keys[i], o.Keys[i]); c != 0 {
			return c
		}
		if d.Values != nil && o.Values != nil {
			if c := CompareAtoms(d.Values[i], o.Values[i]); c != 0 {
				return c
			}
		}
	}
	return cmp3(len(d.Keys) < len(o.Keys), len(d.Keys) > len(o.Keys))
}

// find returns the index of key k, or -1.
func (d Datum) find(k Atom) int {
	i := sort.Search(len(d.Keys), func(i int) bool { return CompareAtoms(d.Keys[i], k) >= 0 })
	if i < len(d.Keys) && CompareAtoms(d.Keys[i], k) == 0 {
		return i
	}
	return -1
}

// Lookup returns the value for key k of a map datum.
func (d Datum) Lookup(k Atom) (Atom, bool) {
	i := d.find(k)
	if i < 0 || d.Values == nil {
		return nil, false
	}
	return d.Values[i], true
}

// Has reports whether the set (or map) holds key k.
func (d Datum) Has(k Atom) bool { return d.find(k) >= 0 }

// Includes reports whether every element of o is in d (for maps, every
// key-value pair).
func (d Datum) Includes(o Datum) bool {
	for i, k := range o.Keys {
		j := d.find(k)
		if j < 0 {
			return false
		}
		if o.Values != nil && d.Values != nil && CompareAtoms(d.Values[j], o.Values[i]) != 0 {
			return false
		}
	}
	return true
}

// Excludes reports whether no element of o is in d.
func (d Datum) Excludes(o Datum) bool {
	for i, k := range o.Keys {
		j := d.find(k)
		if j < 0 {
			continue
		}
		if o.Values == nil || d.Values == nil || CompareAtoms(d.Values[j], o.Values[i]) == 0 {
			return false
		}
	}
	return true
}

// Union returns d with the elements of o added; for maps, keys already
// present in d keep d's value (OVSDB "insert" mutation semantics).
func (d Datum) Union(o Datum) Datum {
	r := d.Clone()
	for i, k := range o.Keys {
		if r.find(k) >= 0 {
			continue
		}
		r.Keys = append(r.Keys, k)
		if r.Values != nil {
			r.Values = append(r.Values, o.Values[i])
		}
	}
	r.sortUnique()
	return r
}

// Subtract returns d without the elements of o. If o is a map, a pair is
// removed only if both key and value match; if o is a set, keys are
// removed whatever their value.
func (d Datum) Subtract(o Datum) Datum {
	r := Datum{Keys: []Atom{}}
	if d.Values != nil {
		r.Values = []Atom{}
	}
	for i, k := range d.Keys {
		j := o.find(k)
		if j >= 0 && (o.Values == nil || d.Values == nil || CompareAtoms(o.Values[j], d.Values[i]) == 0) {
			continue
		}
		r.Keys = append(r.Keys, k)
		if d.Values != nil {
			r.Values = append(r.Values, d.Values[i])
		}
	}
	return r
}

// Diff returns the update2 "modify" diff from old to new for type t:
// for non-composite types the new value; otherwise the elements added or
// removed (for maps also the pairs whose value changed, with the new value).
func Diff(old, new Datum, t *Type) Datum {
	if !t.IsComposite() {
		return new.Clone()
	}
	r := Datum{Keys: []Atom{}}
	if t.IsMap() {
		r.Values = []Atom{}
	}
	for i, k := range old.Keys {
		j := new.find(k)
		if j < 0 {
			r.Keys = append(r.Keys, k)
			if t.IsMap() {
				r.Values = append(r.Values, old.Values[i])
			}
		}
	}
	for j, k := range new.Keys {
		i := old.find(k)
		if i >= 0 && (!t.IsMap() || CompareAtoms(old.Values[i], new.Values[j]) == 0) {
			continue
		}
		r.Keys = append(r.Keys, k)
		if t.IsMap() {
			r.Values = append(r.Values, new.Values[j])
		}
	}
	r.sortUnique()
	return r
}

// ApplyDiff applies an update2 diff (see Diff) to old.
func ApplyDiff(old, diff Datum, t *Type) Datum {
	if !t.IsComposite() {
		return diff.Clone()
	}
	r := old.Clone()
	for i, k := range diff.Keys {
		j := r.find(k)
		switch {
		case j < 0:
			r.Keys = append(r.Keys, k)
			if r.Values != nil {
				r.Values = append(r.Values, diff.Values[i])
			}
			r.sortUnique()
		case r.Values != nil && CompareAtoms(r.Values[j], diff.Values[i]) != 0:
			r.Values[j] = diff.Values[i]
		default:
			r.Keys = append(r.Keys[:j], r.Keys[j+1:]...)
			if r.Values != nil {
				r.Values = append(r.Values[:j], r.Values[j+1:]...)
			}
		}
	}
	return r
}

// sortUnique sorts by key and drops duplicate keys (keeping the first).
// It reports whether duplicates were found.
func (d *Datum) sortUnique() bool {
	idx := make([]int, len(d.Keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return CompareAtoms(d.Keys[idx[a]], d.Keys[idx[b]]) < 0 })
	keys := make([]Atom, 0, len(d.Keys))
	var vals []Atom
	if d.Values != nil {
		vals = make([]Atom, 0, len(d.Values))
	}
	dup := false
	for n, i := range idx {
		if n > 0 && CompareAtoms(d.Keys[i], keys[len(keys)-1]) == 0 {
			dup = true
			continue
		}
		keys = append(keys, d.Keys[i])
		if d.Values != nil {
			vals = append(vals, d.Values[i])
		}
	}
	d.Keys, d.Values = keys, vals
	return dup
}

// Check verifies d against t: element count within [Min, Max] and every
// atom within its base type's constraints.
func (d Datum) Check(t *Type) error {
	if len(d.Keys) < t.Min || len(d.Keys) > t.Max {
		return NewError(ErrConstraint, "%d values when type requires between %d and %d", len(d.Keys), t.Min, t.Max)
	}
	for i, k := range d.Keys {
		if err := t.Key.CheckAtom(k); err != nil {
			return err
		}
		if t.IsMap() {
			if err := t.Value.CheckAtom(d.Values[i]); err != nil {
				return err
			}
		}
	}
	return nil
}
