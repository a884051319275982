package gen

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Frame geometry (untagged Ethernet, IPv4 without options, UDP).
const (
	// FCSLen is the Ethernet frame check sequence the NIC appends; frame
	// sizes given to Template include it (RFC 2544).
	FCSLen = 4
	// MinSize and MaxSize bound Template's size (with FCS).
	MinSize = 64
	MaxSize = 1518
	ethLen  = 14
	ipv4Len = 20
	udpLen  = 8
	// Offsets in the frame.
	offSrcMAC   = 6
	offIP       = ethLen
	offIPCsum   = offIP + 10
	offIPSrc    = offIP + 12
	offUDP      = offIP + ipv4Len
	offUDPSport = offUDP
	offUDPCsum  = offUDP + 6
	// OffPayload is where the UDP payload (and the Stamp) starts.
	OffPayload = offUDP + udpLen
	ipTTL      = 64
)

// Spec describes the template frame: flow 0 of every flow set.
type Spec struct {
	Size             int // frame size with FCS, MinSize..MaxSize
	SrcMAC, DstMAC   net.HardwareAddr
	SrcIP, DstIP     netip.Addr
	SrcPort, DstPort uint16
}

var errSpec = errors.New("gen: invalid frame spec")

// Template builds the frame Spec describes (Size-FCSLen bytes) with a zero
// Stamp in its payload.
func Template(s Spec) ([]byte, error) {
	if s.Size < MinSize || s.Size > MaxSize {
		return nil, fmt.Errorf("%w: size %d outside %d..%d", errSpec, s.Size, MinSize, MaxSize)
	}
	if len(s.SrcMAC) != 6 || len(s.DstMAC) != 6 || !s.SrcIP.Is4() || !s.DstIP.Is4() {
		return nil, fmt.Errorf("%w: need 6-byte MACs and IPv4 addresses", errSpec)
	}
	payload := make([]byte, s.Size-FCSLen-OffPayload)
	eth := &layers.Ethernet{SrcMAC: s.SrcMAC, DstMAC: s.DstMAC, EthernetType: layers.EthernetTypeIPv4}
	src, dst := s.SrcIP.As4(), s.DstIP.As4()
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: ipTTL, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IP(src[:]), DstIP: net.IP(dst[:])}
	udp := &layers.UDP{SrcPort: layers.UDPPort(s.SrcPort), DstPort: layers.UDPPort(s.DstPort)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		return nil, fmt.Errorf("gen: serialize: %w", err)
	}
	f := append([]byte(nil), buf.Bytes()...)
	// UDP checksum 0 = none (IPv4): the sender rewrites ports and the
	// payload per packet and does not recompute it.
	f[offUDPCsum], f[offUDPCsum+1] = 0, 0
	return f, nil
}
