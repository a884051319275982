package flowtable

import (
	"net/netip"
	"strconv"
)

// MAC addresses, IPv4 and IPv6 addresses in OVS text syntax.

const (
	macLen  = 6
	ipv6Len = 16
	// ipv6ScanMax is IPV6_SCAN_LEN: the longest address text scanned.
	ipv6ScanMax = 46
)

// scanMAC reads "xx:xx:xx:xx:xx:xx" as sscanf ETH_ADDR_SCAN_FMT (each
// group one or more hex digits, truncated to 8 bits). It returns bytes used.
func scanMAC(s string) (m [macLen]byte, n int, ok bool) {
	for g := 0; g < macLen; g++ {
		if g > 0 {
			if n >= len(s) || s[n] != ':' {
				return m, 0, false
			}
			n++
		}
		v, k, err := cStrtoull(s[n:], 16)
		if err == errSyntax {
			return m, 0, false
		}
		// "%hhx" does not take a "0x" prefix specially but strtoull does;
		// the difference only matters for inputs OVS also rejects later.
		m[g] = byte(v)
		n += k
	}
	return m, n, true
}

// ParseMAC parses a MAC address (str_to_mac).
func ParseMAC(s string) ([macLen]byte, error) {
	m, _, ok := scanMAC(s)
	if !ok {
		return m, errorf("invalid mac address %s", s)
	}
	return m, nil
}

// parseMACMasked parses "MAC" or "MAC/MASK" (mf_from_ethernet_string).
func parseMACMasked(s string) (v, mask [macLen]byte, err error) {
	if m, n, ok := scanMAC(s); ok {
		if n == len(s) {
			return m, [macLen]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, nil
		}
		if s[n] == '/' {
			if mk, k, ok := scanMAC(s[n+1:]); ok && n+1+k == len(s) {
				return m, mk, nil
			}
		}
	}
	return v, mask, errorf("%s: invalid Ethernet address", s)
}

// AppendMAC appends "xx:xx:xx:xx:xx:xx".
func AppendMAC(b []byte, m [macLen]byte) []byte {
	const hexDigits = "0123456789abcdef"
	for i, c := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return b
}

// scanIPv4 reads "a.b.c.d" as sscanf IP_SCAN_FMT.
func scanIPv4(s string) (ip uint32, n int, ok bool) {
	for g := 0; g < 4; g++ {
		if g > 0 {
			if n >= len(s) || s[n] != '.' {
				return 0, 0, false
			}
			n++
		}
		v, k, ok := scanU8(s[n:])
		if !ok {
			return 0, 0, false
		}
		ip = ip<<8 | uint32(v)
		n += k
	}
	return ip, n, true
}

// prefixMask32 returns a mask with the top n bits set.
func prefixMask32(n int) uint32 {
	if n <= 0 {
		return 0
	}
	return ^uint32(0) << (32 - n)
}

// ParseIPv4Masked parses "IP", "IP/MASK" or "IP/LEN" (ip_parse_masked).
func ParseIPv4Masked(s string) (ip, mask uint32, err error) {
	ip, n, ok := scanIPv4(s)
	if !ok {
		return 0, 0, errorf("%s: invalid IP address", s)
	}
	mask = ^uint32(0)
	if n < len(s) && s[n] == '/' {
		rest := s[n+1:]
		if m, k, ok := scanIPv4(rest); ok {
			mask, n = m, n+1+k
		} else if p, k, ok := scanInt(rest); ok {
			if p < 0 || p > 32 {
				return 0, 0, errorf("%s: IPv4 network prefix bits not between 0 and 32, inclusive", s)
			}
			mask, n = prefixMask32(p), n+1+k
		}
	}
	if n != len(s) {
		return 0, 0, errorf("%s: invalid IP address", s)
	}
	return ip, mask, nil
}

// ParseIPv4 parses a plain dotted-quad (str_to_ip / lookup_ip).
func ParseIPv4(s string) (uint32, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, errorf("%s: could not convert to IP address", s)
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]), nil
}

// AppendIPv4 appends a dotted quad.
func AppendIPv4(b []byte, ip uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(byte(ip>>(8*uint(i)))), 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return b
}

// isCIDR32 reports whether m is a prefix mask.
func isCIDR32(m uint32) bool { x := ^m; return x&(x+1) == 0 }

func onesCount32(m uint32) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// appendIPv4Masked is ip_format_masked.
func appendIPv4Masked(b []byte, ip, mask uint32) []byte {
	b = AppendIPv4(b, ip)
	if mask != ^uint32(0) {
		b = append(b, '/')
		if isCIDR32(mask) {
			b = strconv.AppendInt(b, int64(onesCount32(mask)), 10)
		} else {
			b = AppendIPv4(b, mask)
		}
	}
	return b
}

func isIPv6ScanChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.'
}

// scanIPv6 reads "%46[0-9a-fA-F:.]" after optional white space and
// converts it with inet_pton semantics.
func scanIPv6(s string) (a [ipv6Len]byte, n int, ok bool) {
	for n < len(s) && isSpace(s[n]) {
		n++
	}
	st := n
	for n < len(s) && n-st < ipv6ScanMax && isIPv6ScanChar(s[n]) {
		n++
	}
	if n == st {
		return a, 0, false
	}
	txt := s[st:n]
	hasColon := false
	for i := 0; i < len(txt); i++ {
		if txt[i] == ':' {
			hasColon = true
		}
	}
	if !hasColon {
		return a, 0, false
	}
	ad, err := netip.ParseAddr(txt)
	if err != nil || !ad.Is6() || ad.Zone() != "" {
		return a, 0, false
	}
	return ad.As16(), n, true
}

// prefixMask128 returns an IPv6 prefix mask of n bits.
func prefixMask128(n int) (m [ipv6Len]byte) {
	for i := 0; i < ipv6Len && n > 0; i++ {
		if n >= 8 {
			m[i] = 0xff
			n -= 8
		} else {
			m[i] = byte(0xff << (8 - uint(n)))
			n = 0
		}
	}
	return m
}

var allOnes128 = prefixMask128(128)

// ParseIPv6Masked parses "ADDR", "ADDR/LEN" or "ADDR/MASK"
// (ipv6_parse_masked).
func ParseIPv6Masked(s string) (ip, mask [ipv6Len]byte, err error) {
	ip, n, ok := scanIPv6(s)
	if !ok {
		return ip, mask, errorf("%s: invalid IPv6 address", s)
	}
	mask = allOnes128
	if n < len(s) && s[n] == '/' {
		rest := s[n+1:]
		if p, k, ok := scanInt(rest); ok {
			if p < 0 || p > 128 {
				return ip, mask, errorf("%s: IPv6 network prefix bits not between 0 and 128, inclusive", s)
			}
			mask, n = prefixMask128(p), n+1+k
		} else if _, k, ok := scanIPv6Text(rest); ok {
			m, _, ok2 := scanIPv6(rest)
			if !ok2 {
				return ip, mask, errorf("%s: Invalid IPv6 mask", s)
			}
			mask, n = m, n+1+k
		}
	}
	if n != len(s) {
		return ip, mask, errorf("%s: invalid IPv6 address", s)
	}
	return ip, mask, nil
}

// scanIPv6Text only checks that an address-shaped token is present.
func scanIPv6Text(s string) (string, int, bool) {
	n := 0
	for n < len(s) && isSpace(s[n]) {
		n++
	}
	st := n
	for n < len(s) && n-st < ipv6ScanMax && isIPv6ScanChar(s[n]) {
		n++
	}
	return s[st:n], n, n > st
}

// AppendIPv6 formats an address as glibc inet_ntop.
func AppendIPv6(b []byte, a [ipv6Len]byte) []byte {
	var w [8]uint16
	for i := range w {
		w[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	bestBase, bestLen := -1, 0
	for i := 0; i < 8; {
		if w[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && w[j] == 0 {
			j++
		}
		if j-i > bestLen {
			bestBase, bestLen = i, j-i
		}
		i = j
	}
	if bestLen < 2 {
		bestBase = -1
	}
	for i := 0; i < 8; i++ {
		if bestBase >= 0 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				b = append(b, ':')
			}
			continue
		}
		if i != 0 {
			b = append(b, ':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 5 && w[5] == 0xffff) {
			b = AppendIPv4(b, uint32(a[12])<<24|uint32(a[13])<<16|uint32(a[14])<<8|uint32(a[15]))
			return b
		}
		b = strconv.AppendUint(b, uint64(w[i]), 16)
	}
	if bestBase >= 0 && bestBase+bestLen == 8 {
		b = append(b, ':')
	}
	return b
}

// cidrBits128 returns the prefix length of m and whether m is a prefix.
func cidrBits128(m [ipv6Len]byte) (int, bool) {
	n := 0
	i := 0
	for ; i < ipv6Len && m[i] == 0xff; i++ {
		n += 8
	}
	if i < ipv6Len {
		x := ^m[i]
		if x&(x+1) != 0 {
			return 0, false
		}
		for c := m[i]; c != 0; c <<= 1 {
			n++
		}
		for i++; i < ipv6Len; i++ {
			if m[i] != 0 {
				return 0, false
			}
		}
	}
	return n, true
}

// appendIPv6Masked is ipv6_format_masked.
func appendIPv6Masked(b []byte, a, m [ipv6Len]byte) []byte {
	b = AppendIPv6(b, a)
	if m != allOnes128 {
		b = append(b, '/')
		if n, ok := cidrBits128(m); ok {
			b = strconv.AppendInt(b, int64(n), 10)
		} else {
			b = AppendIPv6(b, m)
		}
	}
	return b
}

// AppendIPv4Masked exposes ip_format_masked.
func AppendIPv4Masked(b []byte, ip, mask uint32) []byte { return appendIPv4Masked(b, ip, mask) }

// AppendIPv6Masked exposes ipv6_format_masked.
func AppendIPv6Masked(b []byte, a, m [16]byte) []byte { return appendIPv6Masked(b, a, m) }
