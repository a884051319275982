package tunnel

import (
	"bytes"
	"govs/tunnel/tlv"
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"govs/datapath/flow"
	"govs/ports"
)

// innerFrame is an Ethernet/IPv4/UDP frame to encapsulate.
func innerFrame(t testing.TB, payload int) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{192, 168, 1, 10}, DstIP: net.IP{192, 168, 1, 20}}
	udp := &layers.UDP{SrcPort: 1234, DstPort: 5678}
	_ = udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip, udp, gopacket.Payload(bytes.Repeat([]byte{0xab}, payload)))
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// packetOf puts frame in a buffer with ports.Headroom in front, extracted.
func packetOf(frame []byte) *flow.Packet {
	buf := make([]byte, ports.BufLen)
	copy(buf[ports.Headroom:], frame)
	p := &flow.Packet{Buf: buf, Off: ports.Headroom, Len: len(frame)}
	var k flow.Key
	flow.Extract(p.Frame(), 1, &k, &p.L)
	return p
}

func TestEncapMatchesGopacket(t *testing.T) {
	opts := AppendOption(nil, 0x0102, 0x80, []byte{0x0a, 0x0b, 0x0c, 0x0d})
	opts = AppendOption(opts, 0xffff, 0x01, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	tests := []struct {
		name string
		h    Header
	}{
		{"geneve", Header{Type: TypeGeneve, Src: 0x0a01012a, Dst: 0x0a010129, DstPort: GenevePort, VNI: 1, TTL: 64, DF: true}},
		{"geneve-csum-tos", Header{Type: TypeGeneve, Src: 0x0a01012a, Dst: 0x0a010129, DstPort: GenevePort, VNI: 0xabcdef, TOS: 0x28, TTL: 9, Csum: true}},
		{"geneve-oam", Header{Type: TypeGeneve, Src: 1, Dst: 2, DstPort: GenevePort, VNI: 3, TTL: 64, OAM: true}},
		{"geneve-opts", Header{Type: TypeGeneve, Src: 1, Dst: 2, DstPort: GenevePort, VNI: 5, TTL: 64, DF: true, OptLen: uint8(len(opts))}},
		{"vxlan", Header{Type: TypeVXLAN, Src: 0x0a01012a, Dst: 0x0a010129, DstPort: VXLANPort, VNI: 5001, TTL: 64, DF: true}},
		{"vxlan-csum", Header{Type: TypeVXLAN, Src: 0x0a01012a, Dst: 0x0a010129, DstPort: VXLANPort, VNI: 0xffffff, TTL: 1, Csum: true}},
	}
	copy(tests[3].h.Opts[:], opts)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inner := innerFrame(t, 100)
			p := packetOf(inner)
			tmpl := make([]byte, tc.h.Len())
			tc.h.template(tmpl)
			if r := Encap(p, &tc.h, tmpl); r != EncapOK {
				t.Fatalf("Encap = %d", r)
			}
			if p.Len != len(inner)+tc.h.Len() {
				t.Fatalf("len %d", p.Len)
			}
			pkt := gopacket.NewPacket(p.Frame(), layers.LayerTypeEthernet, gopacket.Default)
			if el := pkt.ErrorLayer(); el != nil {
				t.Fatalf("gopacket: %v", el.Error())
			}
			ip := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
			if ip.TTL != tc.h.TTL || ip.TOS != tc.h.TOS || ip.Flags&layers.IPv4DontFragment != 0 != tc.h.DF ||
				ip.SrcIP.Equal(net.IP(addr4(tc.h.Src).AsSlice())) == false || ip.DstIP.Equal(net.IP(addr4(tc.h.Dst).AsSlice())) == false {
				t.Fatalf("outer IPv4 %+v", ip)
			}
			// Recompute the IPv4 checksum with gopacket and compare.
			hdr := append([]byte(nil), p.Frame()[ethLen:ethLen+ipv4Len]...)
			hdr[10], hdr[11] = 0, 0
			if want := ^checksum(hdr); want != ip.Checksum {
				t.Fatalf("ipv4 checksum %#x, want %#x", ip.Checksum, want)
			}
			udp := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
			if udp.DstPort != layers.UDPPort(tc.h.DstPort) || udp.SrcPort < srcPortMin || udp.SrcPort >= srcPortMax {
				t.Fatalf("udp ports %d -> %d", udp.SrcPort, udp.DstPort)
			}
			if int(udp.Length) != p.Len-ethLen-ipv4Len {
				t.Fatalf("udp length %d", udp.Length)
			}
			if tc.h.Csum == (udp.Checksum == 0) {
				t.Fatalf("udp checksum %#x with csum=%v", udp.Checksum, tc.h.Csum)
			}
			if tc.h.Csum {
				verify := append([]byte(nil), p.Frame()...)
				if got, _, e := Decap(verify, tc.h.Type, testTLV(t), new(flow.Key)); e != DecapOK || got == 0 {
					t.Fatalf("checksum does not verify: %v", e)
				}
			}
			var got []byte
			switch tc.h.Type {
			case TypeGeneve:
				g, ok := pkt.Layer(layers.LayerTypeGeneve).(*layers.Geneve)
				if !ok {
					t.Fatalf("no Geneve layer: %v", pkt)
				}
				if g.Version != 0 || g.VNI != tc.h.VNI || g.Protocol != layers.EthernetType(ProtoTEB) || g.OAMPacket != tc.h.OAM ||
					int(g.OptionsLength) != int(tc.h.OptLen) || g.CriticalOption != OptionsCritical(tc.h.Opts[:tc.h.OptLen]) {
					t.Fatalf("geneve %+v", g)
				}
				var want []*layers.GeneveOption
				for o, rest := tc.h.Opts[:tc.h.OptLen], []byte(nil); len(o) > 0; o = rest {
					var x GeneveOption
					x, rest, _ = NextOption(o)
					want = append(want, &layers.GeneveOption{Class: x.Class, Type: x.Type, Length: uint8(len(x.Data) + 4), Data: x.Data})
				}
				if len(want) != len(g.Options) {
					t.Fatalf("options %d, want %d", len(g.Options), len(want))
				}
				for i := range want {
					o := g.Options[i]
					if o.Class != want[i].Class || o.Type != want[i].Type || o.Length != want[i].Length || !bytes.Equal(o.Data, want[i].Data) {
						t.Fatalf("option %d: %+v want %+v", i, o, want[i])
					}
				}
				got = g.Payload
			case TypeVXLAN:
				v, ok := pkt.Layer(layers.LayerTypeVXLAN).(*layers.VXLAN)
				if !ok {
					t.Fatalf("no VXLAN layer: %v", pkt)
				}
				if !v.ValidIDFlag || v.VNI != tc.h.VNI {
					t.Fatalf("vxlan %+v", v)
				}
				got = v.Payload
			}
			if !bytes.Equal(got, inner) {
				t.Fatal("inner frame changed")
			}
		})
	}
}

func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

func TestDecapRoundTrip(t *testing.T) {
	opts := AppendOption(nil, 0x0102, 0x80, []byte{0x0a, 0x0b, 0x0c, 0x0d})
	for _, typ := range []Type{TypeGeneve, TypeVXLAN} {
		h := Header{Type: typ, Src: 0x0a010129, Dst: 0x0a01012a, DstPort: typ.DefaultPort(), VNI: 0x123456, TOS: 4, TTL: 33, DF: true, Csum: true}
		if typ == TypeGeneve {
			h.OptLen = uint8(len(opts))
			copy(h.Opts[:], opts)
		}
		inner := innerFrame(t, 64)
		p := packetOf(inner)
		tmpl := make([]byte, h.Len())
		h.template(tmpl)
		if Encap(p, &h, tmpl) != EncapOK {
			t.Fatal("encap")
		}
		frame := append(append([]byte(nil), p.Frame()...), 0, 0, 0, 0) // trailing padding
		var k flow.Key
		start, end, e := Decap(frame, typ, testTLV(t), &k)
		if e != DecapOK || !bytes.Equal(frame[start:end], inner) {
			t.Fatalf("%v: decap %v [%d:%d]", typ, e, start, end)
		}
		if k.TunID() != 0x123456 || k.TunSrc() != h.Src || k.TunDst() != h.Dst || k.TunTos() != 4 || k.TunTTL() != 33 ||
			k.TunTpDst() != h.DstPort || k.TunTpSrc() < srcPortMin {
			t.Fatalf("%v: tunnel key %x", typ, k.W[13:16])
		}
		want := flow.TunFlagKey | flow.TunFlagCsum | flow.TunFlagDontFragment
		if typ == TypeGeneve {
			want |= flow.TunFlagGeneve | flow.TunFlagOptPresent // tun_metadata0 at offset 0
			md := k.TunMetadata()
			if !bytes.Equal(md[:4], []byte{0x0a, 0x0b, 0x0c, 0x0d}) || !bytes.Equal(md[4:], make([]byte, 28)) {
				t.Fatalf("metadata %x", md)
			}
		}
		if k.TunFlags() != want {
			t.Fatalf("%v: flags %#x want %#x", typ, k.TunFlags(), want)
		}
		// A flipped payload bit fails the checksum.
		frame[len(frame)-10] ^= 1
		if _, _, e := Decap(frame, typ, testTLV(t), &k); e != DecapBadChecksum {
			t.Fatalf("%v: corrupted packet: %v", typ, e)
		}
	}
}

func TestDecapRejects(t *testing.T) {
	h := Header{Type: TypeGeneve, Src: 1, Dst: 2, DstPort: GenevePort, VNI: 1, TTL: 64}
	build := func(h Header) []byte {
		p := packetOf(innerFrame(t, 10))
		tmpl := make([]byte, h.Len())
		h.template(tmpl)
		Encap(p, &h, tmpl)
		return append([]byte(nil), p.Frame()...)
	}
	g := func(f []byte) Geneve { return Geneve(f[OuterLen:]) }
	tests := []struct {
		name string
		typ  Type
		mod  func([]byte) []byte
		want DecapError
	}{
		{"ok", TypeGeneve, func(f []byte) []byte { return f }, DecapOK},
		{"version", TypeGeneve, func(f []byte) []byte { g(f)[0] |= 0x40; return f }, DecapBadVersion},
		{"proto", TypeGeneve, func(f []byte) []byte { g(f)[2] = 0x08; g(f)[3] = 0; return f }, DecapBadProto},
		{"optlen-past-end", TypeGeneve, func(f []byte) []byte { g(f)[0] = 63; return f[:OuterLen+GeneveBaseSize+20] }, DecapMalformedOuter},
		{"bad-option-tlv", TypeGeneve, func(f []byte) []byte { g(f)[0] = 1; g(f)[GeneveBaseSize+3] = 5; return f }, DecapMalformedTunnel},
		{"not-udp", TypeGeneve, func(f []byte) []byte { f[ethLen+9] = 6; return f }, DecapMalformedOuter},
		{"fragment", TypeGeneve, func(f []byte) []byte { f[ethLen+6] |= 0x20; return f }, DecapMalformedOuter},
		{"short", TypeGeneve, func(f []byte) []byte { return f[:OuterLen+4] }, DecapMalformedOuter},
		{"vxlan-flags", TypeVXLAN, func(f []byte) []byte { f[OuterLen] = 0x0c; return f }, DecapBadVersion},
		{"vxlan-reserved", TypeVXLAN, func(f []byte) []byte { f[OuterLen+7] = 1; return f }, DecapBadVersion},
	}
	for _, tc := range tests {
		h := h
		h.Type = tc.typ
		f := tc.mod(build(h))
		// Keep the IPv4/UDP lengths of the modified frame coherent where
		// the test did not mean to break them.
		if _, _, e := Decap(f, tc.typ, nil, new(flow.Key)); e != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, e, tc.want)
		}
	}
}

func TestHeaderText(t *testing.T) {
	h := Header{Type: TypeGeneve, Src: 0xac1ffa01, Dst: 0xac1ffa02, DstPort: 6081, VNI: 0x1234, TTL: 64, DF: true}
	want := "size=50,type=5,eth(dst=00:00:00:00:00:00,src=00:00:00:00:00:00,dl_type=0x0800),ipv4(src=172.31.250.1,dst=172.31.250.2,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0x0),geneve(vni=0x1234)"
	if got := string(h.AppendText(nil)); got != want {
		t.Errorf("geneve:\n got %s\nwant %s", got, want)
	}
	h = Header{Type: TypeVXLAN, Src: 0xac1ffa01, Dst: 0xac1ffa02, DstPort: 4789, VNI: 5001, TTL: 64, DF: true}
	if got := string(h.AppendText(nil)); !bytes.HasSuffix([]byte(got), []byte("udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x1389)")) || !bytes.HasPrefix([]byte(got), []byte("size=50,type=4,")) {
		t.Errorf("vxlan: %s", got)
	}
	opts := AppendOption(nil, 0x0102, 0x80, []byte{0x0a, 0x0b, 0x0c, 0x0d})
	h = Header{Type: TypeGeneve, Src: 1, Dst: 2, DstPort: 6081, VNI: 5, TTL: 64, DF: true, Csum: true, OptLen: uint8(len(opts))}
	copy(h.Opts[:], opts)
	got := string(h.AppendText(nil))
	if !bytes.HasPrefix([]byte(got), []byte("size=58,")) || !bytes.HasSuffix([]byte(got), []byte("csum=0xffff),geneve(crit,vni=0x5,options({class=0x102,type=0x80,len=4,0xa0b0c0d}))")) {
		t.Errorf("geneve options: %s", got)
	}
}

func TestSrcPortRange(t *testing.T) {
	for _, h := range []uint32{0, 1, 1 << 31, ^uint32(0)} {
		if p := srcPort(h); p < srcPortMin || p >= srcPortMax {
			t.Fatalf("srcPort(%#x) = %d", h, p)
		}
	}
	a, b := packetOf(innerFrame(t, 1)), packetOf(innerFrame(t, 1))
	if innerHash(a.Frame(), &a.L) != innerHash(b.Frame(), &b.L) {
		t.Fatal("same flow, different hash")
	}
}

func TestEncapLimits(t *testing.T) {
	h := Header{Type: TypeVXLAN, Src: 1, Dst: 2, DstPort: 4789, VNI: 1, TTL: 64}
	tmpl := make([]byte, h.Len())
	h.template(tmpl)
	p := packetOf(innerFrame(t, 10))
	p.Off = 10
	if r := Encap(p, &h, tmpl); r != EncapNoHeadroom {
		t.Fatalf("no headroom: %d", r)
	}
	big := make([]byte, ports.Headroom+70000)
	p = &flow.Packet{Buf: big, Off: ports.Headroom, Len: 65500}
	if r := Encap(p, &h, tmpl); r != EncapOversize {
		t.Fatalf("oversize: %d", r)
	}
	if p.Off != ports.Headroom || p.Len != 65500 {
		t.Fatal("a refused packet was modified")
	}
}

func TestEncapDecapAllocs(t *testing.T) {
	tbl := NewTable(TableConfig{Bridge: "br", Datapath: nopDP{}, Route: func(uint32) (uint32, error) { return 1, nil },
		Open: func(Type, uint16) (ports.Port, error) { return NewPort("u", nil), nil }})
	cfg, _, err := ParseConfig("t0", TypeGeneve, map[string]string{"remote_ip": "0.0.0.1", "key": "7"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddTunnel(1, "t0", cfg); err != nil {
		t.Fatal(err)
	}
	ti, _ := tbl.Tunnel(1)
	h := Header{Type: TypeGeneve, Src: 1, Dst: 2, DstPort: 6081, VNI: 7, TTL: 64, DF: true, Csum: true}
	data, err := tbl.Intern(&h)
	if err != nil {
		t.Fatal(err)
	}
	inner := innerFrame(t, 200)
	p := packetOf(inner)
	var tun flow.Key
	allocs := testing.AllocsPerRun(100, func() {
		p.Off, p.Len = ports.Headroom, len(inner)
		if !tbl.Push(p, 1, data) {
			t.Fatal("push")
		}
		if !tbl.Pop(p, ti.Underlay, &tun) {
			t.Fatal("pop")
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per encap+decap", allocs)
	}
	if st := tbl.PortStats(1); st.TxPackets < 100 || st.RxPackets < 100 || st.RxBytes != st.TxBytes {
		t.Fatalf("port stats %+v", st)
	}
}

type nopDP struct{}

func (nopDP) AddPort(flow.PortNo, ports.Port) error { return nil }
func (nopDP) RemovePort(flow.PortNo) error          { return nil }

// testTLV is a bridge map with OVN's option as tun_metadata0.
func testTLV(t testing.TB) *tlv.Map {
	tb := tlv.NewTable()
	if err := tb.Mod(tlv.CmdAdd, []tlv.Mapping{{Class: 0x102, Type: 0x80, Len: 4, Index: 0}, {Class: 0xffff, Type: 1, Len: 8, Index: 5}}, nil); err != nil {
		t.Fatal(err)
	}
	return tb.Load()
}

func TestMapOptions(t *testing.T) {
	m := testTLV(t)
	ovn := AppendOption(nil, 0x0102, 0x80, []byte{0x0a, 0x0b, 0x0c, 0x0d})
	f5 := AppendOption(nil, 0xffff, 0x01, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	other := AppendOption(nil, 0x0200, 0x01, []byte{9, 9, 9, 9})             // unmapped, not critical
	crit := AppendOption(nil, 0x0200, 0x81, []byte{9, 9, 9, 9})              // unmapped, critical
	short := AppendOption(nil, 0x0102, 0x80, []byte{1, 2, 3, 4, 5, 6, 7, 8}) // mapped with len 4
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	for _, c := range []struct {
		name    string
		opts    []byte
		present uint16
		md      []byte
		e       DecapError
	}{
		{"none", nil, 0, nil, DecapOK},
		{"ovn", ovn, flow.TunFlagOptPresent, []byte{0x0a, 0x0b, 0x0c, 0x0d}, DecapOK},
		{"both, unmapped ignored", cat(other, f5, ovn), flow.TunFlagOptPresent | flow.TunFlagOptPresent<<1,
			[]byte{0x0a, 0x0b, 0x0c, 0x0d, 1, 2, 3, 4, 5, 6, 7, 8}, DecapOK},
		{"unknown critical", cat(ovn, crit), 0, nil, DecapCriticalOption},
		{"length mismatch", short, 0, nil, DecapOptionLength},
		{"truncated", ovn[:6], 0, nil, DecapMalformedTunnel},
	} {
		var k flow.Key
		present, e := MapOptions(c.opts, m, &k)
		if e != c.e || present != c.present {
			t.Errorf("%s: present %#x %v, want %#x %v", c.name, present, e, c.present, c.e)
			continue
		}
		md := k.TunMetadata()
		if e == DecapOK && !bytes.Equal(md[:len(c.md)], c.md) {
			t.Errorf("%s: metadata %x", c.name, md)
		}
	}
	// Without a map every critical option is unknown.
	if _, e := MapOptions(ovn, nil, new(flow.Key)); e != DecapCriticalOption {
		t.Errorf("nil map: %v", e)
	}
}

func TestBuildOptions(t *testing.T) {
	m := testTLV(t)
	var k, mask flow.Key
	var md [flow.TunMetadataLen]byte
	copy(md[:], []byte{0x0a, 0x0b, 0x0c, 0x0d, 1, 2, 3, 4, 5, 6, 7, 8})
	k.SetTunMetadata(md)
	k.SetTunFlags(flow.TunFlagOptPresent) // only tun_metadata0 present
	h := Header{Type: TypeGeneve, Src: 0xac1ffa01, Dst: 0xac1ffa02, DstPort: GenevePort, VNI: 5, TTL: 64, DF: true}
	BuildOptions(&h, m, &k, &mask)
	if got, want := string(h.AppendText(nil)), "geneve(crit,vni=0x5,options({class=0x102,type=0x80,len=4,0xa0b0c0d}))"; !strings.HasSuffix(got, want) {
		t.Fatalf("header %s, want suffix %s", got, want)
	}
	if h.Len() != OuterLen+GeneveBaseSize+8 {
		t.Fatalf("len %d", h.Len())
	}
	mmd := mask.TunMetadata()
	if mask.TunFlags() != flow.TunFlagOptPresent|flow.TunFlagOptPresent<<1 || !bytes.Equal(mmd[:4], []byte{0xff, 0xff, 0xff, 0xff}) || mmd[4] != 0 {
		t.Fatalf("mask flags %#x md %x", mask.TunFlags(), mmd)
	}
	k.SetTunFlags(flow.TunFlagOptPresent | flow.TunFlagOptPresent<<1)
	BuildOptions(&h, m, &k, nil)
	if got := string(h.AppendText(nil)); !strings.HasSuffix(got, "options({class=0x102,type=0x80,len=4,0xa0b0c0d}{class=0xffff,type=0x1,len=8,0x102030405060708}))") {
		t.Fatalf("header %s", got)
	}
	// Round trip: encapsulate, decapsulate, same metadata and presence.
	inner := innerFrame(t, 64)
	p := packetOf(inner)
	tmpl := make([]byte, h.Len())
	h.template(tmpl)
	if Encap(p, &h, tmpl) != EncapOK {
		t.Fatal("encap")
	}
	var back flow.Key
	if _, _, e := Decap(p.Frame(), TypeGeneve, m, &back); e != DecapOK {
		t.Fatalf("decap %v", e)
	}
	if back.TunMetadata() != k.TunMetadata() || back.TunFlags()&0xff00 != k.TunFlags() {
		t.Fatalf("round trip %x flags %#x", back.TunMetadata(), back.TunFlags())
	}
	if n := testing.AllocsPerRun(100, func() { BuildOptions(&h, m, &k, &mask) }); n != 0 {
		t.Fatalf("BuildOptions allocates %v", n)
	}
	opts := h.Opts[:h.OptLen]
	if n := testing.AllocsPerRun(100, func() { MapOptions(opts, m, &back) }); n != 0 {
		t.Fatalf("MapOptions allocates %v", n)
	}
}
