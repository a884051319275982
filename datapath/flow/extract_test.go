package flow

import (
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

const testPort PortNo = 5

// l2 returns the key every Ethernet test frame starts with.
func l2(ethType uint16) Key {
	var k Key
	k.SetInPort(testPort)
	k.SetEthSrc(mac6(macA))
	k.SetEthDst(mac6(macB))
	k.SetEthType(ethType)
	return k
}

func nw(k *Key, proto, tos, ttl, frag uint8) {
	k.SetNwProto(proto)
	k.SetNwTos(tos)
	k.SetNwTTL(ttl)
	k.SetNwFrag(frag)
}

func v4(k *Key) { k.SetIPv4Src(ip32(ip4A)); k.SetIPv4Dst(ip32(ip4B)) }
func v6(k *Key) {
	k.SetIPv6Src(ip16(ip6A))
	k.SetIPv6Dst(ip16(ip6B))
	k.SetIPv6Label(0x12345)
}
func tp(k *Key, src, dst, flags uint16) { k.SetTpSrc(src); k.SetTpDst(dst); k.SetTCPFlags(flags) }

// lay is a Layout literal helper.
func lay(l25, l3, l4 int16, nvlan int8, proto uint8) Layout {
	return Layout{L2_5: l25, L3: l3, L4: l4, NVLAN: nvlan, L4Proto: proto}
}

// raw ext headers and transport headers for IPv6 tests.
var (
	extHopByHop  = []byte{6, 0, 1, 4, 0, 0, 0, 0}       // next=TCP, len 8, PadN
	extHopToFrag = []byte{44, 0, 1, 4, 0, 0, 0, 0}      // next=fragment
	fragFirst    = []byte{6, 0, 0x00, 0x01, 0, 0, 0, 7} // offset 0, M
	fragLater    = []byte{6, 0, 0x00, 0xb8, 0, 0, 0, 7} // offset 23*8
	rawTCP       = []byte{0x04, 0xd2, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x12, 0x10, 0, 0, 0, 0, 0}
	rawUDP       = []byte{0x03, 0xe8, 0x07, 0xd0, 0, 8, 0, 0}
)

func cat(bs ...[]byte) gopacket.Payload {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

type extractCase struct {
	name  string
	frame func(t testing.TB) []byte
	ok    bool
	lay   Layout
	key   func() Key
}

func extractCases() []extractCase {
	return []extractCase{
		{"ipv4-udp", frameIPv4UDP, true, lay(12, 14, 34, 0, 17), func() Key {
			k := l2(0x0800)
			nw(&k, 17, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 1000, 2000, 0)
			return k
		}},
		{"vlan-ipv4-tcp", frameVLANTCP, true, lay(16, 18, 38, 1, 6), func() Key {
			k := l2(0x0800)
			k.SetVLAN(0, 0x8100, 5<<13|VLANCFI|10)
			nw(&k, 6, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 1234, 80, TCPSyn|TCPAck)
			return k
		}},
		{"qinq-ipv4-udp", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeQinQ),
				&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
				&layers.Dot1Q{VLANIdentifier: 0, Priority: 3, Type: layers.EthernetTypeIPv4},
				ipv4(layers.IPProtocolUDP), udpL(1, 2), payload)
		}, true, lay(20, 22, 42, 2, 17), func() Key {
			k := l2(0x0800)
			k.SetVLAN(0, 0x88a8, VLANCFI|100)
			k.SetVLAN(1, 0x8100, 3<<13|VLANCFI)
			nw(&k, 17, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 1, 2, 0)
			return k
		}},
		{"three-tags", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeDot1Q),
				&layers.Dot1Q{VLANIdentifier: 1, Type: layers.EthernetTypeDot1Q},
				&layers.Dot1Q{VLANIdentifier: 2, Type: layers.EthernetTypeDot1Q},
				&layers.Dot1Q{VLANIdentifier: 3, Type: layers.EthernetTypeIPv4},
				ipv4(layers.IPProtocolUDP), udpL(1, 2))
		}, true, lay(20, 22, -1, 2, 0), func() Key {
			k := l2(0x8100)
			k.SetVLAN(0, 0x8100, VLANCFI|1)
			k.SetVLAN(1, 0x8100, VLANCFI|2)
			return k
		}},
		{"vlan-truncated", func(t testing.TB) []byte {
			return []byte{0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x81, 0x00, 0x00, 0x0a}
		}, false, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x8100)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"ipv6-tcp", frameIPv6TCP, true, lay(12, 14, 54, 0, 6), func() Key {
			k := l2(0x86dd)
			nw(&k, 6, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 1234, 443, TCPSyn|TCPAck)
			return k
		}},
		{"ipv6-hbh-tcp", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6HopByHop), cat(extHopByHop, rawTCP))
		}, true, lay(12, 14, 62, 0, 6), func() Key {
			k := l2(0x86dd)
			nw(&k, 6, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 1234, 443, TCPSyn|TCPAck)
			return k
		}},
		{"ipv6-hbh-frag-first-tcp", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6HopByHop), cat(extHopToFrag, fragFirst, rawTCP))
		}, true, lay(12, 14, 70, 0, 6), func() Key {
			k := l2(0x86dd)
			nw(&k, 6, 0xb8, 255, FragAny)
			v6(&k)
			tp(&k, 1234, 443, TCPSyn|TCPAck)
			return k
		}},
		{"ipv6-frag-later", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6Fragment), cat(fragLater, rawTCP))
		}, true, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x86dd)
			nw(&k, 44, 0xb8, 255, FragAny|FragLater)
			v6(&k)
			return k
		}},
		{"ipv6-ext-truncated", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6HopByHop), cat([]byte{17, 2, 0, 0, 0, 0, 0, 0}, rawUDP))
		}, false, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x86dd)
			k.SetIPv6Src(ip16(ip6A))
			k.SetIPv6Dst(ip16(ip6B))
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"ipv4-first-fragment", func(t testing.TB) []byte {
			ip := ipv4(layers.IPProtocolUDP)
			ip.Flags = layers.IPv4MoreFragments
			return build(t, eth(layers.EthernetTypeIPv4), ip, udpL(7, 8), payload)
		}, true, lay(12, 14, 34, 0, 17), func() Key {
			k := l2(0x0800)
			nw(&k, 17, 0x2e, 64, FragAny)
			v4(&k)
			tp(&k, 7, 8, 0)
			return k
		}},
		{"ipv4-later-fragment", func(t testing.TB) []byte {
			ip := ipv4(layers.IPProtocolUDP)
			ip.FragOffset = 100
			return build(t, eth(layers.EthernetTypeIPv4), ip, udpL(7, 8), payload)
		}, true, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x0800)
			nw(&k, 17, 0x2e, 64, FragAny|FragLater)
			v4(&k)
			return k
		}},
		{"ipv4-padding-ignored", func(t testing.TB) []byte {
			f := build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), gopacket.Payload(rawTCP[:10]))
			return append(f, make([]byte, 30)...) // Ethernet padding must not complete the TCP header
		}, false, lay(12, 14, 34, 0, 6), func() Key {
			k := l2(0x0800)
			nw(&k, 6, 0x2e, 64, 0)
			v4(&k)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"ipv4-bad-ihl", func(t testing.TB) []byte {
			f := frameIPv4UDP(t)
			f[14] = 0x44
			return f
		}, false, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x0800)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"ipv4-total-len-too-big", func(t testing.TB) []byte {
			f := frameIPv4UDP(t)
			f[16], f[17] = 0x10, 0
			return f
		}, false, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x0800)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"arp-request", func(t testing.TB) []byte {
			return build(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macBC, EthernetType: layers.EthernetTypeARP},
				&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6,
					ProtAddressSize: 4, Operation: 1, SourceHwAddress: macA, SourceProtAddress: ip4A,
					DstHwAddress: make([]byte, 6), DstProtAddress: ip4B})
		}, true, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x0806)
			k.SetEthDst(mac6(macBC))
			k.SetNwProto(1)
			v4(&k)
			k.SetArpSha(mac6(macA))
			return k
		}},
		{"arp-truncated", func(t testing.TB) []byte {
			f := build(t, eth(layers.EthernetTypeARP), gopacket.Payload(make([]byte, 20)))
			return f[:14+20] // gopacket pads to the Ethernet minimum
		}, false, lay(12, 14, -1, 0, 0), func() Key {
			k := l2(0x0806)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"llc-stp", func(t testing.TB) []byte {
			return build(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeLLC, Length: 38},
				gopacket.Payload(append([]byte{0x42, 0x42, 0x03}, make([]byte, 35)...)))
		}, true, lay(12, 14, -1, 0, 0), func() Key { return l2(0x05ff) }},
		{"snap-ipv4", func(t testing.TB) []byte {
			f := build(t, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeLLC, Length: 40},
				gopacket.Payload([]byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00}), ipv4(layers.IPProtocolUDP), udpL(1, 2))
			return f
		}, true, lay(12, 22, 42, 0, 17), func() Key {
			k := l2(0x0800)
			nw(&k, 17, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 1, 2, 0)
			return k
		}},
		{"icmpv4-echo", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolICMPv4),
				&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: 1}, payload)
		}, true, lay(12, 14, 34, 0, 1), func() Key {
			k := l2(0x0800)
			nw(&k, 1, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 8, 0, 0)
			return k
		}},
		{"sctp", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolSCTP),
				&layers.SCTP{SrcPort: 5000, DstPort: 6000, VerificationTag: 9}, payload)
		}, true, lay(12, 14, 34, 0, 132), func() Key {
			k := l2(0x0800)
			nw(&k, 132, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 5000, 6000, 0)
			return k
		}},
		{"igmp", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolIGMP),
				gopacket.Payload([]byte{0x16, 0, 0, 0, 224, 0, 0, 5}))
		}, true, lay(12, 14, 34, 0, 2), func() Key {
			k := l2(0x0800)
			nw(&k, 2, 0x2e, 64, 0)
			v4(&k)
			tp(&k, 0x16, 0, 0)
			return k
		}},
		{"icmpv6-echo", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(128, 0)}, gopacket.Payload([]byte{0, 1, 0, 1}))
		}, true, lay(12, 14, 54, 0, 58), func() Key {
			k := l2(0x86dd)
			nw(&k, 58, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 128, 0, 0)
			return k
		}},
		{"nd-ns-sll", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)},
				cat([]byte{0, 0, 0, 0}, ip6B.To16(), []byte{1, 1}, macA))
		}, true, lay(12, 14, 54, 0, 58), func() Key {
			k := l2(0x86dd)
			nw(&k, 58, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 135, 0, 0)
			k.SetArpSha(mac6(macA))
			return k
		}},
		{"nd-na-tll", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(136, 0)},
				cat([]byte{0x60, 0, 0, 0}, ip6B.To16(), []byte{2, 1}, macB))
		}, true, lay(12, 14, 54, 0, 58), func() Key {
			k := l2(0x86dd)
			nw(&k, 58, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 136, 0, 0)
			k.SetArpTha(mac6(macB))
			return k
		}},
		{"nd-duplicate-sll", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)},
				cat([]byte{0, 0, 0, 0}, ip6B.To16(), []byte{1, 1}, macA, []byte{1, 1}, macB))
		}, true, lay(12, 14, 54, 0, 58), func() Key {
			k := l2(0x86dd)
			nw(&k, 58, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 135, 0, 0)
			return k
		}},
		{"nd-no-target", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolICMPv6),
				&layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(135, 0)}, gopacket.Payload([]byte{0, 0, 0, 0}))
		}, false, lay(12, 14, 54, 0, 58), func() Key {
			k := l2(0x86dd)
			nw(&k, 58, 0xb8, 255, 0)
			v6(&k)
			tp(&k, 135, 0, 0)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"tcp-truncated", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetTypeIPv4), ipv4(layers.IPProtocolTCP), gopacket.Payload(rawTCP[:12]))
		}, false, lay(12, 14, 34, 0, 6), func() Key {
			k := l2(0x0800)
			nw(&k, 6, 0x2e, 64, 0)
			v4(&k)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"runt", func(t testing.TB) []byte { return make([]byte, 13) }, false, lay(-1, -1, -1, 0, 0), func() Key {
			var k Key
			k.SetInPort(testPort)
			k.SetFlags(KeyFlagTruncated)
			return k
		}},
		{"other-ethertype", func(t testing.TB) []byte {
			return build(t, eth(layers.EthernetType(0x88cc)), payload)
		}, true, lay(12, 14, -1, 0, 0), func() Key { return l2(0x88cc) }},
	}
}

func TestExtract(t *testing.T) {
	for _, tc := range extractCases() {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.frame(t)
			var k Key
			var l Layout
			ok := Extract(f, testPort, &k, &l)
			if ok != tc.ok {
				t.Errorf("ok = %v, want %v", ok, tc.ok)
			}
			if want := tc.key(); k != want {
				t.Errorf("key mismatch\n got %s\nwant %s", k.String(), want.String())
			}
			if l != tc.lay {
				t.Errorf("layout = %+v, want %+v", l, tc.lay)
			}
		})
	}
}

func TestExtractAllocs(t *testing.T) {
	for _, tc := range extractCases() {
		f := tc.frame(t)
		var k Key
		var l Layout
		if n := testing.AllocsPerRun(100, func() { Extract(f, testPort, &k, &l) }); n != 0 {
			t.Errorf("%s: %v allocs per Extract, want 0", tc.name, n)
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	for _, bc := range []struct {
		name  string
		frame func(testing.TB) []byte
	}{
		{"eth-ipv4-udp", frameIPv4UDP},
		{"vlan-ipv4-tcp", frameVLANTCP},
		{"ipv6-tcp", frameIPv6TCP},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f := bc.frame(b)
			var k Key
			var l Layout
			b.ReportAllocs()
			b.SetBytes(int64(len(f)))
			for b.Loop() {
				Extract(f, testPort, &k, &l)
			}
		})
	}
}

// TestExtractL4BeyondLayoutRange: Layout offsets are int16, so a transport
// header starting past 32767 bytes (only possible with huge IPv6 extension
// header chains in jumbo frames) is reported as malformed instead of
// wrapping.
func TestExtractL4BeyondLayoutRange(t *testing.T) {
	const nHBH, hbhLenField = 16, 255 // 16 hop-by-hop headers of 2048 bytes
	var ext []byte
	for i := range nHBH {
		h := make([]byte, (hbhLenField+1)*8)
		h[0], h[1] = 0, hbhLenField // next: another hop-by-hop
		if i == nHBH-1 {
			h[0] = 17
		}
		ext = append(ext, h...)
	}
	f := build(t, eth(layers.EthernetTypeIPv6), ipv6(layers.IPProtocolIPv6HopByHop), cat(ext, rawUDP))
	var k Key
	var l Layout
	if Extract(f, 1, &k, &l) {
		t.Fatal("Extract accepted an L4 offset beyond the Layout range")
	}
	if k.Flags()&KeyFlagTruncated == 0 || l.L4 != noHeader || k.TpSrc() != 0 || k.NwProto() != 17 {
		t.Fatalf("key %s layout %+v", k.String(), l)
	}
}
