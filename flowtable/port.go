package flowtable

import (
	"strconv"
	"strings"
)

// PortNo is an OpenFlow 1.0 port number (OVS ofp_port_t). OpenFlow 1.1+
// 32-bit port numbers map onto it as OVS does (0xffffff00+ → 0xff00+).
type PortNo uint16

// Reserved OpenFlow ports, as OFPP_* in OVS.
const (
	PortMax        PortNo = 0xff00 // first number that is not a physical port
	PortUnset      PortNo = 0xfff7 // OFPP_UNSET: output port not set in action set
	PortInPort     PortNo = 0xfff8 // OFPP_IN_PORT
	PortTable      PortNo = 0xfff9 // OFPP_TABLE
	PortNormal     PortNo = 0xfffa // OFPP_NORMAL
	PortFlood      PortNo = 0xfffb // OFPP_FLOOD
	PortAll        PortNo = 0xfffc // OFPP_ALL
	PortController PortNo = 0xfffd // OFPP_CONTROLLER
	PortLocal      PortNo = 0xfffe // OFPP_LOCAL
	PortNone       PortNo = 0xffff // OFPP_NONE, printed as ANY (OFPP_ANY)
)

// OpenFlow 1.1+ port numbering (OFPP11_*).
const (
	of11PortOffset = 0xffff0000
	of11PortMax    = 0xffffff00
)

// reservedPorts lists the reserved names in OVS's OFPUTIL_NAMED_PORTS order.
var reservedPorts = [...]struct {
	name string
	port PortNo
}{
	{"IN_PORT", PortInPort},
	{"TABLE", PortTable},
	{"NORMAL", PortNormal},
	{"FLOOD", PortFlood},
	{"ALL", PortAll},
	{"CONTROLLER", PortController},
	{"LOCAL", PortLocal},
	{"ANY", PortNone},
	{"UNSET", PortUnset},
}

// PortMap resolves port names in both directions. Either function may be
// nil. Name returns "" when the port has no name.
type PortMap struct {
	Number func(name string) (PortNo, bool)
	Name   func(p PortNo) string
}

// ReservedPortName returns the OpenFlow name of a reserved port or "".
func ReservedPortName(p PortNo) string {
	for _, r := range reservedPorts {
		if r.port == p {
			return r.name
		}
	}
	return ""
}

// ParsePort parses a port as ofputil_port_from_string: a decimal number
// (0..0xfeff, reserved numbers 0xff00..0xffff, OpenFlow 1.1 numbers
// 0xffffff00..0xffffffff), a reserved name (case-insensitive, plus NONE),
// or a name known to pm (optionally in double quotes).
func ParsePort(s string, pm *PortMap) (PortNo, bool) {
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	if v, ok := cStrToUint(s, 10); ok {
		switch {
		case v <= uint64(PortNone):
			// 0xff00..0xfff6 and the reserved numbers are accepted as
			// OVS does (with a warning there).
			return PortNo(v), true
		case v < of11PortMax:
			return 0, false
		default:
			return PortNo(v - of11PortOffset), true
		}
	}
	for _, r := range reservedPorts {
		if strings.EqualFold(s, r.name) {
			return r.port, true
		}
	}
	if strings.EqualFold(s, "NONE") {
		return PortNone, true
	}
	if pm == nil || pm.Number == nil {
		return 0, false
	}
	name := s
	if strings.HasPrefix(s, `"`) {
		if len(s) < 2 || !strings.HasSuffix(s, `"`) {
			return 0, false
		}
		u, err := strconv.Unquote(s)
		if err != nil {
			return 0, false
		}
		name = u
	}
	p, ok := pm.Number(name)
	if !ok || p == PortNone {
		return 0, false
	}
	return p, true
}

// AppendPort appends the text form of p (reserved name, mapped name or
// number), as ofputil_format_port.
func AppendPort(b []byte, p PortNo, pm *PortMap) []byte {
	if n := ReservedPortName(p); n != "" {
		return append(b, n...)
	}
	if pm != nil && pm.Name != nil {
		if n := pm.Name(p); n != "" {
			return appendPortName(b, n)
		}
	}
	return strconv.AppendUint(b, uint64(p), 10)
}

// appendPortName quotes a name that would not parse back as a name
// (namemap_put_name).
func appendPortName(b []byte, n string) []byte {
	plain := n != ""
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			plain = false
			break
		}
	}
	if _, isNum := cStrToUint(n, 10); isNum {
		plain = false
	}
	if plain {
		return append(b, n...)
	}
	return strconv.AppendQuote(b, n)
}
