package flow

import "testing"

func TestCopyTunnel(t *testing.T) {
	var from Key
	from.SetTunID(0x0102030405060708)
	from.SetTunSrc(0x0a000001)
	from.SetTunDst(0x0a000002)
	from.SetTunFlags(TunFlagKey | TunFlagCsum)
	from.SetTunTos(0x2e)
	from.SetTunTTL(63)
	from.SetTunTpSrc(49152)
	from.SetTunTpDst(6081)
	var md [TunMetadataLen]byte
	for i := range md {
		md[i] = byte(i + 1)
	}
	from.SetTunMetadata(md)
	from.SetInPort(7) // not a tunnel field: must not be copied

	var k Key
	k.SetInPort(3)
	k.SetFlags(KeyFlagTruncated)
	k.CopyTunnel(&from)

	if k.TunID() != from.TunID() || k.TunSrc() != from.TunSrc() || k.TunDst() != from.TunDst() ||
		k.TunFlags() != from.TunFlags() || k.TunTos() != from.TunTos() || k.TunTTL() != from.TunTTL() ||
		k.TunTpSrc() != from.TunTpSrc() || k.TunTpDst() != from.TunTpDst() || k.TunMetadata() != md {
		t.Errorf("tunnel fields not copied: got %x, want %x", k.W[wTunID:], from.W[wTunID:])
	}
	if k.InPort() != 3 {
		t.Errorf("in_port = %d, want 3 (CopyTunnel copies only tunnel fields)", k.InPort())
	}
	if k.Flags() != KeyFlagTruncated|KeyFlagTunnel {
		t.Errorf("flags = %#x, want %#x", k.Flags(), KeyFlagTruncated|KeyFlagTunnel)
	}
	if n := testing.AllocsPerRun(100, func() { k.CopyTunnel(&from) }); n != 0 {
		t.Errorf("CopyTunnel allocates %v times", n)
	}
}
