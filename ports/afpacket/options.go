package afpacket

import "strings"

// Options tune Open. The zero value is what OVS does.
type Options struct {
	// NoPromisc leaves the device out of promiscuous mode.
	NoPromisc bool
	// ForceBPFInbound skips PACKET_IGNORE_OUTGOING and uses the classic
	// BPF inbound-only filter, as on kernels older than 4.20. For tests.
	ForceBPFInbound bool
	// RcvBuf, when > 0, sets the socket receive buffer in bytes
	// (SO_RCVBUFFORCE, falling back to SO_RCVBUF).
	RcvBuf int
}

// Ways of keeping our own transmitted frames out of Read, as reported by
// Features.
const (
	OutgoingIgnoreSockopt = "PACKET_IGNORE_OUTGOING"
	OutgoingBPFFilter     = "cBPF-inbound-filter"
)

// features records what Open chose; see Port.Features.
type features struct {
	outgoing    string // OutgoingIgnoreSockopt or OutgoingBPFFilter
	qdiscBypass bool
	promisc     bool
	rcvBuf      int // effective SO_RCVBUF, 0 if untouched
}

func (f features) String() string {
	var sb strings.Builder
	sb.WriteString("rx=recvmmsg tx=sendmmsg vlan=auxdata outgoing=")
	sb.WriteString(f.outgoing)
	sb.WriteString(onOff(" qdisc-bypass=", f.qdiscBypass))
	sb.WriteString(onOff(" promisc=", f.promisc))
	return sb.String()
}

func onOff(k string, v bool) string {
	if v {
		return k + "on"
	}
	return k + "off"
}
