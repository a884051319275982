package afpacket

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// cmsg builds one control message with the given level, type and data,
// padded to the cmsg alignment.
func cmsg(level, typ int32, data []byte) []byte {
	l := cmsgHdrLen + len(data)
	b := make([]byte, cmsgAlign(l))
	if cmsgLenSize == 8 {
		binary.NativeEndian.PutUint64(b, uint64(l))
	} else {
		binary.NativeEndian.PutUint32(b, uint32(l))
	}
	binary.NativeEndian.PutUint32(b[cmsgLevelOff:], uint32(level))
	binary.NativeEndian.PutUint32(b[cmsgTypeOff:], uint32(typ))
	copy(b[cmsgHdrLen:], data)
	return b
}

func aux(status uint32, tci, tpid uint16) []byte {
	a := make([]byte, sizeofTpacketAuxdata)
	binary.NativeEndian.PutUint32(a[auxStatusOff:], status)
	binary.NativeEndian.PutUint16(a[auxVLANTCIOff:], tci)
	binary.NativeEndian.PutUint16(a[auxVLANTPIDOff:], tpid)
	return a
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestParseAuxdata(t *testing.T) {
	tests := []struct {
		name string
		ctrl []byte
		want vlanTag
		ok   bool
	}{
		{"empty", nil, vlanTag{}, false},
		{"no vlan", cmsg(solPacket, packetAuxdata, aux(1, 0, 0)), vlanTag{}, false},
		{"vid 10 valid", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 10, 0)), vlanTag{ethTypeVLAN, 10}, true},
		{"tci without status", cmsg(solPacket, packetAuxdata, aux(0, 0x200a, 0)), vlanTag{ethTypeVLAN, 0x200a}, true},
		{"vid 0 priority tag", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 0, 0)), vlanTag{ethTypeVLAN, 0}, true},
		{"802.1ad tpid", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid|tpStatusVLANTPIDValid, 20, 0x88a8)), vlanTag{0x88a8, 20}, true},
		{"tpid not valid ignored", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 20, 0x88a8)), vlanTag{ethTypeVLAN, 20}, true},
		{"after other cmsg", cat(cmsg(1, 2, []byte{1, 2, 3}), cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 5, 0))), vlanTag{ethTypeVLAN, 5}, true},
		{"wrong level", cmsg(0, packetAuxdata, aux(tpStatusVLANValid, 5, 0)), vlanTag{}, false},
		{"short data", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 5, 0)[:10]), vlanTag{}, false},
		{"truncated header", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 5, 0))[:cmsgHdrLen-1], vlanTag{}, false},
		{"length beyond buffer", cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 5, 0))[:cmsgHdrLen+4], vlanTag{}, false},
		{"zero length", make([]byte, 64), vlanTag{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseAuxdata(tt.ctrl)
			if ok != tt.ok || got != tt.want {
				t.Fatalf("parseAuxdata = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestInsertVLAN(t *testing.T) {
	frame := func(n int) []byte {
		f := make([]byte, n)
		for i := range f {
			f[i] = byte(i)
		}
		return f
	}
	tag := vlanTag{ethTypeVLAN, 0x300a}
	tests := []struct {
		name    string
		bufLen  int
		off, n  int
		wantOff int
		ok      bool
	}{
		{"move right", 200, 64, 60, 64, true},
		{"exact fit right", 128, 64, 60, 64, true},
		{"move left", 124, 64, 60, 60, true},
		{"no room", 64, 0, 64, 0, false},
		{"runt", 200, 64, 11, 64, false},
		{"min", 200, 64, 12, 64, true},
		{"off out of range", 100, 101, 20, 101, false},
		{"len out of range", 100, 50, 60, 50, false},
		{"negative off", 100, -1, 20, -1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, tt.bufLen)
			var orig []byte
			if tt.off >= 0 && tt.off <= tt.bufLen && tt.n <= tt.bufLen-tt.off {
				orig = frame(tt.n)
				copy(buf[tt.off:], orig)
			}
			off, n, ok := insertVLAN(buf, tt.off, tt.n, tag)
			if ok != tt.ok || off != tt.wantOff {
				t.Fatalf("insertVLAN = %d, %d, %v; want off %d ok %v", off, n, ok, tt.wantOff, tt.ok)
			}
			if !ok {
				return
			}
			got := buf[off : off+n]
			want := cat(orig[:ethAddrsLen], []byte{0x81, 0x00, 0x30, 0x0a}, orig[ethAddrsLen:])
			if !bytes.Equal(got, want) {
				t.Fatalf("frame\n got %x\nwant %x", got, want)
			}
		})
	}
}

func TestAuxAllocs(t *testing.T) {
	ctrl := cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 10, 0))
	buf := make([]byte, 256)
	if a := testing.AllocsPerRun(100, func() {
		tag, _ := parseAuxdata(ctrl)
		insertVLAN(buf, 128, 64, tag)
	}); a != 0 {
		t.Fatalf("allocs = %v", a)
	}
}

func FuzzParseAuxdata(f *testing.F) {
	f.Add(cmsg(solPacket, packetAuxdata, aux(tpStatusVLANValid, 10, 0)))
	f.Add(cat(cmsg(1, 2, []byte{1}), cmsg(solPacket, packetAuxdata, aux(tpStatusVLANTPIDValid|tpStatusVLANValid, 7, 0x88a8))))
	f.Add([]byte{})
	f.Add(make([]byte, cmsgHdrLen))
	f.Fuzz(func(t *testing.T, ctrl []byte) {
		tag, ok := parseAuxdata(ctrl)
		if !ok && tag != (vlanTag{}) {
			t.Fatalf("tag %+v without ok", tag)
		}
		if ok && len(ctrl) < cmsgHdrLen+sizeofTpacketAuxdata {
			t.Fatalf("tag from %d bytes", len(ctrl))
		}
	})
}

func FuzzInsertVLAN(f *testing.F) {
	f.Add(make([]byte, 200), 64, 60, uint16(10))
	f.Add(make([]byte, 70), 4, 66, uint16(0))
	f.Add(make([]byte, 10), 0, 12, uint16(1))
	f.Fuzz(func(t *testing.T, buf []byte, off, n int, tci uint16) {
		before := append([]byte(nil), buf...)
		o, l, ok := insertVLAN(buf, off, n, vlanTag{ethTypeVLAN, tci})
		if !ok {
			if o != off || l != n || !bytes.Equal(buf, before) {
				t.Fatal("failed insert changed something")
			}
			return
		}
		if o < 0 || l != n+vlanTagLen || o+l > len(buf) {
			t.Fatalf("frame [%d:+%d] out of %d bytes", o, l, len(buf))
		}
		if binary.BigEndian.Uint16(buf[o+14:]) != tci || !bytes.Equal(buf[o:o+ethAddrsLen], before[off:off+ethAddrsLen]) {
			t.Fatal("tag or addresses wrong")
		}
		if !bytes.Equal(buf[o+ethAddrsLen+vlanTagLen:o+l], before[off+ethAddrsLen:off+n]) {
			t.Fatal("payload moved wrongly")
		}
	})
}
