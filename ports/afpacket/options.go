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
	// (SO_RCVBUFFORCE, falling back to SO_RCVBUF). It bounds the queue
	// only when reading with recvmmsg; the ring has its own size.
	RcvBuf int
	// RecvMmsg reads with recvmmsg instead of a TPACKET_V2 ring.
	RecvMmsg bool
	// RingFrames, when > 0, is the number of ring slots (rounded up to
	// whole blocks); 0 sizes the ring to about 4 MiB.
	RingFrames int
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
	ring        bool
	ringErr     string // why the ring was not set up ("" if not tried or ok)
}

func (f features) String() string {
	var sb strings.Builder
	if f.ring {
		sb.WriteString("rx=tpacket-v2-ring tx=sendmmsg vlan=tpacket-hdr outgoing=")
	} else {
		sb.WriteString("rx=recvmmsg tx=sendmmsg vlan=auxdata outgoing=")
	}
	sb.WriteString(f.outgoing)
	sb.WriteString(onOff(" qdisc-bypass=", f.qdiscBypass))
	sb.WriteString(onOff(" promisc=", f.promisc))
	if f.ringErr != "" {
		sb.WriteString(" (no rx ring: " + f.ringErr + ")")
	}
	return sb.String()
}

func onOff(k string, v bool) string {
	if v {
		return k + "on"
	}
	return k + "off"
}
