package tunnel

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// Type is a tunnel protocol.
type Type uint8

// Tunnel types govs implements.
const (
	TypeNone Type = iota
	TypeGeneve
	TypeVXLAN
)

// Default UDP destination ports (lib/netdev-vport.c).
const (
	GenevePort = 6081
	VXLANPort  = 4789
	// DefaultTTL is the outer TTL when options:ttl is unset (DEFAULT_TTL).
	DefaultTTL = 64
)

// String is the Interface type.
func (t Type) String() string {
	switch t {
	case TypeGeneve:
		return "geneve"
	case TypeVXLAN:
		return "vxlan"
	}
	return "none"
}

// DefaultPort is the type's IANA UDP port.
func (t Type) DefaultPort() uint16 {
	if t == TypeVXLAN {
		return VXLANPort
	}
	return GenevePort
}

// SysName is the name of the shared datapath port for (t, port), as OVS's
// genev_sys_6081 / vxlan_sys_4789.
func (t Type) SysName(port uint16) string {
	if t == TypeVXLAN {
		return "vxlan_sys_" + strconv.Itoa(int(port))
	}
	return "genev_sys_" + strconv.Itoa(int(port))
}

// OVS's other tunnel types: govs refuses them with a clear error.
var otherTunnelTypes = map[string]bool{"gre": true, "stt": true, "erspan": true, "ip6gre": true,
	"ip6erspan": true, "gtpu": true, "bareudp": true, "lisp": true, "srv6": true}

// ParseType returns the tunnel type of an Interface type; ok is false for
// non-tunnel types. Known OVS tunnel types govs does not implement return
// an error.
func ParseType(name, typ string) (Type, bool, error) {
	switch typ {
	case "geneve":
		return TypeGeneve, true, nil
	case "vxlan":
		return TypeVXLAN, true, nil
	}
	if otherTunnelTypes[typ] {
		return TypeNone, true, fmt.Errorf("could not open network device %s (tunnel type %q is not supported by govs: use geneve or vxlan)", name, typ)
	}
	return TypeNone, false, nil
}

// IsTunnelType reports whether an Interface type is a tunnel (implemented
// or not).
func IsTunnelType(typ string) bool {
	return typ == "geneve" || typ == "vxlan" || otherTunnelTypes[typ]
}

// Config is one tunnel port's options (vswitch.xml Interface
// options for geneve/vxlan; lib/netdev-vport.c set_tunnel_config).
type Config struct {
	Type Type
	// RemoteIP is the peer (zero with RemoteFlow: the flow's tun_dst).
	RemoteIP   netip.Addr
	RemoteFlow bool
	// LocalIP is the source address (zero: the route's source, or with
	// LocalFlow the flow's tun_src).
	LocalIP   netip.Addr
	LocalFlow bool
	// InKey/OutKey: key matched on receive and sent (in_key, out_key,
	// key); *Flow: use the flow's tun_id; *Present: a key was given.
	InKey, OutKey               uint64
	InKeyFlow, OutKeyFlow       bool
	InKeyPresent, OutKeyPresent bool
	// DstPort is the UDP destination port.
	DstPort uint16
	// Csum sets the outer UDP checksum.
	Csum bool
	// TOS is the outer TOS (DSCP; TOSInherit: the inner packet's).
	TOS        uint8
	TOSInherit bool
	// TTL is the outer TTL (TTLInherit: the inner packet's).
	TTL        uint8
	TTLInherit bool
	// DontFragment sets DF in the outer header (df_default, default true).
	DontFragment bool
}

// Warnings are option problems OVS only logs (the port still works).
type Warnings []string

// ipDSCPMask is the DSCP part of the TOS byte.
const ipDSCPMask = 0xfc

// ParseConfig parses an Interface's options for tunnel type t. The error
// is the Interface.error text, worded as OVS 3.1 (several problems are
// joined with newlines, as OVS does); warnings are what OVS only logs.
func ParseConfig(name string, t Type, opts map[string]string) (Config, Warnings, error) {
	c := Config{Type: t, DstPort: t.DefaultPort(), TTL: DefaultTTL, DontFragment: true}
	var errs, warns []string
	fatal := false
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := opts[k]
		switch k {
		case "remote_ip":
			if v == "flow" {
				c.RemoteFlow = true
				break
			}
			a, err := netip.ParseAddr(v)
			switch {
			case err != nil:
				errs = append(errs, fmt.Sprintf("%s: bad %s 'remote_ip'", name, t))
			case a.IsMulticast():
				// OVS stops parsing here (EINVAL, goto out).
				errs = append(errs, fmt.Sprintf("%s: multicast remote_ip=%s not allowed", name, v))
				return c, warns, errors.New(strings.Join(errs, "\n"))
			case !a.Is4():
				errs = append(errs, fmt.Sprintf("%s: IPv6 remote_ip=%s is not supported by govs", name, v))
				return c, warns, errors.New(strings.Join(errs, "\n"))
			default:
				c.RemoteIP = a
			}
		case "local_ip":
			if v == "flow" {
				c.LocalFlow = true
				break
			}
			a, err := netip.ParseAddr(v)
			switch {
			case err != nil:
				warns = append(warns, fmt.Sprintf("%s: bad %s 'local_ip'", name, t))
			case !a.Is4():
				errs = append(errs, fmt.Sprintf("%s: IPv6 local_ip=%s is not supported by govs", name, v))
				fatal = true
			default:
				c.LocalIP = a
			}
		case "dst_port":
			if n := atoi(v); n > 0 {
				c.DstPort = uint16(n)
			}
		case "csum":
			c.Csum = v == "true"
		case "tos":
			if v == "inherit" {
				c.TOSInherit = true
				break
			}
			n, err := strconv.ParseInt(v, 0, 64)
			if err == nil && n == n&ipDSCPMask {
				c.TOS = uint8(n)
			} else {
				warns = append(warns, fmt.Sprintf("%s: invalid TOS %s", name, v))
			}
		case "ttl":
			if v == "inherit" {
				c.TTLInherit = true
			} else {
				c.TTL = uint8(atoi(v))
			}
		case "df_default":
			c.DontFragment = v != "false"
		case "key", "in_key", "out_key":
		case "packet_type", "exts", "egress_pkt_mark", "dont_fragment":
			// Accepted by OVS; govs supports their defaults only.
			if (k == "packet_type" && v != "legacy_l2") || k == "exts" || k == "egress_pkt_mark" {
				errs = append(errs, fmt.Sprintf("%s: %s type option '%s=%s' is not supported by govs", name, t, k, v))
				fatal = true
			}
		default:
			warns = append(warns, fmt.Sprintf("%s: unknown %s argument '%s'", name, t, k))
		}
	}
	if !c.RemoteIP.IsValid() && !c.RemoteFlow {
		errs = append(errs, fmt.Sprintf("%s: %s type requires valid 'remote_ip' argument", name, t))
		fatal = true
	}
	if c.LocalFlow && !c.RemoteFlow {
		errs = append(errs, fmt.Sprintf("%s: %s type requires 'remote_ip=flow' with 'local_ip=flow'", name, t))
		fatal = true
	}
	if c.TTL == 0 {
		c.TTL = DefaultTTL
	}
	c.InKey, c.InKeyPresent, c.InKeyFlow = parseKey(opts, "in_key")
	c.OutKey, c.OutKeyPresent, c.OutKeyFlow = parseKey(opts, "out_key")
	if fatal {
		return c, warns, errors.New(strings.Join(errs, "\n"))
	}
	return c, append(warns, errs...), nil
}

// parseKey is OVS's parse_key: the named option, else "key"; "flow" or a
// number (strtoull base 0); present is false for no key at all.
func parseKey(opts map[string]string, name string) (key uint64, present, isFlow bool) {
	v, ok := opts[name]
	if !ok {
		if v, ok = opts["key"]; !ok {
			return 0, false, false
		}
	}
	if v == "flow" {
		return 0, true, true
	}
	n, err := strconv.ParseUint(v, 0, 64)
	if err != nil {
		n = 0
	}
	return n, true, false
}

// atoi is C's atoi: leading digits, 0 when none.
func atoi(s string) int {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 1<<30 {
			break
		}
		n = n*10 + int(r-'0')
	}
	if neg {
		return -n
	}
	return n
}

// Summary is the dpif/show text of the options, as OVS: "remote_ip=...,
// key=..., ...".
func (c *Config) Summary() string {
	var parts []string
	if c.RemoteFlow {
		parts = append(parts, "remote_ip=flow")
	} else if c.RemoteIP.IsValid() {
		parts = append(parts, "remote_ip="+c.RemoteIP.String())
	}
	if c.LocalFlow {
		parts = append(parts, "local_ip=flow")
	} else if c.LocalIP.IsValid() {
		parts = append(parts, "local_ip="+c.LocalIP.String())
	}
	if c.InKeyFlow && c.OutKeyFlow {
		parts = append(parts, "key=flow")
	} else if c.InKeyPresent && c.OutKeyPresent && c.InKey == c.OutKey {
		parts = append(parts, "key="+strconv.FormatUint(c.InKey, 10))
	}
	if c.DstPort != c.Type.DefaultPort() {
		parts = append(parts, "dst_port="+strconv.Itoa(int(c.DstPort)))
	}
	if c.Csum {
		parts = append(parts, "csum=true")
	}
	if c.TTL != DefaultTTL {
		parts = append(parts, "ttl="+strconv.Itoa(int(c.TTL)))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
