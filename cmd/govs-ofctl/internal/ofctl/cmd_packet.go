package ofctl

import (
	"strings"

	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// ethHeaderLen is the shortest packet eth_from_hex accepts.
const ethHeaderLen = 14

// packetOutSpec is a parsed packet-out string.
type packetOutSpec struct {
	inPort  flowtable.PortNo
	packet  []byte
	actions []ofpact.Action
	usable  flowtable.Protocols
}

// ethFromHex is eth_from_hex: hex digits with optional white space.
func ethFromHex(s string) ([]byte, string) {
	var out []byte
	hi := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			if hi >= 0 {
				return nil, "Trailing garbage in packet data"
			}
			continue
		}
		v := hexVal(c)
		if v < 0 {
			return nil, "Trailing garbage in packet data"
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		return nil, "Trailing garbage in packet data"
	}
	if len(out) < ethHeaderLen {
		return nil, "Packet data too short for Ethernet"
	}
	return out, ""
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// extractActions is ofp_extract_actions: "actions=" (or "apply_actions=")
// ends the key-value part.
func extractActions(s string) (string, string, bool) {
	for _, kw := range []string{"actions", "apply_actions"} {
		i := strings.Index(s, kw)
		for i >= 0 {
			rest := s[i+len(kw):]
			j := 0
			for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
				j++
			}
			if j < len(rest) && (rest[j] == '=' || rest[j] == ':') && (i == 0 || !isWordByte(s[i-1])) {
				return s[:i], rest[j+1:], true
			}
			n := strings.Index(s[i+1:], kw)
			if n < 0 {
				break
			}
			i += n + 1
		}
	}
	return s, "", false
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parsePacketOut is parse_ofp_packet_out_str for in_port, packet and
// actions (other pipeline fields are refused as unsupported).
func parsePacketOut(str string, pm *flowtable.PortMap) (*packetOutSpec, error) {
	po := &packetOutSpec{inPort: flowtable.PortController, usable: flowtable.ProtoAny}
	kv, acts, hasActs := extractActions(str)
	rest := kv
	for {
		name, value, r, ok := flowtable.NextKeyValue(rest)
		if !ok {
			break
		}
		rest = r
		if value == "" {
			return nil, fatalf("field %s missing value", name)
		}
		switch name {
		case "in_port":
			p, ok := flowtable.ParsePort(value, pm)
			if !ok {
				return nil, fatalf("%s is not a valid OpenFlow port", value)
			}
			if p > flowtable.PortMax && p != flowtable.PortLocal && p != flowtable.PortNone && p != flowtable.PortController {
				return nil, fatalf("%s is not a valid OpenFlow port for PACKET_OUT", value)
			}
			po.inPort = p
		case "packet":
			pkt, msg := ethFromHex(value)
			if msg != "" {
				return nil, fatalf("%s: %s", name, msg)
			}
			po.packet = pkt
		default:
			if flowtable.FieldByName(name) == nil {
				return nil, fatalf("unknown keyword %s", name)
			}
			return nil, fatalf("%s: packet-out pipeline fields are not supported by govs-ofctl", name)
		}
	}
	if len(po.packet) == 0 {
		return nil, fatalf("must specify packet")
	}
	if hasActs {
		a, usable, err := ofpact.ParseInstructions(acts, &ofpact.ParseParams{Ports: pm})
		if err != nil {
			return nil, fatalf("%s", err.Error())
		}
		po.actions, po.usable = a, po.usable&usable
	}
	return po, nil
}

// cmdPacketOut: "packet-out SWITCH SPEC", or the old form
// "packet-out SWITCH IN_PORT ACTIONS PACKET...".
func (s *Session) cmdPacketOut(args []string) error {
	target := args[1]
	switch {
	case len(args) > 4:
		pm, err := s.acceptMaps(target)
		if err != nil {
			return err
		}
		acts, usable, err := ofpact.ParseInstructions(args[3], &ofpact.ParseParams{Ports: pm})
		if err != nil {
			return fatalf("%s", err.Error())
		}
		in, err := s.strToPortNo(target, args[2])
		if err != nil {
			return err
		}
		c, _, err := s.openForFlowMod(target, usable)
		if err != nil {
			return err
		}
		defer c.close()
		for _, h := range args[4:] {
			pkt, msg := ethFromHex(h)
			if msg != "" {
				return fatalf("%s", msg)
			}
			if err := c.noReplyOrFail(&ofp.PacketOut{BufferID: ofp.NoBuffer, InPort: in, Actions: acts, Data: pkt}); err != nil {
				return err
			}
		}
		return nil
	case len(args) == 3:
		pm, err := s.acceptMaps(target)
		if err != nil {
			return err
		}
		po, err := parsePacketOut(args[2], pm)
		if err != nil {
			return err
		}
		c, _, err := s.openForFlowMod(target, po.usable)
		if err != nil {
			return err
		}
		defer c.close()
		return c.noReplyOrFail(&ofp.PacketOut{BufferID: ofp.NoBuffer, InPort: po.inPort, Actions: po.actions, Data: po.packet})
	}
	return fatalf("Too many arguments (%d)", len(args))
}
