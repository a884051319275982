package schema

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// UUID is a UUID in canonical lowercase text form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). Text order equals OVS's
// numeric uuid order because every field is fixed-width hex.
type UUID string

// ZeroUUID is the all-zeros UUID.
const ZeroUUID UUID = "00000000-0000-0000-0000-000000000000"

const (
	uuidLen      = 36
	uuidRandLen  = 16
	uuidVerByte  = 6
	uuidVarByte  = 8
	uuidVerMask  = 0x0f
	uuidVersion4 = 0x40
	uuidVarMask  = 0x3f
	uuidVariant  = 0x80
)

// NewUUID returns a random (version 4) UUID.
func NewUUID() UUID {
	var b [uuidRandLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("schema: crypto/rand failed: " + err.Error())
	}
	b[uuidVerByte] = b[uuidVerByte]&uuidVerMask | uuidVersion4
	b[uuidVarByte] = b[uuidVarByte]&uuidVarMask | uuidVariant
	h := hex.EncodeToString(b[:])
	return UUID(h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32])
}

// ParseUUID validates and canonicalises s.
func ParseUUID(s string) (UUID, error) {
	if len(s) != uuidLen {
		return "", fmt.Errorf("%q is not a valid UUID", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return "", fmt.Errorf("%q is not a valid UUID", s)
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return "", fmt.Errorf("%q is not a valid UUID", s)
			}
		}
	}
	return UUID(strings.ToLower(s)), nil
}

// Atom is one atomic value: int64, float64, bool, string or UUID.
type Atom = any

// CompareAtoms orders two atoms of the same type (-1, 0, +1). Atoms of
// different types order by type so the function is total.
func CompareAtoms(a, b Atom) int {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			return cmp3(x < y, x > y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmp3(x < y, x > y)
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmp3(!x && y, x && !y)
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case UUID:
		if y, ok := b.(UUID); ok {
			return strings.Compare(string(x), string(y))
		}
	}
	return cmp3(atomRank(a) < atomRank(b), atomRank(a) > atomRank(b))
}

func atomRank(a Atom) int {
	switch a.(type) {
	case int64:
		return int(TypeInteger)
	case float64:
		return int(TypeReal)
	case bool:
		return int(TypeBoolean)
	case string:
		return int(TypeString)
	case UUID:
		return int(TypeUUID)
	}
	return 0
}

func cmp3(less, greater bool) int {
	if less {
		return -1
	}
	if greater {
		return 1
	}
	return 0
}

// DefaultAtom returns the default atom of an atomic type (0, 0.0, false,
// "", all-zeros UUID).
func DefaultAtom(t AtomicType) Atom {
	switch t {
	case TypeInteger:
		return int64(0)
	case TypeReal:
		return float64(0)
	case TypeBoolean:
		return false
	case TypeString:
		return ""
	}
	return ZeroUUID
}

// CheckAtom checks an atom against the constraints of b and returns an
// *Error of kind "constraint violation" if it fails.
func (b *BaseType) CheckAtom(a Atom) error {
	if b.Enum != nil {
		for _, e := range b.Enum {
			if CompareAtoms(e, a) == 0 {
				return nil
			}
		}
		return NewError(ErrConstraint, "%s is not one of the allowed values ([%s])", AtomString(a), enumString(b.Enum))
	}
	switch x := a.(type) {
	case int64:
		if x < b.MinInteger || x > b.MaxInteger {
			switch {
			case b.MinInteger == math.MinInt64:
				return NewError(ErrConstraint, "%d is greater than maximum allowed value %d", x, b.MaxInteger)
			case b.MaxInteger == math.MaxInt64:
				return NewError(ErrConstraint, "%d is less than minimum allowed value %d", x, b.MinInteger)
			}
			return NewError(ErrConstraint, "%d is not in the valid range %d to %d (inclusive)", x, b.MinInteger, b.MaxInteger)
		}
	case float64:
		if x < b.MinReal || x > b.MaxReal {
			return NewError(ErrConstraint, "%g is not in the valid range %g to %g (inclusive)", x, b.MinReal, b.MaxReal)
		}
	case string:
		n := utf8.RuneCountInString(x)
		if n < b.MinLength {
			return NewError(ErrConstraint, "\"%s\" length %d is less than minimum allowed length %d", x, n, b.MinLength)
		}
		if b.MaxLength >= 0 && n > b.MaxLength {
			return NewError(ErrConstraint, "\"%s\" length %d is greater than maximum allowed length %d", x, n, b.MaxLength)
		}
	}
	return nil
}

func enumString(e []Atom) string {
	parts := make([]string, len(e))
	for i, a := range e {
		parts[i] = AtomString(a)
	}
	return strings.Join(parts, ", ")
}

// AtomString formats an atom the way ovsdb error messages do.
func AtomString(a Atom) string {
	switch x := a.(type) {
	case string:
		return x
	case UUID:
		return string(x)
	}
	return fmt.Sprint(a)
}
