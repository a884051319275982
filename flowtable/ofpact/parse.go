package ofpact

import (
	"fmt"
	"strings"

	"govs/flowtable"
)

// maxParseDepth bounds nesting of write_actions(...) (MAX_OFPACT_PARSE_DEPTH).
const maxParseDepth = 100

// maxActionsLen bounds the encoded size, as OVS's "input too big" check;
// we bound the number of actions instead.
const maxActions = 4096

// ParseParams controls action parsing.
type ParseParams struct {
	Ports *flowtable.PortMap // port names; nil: numbers and reserved names only
	depth int
}

// errorf builds a parse error whose text is what ovs-ofctl prints.
func errorf(format string, args ...any) error {
	return &flowtable.ParseError{Msg: fmt.Sprintf(format, args...)}
}

// unsupportedActions are OVS 3.1 action names that govs does not implement.
var unsupportedActions = map[string]bool{
	"group": true, "output_reg": true, "bundle": true, "bundle_load": true,
	"push": true, "pop": true, "set_mpls_label": true, "set_mpls_tc": true,
	"set_mpls_ttl": true, "dec_mpls_ttl": true, "push_mpls": true, "pop_mpls": true,
	"dec_nsh_ttl": true, "delete_field": true, "encap": true, "decap": true,
	"set_queue": true, "pop_queue": true, "fin_timeout": true, "learn": true,
	"conjunction": true, "multipath": true, "exit": true, "sample": true,
	"unroll_xlate": true, "ct": true, "ct_clear": true, "nat": true,
	"output_trunc": true, "clone": true, "debug_recirc": true, "debug_slow": true,
	"meter": true, "check_pkt_larger": true,
}

// ParseInstructions parses an ovs-ofctl "actions=" string (actions and
// OpenFlow 1.1+ instructions) and returns the actions and the protocols
// that can express them. Errors carry ovs-ofctl's message text.
func ParseInstructions(s string, pp *ParseParams) ([]Action, flowtable.Protocols, error) {
	if pp == nil {
		pp = &ParseParams{}
	}
	usable := flowtable.ProtoAny
	acts, err := parseActions(s, pp, true, false, &usable)
	if err != nil {
		return nil, 0, err
	}
	return acts, usable, nil
}

func parseActions(s string, pp *ParseParams, allowInst, nestedWrite bool, usable *flowtable.Protocols) ([]Action, error) {
	if pp.depth >= maxParseDepth {
		return nil, errorf("Action nested too deeply")
	}
	pp.depth++
	defer func() { pp.depth-- }()
	var acts []Action
	drop := false
	rest := s
	for {
		key, value, r, ok := flowtable.NextKeyValue(rest)
		if !ok {
			break
		}
		rest = r
		a, isDrop, err := parseOne(key, value, pp, usable)
		if err != nil {
			return nil, err
		}
		if isDrop {
			drop = true
		}
		acts = append(acts, a...)
		if len(acts) > maxActions {
			return nil, errorf("input too big")
		}
	}
	if drop && len(acts) > 0 {
		return nil, errorf("\"drop\" must not be accompanied by any other action or instruction")
	}
	if err := verify(acts, allowInst, nestedWrite); err != nil {
		return nil, err
	}
	return acts, nil
}

func verify(acts []Action, allowInst, nestedWrite bool) error {
	inst := instApply
	for i, a := range acts {
		if nestedWrite {
			if _, ok := a.(*WriteActions); ok {
				return errorf("write_actions action not allowed inside write_actions")
			}
		}
		next := instructionOf(a)
		if i > 0 && (inst == instApply && next < inst || inst != instApply && next <= inst) {
			if next == inst {
				return errorf("duplicate %s instruction not allowed, for OpenFlow 1.1+ compatibility", instNames[inst])
			}
			return errorf("invalid instruction ordering: %s must appear before %s, for OpenFlow 1.1+ compatibility", instNames[next], instNames[inst])
		}
		if !allowInst && next != instApply {
			return errorf("%s instruction not allowed here", instNames[next])
		}
		inst = next
	}
	return nil
}

// parseOne parses one key[=:(]value action. It may return several actions
// (none for "drop").
func parseOne(key, value string, pp *ParseParams, usable *flowtable.Protocols) ([]Action, bool, error) {
	one := func(a Action, err error) ([]Action, bool, error) {
		if err != nil {
			return nil, false, err
		}
		return []Action{a}, false, nil
	}
	switch strings.ToLower(key) {
	case "output":
		return one(parseOutput(value, pp))
	case "controller":
		return one(parseController(value))
	case "enqueue":
		return one(parseEnqueue(value, pp))
	case "set_vlan_vid":
		return one(parseVLANVID(value, false))
	case "mod_vlan_vid":
		return one(parseVLANVID(value, true))
	case "set_vlan_pcp":
		return one(parseVLANPCP(value, false))
	case "mod_vlan_pcp":
		return one(parseVLANPCP(value, true))
	case "strip_vlan":
		return one(&StripVLAN{}, nil)
	case "pop_vlan":
		return one(&StripVLAN{Pop: true}, nil)
	case "push_vlan":
		*usable &= flowtable.ProtoOF11Up
		t, err := flowtable.StrToU16(value, "ethertype")
		if err != nil {
			return nil, false, err
		}
		if t != flowtable.EthTypeVLAN && t != flowtable.EthTypeQinQ {
			return nil, false, errorf("%s: not a valid VLAN ethertype", value)
		}
		return one(&PushVLAN{EthType: t}, nil)
	case "mod_dl_src", "mod_dl_dst":
		m, err := flowtable.ParseMAC(value)
		if err != nil {
			return nil, false, err
		}
		if strings.EqualFold(key, "mod_dl_src") {
			return one(&SetEthSrc{MAC: m}, nil)
		}
		return one(&SetEthDst{MAC: m}, nil)
	case "mod_nw_src", "mod_nw_dst":
		ip, err := flowtable.ParseIPv4(value)
		if err != nil {
			return nil, false, err
		}
		if strings.EqualFold(key, "mod_nw_src") {
			return one(&SetIPv4Src{IP: ip}, nil)
		}
		return one(&SetIPv4Dst{IP: ip}, nil)
	case "mod_nw_tos":
		v, err := flowtable.StrToU8(value, "TOS")
		if err != nil {
			return nil, false, err
		}
		if v&^flowtable.IPDSCPMask != 0 {
			return nil, false, errorf("%s: not a valid TOS", value)
		}
		return one(&SetIPDSCP{DSCP: v}, nil)
	case "mod_nw_ecn":
		v, err := flowtable.StrToU8(value, "ECN")
		if err != nil {
			return nil, false, err
		}
		if v&^flowtable.IPECNMask != 0 {
			return nil, false, errorf("%s: not a valid ECN", value)
		}
		return one(&SetIPECN{ECN: v}, nil)
	case "mod_nw_ttl", "set_nw_ttl":
		v, err := flowtable.StrToU8(value, "TTL")
		if err != nil {
			return nil, false, err
		}
		return one(&SetIPTTL{TTL: v}, nil)
	case "mod_tp_src":
		v, err := flowtable.StrToU16(value, "source port")
		return one(&SetL4SrcPort{Port: v}, err)
	case "mod_tp_dst":
		v, err := flowtable.StrToU16(value, "destination port")
		return one(&SetL4DstPort{Port: v}, err)
	case "set_field":
		return one(parseSetField(value, pp, usable))
	case "load":
		return one(parseLoad(value))
	case "move":
		return one(parseMove(value))
	case "dec_ttl":
		return one(parseDecTTL(value))
	case "resubmit":
		return one(parseResubmit(value, pp))
	case "goto_table":
		t, ok := parseTable(value)
		if !ok {
			return nil, false, errorf("unknown table \"%s\"", value)
		}
		return one(&GotoTable{Table: t}, nil)
	case "set_tunnel", "set_tunnel64":
		v, err := flowtable.StrToU64(value)
		if err != nil {
			return nil, false, err
		}
		return one(&SetTunnel{ID: v, Is64: strings.EqualFold(key, "set_tunnel64")}, nil)
	case "note":
		d, ok := parseHexBytes(value)
		if !ok {
			return nil, false, errorf("bad hex digit in `note' argument")
		}
		return one(&Note{Data: d}, nil)
	case "write_metadata":
		*usable &= flowtable.ProtoNXMOF11Up
		return one(parseWriteMetadata(value))
	case "clear_actions":
		return one(&ClearActions{}, nil)
	case "write_actions":
		inner, err := parseActions(value, pp, false, true, usable)
		if err != nil {
			return nil, false, err
		}
		return one(&WriteActions{Actions: inner}, nil)
	case "drop":
		return nil, true, nil
	case "apply_actions":
		return nil, false, errorf("apply_actions is the default instruction")
	}
	if p, ok := flowtable.ParsePort(key, pp.Ports); ok {
		return one(&Output{Port: p}, nil)
	}
	if unsupportedActions[strings.ToLower(key)] {
		return nil, false, errorf("%s: action not supported by govs", key)
	}
	return nil, false, errorf("unknown action %s", key)
}
