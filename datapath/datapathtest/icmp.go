package datapathtest

import "encoding/binary"

// ICMPv4 echo, as much as Ping needs.
const (
	icmpEchoReply   = 0
	icmpEchoRequest = 8
	icmpHdrLen      = 8
	icmpCsumOff     = 2
	icmpIDOff       = 4
	icmpSeqOff      = 6
	ipv4MinHdrLen   = 20
	ipv4IHLMask     = 0x0f
	ipv4VersionOff  = 4
	ipVersion4      = 4
	ipv4ProtoOff    = 9
	ipv4WordLen     = 4
	ipProtoICMP     = 1
)

// AppendEchoRequest appends an ICMPv4 echo request (id, seq, payload) with
// its checksum to b.
func AppendEchoRequest(b []byte, id, seq uint16, payload []byte) []byte {
	start := len(b)
	b = append(b, icmpEchoRequest, 0, 0, 0)
	b = binary.BigEndian.AppendUint16(b, id)
	b = binary.BigEndian.AppendUint16(b, seq)
	b = append(b, payload...)
	binary.BigEndian.PutUint16(b[start+icmpCsumOff:], ipv4Checksum(b[start:]))
	return b
}

// ParseEchoReply reads an IPv4 datagram as a raw ICMP socket returns it
// (IP header included) and reports the id and sequence number if it is an
// ICMP echo reply. It never reads outside pkt.
func ParseEchoReply(pkt []byte) (id, seq uint16, ok bool) {
	if len(pkt) < ipv4MinHdrLen || pkt[0]>>ipv4VersionOff != ipVersion4 || pkt[ipv4ProtoOff] != ipProtoICMP {
		return 0, 0, false
	}
	ihl := int(pkt[0]&ipv4IHLMask) * ipv4WordLen
	if ihl < ipv4MinHdrLen || len(pkt) < ihl+icmpHdrLen {
		return 0, 0, false
	}
	icmp := pkt[ihl:]
	if icmp[0] != icmpEchoReply || icmp[1] != 0 {
		return 0, 0, false
	}
	return binary.BigEndian.Uint16(icmp[icmpIDOff:]), binary.BigEndian.Uint16(icmp[icmpSeqOff:]), true
}

// pingPayload marks our echo requests.
var pingPayload = []byte("govs-datapathtest-ping")
