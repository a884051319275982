package ofpact

import (
	"strconv"
	"strings"

	"govs/flowtable"
)

// Argument parsers of the individual actions.

func parseOutput(arg string, pp *ParseParams) (Action, error) {
	if strings.Contains(arg, "port") && strings.Contains(arg, "max_len") {
		return nil, errorf("%s: output with max_len (output_trunc) not supported by govs", arg)
	}
	if p, ok := flowtable.ParsePort(arg, pp.Ports); ok {
		o := &Output{Port: p}
		if p == flowtable.PortController {
			o.MaxLen = 0xffff
		}
		return o, nil
	}
	if _, err := ParseSubfield(arg); err == nil {
		return nil, errorf("%s: output to a field (output_reg) not supported by govs", arg)
	}
	return nil, errorf("%s: output to unknown port", arg)
}

func parseController(arg string) (Action, error) {
	const noMax = 0xffff
	reason, id, maxLen := ReasonAction, uint16(0), uint16(noMax)
	switch {
	case arg == "":
	case strings.Trim(arg, "0123456789") == "":
		v, err := flowtable.StrToU16(arg, "max_len")
		if err != nil {
			return nil, err
		}
		maxLen = v
	default:
		rest := arg
		for {
			name, value, r, ok := flowtable.NextKeyValue(rest)
			if !ok {
				break
			}
			rest = r
			switch name {
			case "reason":
				found := false
				for i, n := range reasonNames {
					if value == n {
						reason, found = Reason(i), true
					}
				}
				if !found {
					return nil, errorf("unknown reason \"%s\"", value)
				}
			case "max_len":
				v, err := flowtable.StrToU16(value, "max_len")
				if err != nil {
					return nil, err
				}
				maxLen = v
			case "id":
				v, err := flowtable.StrToU16(value, "id")
				if err != nil {
					return nil, err
				}
				id = v
			case "userdata", "pause", "meter_id":
				return nil, errorf("controller option \"%s\" not supported by govs", name)
			default:
				return nil, errorf("unknown key \"%s\" parsing controller action", name)
			}
		}
	}
	if reason == ReasonAction && id == 0 {
		return &Output{Port: flowtable.PortController, MaxLen: maxLen}, nil
	}
	return &Controller{MaxLen: maxLen, Reason: reason, ID: id}, nil
}

func parseEnqueue(arg string, pp *ParseParams) (Action, error) {
	// strtok_r(arg, ":q,") then the rest.
	isDelim := func(c byte) bool { return c == ':' || c == 'q' || c == ',' }
	i := 0
	for i < len(arg) && isDelim(arg[i]) {
		i++
	}
	j := i
	for j < len(arg) && !isDelim(arg[j]) {
		j++
	}
	port := arg[i:j]
	queue := ""
	hasQueue := false
	if j < len(arg) {
		queue, hasQueue = arg[j+1:], true
	}
	if port == "" || !hasQueue || queue == "" {
		return nil, errorf("\"enqueue\" syntax is \"enqueue:PORT:QUEUE\" or \"enqueue(PORT,QUEUE)\"")
	}
	p, ok := flowtable.ParsePort(port, pp.Ports)
	if !ok {
		return nil, errorf("%s: enqueue to unknown port", port)
	}
	q, err := flowtable.StrToU32(queue)
	if err != nil {
		return nil, err
	}
	return &Enqueue{Port: p, Queue: q}, nil
}

func parseVLANVID(arg string, push bool) (Action, error) {
	v, err := flowtable.StrToU16(arg, "VLAN VID")
	if err != nil {
		return nil, err
	}
	if v&^flowtable.VLANVIDMask != 0 {
		return nil, errorf("%s: not a valid VLAN VID", arg)
	}
	return &SetVLANVID{VID: v, PushIfNeeded: push}, nil
}

func parseVLANPCP(arg string, push bool) (Action, error) {
	v, err := flowtable.StrToU8(arg, "VLAN PCP")
	if err != nil {
		return nil, err
	}
	if v&^7 != 0 {
		return nil, errorf("%s: not a valid VLAN PCP", arg)
	}
	return &SetVLANPCP{PCP: v, PushIfNeeded: push}, nil
}

// splitArrow splits "VALUE->FIELD" (set_field_split_str).
func splitArrow(arg string) (value, key string, err error) {
	i := strings.Index(arg, "->")
	if i < 0 {
		return "", "", errorf("%s: missing `->'", arg)
	}
	if len(arg)-i <= 2 {
		return "", "", errorf("%s: missing field name following `->'", arg)
	}
	return arg[:i], arg[i+2:], nil
}

func parseSetField(arg string, pp *ParseParams, usable *flowtable.Protocols) (Action, error) {
	value, key, err := splitArrow(arg)
	if err != nil {
		return nil, err
	}
	if idx, ok := flowtable.TunMetadataIndex(key); ok {
		return parseSetTunMetadata(idx, key, value, usable)
	}
	f := flowtable.FieldByName(key)
	if f == nil {
		if e := flowtable.UnsupportedFieldError(key); e != nil {
			return nil, e
		}
		return nil, errorf("%s is not a valid OXM field name", key)
	}
	if !f.Writable {
		return nil, errorf("%s is read-only", key)
	}
	v, m, err := flowtable.ParseFieldValue(f, value, pp.Ports)
	if err != nil {
		return nil, err
	}
	if !valueValid(f, v) {
		return nil, errorf("%s is not a valid value for field %s", value, key)
	}
	*usable &= f.Exact
	return &SetField{Field: f, Value: andValue(v, m), Mask: m}, nil
}

// valueValid is mf_is_value_valid for the fields we support.
func valueValid(f *flowtable.Field, v flowtable.Value) bool {
	switch f {
	case flowtable.FieldInPort:
		return true
	case flowtable.FieldDLVLAN, flowtable.FieldVLANVID:
		return uint16(v[0])<<8|uint16(v[1]) <= 0x1fff && (f != flowtable.FieldDLVLAN || uint16(v[0])<<8|uint16(v[1]) <= flowtable.VLANVIDMask)
	case flowtable.FieldDLVLANPCP, flowtable.FieldVLANPCP:
		return v[0]&^7 == 0
	case flowtable.FieldIPDSCP:
		return v[0]&^0x3f == 0
	case flowtable.FieldNwTos:
		return v[0]&^flowtable.IPDSCPMask == 0
	case flowtable.FieldNwECN:
		return v[0]&^flowtable.IPECNMask == 0
	case flowtable.FieldIPv6Label:
		return v[0] == 0 && v[1]&0xf0 == 0
	}
	return true
}

func andValue(v, m flowtable.Value) (r flowtable.Value) {
	for i := range r {
		r[i] = v[i] & m[i]
	}
	return r
}

func parseLoad(arg string) (Action, error) {
	value, key, err := splitArrow(arg)
	if err != nil {
		return nil, err
	}
	dst, err := ParseSubfield(key)
	if err != nil {
		return nil, err
	}
	f := dst.Field
	var v flowtable.Value
	if _, e := flowtable.ParseIntString(value, v[:], f.Bytes); e != nil {
		return nil, errorf("%s: cannot parse integer value", arg)
	}
	if !bitsFit(v, f.Bytes, dst.NBits) {
		return nil, errorf("%s: value %s does not fit into %d bits", arg, formatFieldValue(f, v, nil), dst.NBits)
	}
	sf := &SetField{Field: f, Load: true}
	for i := 0; i < dst.NBits; i++ {
		if getBit(v, f.Bytes, i) {
			setBit(&sf.Value, f.Bytes, dst.Ofs+i)
		}
		setBit(&sf.Mask, f.Bytes, dst.Ofs+i)
	}
	return sf, nil
}

// bitsFit reports whether only the low n bits of v may be non-zero.
func bitsFit(v flowtable.Value, nBytes, n int) bool {
	for i := n; i < nBytes*8; i++ {
		if getBit(v, nBytes, i) {
			return false
		}
	}
	return true
}

// getBit returns bit i (0 = least significant) of an nBytes big-endian value.
func getBit(v flowtable.Value, nBytes, i int) bool {
	return v[nBytes-1-i/8]&(1<<uint(i%8)) != 0
}

func setBit(v *flowtable.Value, nBytes, i int) { v[nBytes-1-i/8] |= 1 << uint(i%8) }

func parseMove(arg string) (Action, error) {
	src, rest, err := parseSubfieldPrefix(arg)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(rest, "->") {
		return nil, errorf("%s: missing `->' following source", arg)
	}
	dst, err := ParseSubfield(rest[2:])
	if err != nil {
		return nil, err
	}
	if src.NBits != dst.NBits {
		return nil, errorf("%s: source field is %d bits wide but destination is %d bits wide", arg, src.NBits, dst.NBits)
	}
	return &RegMove{Src: src, Dst: dst}, nil
}

func parseDecTTL(arg string) (Action, error) {
	if arg == "" {
		return &DecTTL{IDs: []uint16{0}}, nil
	}
	d := &DecTTL{Explicit: true}
	for _, tok := range strings.FieldsFunc(arg, func(r rune) bool { return r == ',' || r == ' ' }) {
		v, _, _ := flowtable.CStrtoll(tok, 10)
		d.IDs = append(d.IDs, uint16(int32(v)))
	}
	if len(d.IDs) == 0 {
		return nil, errorf("dec_ttl_cnt_ids: expected at least one controller id.")
	}
	return d, nil
}

func parseTable(s string) (uint8, bool) {
	v, ok := flowtable.CStrToUint(s, 10)
	if !ok || v > 255 {
		return 0, false
	}
	return uint8(v), true
}

func parseResubmit(arg string, pp *ParseParams) (Action, error) {
	parts := strings.SplitN(arg, ",", 3)
	r := &Resubmit{InPort: flowtable.PortInPort, Table: 255}
	if parts[0] != "" {
		p, ok := flowtable.ParsePort(parts[0], pp.Ports)
		if !ok {
			return nil, errorf("%s: resubmit to unknown port", parts[0])
		}
		r.InPort = p
	}
	if len(parts) > 1 && parts[1] != "" {
		t, ok := parseTable(parts[1])
		if !ok {
			return nil, errorf("%s: resubmit to unknown table", parts[1])
		}
		r.Table = t
	}
	if len(parts) > 2 && parts[2] != "" {
		if parts[2] != "ct" {
			return nil, errorf("%s: unknown parameter", parts[2])
		}
		return nil, errorf("resubmit(...,ct) not supported by govs")
	}
	if r.InPort == flowtable.PortInPort && r.Table == 255 {
		return nil, errorf("at least one \"in_port\" or \"table\" must be specified on resubmit")
	}
	return r, nil
}

// parseHexBytes is ofpbuf_put_hex: pairs of hex digits, optionally
// separated by '.' or white space... as OVS: dots/whitespace between bytes.
func parseHexBytes(s string) ([]byte, bool) {
	var out []byte
	for {
		for len(s) > 0 && strings.IndexByte(" .\t\r\n", s[0]) >= 0 {
			s = s[1:]
		}
		if s == "" {
			return out, true
		}
		if len(s) < 2 {
			return nil, false
		}
		b, err := strconv.ParseUint(s[:2], 16, 8)
		if err != nil {
			return nil, false
		}
		out = append(out, byte(b))
		s = s[2:]
	}
}

func parseWriteMetadata(arg string) (Action, error) {
	wm := &WriteMetadata{Mask: ^uint64(0)}
	if i := strings.IndexByte(arg, '/'); i >= 0 {
		m, err := flowtable.StrToU64(arg[i+1:])
		if err != nil {
			return nil, err
		}
		wm.Mask = m
		arg = arg[:i]
	}
	v, err := flowtable.StrToU64(arg)
	if err != nil {
		return nil, err
	}
	wm.Value = v
	return wm, nil
}
