package header

import (
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func serialize(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

var (
	hwA = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	hwB = net.HardwareAddr{2, 0, 0, 0, 0, 2}
)

func TestViews(t *testing.T) {
	ip := &layers.IPv4{Version: 4, IHL: 5, TOS: 0x10, TTL: 9, Id: 77, Flags: layers.IPv4MoreFragments,
		Protocol: layers.IPProtocolTCP, SrcIP: net.IP{1, 2, 3, 4}, DstIP: net.IP{5, 6, 7, 8}}
	tcp := &layers.TCP{SrcPort: 1, DstPort: 2, Seq: 3, Ack: 4, SYN: true, FIN: true, Window: 5}
	_ = tcp.SetNetworkLayerForChecksum(ip)
	f := serialize(t, &layers.Ethernet{SrcMAC: hwA, DstMAC: hwB, EthernetType: layers.EthernetTypeIPv4}, ip, tcp)

	tests := []struct {
		name string
		got  any
		want any
	}{
		{"eth-valid", Ethernet(f).IsValid(), true},
		{"eth-src", Ethernet(f).Src(), [6]byte{2, 0, 0, 0, 0, 1}},
		{"eth-dst", Ethernet(f).Dst(), [6]byte{2, 0, 0, 0, 0, 2}},
		{"eth-type", Ethernet(f).Type(), EtherTypeIPv4},
		{"ipv4-valid", IPv4(f[14:]).IsValid(len(f) - 14), true},
		{"ipv4-v4", IPv4(f[14:]).HasVersion4(), true},
		{"ipv4-hl", IPv4(f[14:]).HeaderLen(), 20},
		{"ipv4-tos", IPv4(f[14:]).TOS(), uint8(0x10)},
		{"ipv4-ttl", IPv4(f[14:]).TTL(), uint8(9)},
		{"ipv4-id", IPv4(f[14:]).ID(), uint16(77)},
		{"ipv4-frag", IPv4(f[14:]).IsFragment(), true},
		{"ipv4-later", IPv4(f[14:]).IsLaterFragment(), false},
		{"ipv4-proto", IPv4(f[14:]).Protocol(), ProtoTCP},
		{"ipv4-src", IPv4(f[14:]).Src(), uint32(0x01020304)},
		{"ipv4-dst", IPv4(f[14:]).Dst(), uint32(0x05060708)},
		{"ipv4-csum", IPv4(f[14:]).CalculateChecksum(), IPv4(f[14:]).Checksum()},
		{"ipv4-short", IPv4(f[14:]).IsValid(19), false},
		{"tcp-valid", TCP(f[34:]).IsValid(), true},
		{"tcp-ports", [2]uint16{TCP(f[34:]).SrcPort(), TCP(f[34:]).DstPort()}, [2]uint16{1, 2}},
		{"tcp-seq-ack", [2]uint32{TCP(f[34:]).Seq(), TCP(f[34:]).Ack()}, [2]uint32{3, 4}},
		{"tcp-flags", TCP(f[34:]).Flags(), uint16(0x003)},
		{"tcp-short", TCP(f[34:50]).IsValid(), false},
		{"vlan-tpid", IsVLANTPID(EtherTypeQinQ), true},
		{"not-vlan-tpid", IsVLANTPID(EtherTypeIPv4), false},
		{"ext-hdr", IsIPv6ExtHeader(ProtoFragment), true},
		{"not-ext-hdr", IsIPv6ExtHeader(ProtoTCP), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestIPv4SettersKeepChecksum(t *testing.T) {
	f := serialize(t, &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}, gopacket.Payload(make([]byte, 8)))
	ip := IPv4(f)
	steps := []struct {
		name string
		do   func()
	}{
		{"src", func() { ip.SetSrcWithChecksumUpdate(0xc0a80101) }},
		{"dst", func() { ip.SetDstWithChecksumUpdate(0xffffffff) }},
		{"tos", func() { ip.SetTOSWithChecksumUpdate(0xfe) }},
		{"ttl", func() { ip.SetTTLWithChecksumUpdate(1) }},
	}
	for _, s := range steps {
		s.do()
		if ip.CalculateChecksum() != ip.Checksum() {
			t.Fatalf("%s: checksum %#x, recomputed %#x", s.name, ip.Checksum(), ip.CalculateChecksum())
		}
	}
}

func TestARPView(t *testing.T) {
	f := serialize(t, &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: 2, SourceHwAddress: hwA, SourceProtAddress: net.IP{1, 1, 1, 1},
		DstHwAddress: hwB, DstProtAddress: net.IP{2, 2, 2, 2}})
	a := ARP(f)
	if !a.IsValid() || a.Op() != ARPOpReply || a.SPA() != 0x01010101 || a.TPA() != 0x02020202 ||
		a.SHA() != [6]byte(hwA) || a.THA() != [6]byte(hwB) {
		t.Errorf("bad ARP view of %x", f)
	}
	f[5] = 16 // protocol address length
	if ARP(f).IsValid() {
		t.Error("ARP with plen 16 is not Ethernet/IPv4")
	}
}

func TestNDOptions(t *testing.T) {
	tests := []struct {
		name  string
		opts  []byte
		types []uint8
	}{
		{"sll-tll", []byte{1, 1, 1, 2, 3, 4, 5, 6, 2, 1, 6, 5, 4, 3, 2, 1}, []uint8{1, 2}},
		{"zero-length-stops", []byte{1, 0, 1, 2, 3, 4, 5, 6}, nil},
		{"overlong-stops", []byte{1, 1, 1, 2, 3, 4, 5, 6, 3, 2, 0, 0, 0, 0, 0, 0}, []uint8{1}},
		{"short", []byte{1, 1, 1}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []uint8
			o := NDOptions(tc.opts)
			for {
				typ, _, _, rest, ok := o.Next()
				if !ok {
					break
				}
				got = append(got, typ)
				o = rest
			}
			if len(got) != len(tc.types) {
				t.Fatalf("types %v, want %v", got, tc.types)
			}
			for i := range got {
				if got[i] != tc.types[i] {
					t.Fatalf("types %v, want %v", got, tc.types)
				}
			}
		})
	}
}

// FuzzViews calls every accessor of every view whose validity check
// passes: nothing may panic.
func FuzzViews(f *testing.F) {
	seedIP := &layers.IPv4{Version: 4, IHL: 5, TTL: 1, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IP{1, 2, 3, 4}, DstIP: net.IP{5, 6, 7, 8}}
	seedTCP := &layers.TCP{SrcPort: 1, DstPort: 2}
	_ = seedTCP.SetNetworkLayerForChecksum(seedIP)
	f.Add(serialize(f, seedIP, seedTCP))
	f.Add([]byte{0x46, 0, 0, 20, 0, 0, 0, 0})
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, b []byte) {
		if e := Ethernet(b); e.IsValid() {
			_, _, _ = e.Dst(), e.Src(), e.Type()
			e.SetType(e.Type())
		}
		if v := VLAN(b); v.IsValid() {
			v.Set(v.TPID(), v.TCI())
		}
		if s := LLCSNAP(b); s.IsValid() {
			_, _ = s.IsEthernetSNAP(), s.Type()
		}
		if a := ARP(b); a.IsValid() {
			_, _, _, _, _ = a.Op(), a.SHA(), a.THA(), a.SPA(), a.TPA()
		}
		if ip := IPv4(b); ip.IsValid(len(b)) {
			_, _, _, _, _ = ip.HasVersion4(), ip.TOS(), ip.ID(), ip.IsFragment(), ip.IsLaterFragment()
			good := ip.CalculateChecksum() == ip.Checksum()
			ip.SetSrcWithChecksumUpdate(ip.Dst())
			ip.SetTTLWithChecksumUpdate(ip.TTL() + 1)
			ip.SetTOSWithChecksumUpdate(ip.TOS() ^ 1)
			if good && ip.CalculateChecksum() != ip.Checksum() {
				t.Fatal("setter broke a valid IPv4 checksum")
			}
		}
		if ip := IPv6(b); ip.IsValid(len(b)) {
			_, _, _, _ = ip.TrafficClass(), ip.FlowLabel(), ip.NextHeader(), ip.HopLimit()
			_, _ = ip.Src(), ip.Dst()
			ip.SetHopLimit(1)
		}
		if e := IPv6ExtHdr(b); e.IsValid() {
			_, _ = e.NextHeader(), e.Len()
		}
		if a := IPv6AH(b); a.IsValid() {
			_, _ = a.NextHeader(), a.Len()
		}
		if fr := IPv6Fragment(b); fr.IsValid() {
			_, _, _ = fr.NextHeader(), fr.OffsetFlags(), fr.ID()
		}
		if tc := TCP(b); tc.IsValid() {
			_, _, _, _, _ = tc.Seq(), tc.Ack(), tc.Flags(), tc.HeaderLen(), tc.Checksum()
			tc.SetSrcPortWithChecksumUpdate(tc.DstPort())
			tc.SetDstPortWithChecksumUpdate(tc.SrcPort())
		}
		if u := UDP(b); u.IsValid() {
			_ = u.Length()
			u.SetSrcPortWithChecksumUpdate(u.DstPort())
			u.SetDstPortWithChecksumUpdate(u.SrcPort())
			u.UpdateChecksum32(1, 2)
		}
		if s := SCTP(b); s.IsValid() {
			_ = s.VerificationTag()
			good := s.CalculateChecksum() == s.Checksum()
			s.SetPortsWithChecksumUpdate(s.DstPort(), s.SrcPort())
			if good && s.CalculateChecksum() != s.Checksum() {
				t.Fatal("SCTP port rewrite broke a valid CRC")
			}
		}
		if i := ICMPv4(b); i.IsValid() {
			_, _, _ = i.Type(), i.Code(), i.Checksum()
			i.SetTypeWithChecksumUpdate(i.Code())
			i.SetCodeWithChecksumUpdate(i.Type())
		}
		if i := ICMPv6(b); i.IsValid() {
			_, _ = i.IsND(), i.Checksum()
			i.SetTypeWithChecksumUpdate(1)
			i.SetCodeWithChecksumUpdate(2)
		}
		if n := NDP(b); n.IsValid() {
			_ = n.Target()
			o := n.Options()
			for {
				_, l, body, rest, ok := o.Next()
				if !ok {
					break
				}
				if l < NDOptUnit || len(body) != l-2 {
					t.Fatalf("option length %d body %d", l, len(body))
				}
				o = rest
			}
		}
	})
}
