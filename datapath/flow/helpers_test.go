package flow

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Test addresses.
var (
	macA  = net.HardwareAddr{0x00, 0x00, 0x00, 0x00, 0x00, 0x01}
	macB  = net.HardwareAddr{0x00, 0x00, 0x00, 0x00, 0x00, 0x02}
	macBC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	ip4A  = net.IP{10, 0, 0, 1}
	ip4B  = net.IP{10, 0, 0, 2}
	ip6A  = net.ParseIP("fe80::1")
	ip6B  = net.ParseIP("2001:db8::2")
)

func mac6(m net.HardwareAddr) (a [6]byte) { copy(a[:], m); return }
func ip16(ip net.IP) (a [16]byte)         { copy(a[:], ip.To16()); return }
func ip32(ip net.IP) uint32               { return binary.BigEndian.Uint32(ip.To4()) }

// build serializes layers with lengths and checksums fixed, as gopacket
// computes them.
func build(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	for _, l := range ls {
		switch tl := l.(type) {
		case *layers.TCP:
			setNet(tl, ls)
		case *layers.UDP:
			setNet(tl, ls)
		case *layers.ICMPv6:
			setNet(tl, ls)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatalf("serialize: %v", err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

type netSetter interface {
	SetNetworkLayerForChecksum(gopacket.NetworkLayer) error
}

func setNet(s netSetter, ls []gopacket.SerializableLayer) {
	for _, l := range ls {
		if n, ok := l.(gopacket.NetworkLayer); ok {
			_ = s.SetNetworkLayerForChecksum(n)
		}
	}
}

func eth(t layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: t}
}

func ipv4(p layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, TOS: 0x2e, Protocol: p, SrcIP: ip4A, DstIP: ip4B}
}

func ipv6(p layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, TrafficClass: 0xb8, FlowLabel: 0x12345, HopLimit: 255, NextHeader: p, SrcIP: ip6A, DstIP: ip6B}
}

func udpL(src, dst uint16) *layers.UDP {
	return &layers.UDP{SrcPort: layers.UDPPort(src), DstPort: layers.UDPPort(dst)}
}

func tcpL(src, dst uint16) *layers.TCP {
	return &layers.TCP{SrcPort: layers.TCPPort(src), DstPort: layers.TCPPort(dst), SYN: true, ACK: true, Seq: 1, Window: 1000}
}

// payload is long enough that no test frame needs Ethernet padding.
var payload = gopacket.Payload([]byte("hello, world, govs!!"))

// The frames the benchmarks and alloc tests use.
func frameIPv4UDP(t testing.TB) []byte {
	return build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolUDP), udpL(1000, 2000), payload)
}

func frameVLANTCP(t testing.TB) []byte {
	return build(t, eth(layers.EthernetTypeDot1Q),
		&layers.Dot1Q{VLANIdentifier: 10, Priority: 5, Type: layers.EthernetTypeIPv4},
		ipv4(layers.IPProtocolTCP), tcpL(1234, 80), payload)
}

func frameIPv6TCP(t testing.TB) []byte {
	return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolTCP), tcpL(1234, 443), payload)
}

// frameGeneve is frameIPv4UDP inside Geneve (VNI 5, no options, outer UDP
// checksum) from 172.31.1.2 to 172.31.1.1, as the tunnel golden used.
func frameGeneve(t testing.TB) []byte {
	const geneveProtoTEB = 0x6558
	gnv := []byte{0, 0, geneveProtoTEB >> 8, geneveProtoTEB & 0xff, 0, 0, 5, 0}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IP{172, 31, 1, 2}, DstIP: net.IP{172, 31, 1, 1}}
	return build(t, &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1},
		EthernetType: layers.EthernetTypeIPv4}, ip, &layers.UDP{SrcPort: 40000, DstPort: 6081},
		gopacket.Payload(append(gnv, frameIPv4UDP(t)...)))
}
