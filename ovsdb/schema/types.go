package schema

import (
	"encoding/json"
	"fmt"
	"math"
)

// AtomicType is one of the five OVSDB atomic types.
type AtomicType int

// The atomic types.
const (
	TypeInteger AtomicType = iota + 1
	TypeReal
	TypeBoolean
	TypeString
	TypeUUID
)

// String returns the schema spelling of t.
func (t AtomicType) String() string {
	switch t {
	case TypeInteger:
		return "integer"
	case TypeReal:
		return "real"
	case TypeBoolean:
		return "boolean"
	case TypeString:
		return "string"
	case TypeUUID:
		return "uuid"
	}
	return "unknown"
}

func parseAtomicType(s string) (AtomicType, error) {
	for t := TypeInteger; t <= TypeUUID; t++ {
		if t.String() == s {
			return t, nil
		}
	}
	return 0, fmt.Errorf("schema: unknown atomic type %q", s)
}

// Reference types for uuid columns with a refTable.
const (
	RefStrong = "strong"
	RefWeak   = "weak"
)

// Unlimited is Type.Max for "max": "unlimited".
const Unlimited = math.MaxInt32

// BaseType is the type of a key or value: an atomic type plus constraints.
type BaseType struct {
	Type AtomicType
	// Enum, if non-nil, lists the only allowed atoms (sorted, unique).
	Enum []Atom
	// Integer and real ranges (inclusive); unset bounds are the extremes.
	MinInteger, MaxInteger int64
	MinReal, MaxReal       float64
	// String length bounds in UTF-8 code points; MaxLength < 0 means none.
	MinLength, MaxLength int
	// RefTable and RefType apply to uuid atoms.
	RefTable string
	RefType  string
}

// Type is a column type: a key, an optional value (maps) and set bounds.
type Type struct {
	Key   BaseType
	Value *BaseType
	Min   int
	Max   int // Unlimited for "unlimited"
}

// IsMap reports whether t is a map type.
func (t *Type) IsMap() bool { return t.Value != nil }

// IsScalar reports whether t holds exactly one atom (min = max = 1).
func (t *Type) IsScalar() bool { return t.Min == 1 && t.Max == 1 && t.Value == nil }

// IsComposite reports whether t may hold more than one element.
func (t *Type) IsComposite() bool { return t.Max > 1 }

// IsOptional reports whether t is a set of zero or one atom (max 1).
func (t *Type) IsOptional() bool { return t.Min == 0 && t.Max == 1 }

func newBase(at AtomicType) BaseType {
	return BaseType{
		Type:       at,
		MinInteger: math.MinInt64, MaxInteger: math.MaxInt64,
		MinReal: -math.MaxFloat64, MaxReal: math.MaxFloat64,
		MaxLength: -1,
	}
}

// parseBase parses a <base-type> (a string or an object).
func parseBase(v any) (BaseType, error) {
	if s, ok := v.(string); ok {
		at, err := parseAtomicType(s)
		if err != nil {
			return BaseType{}, err
		}
		return newBase(at), nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return BaseType{}, fmt.Errorf("schema: base type must be a string or object")
	}
	ts, ok := obj["type"].(string)
	if !ok {
		return BaseType{}, fmt.Errorf("schema: base type lacks \"type\"")
	}
	at, err := parseAtomicType(ts)
	if err != nil {
		return BaseType{}, err
	}
	b := newBase(at)
	for k, val := range obj {
		switch k {
		case "type":
		case "enum":
			// Enum atoms are parsed after the other constraints.
		case "minInteger", "maxInteger":
			n, err := jsonInt(val)
			if err != nil || at != TypeInteger {
				return b, fmt.Errorf("schema: bad %s", k)
			}
			if k == "minInteger" {
				b.MinInteger = n
			} else {
				b.MaxInteger = n
			}
		case "minReal", "maxReal":
			f, err := jsonReal(val)
			if err != nil || at != TypeReal {
				return b, fmt.Errorf("schema: bad %s", k)
			}
			if k == "minReal" {
				b.MinReal = f
			} else {
				b.MaxReal = f
			}
		case "minLength", "maxLength":
			n, err := jsonInt(val)
			if err != nil || at != TypeString || n < 0 || n > math.MaxInt32 {
				return b, fmt.Errorf("schema: bad %s", k)
			}
			if k == "minLength" {
				b.MinLength = int(n)
			} else {
				b.MaxLength = int(n)
			}
		case "refTable":
			s, ok := val.(string)
			if !ok || at != TypeUUID {
				return b, fmt.Errorf("schema: bad refTable")
			}
			b.RefTable = s
			if b.RefType == "" {
				b.RefType = RefStrong
			}
		case "refType":
			s, ok := val.(string)
			if !ok || (s != RefStrong && s != RefWeak) {
				return b, fmt.Errorf("schema: bad refType")
			}
			b.RefType = s
		default:
			return b, fmt.Errorf("schema: unknown base type member %q", k)
		}
	}
	if b.RefTable == "" {
		b.RefType = ""
	}
	if ev, ok := obj["enum"]; ok {
		et := Type{Key: newBase(at), Min: 0, Max: Unlimited}
		d, err := DatumFromJSON(&et, ev, nil)
		if err != nil {
			return b, fmt.Errorf("schema: bad enum: %v", err)
		}
		b.Enum = d.Keys
	}
	return b, nil
}

// parseType parses a column <type>.
func parseType(v any) (Type, error) {
	if _, ok := v.(string); ok {
		k, err := parseBase(v)
		return Type{Key: k, Min: 1, Max: 1}, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return Type{}, fmt.Errorf("schema: type must be a string or object")
	}
	kv, ok := obj["key"]
	if !ok {
		return Type{}, fmt.Errorf("schema: type lacks \"key\"")
	}
	k, err := parseBase(kv)
	if err != nil {
		return Type{}, err
	}
	t := Type{Key: k, Min: 1, Max: 1}
	if vv, ok := obj["value"]; ok {
		vb, err := parseBase(vv)
		if err != nil {
			return t, err
		}
		t.Value = &vb
	}
	if mv, ok := obj["min"]; ok {
		n, err := jsonInt(mv)
		if err != nil || n < 0 || n > 1 {
			return t, fmt.Errorf("schema: min must be 0 or 1")
		}
		t.Min = int(n)
	}
	if mv, ok := obj["max"]; ok {
		if s, ok := mv.(string); ok && s == "unlimited" {
			t.Max = Unlimited
		} else {
			n, err := jsonInt(mv)
			if err != nil || n < 1 || n > Unlimited {
				return t, fmt.Errorf("schema: bad max")
			}
			t.Max = int(n)
		}
	}
	if t.Min > t.Max {
		return t, fmt.Errorf("schema: min greater than max")
	}
	for k := range obj {
		switch k {
		case "key", "value", "min", "max":
		default:
			return t, fmt.Errorf("schema: unknown type member %q", k)
		}
	}
	return t, nil
}

func jsonInt(v any) (int64, error) {
	switch n := v.(type) {
	case json.Number:
		return n.Int64()
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, fmt.Errorf("not an integer")
		}
		return int64(n), nil
	}
	return 0, fmt.Errorf("not an integer")
}

func jsonReal(v any) (float64, error) {
	switch n := v.(type) {
	case json.Number:
		return n.Float64()
	case float64:
		return n, nil
	}
	return 0, fmt.Errorf("not a number")
}

// English describes t the way ovsdb-server's error messages do
// (ovsdb_type_to_english), e.g. "set of up to 4096 integers".
func (t *Type) English() string {
	key := t.Key.Type.String()
	if t.IsScalar() {
		return key
	}
	s := "set"
	if t.IsMap() {
		s = "map"
	}
	switch {
	case t.Max == Unlimited && t.Min > 0:
		s += fmt.Sprintf(" of %d or more", t.Min)
	case t.Max == Unlimited:
		s += " of"
	case t.Min > 0:
		s += fmt.Sprintf(" of %d to %d", t.Min, t.Max)
	default:
		s += fmt.Sprintf(" of up to %d", t.Max)
	}
	if t.IsMap() {
		return s + fmt.Sprintf(" (%s, %s) pairs", key, t.Value.Type)
	}
	return s + " " + key + "s"
}
