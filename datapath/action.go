package datapath

import (
	"slices"

	"govs/datapath/flow"
)

// ActionKind says what an Action does.
type ActionKind uint8

// Action kinds. An empty Actions list means drop.
const (
	// ActOutput sends the packet (as it is at this point) to Port.
	ActOutput ActionKind = iota + 1
	// ActPushVLAN pushes a tag TPID/TCI (TCI as on the wire).
	ActPushVLAN
	// ActPopVLAN removes the outermost VLAN tag.
	ActPopVLAN
	// ActSetEthSrc and ActSetEthDst rewrite a MAC address (MAC).
	ActSetEthSrc
	ActSetEthDst
	// ActSetIPv4Src and ActSetIPv4Dst rewrite an IPv4 address (Addr).
	ActSetIPv4Src
	ActSetIPv4Dst
	// ActSetIPv4Tos rewrites the whole TOS byte (U8).
	ActSetIPv4Tos
	// ActSetIPv4TTL rewrites the TTL (U8).
	ActSetIPv4TTL
	// ActSetTpSrc and ActSetTpDst rewrite a TCP/UDP/SCTP port (TpPort);
	// Proto (6, 17, 132) only chooses the dpctl text.
	ActSetTpSrc
	ActSetTpDst
	// ActDecTTL decrements the IPv4 TTL / IPv6 hop limit; a packet whose
	// TTL is already <= 1 is dropped (counted as DropTTL).
	ActDecTTL
	// ActUserspace hands the packet to the controller hook with cookie Arg;
	// the packet continues with the next action.
	ActUserspace
	// ActTunnelPush encapsulates a copy of the packet through the tunnel
	// hook (hook data Arg, tunnel port TnlPort) and outputs it to Port.
	ActTunnelPush
	// ActTunnelPop decapsulates the packet through the tunnel hook and
	// recirculates the inner packet as received on Port.
	ActTunnelPop
	// ActSetARPOp rewrites the ARP opcode (U16); ActSetARPSha and
	// ActSetARPTha a hardware address (MAC); ActSetARPSpa and
	// ActSetARPTpa a protocol address (Addr). Frames that are not
	// Ethernet/IPv4 ARP are left alone.
	ActSetARPOp
	ActSetARPSha
	ActSetARPTha
	ActSetARPSpa
	ActSetARPTpa

	numActionKinds
)

// Action is one datapath action. It is a fixed-size value without
// pointers, so Actions compare with slices.Equal and copy cheaply. Only the
// fields its Kind names are meaningful; build Actions with the constructor
// functions (Output, PushVLAN, ...) so that the others stay zero.
type Action struct {
	Kind    ActionKind
	Proto   uint8  // ActSetTp*: L4 protocol, for text only
	U8      uint8  // ActSetIPv4Tos, ActSetIPv4TTL
	U16     uint16 // ActSetARPOp
	TPID    uint16
	TCI     uint16
	TpPort  uint16
	MAC     [6]byte
	Addr    uint32
	Port    flow.PortNo // ActOutput, ActTunnelPush (underlay), ActTunnelPop
	TnlPort flow.PortNo // ActTunnelPush
	Arg     uint64      // ActUserspace cookie, ActTunnelPush hook data
}

// Actions is a datapath action list, executed in order. Empty = drop.
type Actions []Action

// Equal reports whether a and b are the same list.
func (a Actions) Equal(b Actions) bool { return slices.Equal(a, b) }

// Output returns an output(port) action.
func Output(port flow.PortNo) Action { return Action{Kind: ActOutput, Port: port} }

// PushVLAN returns push_vlan with tci as on the wire (PCP<<13 | DEI<<12 | VID).
func PushVLAN(tpid, tci uint16) Action { return Action{Kind: ActPushVLAN, TPID: tpid, TCI: tci} }

// PopVLAN returns pop_vlan.
func PopVLAN() Action { return Action{Kind: ActPopVLAN} }

// SetEthSrc returns set(eth(src=mac)).
func SetEthSrc(mac [6]byte) Action { return Action{Kind: ActSetEthSrc, MAC: mac} }

// SetEthDst returns set(eth(dst=mac)).
func SetEthDst(mac [6]byte) Action { return Action{Kind: ActSetEthDst, MAC: mac} }

// SetIPv4Src returns set(ipv4(src=addr)).
func SetIPv4Src(addr uint32) Action { return Action{Kind: ActSetIPv4Src, Addr: addr} }

// SetIPv4Dst returns set(ipv4(dst=addr)).
func SetIPv4Dst(addr uint32) Action { return Action{Kind: ActSetIPv4Dst, Addr: addr} }

// SetIPv4Tos returns set(ipv4(tos=tos)).
func SetIPv4Tos(tos uint8) Action { return Action{Kind: ActSetIPv4Tos, U8: tos} }

// SetIPv4TTL returns set(ipv4(ttl=ttl)).
func SetIPv4TTL(ttl uint8) Action { return Action{Kind: ActSetIPv4TTL, U8: ttl} }

// SetTpSrc returns set(<proto>(src=port)); proto is the IP protocol number
// of the flow (used for the text form only).
func SetTpSrc(proto uint8, port uint16) Action {
	return Action{Kind: ActSetTpSrc, Proto: proto, TpPort: port}
}

// SetTpDst returns set(<proto>(dst=port)).
func SetTpDst(proto uint8, port uint16) Action {
	return Action{Kind: ActSetTpDst, Proto: proto, TpPort: port}
}

// DecTTL returns dec_ttl.
func DecTTL() Action { return Action{Kind: ActDecTTL} }

// Userspace returns userspace(cookie): the controller hook.
func Userspace(cookie uint64) Action { return Action{Kind: ActUserspace, Arg: cookie} }

// TunnelPush returns tnl_push: encapsulate for tunnel port tnlPort with hook
// data, then output to the underlay port out.
func TunnelPush(tnlPort, out flow.PortNo, data uint64) Action {
	return Action{Kind: ActTunnelPush, TnlPort: tnlPort, Port: out, Arg: data}
}

// TunnelPop returns tnl_pop(port): decapsulate and recirculate as received
// on the tunnel port.
func TunnelPop(port flow.PortNo) Action { return Action{Kind: ActTunnelPop, Port: port} }

// SetARPOp returns set(arp(op=op)).
func SetARPOp(op uint16) Action { return Action{Kind: ActSetARPOp, U16: op} }

// SetARPSha returns set(arp(sha=mac)).
func SetARPSha(mac [6]byte) Action { return Action{Kind: ActSetARPSha, MAC: mac} }

// SetARPTha returns set(arp(tha=mac)).
func SetARPTha(mac [6]byte) Action { return Action{Kind: ActSetARPTha, MAC: mac} }

// SetARPSpa returns set(arp(sip=addr)).
func SetARPSpa(addr uint32) Action { return Action{Kind: ActSetARPSpa, Addr: addr} }

// SetARPTpa returns set(arp(tip=addr)).
func SetARPTpa(addr uint32) Action { return Action{Kind: ActSetARPTpa, Addr: addr} }

// modifies reports whether the action changes the frame bytes of the
// packet it runs on (so an earlier output of the same buffer must copy).
// Tunnel push and pop work on a copy unless they are last, so they count.
func (a *Action) modifies() bool {
	switch a.Kind {
	case ActOutput, ActUserspace:
		return false
	}
	return true
}

// lastModifying returns the index of the last action that modifies the
// frame, or -1.
func (a Actions) lastModifying() int {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i].modifies() {
			return i
		}
	}
	return -1
}
