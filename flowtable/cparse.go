package flowtable

import (
	"errors"
	"fmt"
)

// The helpers in this file reproduce the C library conversions that
// ovs-ofctl relies on (strtoull/strtoll with base 0, sscanf "%hhu"), so
// that inputs are accepted or refused exactly as OVS does.

var (
	errRange  = errors.New("out of range")
	errSyntax = errors.New("invalid syntax")
)

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// cStrtoull is strtoull: it returns the value, the number of bytes
// consumed (0 if no digits), and errRange on overflow. A leading '-'
// negates modulo 2^64, as in C.
func cStrtoull(s string, base int) (v uint64, n int, err error) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if (base == 0 || base == 16) && i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && digitVal(s[i+2]) < 16 {
		i += 2
		base = 16
	} else if base == 0 {
		if i < len(s) && s[i] == '0' {
			base = 8
		} else {
			base = 10
		}
	}
	start := i
	for i < len(s) {
		d := digitVal(s[i])
		if d >= base {
			break
		}
		if v > (^uint64(0)-uint64(d))/uint64(base) {
			err = errRange
		}
		v = v*uint64(base) + uint64(d)
		i++
	}
	if i == start {
		// "0x" with no hex digit parses the "0".
		return 0, 0, errSyntax
	}
	if err != nil {
		return ^uint64(0), i, err
	}
	if neg {
		v = -v
	}
	return v, i, nil
}

// cStrtoll is strtoll.
func cStrtoll(s string, base int) (int64, int, error) {
	j := 0
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	neg := j < len(s) && s[j] == '-'
	u, n, err := cStrtoull(s, base)
	if err == errSyntax {
		return 0, 0, err
	}
	if err == errRange {
		if neg {
			return -1 << 63, n, errRange
		}
		return 1<<63 - 1, n, errRange
	}
	if neg {
		m := -u // magnitude
		if m > 1<<63 {
			return -1 << 63, n, errRange
		}
		return -int64(m), n, nil
	}
	if u > 1<<63-1 {
		return 1<<63 - 1, n, errRange
	}
	return int64(u), n, nil
}

// cStrToInt is OVS str_to_int: the whole string must be a number that
// fits an int.
func cStrToInt(s string, base int) (int, bool) {
	v, n, err := cStrtoll(s, base)
	if err != nil || n != len(s) || v < -1<<31 || v > 1<<31-1 {
		return 0, false
	}
	return int(v), true
}

// cStrToUint is OVS str_to_uint (0..UINT_MAX, whole string).
func cStrToUint(s string, base int) (uint64, bool) {
	v, n, err := cStrtoll(s, base)
	if err != nil || n != len(s) || v < 0 || v > 1<<32-1 {
		return 0, false
	}
	return uint64(v), true
}

// strToU8 is OVS str_to_u8 (error "invalid NAME \"S\"").
func strToU8(s, name string) (uint8, error) {
	v, ok := cStrToInt(s, 0)
	if !ok || v < 0 || v > 255 {
		return 0, errorf("invalid %s \"%s\"", name, s)
	}
	return uint8(v), nil
}

// StrToU16 is OVS str_to_u16 (error "invalid NAME \"S\"").
func StrToU16(s, name string) (uint16, error) {
	v, ok := cStrToInt(s, 0)
	if !ok || v < 0 || v > 65535 {
		return 0, errorf("invalid %s \"%s\"", name, s)
	}
	return uint16(v), nil
}

// StrToU8 is OVS str_to_u8.
func StrToU8(s, name string) (uint8, error) { return strToU8(s, name) }

// StrToU32 is OVS str_to_u32.
func StrToU32(s string) (uint32, error) {
	if s == "" {
		return 0, errorf("missing required numeric argument")
	}
	v, n, err := cStrtoull(s, 0)
	if err != nil || n != len(s) {
		return 0, errorf("invalid numeric format %s", s)
	}
	return uint32(v), nil
}

// StrToU64 is OVS str_to_u64.
func StrToU64(s string) (uint64, error) {
	if s == "" {
		return 0, errorf("missing required numeric argument")
	}
	v, n, err := cStrtoull(s, 0)
	if err != nil || n != len(s) {
		return 0, errorf("invalid numeric format %s", s)
	}
	return v, nil
}

// ParseError is an error whose text is exactly what ovs-ofctl prints
// after "ovs-ofctl: ".
type ParseError struct{ Msg string }

func (e *ParseError) Error() string { return e.Msg }

func errorf(format string, args ...any) error {
	return &ParseError{Msg: fmt.Sprintf(format, args...)}
}

// parseIntString is OVS parse_int_string: "0x..." hex of any length that
// fits width bytes (leading zeros and embedded white space ignored), or a
// strtoull number. It writes the value right-aligned into out[:width] and
// returns the rest of the string.
func parseIntString(s string, out []byte, width int) (tail string, err error) {
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
		var hex [2 * maxFieldBytes]byte
		n := 0
		for {
			for len(s) > 0 && isSpace(s[0]) {
				s = s[1:]
			}
			if len(s) == 0 || digitVal(s[0]) >= 16 {
				break
			}
			h := byte(digitVal(s[0]))
			if h != 0 || n > 0 {
				if (n+2)/2 > width {
					return s, errRange
				}
				hex[n] = h
				n++
			}
			s = s[1:]
		}
		for i := range out[:width] {
			out[i] = 0
		}
		idx := width
		for i := n - 1; i >= 0; i -= 2 {
			idx--
			out[idx] = hex[i]
			if i > 0 {
				out[idx] += hex[i-1] << 4
			}
		}
		return s, nil
	}
	v, n, e := cStrtoull(s, 0)
	if e != nil {
		if e == errRange {
			return s[n:], errRange
		}
		return s, errSyntax
	}
	for i := width - 1; i >= 0; i-- {
		out[i] = byte(v)
		v >>= 8
	}
	if v != 0 {
		return s[n:], errRange
	}
	return s[n:], nil
}

// scanU8 reads an sscanf "%hhu": optional white space and sign, decimal
// digits, truncated to 8 bits. It returns the number of bytes consumed.
func scanU8(s string) (uint8, int, bool) {
	v, n, err := cStrtoull(s, 10)
	if err == errSyntax {
		return 0, 0, false
	}
	return uint8(v), n, true
}

// scanInt reads an sscanf "%d".
func scanInt(s string) (int, int, bool) {
	v, n, err := cStrtoll(s, 10)
	if err == errSyntax {
		return 0, 0, false
	}
	return int(int32(v)), n, true
}

// CStrtoll exposes strtoll semantics to sibling packages.
func CStrtoll(s string, base int) (int64, int, error) { return cStrtoll(s, base) }

// CStrToUint exposes OVS str_to_uint to sibling packages.
func CStrToUint(s string, base int) (uint64, bool) { return cStrToUint(s, base) }

// ParseIntString exposes OVS parse_int_string to sibling packages.
func ParseIntString(s string, out []byte, width int) (string, error) {
	return parseIntString(s, out, width)
}

// Errorf builds a ParseError (for sibling packages).
func Errorf(format string, args ...any) error { return errorf(format, args...) }
