package flowtable

import "strings"

// tcpFlagNames maps TCP flag bits (bit i) to their OVS names.
var tcpFlagNames = [...]string{"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns", "[200]", "[400]", "[800]"}

func tcpFlagName(bit uint32) string {
	for i := range tcpFlagNames {
		if bit == 1<<uint(i) {
			return tcpFlagNames[i]
		}
	}
	return ""
}

// ParseFieldValue parses s as a value (and optional mask) of f, with the
// same syntax and error messages as OVS mf_parse. "*" means wildcard.
func ParseFieldValue(f *Field, s string, pm *PortMap) (v, mask Value, err error) {
	if s == "*" {
		return v, mask, nil
	}
	switch f.Kind {
	case KindDecimal, KindHex:
		v, mask, err = parseIntegerField(f, s)
	case KindEthernet:
		var a, m [6]byte
		a, m, err = parseMACMasked(s)
		v, mask = pMAC(a), pMAC(m)
	case KindIPv4:
		var a, m uint32
		a, m, err = ParseIPv4Masked(s)
		v, mask = pU32(a), pU32(m)
	case KindIPv6:
		var a, m [16]byte
		a, m, err = ParseIPv6Masked(s)
		v, mask = pIPv6(a), pIPv6(m)
	case KindOFPort:
		p, ok := ParsePort(s, pm)
		if !ok {
			return v, mask, errorf("%s: invalid or unknown port for %s", s, f.Name)
		}
		v, mask = pU16(uint16(p)), pU16(0xffff)
	case KindFrag:
		v, mask, err = parseFrag(s)
	case KindTCPFlags:
		var fl, m uint32
		fl, m, err = parseFlagsMasked(s, TCPFlagsMask, "TCP")
		v, mask = pU16(uint16(fl)), pU16(uint16(m))
	case KindTunFlags:
		var fl, m uint32
		fl, m, err = parseFlagsMaskedNames(s, TunFlagOAM, "tunnel", tunFlagNames[:])
		v, mask = pU16(uint16(fl)), pU16(uint16(m))
	}
	if err != nil {
		return v, mask, err
	}
	if !f.Maskable && !isAllOnes(mask[:f.Bytes]) && !isAllZeros(mask[:f.Bytes]) {
		return v, mask, errorf("%s: invalid mask for field %s", s, f.Name)
	}
	return v, mask, nil
}

func parseIntegerField(f *Field, s string) (v, mask Value, err error) {
	errStr := "value"
	tail, e := parseIntString(s, v[:], f.Bytes)
	if e == nil && tail != "" && tail[0] != '/' {
		e = errSyntax
	}
	if e == nil {
		if tail != "" {
			errStr = "mask"
			var t2 string
			t2, e = parseIntString(tail[1:], mask[:], f.Bytes)
			if e == nil && t2 != "" {
				e = errSyntax
			}
		} else {
			for i := 0; i < f.Bytes; i++ {
				mask[i] = 0xff
			}
		}
	}
	if e != nil {
		if e == errRange {
			return v, mask, errorf("%s: %s too large for %d-byte field %s", s, errStr, f.Bytes, f.Name)
		}
		return v, mask, errorf("%s: bad syntax for %s %s", s, f.Name, errStr)
	}
	return v, mask, nil
}

var fragNames = [...]struct {
	name        string
	mask, value uint8
}{
	{"no", 3, 0}, {"first", 3, 1}, {"later", 3, 3},
	{"no", 1, 0}, {"yes", 1, 1},
	{"not_later", 2, 0}, {"later", 2, 2},
}

func parseFrag(s string) (v, mask Value, err error) {
	for _, h := range fragNames {
		if strings.EqualFold(s, h.name) {
			return pU8(h.value), pU8(h.mask | ^uint8(fragMask)), nil
		}
	}
	return v, mask, errorf("%s: unknown fragment type (valid types are \"no\", \"yes\", \"first\", \"later\", \"not_later\"", s)
}

// parseFlagsMasked is OVS parse_flags with a mask (tcp_flags syntax:
// "0x2/0x12", "+syn-ack", "syn|ack", numbers).
func parseFlagsMasked(s string, allowed uint32, fieldName string) (flags, mask uint32, err error) {
	return parseFlagsMaskedNames(s, allowed, fieldName, tcpFlagNames[:])
}

// tunFlagNames are the public tunnel flags by bit (flow_tun_flag_to_string).
var tunFlagNames = [...]string{"oam"}

// parseFlagsMaskedNames is parseFlagsMasked with the flag names by bit.
func parseFlagsMaskedNames(s string, allowed uint32, fieldName string, flagNames []string) (flags, mask uint32, err error) {
	unknown := func(at string) error { return errorf("%s: unknown %s flag(s)", at, fieldName) }
	// Numeric "%i/%i".
	if a, n, e := cStrtoll(s, 0); e != errSyntax && n < len(s) && s[n] == '/' {
		if b, k, e2 := cStrtoll(s[n+1:], 0); e2 != errSyntax {
			fl, mk := uint32(a), uint32(b)
			if fl&^allowed != 0 || mk&^allowed != 0 {
				return 0, 0, unknown(s)
			}
			_ = k
			return fl, mk, nil
		}
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		for s != "" {
			set := s[0] == '+'
			if s[0] != '+' && s[0] != '-' {
				return 0, 0, errorf("%s: %s must be preceded by '+' (for SET) or '-' (NOT SET)", s, fieldName)
			}
			s = s[1:]
			found := false
			for i, name := range flagNames {
				bit := uint32(1) << uint(i)
				if !strings.HasPrefix(s, name) {
					continue
				}
				if r := s[len(name):]; r != "" && r[0] != '+' && r[0] != '-' {
					continue
				}
				if mask&bit != 0 {
					return 0, 0, errorf("%s: Each %s flag can be specified only once", s, fieldName)
				}
				if bit&allowed == 0 {
					return 0, 0, unknown(s)
				}
				if set {
					flags |= bit
				}
				mask |= bit
				s = s[len(name):]
				found = true
				break
			}
			if !found {
				return 0, 0, unknown(s)
			}
		}
		return flags, mask, nil
	}
	orig := s
	for s != "" {
		if x, n, e := cStrtoll(s, 0); e != errSyntax {
			if uint64(x)&^uint64(allowed) != 0 {
				return 0, 0, unknown(orig)
			}
			flags |= uint32(x)
			s = s[n:]
			if s != "" && s[0] == '|' {
				s = s[1:]
			}
			continue
		}
		found := false
		for i, name := range flagNames {
			if strings.HasPrefix(s, name) && (len(s) == len(name) || s[len(name)] == '|') {
				flags |= 1 << uint(i)
				s = s[len(name):]
				if s != "" {
					s = s[1:]
				}
				found = true
				break
			}
		}
		if !found {
			return 0, 0, unknown(orig)
		}
	}
	return flags, ^uint32(0), nil
}
