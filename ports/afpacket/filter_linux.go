package afpacket

import "golang.org/x/sys/unix"

// Classic BPF for OVS's "inbound only" filter (netdev-linux.c,
// tcpdump -dd inbound): drop frames whose pkttype is PACKET_OUTGOING.
const (
	skfAdOff       = -0x1000 // SKF_AD_OFF
	skfAdPkttype   = 4       // SKF_AD_PKTTYPE
	packetOutgoing = 4       // PACKET_OUTGOING
	bpfAcceptAll   = 0xffffffff
	bpfDrop        = 0
)

// inboundFilter returns the program: A = pkttype; if A == OUTGOING drop
// else accept the whole frame.
func inboundFilter() []unix.SockFilter {
	return []unix.SockFilter{
		{Code: unix.BPF_LD | unix.BPF_B | unix.BPF_ABS, K: 1<<32 + skfAdOff + skfAdPkttype},
		{Code: unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K, Jt: 0, Jf: 1, K: packetOutgoing},
		{Code: unix.BPF_RET | unix.BPF_K, K: bpfDrop},
		{Code: unix.BPF_RET | unix.BPF_K, K: bpfAcceptAll},
	}
}

// attachInboundFilter attaches inboundFilter to fd (SO_ATTACH_FILTER).
func attachInboundFilter(fd int) error {
	f := inboundFilter()
	prog := unix.SockFprog{Len: uint16(len(f)), Filter: &f[0]}
	return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &prog)
}
