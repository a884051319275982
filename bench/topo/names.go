package topo

import (
	"net"

	"govs/internal/netns"
)

// Fixed lab MAC addresses (locally administered). GenMAC is the
// generator veth's address and the generated frames' source; SinkMAC is
// the generated frames' destination, which the switches learn from the
// sink's learn frames. The sink veth itself has SinkDevMAC, a different
// address, so that the sink's kernel sees the measured frames as
// PACKET_OTHERHOST and drops them in ip_rcv at once instead of routing
// each one (see the package doc).
var (
	GenMAC     = net.HardwareAddr{0x02, 0x67, 0x62, 0, 0x0a, 1}
	SinkMAC    = net.HardwareAddr{0x02, 0x67, 0x62, 0, 0x0b, 1}
	SinkDevMAC = net.HardwareAddr{0x02, 0x67, 0x62, 0, 0x0b, 2}
)

// UniqueName returns a namespace or device name made of prefix, the pid
// and a sequence number, at most 15 bytes (internal/netns.UniqueName).
func UniqueName(prefix string) string { return netns.UniqueName(prefix) }
