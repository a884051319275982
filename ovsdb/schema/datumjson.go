package schema

import (
	"encoding/json"
	"math"
)

// NameResolver maps a "named-uuid" name to the UUID it stands for within a
// transaction. A nil resolver makes "named-uuid" a syntax error.
type NameResolver func(name string) (UUID, error)

// JSON keywords of the OVSDB value encodings.
const (
	jsonSet       = "set"
	jsonMap       = "map"
	jsonUUID      = "uuid"
	jsonNamedUUID = "named-uuid"
	pairLen       = 2
)

// AtomFromJSON decodes one atom of type b from a JSON value decoded with
// UseNumber (json.Number) or as float64. For in-process callers it also
// accepts Go int/int32/int64 numbers and UUID values. It checks the JSON type only;
// constraints are checked by BaseType.CheckAtom.
func AtomFromJSON(b *BaseType, v any, names NameResolver) (Atom, error) {
	a, err := atomFromJSON(b, v, names)
	if e, ok := err.(*Error); ok {
		return nil, e.WithSyntax(v)
	}
	return a, err
}

func atomFromJSON(b *BaseType, v any, names NameResolver) (Atom, error) {
	switch b.Type {
	case TypeInteger:
		switch n := v.(type) {
		case json.Number:
			i, err := n.Int64()
			if err != nil {
				return nil, NewError(ErrSyntax, "%s: expected integer", n)
			}
			return i, nil
		case float64:
			if n != math.Trunc(n) || math.Abs(n) > math.MaxInt64/2 {
				return nil, NewError(ErrSyntax, "expected integer")
			}
			return int64(n), nil
		case int:
			return int64(n), nil
		case int64:
			return n, nil
		case int32:
			return int64(n), nil
		}
	case TypeReal:
		switch n := v.(type) {
		case json.Number:
			f, err := n.Float64()
			if err != nil {
				return nil, NewError(ErrSyntax, "%s: expected real", n)
			}
			return f, nil
		case float64:
			return n, nil
		case int:
			return float64(n), nil
		case int64:
			return float64(n), nil
		}
	case TypeBoolean:
		if x, ok := v.(bool); ok {
			return x, nil
		}
	case TypeString:
		if x, ok := v.(string); ok {
			return x, nil
		}
	case TypeUUID:
		if u, ok := v.(UUID); ok {
			return ParseUUID(string(u))
		}
		arr, ok := v.([]any)
		if !ok || len(arr) != pairLen {
			break
		}
		tag, _ := arr[0].(string)
		s, ok := arr[1].(string)
		if !ok {
			break
		}
		switch tag {
		case jsonUUID:
			u, err := ParseUUID(s)
			if err != nil {
				return nil, NewError(ErrSyntax, "%v", err)
			}
			return u, nil
		case jsonNamedUUID:
			if names == nil {
				return nil, NewError(ErrSyntax, "named-uuid %q not allowed here", s)
			}
			return names(s)
		}
	}
	return nil, NewError(ErrSyntax, "expected %s", b.Type)
}

// isTagged reports whether v is ["tag", ...].
func isTagged(v any, tag string) ([]any, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) != pairLen {
		return nil, false
	}
	s, ok := arr[0].(string)
	if !ok || s != tag {
		return nil, false
	}
	inner, ok := arr[1].([]any)
	return inner, ok
}

// DatumFromJSON decodes a datum of type t: an atom, ["set", [...]] or
// ["map", [[k, v], ...]]. It sorts the elements, rejects duplicate map
// keys, checks the element count against t and every atom's constraints.
func DatumFromJSON(t *Type, v any, names NameResolver) (Datum, error) {
	d, err := DatumFromJSONUnchecked(t, v, names)
	if err != nil {
		return d, err
	}
	if n := d.Len(); n < t.Min || n > t.Max {
		kind := jsonSet
		if t.IsMap() {
			kind = jsonMap
		}
		return d, NewError(ErrSyntax, "%s must have %d to %d members but %d are present", kind, t.Min, t.Max, n).WithSyntax(v)
	}
	if err := d.Check(t); err != nil {
		return d, err
	}
	return d, nil
}

// DatumFromJSONUnchecked decodes like DatumFromJSON but does not check
// counts or constraints (for mutation and condition arguments, which are
// checked differently).
func DatumFromJSONUnchecked(t *Type, v any, names NameResolver) (Datum, error) {
	if t.IsMap() {
		elems, ok := isTagged(v, jsonMap)
		if !ok {
			return Datum{}, NewError(ErrSyntax, "expected [\"map\", [...]]")
		}
		d := Datum{Keys: make([]Atom, 0, len(elems)), Values: make([]Atom, 0, len(elems))}
		for _, e := range elems {
			pair, ok := e.([]any)
			if !ok || len(pair) != pairLen {
				return Datum{}, NewError(ErrSyntax, "map element is not a [key, value] pair")
			}
			k, err := AtomFromJSON(&t.Key, pair[0], names)
			if err != nil {
				return Datum{}, err
			}
			val, err := AtomFromJSON(t.Value, pair[1], names)
			if err != nil {
				return Datum{}, err
			}
			d.Keys = append(d.Keys, k)
			d.Values = append(d.Values, val)
		}
		if d.sortUnique() {
			return Datum{}, NewError(ErrSyntax, "map contains duplicate key")
		}
		return d, nil
	}
	if elems, ok := isTagged(v, jsonSet); ok {
		d := Datum{Keys: make([]Atom, 0, len(elems))}
		for _, e := range elems {
			k, err := AtomFromJSON(&t.Key, e, names)
			if err != nil {
				return Datum{}, err
			}
			d.Keys = append(d.Keys, k)
		}
		if d.sortUnique() {
			return Datum{}, NewError(ErrSyntax, "set contains duplicate value")
		}
		return d, nil
	}
	k, err := AtomFromJSON(&t.Key, v, names)
	if err != nil {
		return Datum{}, err
	}
	return Datum{Keys: []Atom{k}}, nil
}

// AtomJSON returns the JSON value of an atom (uuids as ["uuid", "..."]).
func AtomJSON(a Atom) any {
	if u, ok := a.(UUID); ok {
		return []any{jsonUUID, string(u)}
	}
	return a
}

// JSON returns the JSON value of d as ovsdb-server encodes it: maps as
// ["map", ...], a one-element set as the bare atom, other sets as
// ["set", [...]].
func (d Datum) JSON() any {
	if d.Values != nil {
		pairs := make([]any, len(d.Keys))
		for i := range d.Keys {
			pairs[i] = []any{AtomJSON(d.Keys[i]), AtomJSON(d.Values[i])}
		}
		return []any{jsonMap, pairs}
	}
	if len(d.Keys) == 1 {
		return AtomJSON(d.Keys[0])
	}
	elems := make([]any, len(d.Keys))
	for i, k := range d.Keys {
		elems[i] = AtomJSON(k)
	}
	return []any{jsonSet, elems}
}
