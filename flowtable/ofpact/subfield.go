package ofpact

import (
	"strconv"
	"strings"

	"govs/flowtable"
)

// fieldByNXMName resolves NXM/OXM names (NXM_NX_REG0, OXM_OF_METADATA, with
// an optional _W suffix) and plain field names.
func fieldByNXMName(name string) *flowtable.Field {
	n := strings.TrimSuffix(name, "_W")
	for _, f := range flowtable.Fields() {
		if f.NXMName != "" && f.NXMName == n {
			return f
		}
	}
	if alt, ok := nxmAliases[n]; ok {
		return flowtable.FieldByName(alt)
	}
	return flowtable.FieldByName(name)
}

// nxmAliases are other NXM/OXM spellings of supported fields.
var nxmAliases = map[string]string{
	"OXM_OF_IN_PORT": "in_port", "OXM_OF_ETH_SRC": "eth_src", "OXM_OF_ETH_DST": "eth_dst",
	"OXM_OF_ETH_TYPE": "eth_type", "OXM_OF_IPV4_SRC": "ip_src", "OXM_OF_IPV4_DST": "ip_dst",
	"OXM_OF_IP_PROTO": "nw_proto", "OXM_OF_IP_ECN": "nw_ecn", "OXM_OF_TCP_SRC": "tcp_src",
	"OXM_OF_TCP_DST": "tcp_dst", "OXM_OF_UDP_SRC": "udp_src", "OXM_OF_UDP_DST": "udp_dst",
	"OXM_OF_ICMPV4_TYPE": "icmp_type", "OXM_OF_ICMPV4_CODE": "icmp_code",
	"OXM_OF_ARP_OP": "arp_op", "OXM_OF_ARP_SPA": "arp_spa", "OXM_OF_ARP_TPA": "arp_tpa",
	"OXM_OF_ARP_SHA": "arp_sha", "OXM_OF_ARP_THA": "arp_tha", "OXM_OF_IPV6_SRC": "ipv6_src",
	"OXM_OF_IPV6_DST": "ipv6_dst", "OXM_OF_IPV6_FLABEL": "ipv6_label",
	"OXM_OF_ICMPV6_TYPE": "icmpv6_type", "OXM_OF_ICMPV6_CODE": "icmpv6_code",
	"OXM_OF_IPV6_ND_TARGET": "nd_target", "OXM_OF_IPV6_ND_SLL": "nd_sll",
	"OXM_OF_IPV6_ND_TLL": "nd_tll", "OXM_OF_TUNNEL_ID": "tun_id",
	"NXM_OF_TUN_ID": "tun_id",
}

// ParseSubfield parses "FIELD[]", "FIELD[N]", "FIELD[A..B]" or "FIELD"
// (mf_parse_subfield), with OVS's error messages.
func ParseSubfield(s string) (Subfield, error) {
	sf, rest, err := parseSubfieldPrefix(s)
	if err == nil && rest != "" {
		err = errorf("unexpected input following field syntax")
	}
	return sf, err
}

func parseSubfieldPrefix(s string) (Subfield, string, error) {
	full := s
	n := strings.IndexAny(s, "[-")
	if n < 0 {
		n = len(s)
	}
	name := s[:n]
	f := fieldByNXMName(name)
	if f == nil {
		if _, ok := flowtable.TunMetadataIndex(strings.ToLower(strings.TrimPrefix(strings.ToLower(name), "nxm_nx_"))); ok {
			return Subfield{}, "", errorf("%s: load and move on tun_metadata are not supported by govs (use set_field)", full)
		}
		return Subfield{}, "", errorf("%s: unknown field `%s'", full, name)
	}
	s = s[n:]
	start, end := 0, f.Bits-1
	if strings.HasPrefix(s, "[") {
		switch {
		case strings.HasPrefix(s, "[]"):
		default:
			a, k, ok := scanDecimal(s[1:])
			if !ok {
				return Subfield{}, "", errorf("%s: syntax error expecting [] or [<bit>] or [<start>..<end>]", full)
			}
			r := s[1+k:]
			switch {
			case strings.HasPrefix(r, ".."):
				b, k2, ok := scanDecimal(r[2:])
				if !ok || !strings.HasPrefix(r[2+k2:], "]") {
					if strings.HasPrefix(r, "]") {
						break
					}
					return Subfield{}, "", errorf("%s: syntax error expecting [] or [<bit>] or [<start>..<end>]", full)
				}
				start, end = a, b
			case strings.HasPrefix(r, "]"):
				start, end = a, a
			default:
				return Subfield{}, "", errorf("%s: syntax error expecting [] or [<bit>] or [<start>..<end>]", full)
			}
		}
		s = s[strings.IndexByte(s, ']')+1:]
	}
	switch {
	case start > end:
		return Subfield{}, "", errorf("%s: starting bit %d is after ending bit %d", full, start, end)
	case start >= f.Bits:
		return Subfield{}, "", errorf("%s: starting bit %d is not valid because field is only %d bits wide", full, start, f.Bits)
	case end >= f.Bits:
		return Subfield{}, "", errorf("%s: ending bit %d is not valid because field is only %d bits wide", full, end, f.Bits)
	}
	return Subfield{Field: f, Ofs: start, NBits: end - start + 1}, s, nil
}

// scanDecimal reads an sscanf "%d".
func scanDecimal(s string) (int, int, bool) {
	v, n, err := flowtable.CStrtoll(s, 10)
	if err != nil && n == 0 {
		return 0, 0, false
	}
	return int(int32(v)), n, true
}

// appendSubfield formats a subfield as mf_format_subfield.
func appendSubfield(b []byte, sf Subfield) []byte {
	name := sf.Field.NXMName
	if name == "" {
		name = sf.Field.Name
	}
	b = append(b, name...)
	switch {
	case sf.Ofs == 0 && sf.NBits == sf.Field.Bits:
		b = append(b, "[]"...)
	case sf.NBits == 1:
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(sf.Ofs), 10)
		b = append(b, ']')
	default:
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(sf.Ofs), 10)
		b = append(b, ".."...)
		b = strconv.AppendInt(b, int64(sf.Ofs+sf.NBits-1), 10)
		b = append(b, ']')
	}
	return b
}
