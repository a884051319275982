package flow

import (
	"net/netip"
	"strconv"
)

// odpWriter appends OVS odp-util style text. first tracks whether the next
// attribute at the current nesting level needs a leading comma.
type odpWriter struct {
	b     []byte
	first bool
}

const hexDigits = "0123456789abcdef"

// fullMAC is an exact MAC mask.
var fullMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// open starts attribute name( with a separating comma when needed.
func (w *odpWriter) open(name string) {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.b = append(w.b, name...)
	w.b = append(w.b, '(')
}

// close drops a trailing comma (ds_chomp) and ends the attribute.
func (w *odpWriter) close() {
	if n := len(w.b); n > 0 && w.b[n-1] == ',' {
		w.b = w.b[:n-1]
	}
	w.b = append(w.b, ')')
}

func (w *odpWriter) dec(v uint64) { w.b = strconv.AppendUint(w.b, v, 10) }

// hexC prints v as C's "%#x": "0" for zero, else 0x-prefixed lower hex.
func (w *odpWriter) hexC(v uint64) {
	if v == 0 {
		w.b = append(w.b, '0')
		return
	}
	w.b = append(w.b, "0x"...)
	w.b = strconv.AppendUint(w.b, v, 16)
}

// hex04 prints v as "0x%04x".
func (w *odpWriter) hex04(v uint16) {
	w.b = append(w.b, '0', 'x', hexDigits[v>>12], hexDigits[v>>8&0xf], hexDigits[v>>4&0xf], hexDigits[v&0xf])
}

func (w *odpWriter) port(p, mask PortNo, portName func(PortNo) string) {
	if mask != ^PortNo(0) {
		w.dec(uint64(p))
		w.b = append(w.b, '/')
		w.hexC(uint64(mask))
		return
	}
	if portName != nil {
		if n := portName(p); n != "" {
			w.b = append(w.b, n...)
			return
		}
	}
	w.dec(uint64(p))
}

func (w *odpWriter) macRaw(a [6]byte) {
	for i, c := range a {
		if i > 0 {
			w.b = append(w.b, ':')
		}
		w.b = append(w.b, hexDigits[c>>4], hexDigits[c&0xf])
	}
}

// mac is format_eth.
func (w *odpWriter) mac(name string, k, m [6]byte) {
	if m == ([6]byte{}) {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.macRaw(k)
	if m != fullMAC {
		w.b = append(w.b, '/')
		w.macRaw(m)
	}
	w.b = append(w.b, ',')
}

func (w *odpWriter) ip4Raw(a uint32) {
	w.dec(uint64(a >> 24))
	w.b = append(w.b, '.')
	w.dec(uint64(a >> 16 & 0xff))
	w.b = append(w.b, '.')
	w.dec(uint64(a >> 8 & 0xff))
	w.b = append(w.b, '.')
	w.dec(uint64(a & 0xff))
}

// ip4 is format_ipv4.
func (w *odpWriter) ip4(name string, k, m uint32) {
	if m == 0 {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.ip4Raw(k)
	if m != ^uint32(0) {
		w.b = append(w.b, '/')
		w.ip4Raw(m)
	}
	w.b = append(w.b, ',')
}

// ip6 is format_in6_addr (inet_ntop text).
func (w *odpWriter) ip6(name string, k, m [16]byte) {
	if m == ([16]byte{}) {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.b = netip.AddrFrom16(k).AppendTo(w.b)
	full := true
	for _, c := range m {
		full = full && c == 0xff
	}
	if !full {
		w.b = append(w.b, '/')
		w.b = netip.AddrFrom16(m).AppendTo(w.b)
	}
	w.b = append(w.b, ',')
}

// u8u is format_u8u.
func (w *odpWriter) u8u(name string, k, m uint8) {
	if m == 0 {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.dec(uint64(k))
	if m != u8Mask {
		w.b = append(w.b, '/')
		w.hexC(uint64(m))
	}
	w.b = append(w.b, ',')
}

// u8x is format_u8x.
func (w *odpWriter) u8x(name string, k, m uint8) {
	if m == 0 {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.hexC(uint64(k))
	if m != u8Mask {
		w.b = append(w.b, '/')
		w.hexC(uint64(m))
	}
	w.b = append(w.b, ',')
}

// be16 is format_be16.
func (w *odpWriter) be16(name string, k, m uint16) {
	if m == 0 {
		return
	}
	w.b = append(w.b, name...)
	w.b = append(w.b, '=')
	w.dec(uint64(k))
	if m != full16 {
		w.b = append(w.b, '/')
		w.hexC(uint64(m))
	}
	w.b = append(w.b, ',')
}

// frag is format_frag over the ODP enum (no, first, later).
func (w *odpWriter) frag(k, m uint8) {
	if m == 0 {
		return
	}
	w.b = append(w.b, "frag="...)
	switch {
	case k&FragAny == 0:
		w.b = append(w.b, "no"...)
	case k&FragLater != 0:
		w.b = append(w.b, "later"...)
	default:
		w.b = append(w.b, "first"...)
	}
	w.b = append(w.b, ',')
}

// VLAN TCI fields as format_vlan_tci splits them.
const (
	tciVIDMask  = 0x0fff
	tciPCPShift = 13
	tciPCPMax   = 7
)

// vlanTCI is format_vlan_tci (non-verbose).
func (w *odpWriter) vlanTCI(tci, m uint16) {
	if vid, mvid := tci&tciVIDMask, m&tciVIDMask; vid != 0 || mvid != 0 {
		w.b = append(w.b, "vid="...)
		w.dec(uint64(vid))
		if mvid != tciVIDMask {
			w.b = append(w.b, "/0x"...)
			w.b = strconv.AppendUint(w.b, uint64(mvid), 16)
		}
		w.b = append(w.b, ',')
	}
	if pcp, mpcp := tci>>tciPCPShift, m>>tciPCPShift; pcp != 0 || mpcp != 0 {
		w.b = append(w.b, "pcp="...)
		w.dec(uint64(pcp))
		if mpcp != tciPCPMax {
			w.b = append(w.b, "/0x"...)
			w.b = strconv.AppendUint(w.b, uint64(mpcp), 16)
		}
		w.b = append(w.b, ',')
	}
	if tci&VLANCFI == 0 {
		w.b = append(w.b, "cfi=0,"...)
	}
}

// tcpFlagNames is packet_tcp_flag_to_string, indexed by bit number.
var tcpFlagNames = [...]string{"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns", "[200]", "[400]", "[800]"}

// tcpFlags is format_flags / format_flags_masked for tcp_flags.
func (w *odpWriter) tcpFlags(k, m uint16) {
	if m&tcpFlagsM == tcpFlagsM {
		k &= tcpFlagsM
		if k == 0 {
			w.b = append(w.b, '0')
			return
		}
		for i, n := range tcpFlagNames {
			if k&(1<<i) != 0 {
				w.b = append(w.b, n...)
				w.b = append(w.b, '|')
			}
		}
		w.b = w.b[:len(w.b)-1]
		return
	}
	m &= tcpFlagsM
	if m == 0 {
		w.b = append(w.b, "0/0"...)
		return
	}
	for i, n := range tcpFlagNames {
		if m&(1<<i) == 0 {
			continue
		}
		if k&(1<<i) != 0 {
			w.b = append(w.b, '+')
		} else {
			w.b = append(w.b, '-')
		}
		w.b = append(w.b, n...)
	}
}
