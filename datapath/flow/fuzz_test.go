package flow

import (
	"testing"

	"govs/datapath/header"
)

func addSeeds(f *testing.F) {
	for _, c := range extractCases() {
		f.Add(c.frame(f))
	}
	f.Add([]byte{})
	f.Add(make([]byte, 14))
}

// checkLayout verifies the Layout invariants against a frame of n bytes.
func checkLayout(t *testing.T, l Layout, n int) {
	t.Helper()
	if l.L3 < 0 {
		if l.L4 != noHeader || l.L2_5 != noHeader {
			t.Fatalf("L3 absent but layout %+v", l)
		}
		return
	}
	if l.NVLAN < 0 || l.NVLAN > MaxVLANs || int(l.L2_5) != header.EthernetTypeOffset+header.VLANTagSize*int(l.NVLAN) {
		t.Fatalf("bad L2_5/NVLAN %+v", l)
	}
	if int(l.L3) < int(l.L2_5)+2 || int(l.L3) > n {
		t.Fatalf("L3 out of range %+v (len %d)", l, n)
	}
	if l.L4 != noHeader && (l.L4 < l.L3 || int(l.L4) > n) {
		t.Fatalf("L4 out of range %+v (len %d)", l, n)
	}
	if l.L4 == noHeader && l.L4Proto != 0 {
		t.Fatalf("L4Proto without L4 %+v", l)
	}
}

func FuzzExtract(f *testing.F) {
	addSeeds(f)
	full := Key{}
	for i := range full.W {
		full.W[i] = ^uint64(0)
	}
	buf := make([]byte, 0, 1024)
	f.Fuzz(func(t *testing.T, frame []byte) {
		var k, k2 Key
		var l, l2 Layout
		ok := Extract(frame, 7, &k, &l)
		if ok != (k.Flags()&KeyFlagTruncated == 0) {
			t.Fatalf("ok=%v but flags %#x", ok, k.Flags())
		}
		if k.InPort() != 7 {
			t.Fatalf("in_port %d", k.InPort())
		}
		if len(frame) < header.EthernetMinSize {
			want := Key{}
			want.SetInPort(7)
			want.SetFlags(KeyFlagTruncated)
			if k != want || ok {
				t.Fatalf("runt key %v", k.W)
			}
		}
		checkLayout(t, l, len(frame))
		if k.NwFrag()&FragLater != 0 && k.W[wTp] != 0 {
			t.Fatalf("later fragment with L4 fields")
		}
		if k.NwFrag()&FragLater != 0 && l.L4 != noHeader {
			t.Fatalf("later fragment with L4 offset")
		}
		if Extract(frame, 7, &k2, &l2) != ok || k2 != k || l2 != l {
			t.Fatal("Extract is not deterministic")
		}
		// vlan-limit=1: at most one tag; the same key when a full parse
		// found at most one (and no truncated second one).
		var k1 Key
		var l1 Layout
		ok1 := ExtractVLANs(frame, 7, 1, &k1, &l1)
		checkLayout(t, l1, len(frame))
		if l1.NVLAN > 1 {
			t.Fatalf("vlan-limit 1 parsed %d tags", l1.NVLAN)
		}
		if ok && l.NVLAN <= 1 && (k1 != k || l1 != l || ok1 != ok) {
			t.Fatalf("vlan-limit 1 changed a frame with %d tags", l.NVLAN)
		}
		buf = AppendKeyMask(buf[:0], &k, &full, nil)
		buf = AppendKeyMask(buf[:0], &k, &k, nil)
	})
}

// l4ChecksumOK reports whether the TCP/UDP checksum of the packet verifies
// (UDP checksum 0 counts as fine); ok is false when the packet has no
// checkable transport header.
func l4ChecksumOK(p *Packet) (good, ok bool) {
	f := p.Frame()
	if p.L.L4 < 0 || (p.L.L4Proto != header.ProtoTCP && p.L.L4Proto != header.ProtoUDP) {
		return false, false
	}
	seg := p.ipPayload(f[p.L.L4:])
	if seg == nil || (p.L.L4Proto == header.ProtoTCP && len(seg) < header.TCPMinSize) || len(seg) < header.UDPSize {
		return false, false
	}
	var ph uint16
	if ip := p.ipv4(); ip != nil {
		if ip.IsFragment() {
			return false, false
		}
		ph = header.PseudoHeaderChecksumV4(p.L.L4Proto, ip.Src(), ip.Dst(), uint16(len(seg)))
	} else if ip := p.ipv6(); ip != nil {
		if p.L.L4 != p.L.L3+header.IPv6FixedHeaderSize {
			return false, false // extension headers: pseudo header dst may differ
		}
		ph = header.PseudoHeaderChecksumV6(p.L.L4Proto, ip.Src(), ip.Dst(), uint32(len(seg)))
	} else {
		return false, false
	}
	if p.L.L4Proto == header.ProtoUDP && header.UDP(seg).Checksum() == 0 {
		return true, true
	}
	return header.Checksum(seg, ph) == 0xffff, true
}

func ipv4HeaderOK(p *Packet) (good, ok bool) {
	ip := p.ipv4()
	if ip == nil {
		return false, false
	}
	return ip.CalculateChecksum() == ip.Checksum(), true
}

// FuzzPacket applies a fuzzer-chosen sequence of Packet methods to a
// fuzzer-chosen frame and checks the offset invariants and that valid
// checksums stay valid.
func FuzzPacket(f *testing.F) {
	for _, c := range extractCases() {
		f.Add(c.frame(f), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, uint32(0x0a000001))
	}
	// Ops 0-8 and 11-15 rewrite fields, 9 and 10 push and pop a tag.
	const nOps = 16
	f.Fuzz(func(t *testing.T, frame, ops []byte, val uint32) {
		const headroom = 8
		buf := make([]byte, headroom+len(frame))
		copy(buf[headroom:], frame)
		p := &Packet{Buf: buf, Off: headroom, Len: len(frame)}
		var k Key
		Extract(p.Frame(), 1, &k, &p.L)
		if len(ops) > 32 {
			ops = ops[:32]
		}
		for _, op := range ops {
			ipGood, ipOK := ipv4HeaderOK(p)
			l4Good, l4OK := l4ChecksumOK(p)
			off, n := p.Off, p.Len
			switch op % nOps {
			case 0:
				p.SetEthSrc([6]byte{byte(val)})
			case 1:
				p.SetEthDst([6]byte{byte(val >> 8)})
			case 2:
				p.SetIPv4Src(val)
			case 3:
				p.SetIPv4Dst(^val)
			case 4:
				p.SetIPv4Tos(uint8(val))
			case 5:
				p.SetIPv4TTL(uint8(val >> 8))
			case 6:
				p.DecTTL()
			case 7:
				p.SetTpSrc(uint16(val))
			case 8:
				p.SetTpDst(uint16(val >> 16))
			case 9:
				pushed := p.PushVLAN(0x8100, uint16(val))
				if pushed != (p.Off == off-header.VLANTagSize) {
					t.Fatalf("PushVLAN returned %v, Off %d -> %d", pushed, off, p.Off)
				}
			case 10:
				p.PopVLAN()
			case 11:
				p.SetARPOp(uint16(val))
			case 12:
				p.SetARPSha([6]byte{byte(val), 1})
			case 13:
				p.SetARPTha([6]byte{byte(val >> 8), 2})
			case 14:
				p.SetARPSpa(val)
			case 15:
				p.SetARPTpa(^val)
			}
			if p.Off < 0 || p.Len < 0 || p.Off+p.Len > len(p.Buf) {
				t.Fatalf("op %d: Off %d Len %d Buf %d", op%nOps, p.Off, p.Len, len(p.Buf))
			}
			if d := p.Len - n; d != 0 && d != header.VLANTagSize && d != -header.VLANTagSize || p.Off+p.Len != off+n {
				t.Fatalf("op %d: frame end moved: off %d len %d -> off %d len %d", op%nOps, off, n, p.Off, p.Len)
			}
			if o := op % nOps; o < 9 || o > 10 {
				if g, ok := ipv4HeaderOK(p); ipOK && ipGood && (!ok || !g) {
					t.Fatalf("op %d broke the IPv4 header checksum", op%nOps)
				}
				if g, ok := l4ChecksumOK(p); l4OK && l4Good && ok && !g {
					t.Fatalf("op %d broke the L4 checksum", op%nOps)
				}
			}
		}
		// The maintained layout stays in bounds.
		if p.L.L3 >= 0 && int(p.L.L3) > p.Len || p.L.L4 >= 0 && int(p.L.L4) > p.Len {
			t.Fatalf("layout %+v beyond frame of %d", p.L, p.Len)
		}
	})
}
