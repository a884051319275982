package flowsyntax

import (
	"strings"

	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// Options control parsing.
type Options struct {
	// Ports resolves port names (nil: numbers and reserved names only).
	Ports *flowtable.PortMap
}

// protoShorthands are the ofp_parse_protocol keywords.
var protoShorthands = map[string]struct {
	dlType  uint16
	nwProto uint8
}{
	"ip": {flowtable.EthTypeIPv4, 0}, "ipv4": {flowtable.EthTypeIPv4, 0}, "ip4": {flowtable.EthTypeIPv4, 0},
	"arp":  {flowtable.EthTypeARP, 0},
	"icmp": {flowtable.EthTypeIPv4, flowtable.IPProtoICMP},
	"tcp":  {flowtable.EthTypeIPv4, flowtable.IPProtoTCP},
	"udp":  {flowtable.EthTypeIPv4, flowtable.IPProtoUDP},
	"sctp": {flowtable.EthTypeIPv4, flowtable.IPProtoSCTP},
	"ipv6": {flowtable.EthTypeIPv6, 0}, "ip6": {flowtable.EthTypeIPv6, 0},
	"icmp6": {flowtable.EthTypeIPv6, flowtable.IPProtoICMPv6},
	"tcp6":  {flowtable.EthTypeIPv6, flowtable.IPProtoTCP},
	"udp6":  {flowtable.EthTypeIPv6, flowtable.IPProtoUDP},
	"sctp6": {flowtable.EthTypeIPv6, flowtable.IPProtoSCTP},
	"rarp":  {flowtable.EthTypeRARP, 0},
}

// unsupportedShorthands are OVS protocol keywords govs cannot match.
var unsupportedShorthands = map[string]bool{"mpls": true, "mplsm": true}

func errorf(format string, args ...any) error { return flowtable.Errorf(format, args...) }

// ParseFlow parses ovs-ofctl flow syntax for the given command (add-flow,
// mod-flows, del-flows...; CmdStats for match-only strings) and returns
// the flow and the set of protocols able to express it. Error texts are
// exactly those of ovs-ofctl 3.1 (without the "ovs-ofctl: " prefix).
func ParseFlow(s string, cmd Command, opt *Options) (*FlowMod, flowtable.Protocols, error) {
	if opt == nil {
		opt = &Options{}
	}
	usable := flowtable.ProtoAny
	if cmd == CmdAuto {
		s = strings.TrimLeft(s, " \t\r\n")
		n := strings.IndexAny(s, ", \t\r\n")
		if n < 0 {
			n = len(s)
		}
		w := s[:n]
		switch {
		case strings.HasPrefix("add", w):
			cmd = CmdAdd
		case strings.HasPrefix("delete", w):
			cmd = CmdDelete
		case strings.HasPrefix("delete_strict", w):
			cmd = CmdDeleteStrict
		case strings.HasPrefix("modify", w):
			cmd = CmdModify
		case strings.HasPrefix("modify_strict", w):
			cmd = CmdModifyStrict
		default:
			cmd, n = CmdAdd, 0
		}
		s = s[n:]
	}
	const (
		fOutPort = 1 << iota
		fActions
		fImportance
		fTimeout
		fPriority
		fFlags
	)
	var fields int
	switch cmd {
	case CmdStats, CmdDelete:
		fields = fOutPort
	case CmdAdd:
		fields = fActions | fTimeout | fPriority | fFlags | fImportance
	case CmdDeleteStrict:
		fields = fOutPort | fPriority
	case CmdModify, CmdModifyStrict:
		fields = fActions | fTimeout | fPriority | fFlags
	default:
		return nil, 0, errorf("unknown flow command %d", cmd)
	}
	fm := &FlowMod{
		Command:  cmd,
		Priority: flowtable.DefaultPriority,
		Table:    TableAll,
		OutPort:  flowtable.PortNone,
		OutGroup: GroupAny,
	}
	if cmd == CmdModify || cmd == CmdModifyStrict {
		fm.NewCookie = CookieNoChange
	}
	var actStr string
	if fields&fActions != 0 {
		i := strings.Index(s, "action")
		if i < 0 {
			return nil, 0, errorf("must specify an action")
		}
		j := strings.IndexByte(s[i+1:], '=')
		if j < 0 {
			return nil, 0, errorf("must specify an action")
		}
		actStr = s[i+1+j+1:]
		s = s[:i]
	}
	m := &fm.Match
	rest := s
	for {
		name, value, r, ok := flowtable.NextKeyValue(rest)
		if !ok {
			break
		}
		rest = r
		if p, ok := protoShorthands[name]; ok {
			m.SetEthType(p.dlType)
			if p.nwProto != 0 {
				m.SetNwProto(p.nwProto)
			}
			continue
		}
		switch {
		case name == "eth":
			// packet_type=ethernet is the only packet type govs handles.
			continue
		case fields&fFlags != 0 && name == "send_flow_rem":
			fm.Flags |= FlagSendFlowRem
			continue
		case fields&fFlags != 0 && name == "check_overlap":
			fm.Flags |= FlagCheckOverlap
			continue
		case fields&fFlags != 0 && name == "reset_counts":
			fm.Flags |= FlagResetCounts
			usable &= flowtable.ProtoOF12Up
			continue
		case fields&fFlags != 0 && name == "no_packet_counts":
			fm.Flags |= FlagNoPacketCounts
			usable &= flowtable.ProtoOF13Up
			continue
		case fields&fFlags != 0 && name == "no_byte_counts":
			fm.Flags |= FlagNoByteCounts
			usable &= flowtable.ProtoOF13Up
			continue
		case name == "no_readonly_table" || name == "allow_hidden_fields":
			continue
		}
		if unsupportedShorthands[name] {
			return nil, 0, errorf("%s: protocol not supported by govs", name)
		}
		if idx, ok := flowtable.TunMetadataIndex(name); ok {
			v, mk, err := flowtable.ParseTunMetadataValue(name, value)
			if err != nil {
				return nil, 0, err
			}
			if err := m.SetTunMetadata(idx, v, mk); err != nil {
				return nil, 0, err
			}
			usable &= flowtable.ProtoNXMOXMAny
			continue
		}
		if f := flowtable.FieldByName(name); f != nil {
			if value == "" {
				value = "0/0"
			}
			v, mk, err := flowtable.ParseFieldValue(f, value, opt.Ports)
			if err != nil {
				return nil, 0, err
			}
			usable &= f.Set(m, v, mk)
			continue
		}
		if err := flowtable.UnsupportedFieldError(name); err != nil {
			return nil, 0, err
		}
		if strings.IndexByte(name, '[') >= 0 {
			p, err := parseSubfieldMatch(name, value, m)
			if err != nil {
				return nil, 0, err
			}
			usable &= p
			continue
		}
		if value == "" {
			return nil, 0, errorf("field %s missing value", name)
		}
		var err error
		switch {
		case name == "table":
			t, ok := parseTable(value)
			if !ok {
				return nil, 0, errorf("unknown table \"%s\"", value)
			}
			fm.Table = t
			if t != TableAll {
				usable &= flowtable.ProtoTID
			}
		case fields&fOutPort != 0 && name == "out_port":
			p, ok := flowtable.ParsePort(value, opt.Ports)
			if !ok {
				err = errorf("%s is not a valid OpenFlow port", value)
			}
			fm.OutPort = p
		case fields&fOutPort != 0 && name == "out_group":
			usable &= flowtable.ProtoOF11Up
			g, ok := parseGroup(value)
			if !ok {
				err = errorf("%s is not a valid OpenFlow group", value)
			}
			fm.OutGroup = g
		case fields&fPriority != 0 && name == "priority":
			fm.Priority, err = flowtable.StrToU16(value, name)
		case fields&fTimeout != 0 && name == "idle_timeout":
			fm.IdleTimeout, err = flowtable.StrToU16(value, name)
		case fields&fTimeout != 0 && name == "hard_timeout":
			fm.HardTimeout, err = flowtable.StrToU16(value, name)
		case fields&fImportance != 0 && name == "importance":
			fm.Importance, err = flowtable.StrToU16(value, name)
		case name == "cookie":
			err = parseCookie(fm, cmd, value, &usable)
		case name == "duration" || name == "n_packets" || name == "n_bytes" || name == "idle_age" || name == "hard_age":
			// Ignored so that dump-flows output can be fed back.
		default:
			err = errorf("unknown keyword %s", name)
		}
		if err != nil {
			return nil, 0, err
		}
	}
	if m.Key.EthType() == flowtable.EthTypeIPv6 {
		w := &m.Mask
		if w.NwProto() != 0 || w.NwTos() != 0 || w.TpSrc() != 0 || w.TpDst() != 0 {
			usable &= flowtable.ProtoNXMOXMAny
		}
	}
	if fm.CookieMask == 0 && fm.NewCookie == CookieNoChange && (cmd == CmdModify || cmd == CmdModifyStrict) {
		fm.NewCookie = 0
	}
	if fields&fActions != 0 {
		acts, au, err := ofpact.ParseInstructions(actStr, &ofpact.ParseParams{Ports: opt.Ports})
		if err != nil {
			return nil, 0, err
		}
		usable &= au
		cu, cerr := ofpact.Check(acts, m, fm.Table)
		usable &= cu
		if cerr == nil && usable == 0 {
			cerr = &ofpact.CheckError{Code: "OFPBAC_MATCH_INCONSISTENT"}
		}
		if cerr != nil {
			return nil, 0, errorf("actions are invalid with specified match (%s)", cerr.Error())
		}
		fm.Actions = acts
	}
	return fm, usable, nil
}

// ParseMatch parses a match-only string as dump-flows and del-flows take
// it (OVS parse_ofp_str with command -1).
func ParseMatch(s string, opt *Options) (*FlowMod, flowtable.Protocols, error) {
	return ParseFlow(s, CmdStats, opt)
}

func parseTable(s string) (uint8, bool) {
	v, ok := flowtable.CStrToUint(s, 10)
	if !ok || v > TableAll {
		return 0, false
	}
	return uint8(v), true
}

func parseGroup(s string) (uint32, bool) {
	switch strings.ToLower(s) {
	case "all":
		return 0xfffffffc, true
	case "any":
		return GroupAny, true
	}
	v, ok := flowtable.CStrToUint(s, 10)
	if !ok || v > 0xffffff00 {
		return 0, false
	}
	return uint32(v), true
}

func parseCookie(fm *FlowMod, cmd Command, value string, usable *flowtable.Protocols) error {
	if i := strings.IndexByte(value, '/'); i >= 0 {
		if cmd == CmdAdd {
			return errorf("flow additions cannot use a cookie mask")
		}
		c, err := flowtable.StrToU64(value[:i])
		if err != nil {
			return err
		}
		fm.Cookie = c
		mk, err := flowtable.StrToU64(value[i+1:])
		fm.CookieMask = mk
		if mk != 0 {
			*usable &= flowtable.ProtoNXMOF11Up
		}
		return err
	}
	if cmd != CmdAdd && cmd != CmdModify && cmd != CmdModifyStrict {
		return errorf("cannot set cookie (to match on a cookie, specify a mask, e.g. cookie=%s/-1)", value)
	}
	c, err := flowtable.StrToU64(value)
	fm.NewCookie = c
	fm.ModifyCookie = true
	return err
}

// parseSubfieldMatch handles "FIELD[a..b]=VALUE" match syntax.
func parseSubfieldMatch(name, value string, m *flowtable.Match) (flowtable.Protocols, error) {
	sf, err := ofpact.ParseSubfield(name)
	if err != nil {
		return 0, err
	}
	f := sf.Field
	var val flowtable.Value
	tail, e := flowtable.ParseIntString(value, val[:], f.Bytes)
	if e != nil || tail != "" {
		return 0, errorf("%s: cannot parse integer value: %s", name, value)
	}
	if !ofpact.BitsFit(val, f.Bytes, sf.NBits) {
		return 0, errorf("%s: value %s does not fit into %d bits", name, ofpact.FormatFieldValue(f, val, nil), sf.NBits)
	}
	v, mk := f.Get(m)
	for i := 0; i < sf.NBits; i++ {
		ofpact.PutBit(&v, f.Bytes, sf.Ofs+i, ofpact.GetBit(val, f.Bytes, i))
		ofpact.PutBit(&mk, f.Bytes, sf.Ofs+i, true)
	}
	return f.Set(m, v, mk), nil
}
