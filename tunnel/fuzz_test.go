package tunnel

import (
	"govs/tunnel/tlv"
	"testing"

	"govs/datapath/flow"
)

func fuzzSeeds(f *testing.F, typ Type) {
	for _, vni := range []uint32{0, 1, 0xffffff} {
		h := Header{Type: typ, Src: 0x0a010129, Dst: 0x0a01012a, DstPort: typ.DefaultPort(), VNI: vni, TTL: 64, DF: true, Csum: vni == 1}
		if typ == TypeGeneve && vni == 1 {
			opts := AppendOption(nil, 0x0102, 0x80, []byte{1, 2, 3, 4})
			h.OptLen = uint8(len(opts))
			copy(h.Opts[:], opts)
		}
		p := packetOf(innerFrame(f, 20))
		tmpl := make([]byte, h.Len())
		h.template(tmpl)
		Encap(p, &h, tmpl)
		f.Add(append([]byte(nil), p.Frame()...))
	}
	f.Add([]byte{})
}

// fuzzDecap checks that Decap never panics and that what it accepts is
// coherent: the inner frame lies inside the input and is a whole
// Ethernet header at least; the key says the packet had a key.
func fuzzDecap(t *testing.T, b []byte, typ Type) {
	var k flow.Key
	start, end, e := Decap(b, typ, fuzzTLV, &k)
	if e != DecapOK {
		return
	}
	if start < OuterLen || end > len(b) || end-start < ethLen {
		t.Fatalf("inner frame [%d:%d] of %d bytes", start, end, len(b))
	}
	if k.TunFlags()&flow.TunFlagKey == 0 || k.TunID() > 0xffffff {
		t.Fatalf("tunnel key %x", k.W[13:16])
	}
	if typ == TypeGeneve {
		g := Geneve(b[start-GeneveBaseSize-Geneve(b[OuterLen:]).OptLen():])
		if g.Version() != 0 || g.Proto() != ProtoTEB {
			t.Fatal("accepted a bad Geneve header")
		}
	}
}

func FuzzGeneve(f *testing.F) {
	fuzzSeeds(f, TypeGeneve)
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzDecap(t, b, TypeGeneve)
		if len(b) >= GeneveBaseSize {
			g := Geneve(b)
			if g.IsValid() {
				_ = ValidOptions(g.Options())
				_ = OptionsCritical(g.Options())
			}
		}
	})
}

func FuzzVXLAN(f *testing.F) {
	fuzzSeeds(f, TypeVXLAN)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecap(t, b, TypeVXLAN) })
}

// fuzzTLV maps OVN's option (class 0x102, type 0x80, len 4) and a second
// 8-byte one, so fuzzed options exercise the mapping.
var fuzzTLV = func() *tlv.Map {
	tb := tlv.NewTable()
	_ = tb.Mod(tlv.CmdAdd, []tlv.Mapping{{Class: 0x102, Type: 0x80, Len: 4, Index: 0}, {Class: 0xffff, Type: 1, Len: 8, Index: 5}}, nil)
	return tb.Load()
}()
