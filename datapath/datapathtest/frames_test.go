package datapathtest

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
)

func TestUDPFrame(t *testing.T) {
	base := UDP{
		Dst: MACB, Src: MACA, SrcIP: netip.MustParseAddr("10.0.0.1"), DstIP: netip.MustParseAddr("10.0.0.2"),
		SrcPort: 1, DstPort: 2, Payload: []byte("x"),
	}
	tagged := base
	tagged.Tagged, tagged.TCI = true, TCI(5, 10)
	long := base
	long.Payload = make([]byte, 100)
	tests := []struct {
		name    string
		u       UDP
		wantLen int
		ipOff   int
	}{
		{"untagged padded", base, MinFrameLen, EthHeaderLen},
		{"tagged padded", tagged, MinFrameLen, EthHeaderLen + VLANTagLen},
		{"long", long, EthHeaderLen + ipv4HdrLen + udpHdrLen + 100, EthHeaderLen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := UDPFrame(tt.u)
			if len(f) != tt.wantLen {
				t.Fatalf("len %d, want %d", len(f), tt.wantLen)
			}
			if ipv4Checksum(f[tt.ipOff:tt.ipOff+ipv4HdrLen]) != 0 {
				t.Fatal("bad IPv4 checksum")
			}
			if tt.u.Tagged {
				if tpid, tci := binary.BigEndian.Uint16(f[12:]), binary.BigEndian.Uint16(f[14:]); tpid != EthTypeVLAN || tci != tt.u.TCI {
					t.Fatalf("tag %#x %#x", tpid, tci)
				}
			}
		})
	}
}

func TestPushPopTag(t *testing.T) {
	f := UDPFrame(UDP{Dst: MACB, Src: MACA, SrcIP: IPA, DstIP: IPB})
	tagged := PushTag(f, TCI(3, 100))
	if len(tagged) != len(f)+VLANTagLen || binary.BigEndian.Uint16(tagged[14:]) != TCI(3, 100) {
		t.Fatalf("PushTag = %x", tagged)
	}
	if back := PopTag(tagged); !bytes.Equal(back, f) {
		t.Fatalf("PopTag(PushTag(f)) = %x, want %x", back, f)
	}
	if PushTag(f[:11], 1) != nil || PopTag(f[:15]) != nil {
		t.Fatal("short frames accepted")
	}
}
