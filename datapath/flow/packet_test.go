package flow

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// testHeadroom is the headroom test packets get (as ports.Headroom would).
const testHeadroom = 16

// newPacket copies f into a buffer with headroom and extracts its layout.
func newPacket(f []byte, headroom int) *Packet {
	buf := make([]byte, headroom+len(f))
	copy(buf[headroom:], f)
	p := &Packet{Buf: buf, Off: headroom, Len: len(f)}
	var k Key
	Extract(p.Frame(), 1, &k, &p.L)
	return p
}

// ipv4With returns the IPv4 test header with fn applied.
func ipv4With(p layers.IPProtocol, fn func(*layers.IPv4)) *layers.IPv4 {
	ip := ipv4(p)
	fn(ip)
	return ip
}

func ipv6With(p layers.IPProtocol, fn func(*layers.IPv6)) *layers.IPv6 {
	ip := ipv6(p)
	fn(ip)
	return ip
}

var (
	newIP4  = []byte{192, 168, 7, 9}
	newIP4u = ip32(newIP4)
)

func zeroUDPCsum(f []byte, l4 int) []byte {
	f[l4+6], f[l4+7] = 0, 0
	return f
}

// TestPacketModify applies each modification and compares the result
// byte for byte with the frame gopacket builds with the new values and
// checksums fully recomputed.
func TestPacketModify(t *testing.T) {
	e4 := func() *layers.Ethernet { return eth(layers.EthernetTypeIPv4) }
	e6 := func() *layers.Ethernet { return eth(layers.EthernetTypeIPv6) }
	setSrc := func(ip *layers.IPv4) { ip.SrcIP = newIP4 }
	setDst := func(ip *layers.IPv4) { ip.DstIP = newIP4 }
	tests := []struct {
		name   string
		before func(t testing.TB) []byte
		apply  func(p *Packet) bool
		after  func(t testing.TB) []byte
		ret    bool
	}{
		{"ipv4-src-udp", frameIPv4UDP, func(p *Packet) bool { p.SetIPv4Src(newIP4u); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4With(layers.IPProtocolUDP, setSrc), udpL(1000, 2000), payload)
			}, true},
		{"ipv4-dst-tcp-vlan", frameVLANTCP, func(p *Packet) bool { p.SetIPv4Dst(newIP4u); return true },
			func(t testing.TB) []byte {
				return build(t, eth(layers.EthernetTypeDot1Q),
					&layers.Dot1Q{VLANIdentifier: 10, Priority: 5, Type: layers.EthernetTypeIPv4},
					ipv4With(layers.IPProtocolTCP, setDst), tcpL(1234, 80), payload)
			}, true},
		{"ipv4-src-udp-zero-csum-stays-zero", func(t testing.TB) []byte { return zeroUDPCsum(frameIPv4UDP(t), 34) },
			func(p *Packet) bool { p.SetIPv4Src(newIP4u); return true },
			func(t testing.TB) []byte {
				return zeroUDPCsum(build(t, e4(), ipv4With(layers.IPProtocolUDP, setSrc), udpL(1000, 2000), payload), 34)
			}, true},
		{"ipv4-src-icmp", func(t testing.TB) []byte {
			return build(t, e4(), ipv4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)}, payload)
		}, func(p *Packet) bool { p.SetIPv4Src(newIP4u); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4With(layers.IPProtocolICMPv4, setSrc), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0)}, payload)
			}, true},
		{"ipv4-dst-later-fragment", func(t testing.TB) []byte {
			return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.FragOffset = 10 }), payload)
		}, func(p *Packet) bool { p.SetIPv4Dst(newIP4u); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.FragOffset = 10; ip.DstIP = newIP4 }), payload)
			}, true},
		{"ipv4-tos", frameIPv4UDP, func(p *Packet) bool { p.SetIPv4Tos(0xb9); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.TOS = 0xb9 }), udpL(1000, 2000), payload)
			}, true},
		{"ipv4-ttl", frameIPv4UDP, func(p *Packet) bool { p.SetIPv4TTL(1); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.TTL = 1 }), udpL(1000, 2000), payload)
			}, true},
		{"dec-ttl-ipv4", frameIPv4UDP, func(p *Packet) bool { return p.DecTTL() },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.TTL = 63 }), udpL(1000, 2000), payload)
			}, true},
		{"dec-ttl-ipv4-expired", func(t testing.TB) []byte {
			return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.TTL = 1 }), udpL(1, 2))
		}, func(p *Packet) bool { return p.DecTTL() }, func(t testing.TB) []byte {
			return build(t, e4(), ipv4With(layers.IPProtocolUDP, func(ip *layers.IPv4) { ip.TTL = 1 }), udpL(1, 2))
		}, false},
		{"dec-ttl-ipv6", frameIPv6TCP, func(p *Packet) bool { return p.DecTTL() },
			func(t testing.TB) []byte {
				return build(t, e6(), ipv6With(layers.IPProtocolTCP, func(ip *layers.IPv6) { ip.HopLimit = 254 }), tcpL(1234, 443), payload)
			}, true},
		{"dec-ttl-ipv6-expired", func(t testing.TB) []byte {
			return build(t, e6(), ipv6With(layers.IPProtocolTCP, func(ip *layers.IPv6) { ip.HopLimit = 0 }), tcpL(1, 2))
		}, func(p *Packet) bool { return p.DecTTL() }, func(t testing.TB) []byte {
			return build(t, e6(), ipv6With(layers.IPProtocolTCP, func(ip *layers.IPv6) { ip.HopLimit = 0 }), tcpL(1, 2))
		}, false},
		{"dec-ttl-arp", func(t testing.TB) []byte { return frameByName(t, "arp-request") },
			func(p *Packet) bool { return p.DecTTL() }, func(t testing.TB) []byte { return frameByName(t, "arp-request") }, false},
		{"tp-src-udp", frameIPv4UDP, func(p *Packet) bool { p.SetTpSrc(53); return true },
			func(t testing.TB) []byte { return build(t, e4(), ipv4(layers.IPProtocolUDP), udpL(53, 2000), payload) }, true},
		{"tp-dst-udp-zero-csum", func(t testing.TB) []byte { return zeroUDPCsum(frameIPv4UDP(t), 34) },
			func(p *Packet) bool { p.SetTpDst(53); return true },
			func(t testing.TB) []byte {
				return zeroUDPCsum(build(t, e4(), ipv4(layers.IPProtocolUDP), udpL(1000, 53), payload), 34)
			}, true},
		{"tp-dst-tcp", frameVLANTCP, func(p *Packet) bool { p.SetTpDst(8080); return true },
			func(t testing.TB) []byte {
				return build(t, eth(layers.EthernetTypeDot1Q),
					&layers.Dot1Q{VLANIdentifier: 10, Priority: 5, Type: layers.EthernetTypeIPv4},
					ipv4(layers.IPProtocolTCP), tcpL(1234, 8080), payload)
			}, true},
		{"tp-src-tcp6", frameIPv6TCP, func(p *Packet) bool { p.SetTpSrc(4321); return true },
			func(t testing.TB) []byte { return build(t, e6(), ipv6(layers.IPProtocolTCP), tcpL(4321, 443), payload) }, true},
		{"tp-dst-udp6", func(t testing.TB) []byte {
			return build(t, e6(), ipv6(layers.IPProtocolUDP), udpL(1, 2), payload)
		}, func(p *Packet) bool { p.SetTpDst(65535); return true },
			func(t testing.TB) []byte { return build(t, e6(), ipv6(layers.IPProtocolUDP), udpL(1, 65535), payload) }, true},
		{"tp-src-sctp", func(t testing.TB) []byte {
			return build(t, e4(), ipv4(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 5000, DstPort: 6000, VerificationTag: 9}, payload)
		}, func(p *Packet) bool { p.SetTpSrc(7); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 7, DstPort: 6000, VerificationTag: 9}, payload)
			}, true},
		{"tp-dst-sctp6", func(t testing.TB) []byte {
			return build(t, e6(), ipv6(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 5000, DstPort: 6000, VerificationTag: 9}, payload)
		}, func(p *Packet) bool { p.SetTpDst(9); return true },
			func(t testing.TB) []byte {
				return build(t, e6(), ipv6(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 5000, DstPort: 9, VerificationTag: 9}, payload)
			}, true},
		{"tp-src-icmp-type", func(t testing.TB) []byte {
			return build(t, e4(), ipv4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 3}, payload)
		}, func(p *Packet) bool { p.SetTpSrc(0); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4(layers.IPProtocolICMPv4), &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(0, 0), Id: 3}, payload)
			}, true},
		{"tp-dst-icmpv6-code", func(t testing.TB) []byte {
			return build(t, e6(), ipv6(layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 0)}, payload)
		}, func(p *Packet) bool { p.SetTpDst(4); return true },
			func(t testing.TB) []byte {
				return build(t, e6(), ipv6(layers.IPProtocolICMPv6), &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}, payload)
			}, true},
		{"eth-src-dst", frameIPv4UDP, func(p *Packet) bool { p.SetEthSrc(mac6(macBC)); p.SetEthDst(mac6(macA)); return true },
			func(t testing.TB) []byte {
				return build(t, &layers.Ethernet{SrcMAC: macBC, DstMAC: macA, EthernetType: layers.EthernetTypeIPv4},
					ipv4(layers.IPProtocolUDP), udpL(1000, 2000), payload)
			}, true},
		{"push-vlan", frameIPv4UDP, func(p *Packet) bool { return p.PushVLAN(0x8100, 5<<13|10) },
			func(t testing.TB) []byte {
				return build(t, eth(layers.EthernetTypeDot1Q), &layers.Dot1Q{VLANIdentifier: 10, Priority: 5, Type: layers.EthernetTypeIPv4},
					ipv4(layers.IPProtocolUDP), udpL(1000, 2000), payload)
			}, true},
		{"push-vlan-qinq", frameVLANTCP, func(p *Packet) bool { return p.PushVLAN(0x88a8, 100) },
			func(t testing.TB) []byte {
				return build(t, eth(layers.EthernetTypeQinQ), &layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
					&layers.Dot1Q{VLANIdentifier: 10, Priority: 5, Type: layers.EthernetTypeIPv4},
					ipv4(layers.IPProtocolTCP), tcpL(1234, 80), payload)
			}, true},
		{"pop-vlan", frameVLANTCP, func(p *Packet) bool { p.PopVLAN(); return true },
			func(t testing.TB) []byte {
				return build(t, e4(), ipv4(layers.IPProtocolTCP), tcpL(1234, 80), payload)
			}, true},
		{"pop-vlan-untagged-noop", frameIPv4UDP, func(p *Packet) bool { p.PopVLAN(); return true }, frameIPv4UDP, true},
		{"set-ipv4-on-ipv6-noop", frameIPv6TCP, func(p *Packet) bool {
			p.SetIPv4Src(1)
			p.SetIPv4Tos(1)
			p.SetIPv4TTL(1)
			return true
		}, frameIPv6TCP, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newPacket(tc.before(t), testHeadroom)
			if got := tc.apply(p); got != tc.ret {
				t.Errorf("returned %v, want %v", got, tc.ret)
			}
			want := tc.after(t)
			if !bytes.Equal(p.Frame(), want) {
				t.Errorf("frame mismatch\n got %s\nwant %s", hex.EncodeToString(p.Frame()), hex.EncodeToString(want))
			}
			// The layout the methods maintain equals a fresh Extract.
			var k Key
			var l Layout
			Extract(p.Frame(), 1, &k, &l)
			if l != p.L {
				t.Errorf("layout %+v, fresh extract %+v", p.L, l)
			}
		})
	}
}

func TestPushVLANNoHeadroom(t *testing.T) {
	f := frameIPv4UDP(t)
	p := newPacket(f, 3)
	before := *p
	if p.PushVLAN(0x8100, 1) {
		t.Fatal("PushVLAN succeeded without headroom")
	}
	if p.Off != before.Off || p.Len != before.Len || p.L != before.L || !bytes.Equal(p.Frame(), f) {
		t.Fatal("failed PushVLAN changed the packet")
	}
}

// TestSCTPWrongCRCStaysWrong checks the OVS behaviour: a bad CRC stays
// bad by the same difference after a port rewrite.
func TestSCTPWrongCRCStaysWrong(t *testing.T) {
	f := build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 1, DstPort: 2}, payload)
	f[34+8] ^= 0x5a
	p := newPacket(f, testHeadroom)
	p.SetTpDst(3)
	want := build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 1, DstPort: 3}, payload)
	want[34+8] ^= 0x5a
	if !bytes.Equal(p.Frame(), want) {
		t.Errorf("got %x\nwant %x", p.Frame(), want)
	}
}

// TestPacketMethodsOnGarbage calls every method on packets whose Layout
// does not describe the frame: nothing may panic.
func TestPacketMethodsOnGarbage(t *testing.T) {
	for _, p := range []Packet{
		{},
		{Buf: make([]byte, 10), Off: 20, Len: 5},
		{Buf: make([]byte, 64), Off: 4, Len: 60, L: Layout{L3: 100, L4: 200, L2_5: 50, L4Proto: 6}},
		{Buf: make([]byte, 64), Off: 4, Len: 60, L: Layout{L3: 14, L4: 10, L2_5: 12, L4Proto: 17}},
		{Buf: make([]byte, 64), Off: 4, Len: 60, L: Layout{L3: -5, L4: -9, L2_5: -1, L4Proto: 132}},
		{Buf: make([]byte, 64), Off: -1, Len: 60},
	} {
		applyAll(&p)
	}
}

// applyAll runs every Packet method once.
func applyAll(p *Packet) {
	p.SetEthSrc(mac6(macA))
	p.SetEthDst(mac6(macB))
	p.SetIPv4Src(1)
	p.SetIPv4Dst(2)
	p.SetIPv4Tos(3)
	p.SetIPv4TTL(4)
	p.DecTTL()
	p.SetTpSrc(5)
	p.SetTpDst(6)
	p.PushVLAN(0x8100, 7)
	p.PopVLAN()
	p.PopVLAN()
	_ = p.Frame()
}

func TestPacketAllocs(t *testing.T) {
	frames := map[string][]byte{
		"udp4": frameIPv4UDP(t), "vlantcp": frameVLANTCP(t), "tcp6": frameIPv6TCP(t),
		"sctp": build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolSCTP), &layers.SCTP{SrcPort: 1, DstPort: 2}, payload),
	}
	methods := map[string]func(p *Packet){
		"SetEthSrc":  func(p *Packet) { p.SetEthSrc(mac6(macA)) },
		"SetEthDst":  func(p *Packet) { p.SetEthDst(mac6(macB)) },
		"SetIPv4Src": func(p *Packet) { p.SetIPv4Src(1) },
		"SetIPv4Dst": func(p *Packet) { p.SetIPv4Dst(2) },
		"SetIPv4Tos": func(p *Packet) { p.SetIPv4Tos(3) },
		"SetIPv4TTL": func(p *Packet) { p.SetIPv4TTL(4) },
		"DecTTL":     func(p *Packet) { p.DecTTL() },
		"SetTpSrc":   func(p *Packet) { p.SetTpSrc(5) },
		"SetTpDst":   func(p *Packet) { p.SetTpDst(6) },
		"PushPopVLAN": func(p *Packet) {
			p.PushVLAN(0x8100, 7)
			p.PopVLAN()
		},
		"Frame": func(p *Packet) { _ = p.Frame() },
	}
	for fn, f := range frames {
		for mn, m := range methods {
			p := newPacket(f, testHeadroom)
			if n := testing.AllocsPerRun(100, func() { m(p) }); n != 0 {
				t.Errorf("%s on %s: %v allocs, want 0", mn, fn, n)
			}
		}
	}
}

func BenchmarkPacket(b *testing.B) {
	f := frameVLANTCP(b)
	b.Run("SetIPv4Src+SetTpDst", func(b *testing.B) {
		p := newPacket(f, testHeadroom)
		b.ReportAllocs()
		for b.Loop() {
			p.SetIPv4Src(0x0a000001)
			p.SetTpDst(80)
		}
	})
	b.Run("PushPopVLAN", func(b *testing.B) {
		p := newPacket(f, testHeadroom)
		b.ReportAllocs()
		for b.Loop() {
			p.PushVLAN(0x88a8, 1)
			p.PopVLAN()
		}
	})
	b.Run("DecTTL", func(b *testing.B) {
		p := newPacket(f, testHeadroom)
		b.ReportAllocs()
		for b.Loop() {
			if !p.DecTTL() {
				p.SetIPv4TTL(64)
			}
		}
	})
}
