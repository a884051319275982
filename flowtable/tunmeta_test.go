package flowtable

import (
	"errors"
	"testing"

	"govs/datapath/flow"
	"govs/tunnel/tlv"
)

func TestTunMetadataBind(t *testing.T) {
	tb := tlv.NewTable()
	if err := tb.Mod(tlv.CmdAdd, []tlv.Mapping{{Class: 1, Type: 1, Len: 8, Index: 1}, {Class: 0x102, Type: 0x80, Len: 4, Index: 0}}, nil); err != nil {
		t.Fatal(err)
	}
	var m Match
	v, mk, err := ParseTunMetadataValue("tun_metadata0", "0xb/0xff")
	if err != nil || len(v) != 1 || mk[0] != 0xff {
		t.Fatalf("parse: %x %x %v", v, mk, err)
	}
	if err := m.SetTunMetadata(0, v, mk); err != nil {
		t.Fatal(err)
	}
	if err := m.BindTunMetadata(tb.Load()); err != nil {
		t.Fatal(err)
	}
	// tun_metadata0 is mapped at offset 8 (after tun_metadata1), 4 bytes:
	// the value is right-aligned and its presence bit matched.
	kd, md := m.Key.TunMetadata(), m.Mask.TunMetadata()
	if kd[11] != 0xb || md[11] != 0xff || md[8] != 0 || m.Mask.TunFlags() != flow.TunFlagOptPresent<<2 || m.Key.TunFlags() != flow.TunFlagOptPresent<<2 {
		t.Fatalf("bound key %x mask %x flags %#x", kd, md, m.Mask.TunFlags())
	}
	if got := FormatMatch(&m, 0x8000, nil); got != "tun_metadata0=0xb/0xff" {
		t.Fatalf("format %q", got)
	}
	// The packet side: a key with the option matches, one without does not.
	var pkt flow.Key
	var d [flow.TunMetadataLen]byte
	d[8], d[9], d[10], d[11] = 0x0a, 0x0b, 0x0c, 0x0b
	pkt.SetTunMetadata(d)
	pkt.SetTunFlags(flow.TunFlagOptPresent << 2)
	if pkt.Masked(&m.Mask) != m.Key {
		t.Fatal("a packet with the option does not match")
	}
	pkt.SetTunFlags(0)
	if pkt.Masked(&m.Mask) == m.Key {
		t.Fatal("a packet without the option matches")
	}
	// Binding again is a no-op.
	before := m
	if err := m.BindTunMetadata(tb.Load()); err != nil || m != before {
		t.Fatalf("rebind changed the match: %v", err)
	}

	var un Match
	_ = un.SetTunMetadata(5, []byte{1}, nil)
	var ue *ErrTunMetaUnmapped
	if err := un.BindTunMetadata(tb.Load()); !errors.As(err, &ue) || ue.Index != 5 {
		t.Fatalf("unmapped: %v", err)
	}
	var wide Match
	_ = wide.SetTunMetadata(0, []byte{1, 2, 3, 4, 5, 6}, nil)
	if err := wide.BindTunMetadata(tb.Load()); err == nil {
		t.Fatal("a 6-byte value bound to a 4-byte option")
	}
}

func TestTunMetadataLimits(t *testing.T) {
	var m Match
	if err := m.SetTunMetadata(0, make([]byte, 33), nil); err == nil {
		t.Fatal("33-byte value accepted")
	}
	if _, _, err := ParseTunMetadataValue("tun_metadata0", "0x"+string(make([]byte, 0))+"112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011"); err == nil {
		t.Fatal("33-byte text value accepted")
	}
	if err := m.SetTunMetadata(0, make([]byte, 30), nil); err != nil {
		t.Fatal(err)
	}
	if err := m.SetTunMetadata(1, make([]byte, 4), nil); err == nil {
		t.Fatal("fields beyond 32 bytes accepted")
	}
	if err := m.SetTunMetadata(0, []byte{1}, nil); err == nil {
		t.Fatal("duplicate accepted")
	}
	for name, ok := range map[string]bool{"tun_metadata0": true, "tun_metadata63": true, "tun_metadata64": false, "tun_metadata01": false, "tun_metadata": false} {
		if _, got := TunMetadataIndex(name); got != ok {
			t.Errorf("TunMetadataIndex(%q) = %v", name, got)
		}
	}
	// Parse order does not change the match.
	var a, b Match
	_ = a.SetTunMetadata(3, []byte{0xb}, nil)
	_ = a.SetTunMetadata(1, []byte{1, 2}, nil)
	_ = b.SetTunMetadata(1, []byte{1, 2}, nil)
	_ = b.SetTunMetadata(3, []byte{0xb}, nil)
	if a != b {
		t.Fatalf("order-dependent layout:\n%+v\n%+v", a.TunMeta, b.TunMeta)
	}
}
