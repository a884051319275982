package flowtable

import "strings"

// NextKeyValue is OVS ofputil_parse_key_value: it skips white space and
// commas, reads a key ending at one of ":=(, \t\r\n", then a value ending
// at white space or a comma (after ':' or '='), or at the matching ')'
// (after '('), with the "(x)->y" special case. ok is false at the end.
func NextKeyValue(s string) (key, value, rest string, ok bool) {
	s = strings.TrimLeft(s, ", \t\r\n")
	if s == "" {
		return "", "", "", false
	}
	kl := strings.IndexAny(s, ":=(, \t\r\n")
	if kl < 0 {
		return s, "", "", true
	}
	key = s[:kl]
	delim := s[kl]
	s = s[kl+1:]
	var delims string
	switch delim {
	case ':', '=':
		delims = ", \t\r\n"
	case '(':
		delims = ")"
	default:
		return key, "", s, true
	}
	vl := parseValueLen(s, delims)
	if delim == '(' && vl < len(s) && s[vl] == ')' && strings.HasPrefix(s[vl+1:], "->") {
		vl += parseValueLen(s[vl:], ", \t\r\n")
	}
	value = s[:vl]
	if vl < len(s) {
		vl++
	}
	return key, value, s[vl:], true
}

// parseValueLen is OVS parse_value: the length up to a delimiter, with
// parenthesised groups skipped.
func parseValueLen(s string, delims string) int {
	n := 0
	for n < len(s) && strings.IndexByte(delims, s[n]) < 0 {
		if s[n] == '(' {
			level := 0
			for {
				if n >= len(s) {
					return n
				}
				switch s[n] {
				case '(':
					level++
				case ')':
					level--
				}
				n++
				if level <= 0 {
					break
				}
			}
		} else {
			n++
		}
	}
	return n
}
