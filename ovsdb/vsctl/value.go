package vsctl

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"govs/ovsdb/schema"
)

// tokenDelims are the characters that end a token in ovs-vsctl's value
// syntax (ovsdb_token_is_delim).
const tokenDelims = ":=, []{}!<>"

// maxRangeSize bounds an integer range "a-b" (MAX_OVSDB_ATOM_RANGE_SIZE).
const maxRangeSize = 4096

// realDigits is DBL_DIG, the precision ovs-vsctl prints reals with.
const realDigits = 15

func isDelim(c byte) bool { return strings.IndexByte(tokenDelims, c) >= 0 }

// parseToken extracts one token from the front of s: up to the first
// unescaped, unquoted delimiter. A backslash escapes the next byte (and
// is dropped outside quotes); double quotes are kept in the token.
func parseToken(s string) (tok, rest string, err error) {
	var b strings.Builder
	inQuotes := false
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '\\' {
			if inQuotes {
				b.WriteByte('\\')
			}
			if i+1 >= len(s) {
				return "", s, fmt.Errorf("%s: backslash at end of argument", s)
			}
			b.WriteByte(s[i+1])
			i += 2
			continue
		}
		if !inQuotes && isDelim(c) {
			break
		}
		b.WriteByte(c)
		if c == '"' {
			inQuotes = !inQuotes
		}
		i++
	}
	if inQuotes {
		return "", s, fmt.Errorf("%s: quoted string extends past end of argument", s)
	}
	return b.String(), s[i:], nil
}

// symbolTable maps "@name" row ids to UUIDs for one transaction.
type symbolTable struct {
	syms  map[string]*symbol
	order []string
}

type symbol struct {
	uuid      schema.UUID
	created   bool
	strongRef bool
	weakRef   bool
}

func newSymbolTable() *symbolTable { return &symbolTable{syms: map[string]*symbol{}} }

func (st *symbolTable) get(name string) *symbol { return st.syms[name] }

func (st *symbolTable) insert(name string) *symbol {
	if s := st.syms[name]; s != nil {
		return s
	}
	s := &symbol{uuid: schema.NewUUID()}
	st.syms[name] = s
	st.order = append(st.order, name)
	return s
}

// parseInt parses a C strtoll-style decimal integer (leading white
// space and a sign allowed) that must use the whole string.
func parseInt(s string) (int64, bool) {
	t := skipSpaces(s)
	if t == "" || len(t) > 1 && (t[1] == '+' || t[1] == '-') {
		return 0, false
	}
	n, err := strconv.ParseInt(t, 10, 64)
	return n, err == nil
}

// parseRange parses "a-b" (str_to_llong_range).
func parseRange(s string) (int64, int64, bool) {
	t := skipSpaces(s)
	i := 0
	if i < len(t) && (t[i] == '-' || t[i] == '+') {
		i++
	}
	j := i
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == i || j >= len(t) || t[j] != '-' {
		return 0, 0, false
	}
	a, ok1 := parseInt(t[:j])
	b, ok2 := parseInt(t[j+1:])
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	return a, b, true
}

// parseAtom converts one token to an atom of type b and checks its
// constraints (ovsdb_atom_from_string). If allowRange, an integer may be
// a range "a-b": the extra atoms are returned in more.
func parseAtom(b *schema.BaseType, s string, st *symbolTable, allowRange bool) (schema.Atom, []schema.Atom, error) {
	var atom schema.Atom
	var more []schema.Atom
	switch b.Type {
	case schema.TypeInteger:
		if a, e, ok := parseRange(s); allowRange && ok {
			if e < a {
				return nil, nil, fmt.Errorf("\"%s\" is not a valid range. Range end cannot be before start.", s)
			}
			atom = a
			if err := checkAtom(b, a); err != nil {
				return nil, nil, err
			}
			if err := checkAtom(b, e); err != nil {
				return nil, nil, err
			}
			if uint64(e)-uint64(a) >= maxRangeSize {
				return nil, nil, fmt.Errorf("constraint violation: Range \"%d-%d\" is too big. Maximum allowed size is %d.", a, e, maxRangeSize)
			}
			for v := a + 1; v <= e && v > a; v++ {
				if b.Enum != nil {
					if err := checkAtom(b, v); err != nil {
						return nil, nil, err
					}
				}
				more = append(more, v)
			}
			return atom, more, nil
		}
		n, ok := parseInt(s)
		if !ok {
			return nil, nil, fmt.Errorf("\"%s\" is not a valid integer or range", s)
		}
		atom = n
	case schema.TypeReal:
		t := strings.TrimLeft(s, " \t\n\v\f\r")
		f, err := strconv.ParseFloat(t, 64)
		if err != nil && !(isRangeErr(err) && f == 0) || t == "" {
			return nil, nil, fmt.Errorf("\"%s\" is not a valid real number", s)
		}
		if f == 0 {
			f = 0
		}
		atom = f
	case schema.TypeBoolean:
		switch s {
		case "true", "yes", "on", "1":
			atom = true
		case "false", "no", "off", "0":
			atom = false
		default:
			return nil, nil, fmt.Errorf("\"%s\" is not a valid boolean (use \"true\" or \"false\")", s)
		}
	case schema.TypeString:
		switch {
		case s == "":
			return nil, nil, fmt.Errorf("An empty string is not valid as input; use \"\" to represent the empty string")
		case s[0] == '"':
			if len(s) < 2 || s[len(s)-1] != '"' {
				return nil, nil, fmt.Errorf("%s: missing quote at end of quoted string", s)
			}
			var str string
			if err := json.Unmarshal([]byte(s), &str); err != nil {
				return nil, nil, fmt.Errorf("%s: %s", s, jsonUnescapeError(err))
			}
			atom = str
		default:
			atom = s
		}
	case schema.TypeUUID:
		if strings.HasPrefix(s, "@") {
			if st == nil {
				return nil, nil, fmt.Errorf("\"%s\" is not a valid UUID", s)
			}
			sym := st.insert(s)
			if b.RefTable != "" {
				if b.RefType == schema.RefWeak {
					sym.weakRef = true
				} else {
					sym.strongRef = true
				}
			}
			atom = sym.uuid
		} else {
			u, err := schema.ParseUUID(s)
			if err != nil {
				return nil, nil, fmt.Errorf("\"%s\" is not a valid UUID", s)
			}
			atom = u
		}
	default:
		return nil, nil, fmt.Errorf("unsupported atomic type %v", b.Type)
	}
	if err := checkAtom(b, atom); err != nil {
		return nil, nil, err
	}
	return atom, more, nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func jsonUnescapeError(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// checkAtom applies b's constraints (not UUID references, which the
// server checks at commit) and formats errors as ovs-vsctl does.
func checkAtom(b *schema.BaseType, a schema.Atom) error {
	if b.Enum != nil {
		for _, e := range b.Enum {
			if schema.CompareAtoms(e, a) == 0 {
				return nil
			}
		}
		et := schema.Type{Key: *b, Min: 0, Max: schema.Unlimited}
		et.Key.Enum = nil
		return fmt.Errorf("constraint violation: %s is not one of the allowed values (%s)",
			atomString(a), datumString(schema.Datum{Keys: b.Enum}, &et))
	}
	switch x := a.(type) {
	case int64:
		if x >= b.MinInteger && x <= b.MaxInteger {
			return nil
		}
		switch {
		case b.MinInteger != math.MinInt64 && b.MaxInteger != math.MaxInt64:
			return fmt.Errorf("constraint violation: %d is not in the valid range %d to %d (inclusive)", x, b.MinInteger, b.MaxInteger)
		case b.MinInteger != math.MinInt64:
			return fmt.Errorf("constraint violation: %d is less than minimum allowed value %d", x, b.MinInteger)
		default:
			return fmt.Errorf("constraint violation: %d is greater than maximum allowed value %d", x, b.MaxInteger)
		}
	case float64:
		if x >= b.MinReal && x <= b.MaxReal {
			return nil
		}
		switch {
		case b.MinReal != -math.MaxFloat64 && b.MaxReal != math.MaxFloat64:
			return fmt.Errorf("constraint violation: %s is not in the valid range %s to %s (inclusive)", realString(x), realString(b.MinReal), realString(b.MaxReal))
		case b.MinReal != -math.MaxFloat64:
			return fmt.Errorf("constraint violation: %s is less than minimum allowed value %s", realString(x), realString(b.MinReal))
		default:
			return fmt.Errorf("constraint violation: %s is greater than maximum allowed value %s", realString(x), realString(b.MaxReal))
		}
	case string:
		if !utf8.ValidString(x) {
			return fmt.Errorf("constraint violation: not a valid UTF-8 string: %s", invalidUTF8(x))
		}
		n := utf8.RuneCountInString(x)
		if n < b.MinLength {
			return fmt.Errorf("constraint violation: \"%s\" length %d is less than minimum allowed length %d", x, n, b.MinLength)
		}
		if b.MaxLength >= 0 && n > b.MaxLength {
			return fmt.Errorf("constraint violation: \"%s\" length %d is greater than maximum allowed length %d", x, n, b.MaxLength)
		}
	}
	return nil
}

func skipSpaces(s string) string { return strings.TrimLeft(s, " \t\n\v\f\r") }

// parseDatum parses a set or map in ovs-vsctl syntax
// (ovsdb_datum_from_string): atoms or key=value pairs separated by
// commas or spaces, optionally enclosed in [] or {}.
func parseDatum(t *schema.Type, s string, st *symbolTable) (schema.Datum, error) {
	isMap := t.IsMap()
	var d schema.Datum
	d.Keys = []schema.Atom{}
	if isMap {
		d.Values = []schema.Atom{}
	}
	open, closeDelim := byte('['), byte(']')
	if isMap {
		open, closeDelim = '{', '}'
	}
	p := skipSpaces(s)
	var end byte
	switch {
	case len(p) > 0 && p[0] == open:
		end = closeDelim
		p = skipSpaces(p[1:])
	case p == "":
		if isMap {
			return schema.Datum{}, fmt.Errorf("use \"{}\" to specify the empty map")
		}
		return schema.Datum{}, fmt.Errorf("use \"[]\" to specify the empty set")
	}
	for len(p) > 0 && p[0] != end {
		if isDelim(p[0]) {
			return schema.Datum{}, fmt.Errorf("%s: unexpected \"%c\" parsing %s", s, p[0], t.English())
		}
		start := p
		tok, rest, err := parseToken(p)
		if err != nil {
			return schema.Datum{}, err
		}
		k, more, err := parseAtom(&t.Key, tok, st, true)
		if err != nil {
			return schema.Datum{}, err
		}
		p = rest
		var v schema.Atom
		if isMap {
			p = skipSpaces(p)
			if len(p) == 0 || p[0] != '=' {
				if len(p) == 0 {
					// C formats the NUL with %c, which ends the message.
					return schema.Datum{}, fmt.Errorf("%s: syntax error at \"", start)
				}
				return schema.Datum{}, fmt.Errorf("%s: syntax error at \"%c\" expecting \"=\"", start, p[0])
			}
			p = skipSpaces(p[1:])
			vt, rest, err := parseToken(p)
			if err != nil {
				return schema.Datum{}, err
			}
			v, _, err = parseAtom(t.Value, vt, st, false)
			if err != nil {
				return schema.Datum{}, err
			}
			p = rest
		}
		for _, a := range append([]schema.Atom{k}, more...) {
			d.Keys = append(d.Keys, a)
			if isMap {
				d.Values = append(d.Values, v)
			}
		}
		p = skipSpaces(p)
		if len(p) > 0 && p[0] == ',' {
			p = skipSpaces(p[1:])
		}
	}
	if end != 0 && (len(p) == 0 || p[0] != end) || end == 0 && len(p) > 0 {
		if end == 0 {
			// C formats the NUL with %c, which ends the message.
			return schema.Datum{}, fmt.Errorf("%s: missing \"", s)
		}
		return schema.Datum{}, fmt.Errorf("%s: missing \"%c\" at end of data", s, end)
	}
	if end != 0 {
		if rest := skipSpaces(p[1:]); rest != "" {
			return schema.Datum{}, fmt.Errorf("%s: trailing garbage after \"%c\"", s, end)
		}
	}
	kind := "value(s)"
	if isMap {
		kind = "pair(s)"
	}
	if n := len(d.Keys); n < t.Min {
		return schema.Datum{}, fmt.Errorf("%s: %d %s specified but the minimum number is %d", s, n, kind, t.Min)
	} else if n > t.Max {
		return schema.Datum{}, fmt.Errorf("%s: %d %s specified but the maximum number is %d", s, n, kind, t.Max)
	}
	if !sortDatum(&d) {
		if isMap {
			return schema.Datum{}, fmt.Errorf("%s: map contains duplicate key", s)
		}
		return schema.Datum{}, fmt.Errorf("%s: set contains duplicate value", s)
	}
	return d, nil
}

// sortDatum sorts d by key; it reports false if two keys are equal.
func sortDatum(d *schema.Datum) bool {
	idx := make([]int, len(d.Keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return schema.CompareAtoms(d.Keys[idx[a]], d.Keys[idx[b]]) < 0 })
	keys := make([]schema.Atom, len(d.Keys))
	var vals []schema.Atom
	if d.Values != nil {
		vals = make([]schema.Atom, len(d.Keys))
	}
	for n, i := range idx {
		keys[n] = d.Keys[i]
		if vals != nil {
			vals[n] = d.Values[i]
		}
	}
	d.Keys, d.Values = keys, vals
	for i := 1; i < len(keys); i++ {
		if schema.CompareAtoms(keys[i-1], keys[i]) == 0 {
			return false
		}
	}
	return true
}

// needsQuotes reports whether a string atom must be printed as a JSON
// string (string_needs_quotes).
func needsQuotes(s string) bool {
	if s == "" {
		return true
	}
	c := s[0]
	if !isAlpha(c) && c != '_' {
		return true
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.' {
			return true
		}
	}
	if s == "true" || s == "false" {
		return true
	}
	if _, err := schema.ParseUUID(s); err == nil {
		return true
	}
	return false
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// jsonString encodes s as OVS's JSON writer does: escapes '"', '\\' and
// control characters, everything else verbatim.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// realString formats a real as C's "%.15g".
func realString(f float64) string {
	s := strconv.FormatFloat(f, 'g', realDigits, 64)
	// C prints at least two exponent digits, as Go does; Go omits
	// trailing zeros only with precision -1, so trim them like %g.
	if i := strings.IndexAny(s, "e"); i >= 0 {
		mant, exp := s[:i], s[i:]
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		return mant + exp
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// atomString formats an atom as ovsdb_atom_to_string.
func atomString(a schema.Atom) string {
	switch x := a.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return realString(x)
	case bool:
		return strconv.FormatBool(x)
	case string:
		if needsQuotes(x) {
			return jsonString(x)
		}
		return x
	case schema.UUID:
		return string(x)
	}
	return fmt.Sprint(a)
}

// atomBare formats an atom as ovsdb_atom_to_bare (strings unquoted).
func atomBare(a schema.Atom) string {
	if s, ok := a.(string); ok {
		return s
	}
	return atomString(a)
}

// datumString formats d as ovsdb_datum_to_string.
func datumString(d schema.Datum, t *schema.Type) string {
	var b strings.Builder
	brackets := t.Max > 1 || len(d.Keys) == 0
	if brackets {
		if t.IsMap() {
			b.WriteByte('{')
		} else {
			b.WriteByte('[')
		}
	}
	for i, k := range d.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(atomString(k))
		if t.IsMap() && i < len(d.Values) {
			b.WriteByte('=')
			b.WriteString(atomString(d.Values[i]))
		}
	}
	if brackets {
		if t.IsMap() {
			b.WriteByte('}')
		} else {
			b.WriteByte(']')
		}
	}
	return b.String()
}

// datumBare formats d as ovsdb_datum_to_bare.
func datumBare(d schema.Datum, t *schema.Type) string {
	var b strings.Builder
	for i, k := range d.Keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(atomBare(k))
		if t.IsMap() && i < len(d.Values) {
			b.WriteByte('=')
			b.WriteString(atomBare(d.Values[i]))
		}
	}
	return b.String()
}

// invalidUTF8 describes the first bad sequence like OVS's utf8_validate.
func invalidUTF8(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return fmt.Sprintf("invalid UTF-8 sequence 0x%02x", s[i])
		}
		i += n
	}
	return "invalid UTF-8"
}
