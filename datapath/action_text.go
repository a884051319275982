package datapath

import (
	"strconv"

	"govs/datapath/flow"
)

// Wire layout of a VLAN TCI, for the text form.
const (
	tciVIDMask  = 0x0fff
	tciPCPShift = 13
	tpidVLAN    = 0x8100
)

// IP protocol numbers whose set(...) text is named.
const (
	ipProtoTCP  = 6
	ipProtoUDP  = 17
	ipProtoSCTP = 132
)

// AppendActions appends the OVS `dpctl/dump-flows` text of acts (the part
// after "actions:"): e.g. `push_vlan(vid=10,pcp=0),2`, `pop_vlan,1`,
// `set(eth(src=00:00:00:00:00:01)),3` or `drop` for an empty list.
// portName may be nil; when it returns "" the number is printed.
func AppendActions(b []byte, acts Actions, portName func(flow.PortNo) string) []byte {
	return AppendActionsTunnel(b, acts, portName, nil)
}

// TunnelHeaderTexter is an optional capability of a TunnelHook: the text
// of the header a tnl_push action's data stands for, as OVS prints it
// inside header(...).
type TunnelHeaderTexter interface {
	AppendTunnelHeader(b []byte, data uint64) []byte
}

// AppendActionsTunnel is AppendActions with the tnl_push headers printed
// by tnl (nil: header(hook=0xDATA)).
func AppendActionsTunnel(b []byte, acts Actions, portName func(flow.PortNo) string, tnl TunnelHeaderTexter) []byte {
	if len(acts) == 0 {
		return append(b, "drop"...)
	}
	for i := range acts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendAction(b, &acts[i], portName, tnl)
	}
	return b
}

func appendPort(b []byte, p flow.PortNo, portName func(flow.PortNo) string) []byte {
	if portName != nil {
		if n := portName(p); n != "" {
			return append(b, n...)
		}
	}
	return strconv.AppendUint(b, uint64(p), 10)
}

func appendAction(b []byte, a *Action, portName func(flow.PortNo) string, tnl TunnelHeaderTexter) []byte {
	switch a.Kind {
	case ActOutput:
		return appendPort(b, a.Port, portName)
	case ActPushVLAN:
		b = append(b, "push_vlan("...)
		if a.TPID != tpidVLAN {
			b = append(b, "tpid=0x"...)
			b = appendHex(b, uint64(a.TPID), 4)
			b = append(b, ',')
		}
		b = append(b, "vid="...)
		b = strconv.AppendUint(b, uint64(a.TCI&tciVIDMask), 10)
		b = append(b, ",pcp="...)
		b = strconv.AppendUint(b, uint64(a.TCI>>tciPCPShift), 10)
		return append(b, ')')
	case ActPopVLAN:
		return append(b, "pop_vlan"...)
	case ActSetEthSrc:
		b = append(b, "set(eth(src="...)
		return append(appendMAC(b, a.MAC), "))"...)
	case ActSetEthDst:
		b = append(b, "set(eth(dst="...)
		return append(appendMAC(b, a.MAC), "))"...)
	case ActSetIPv4Src:
		b = append(b, "set(ipv4(src="...)
		return append(appendIPv4(b, a.Addr), "))"...)
	case ActSetIPv4Dst:
		b = append(b, "set(ipv4(dst="...)
		return append(appendIPv4(b, a.Addr), "))"...)
	case ActSetIPv4Tos:
		b = append(b, "set(ipv4(tos=0x"...)
		return append(strconv.AppendUint(b, uint64(a.U8), 16), "))"...)
	case ActSetIPv4TTL:
		b = append(b, "set(ipv4(ttl="...)
		return append(strconv.AppendUint(b, uint64(a.U8), 10), "))"...)
	case ActSetTpSrc, ActSetTpDst:
		b = append(b, "set("...)
		b = append(b, tpName(a.Proto)...)
		if a.Kind == ActSetTpSrc {
			b = append(b, "(src="...)
		} else {
			b = append(b, "(dst="...)
		}
		return append(strconv.AppendUint(b, uint64(a.TpPort), 10), "))"...)
	case ActSetARPOp:
		b = append(b, "set(arp(op="...)
		return append(strconv.AppendUint(b, uint64(a.U16), 10), "))"...)
	case ActSetARPSha:
		b = append(b, "set(arp(sha="...)
		return append(appendMAC(b, a.MAC), "))"...)
	case ActSetARPTha:
		b = append(b, "set(arp(tha="...)
		return append(appendMAC(b, a.MAC), "))"...)
	case ActSetARPSpa:
		b = append(b, "set(arp(sip="...)
		return append(appendIPv4(b, a.Addr), "))"...)
	case ActSetARPTpa:
		b = append(b, "set(arp(tip="...)
		return append(appendIPv4(b, a.Addr), "))"...)
	case ActDecTTL:
		return append(b, "dec_ttl(le_1(drop))"...)
	case ActUserspace:
		b = append(b, "userspace(pid=0,userdata("...)
		b = appendHex(b, a.Arg, 16)
		return append(b, "))"...)
	case ActTunnelPush:
		b = append(b, "tnl_push(tnl_port("...)
		b = appendPort(b, a.TnlPort, portName)
		if tnl != nil {
			b = append(b, "),header("...)
			b = tnl.AppendTunnelHeader(b, a.Arg)
		} else {
			b = append(b, "),header(hook=0x"...)
			b = strconv.AppendUint(b, a.Arg, 16)
		}
		b = append(b, "),out_port("...)
		b = appendPort(b, a.Port, portName)
		return append(b, "))"...)
	case ActTunnelPop:
		b = append(b, "tnl_pop("...)
		b = appendPort(b, a.Port, portName)
		return append(b, ')')
	}
	b = append(b, "unknown_action("...)
	b = strconv.AppendUint(b, uint64(a.Kind), 10)
	return append(b, ')')
}

func tpName(proto uint8) string {
	switch proto {
	case ipProtoTCP:
		return "tcp"
	case ipProtoUDP:
		return "udp"
	case ipProtoSCTP:
		return "sctp"
	}
	return "tp"
}

const hexDigits = "0123456789abcdef"

// appendHex appends v as exactly width lower-case hex digits.
func appendHex(b []byte, v uint64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return b
}

func appendMAC(b []byte, m [6]byte) []byte {
	for i, x := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[x>>4], hexDigits[x&0xf])
	}
	return b
}

func appendIPv4(b []byte, a uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(byte(a>>(8*uint(i)))), 10)
		if i > 0 {
			b = append(b, '.')
		}
	}
	return b
}
