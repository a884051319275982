package ofctl

import (
	"encoding/hex"
	"testing"

	"govs/ofproto/ofp"
)

// TestTLVDecodeErrorText: a TLV table mod that does not decode prints as
// ovs-ofctl 3.1 printed it (captured from a real OVS).
func TestTLVDecodeErrorText(t *testing.T) {
	raw, _ := hex.DecodeString("010400200000000400002320000000180000000000000000010280030001" + "0000")
	want := "NXT_TLV_TABLE_MOD (xid=0x4): ***decode error: NXTTMFC_BAD_OPT_LEN***\n" +
		"00000000  01 04 00 20 00 00 00 04-00 00 23 20 00 00 00 18 |... ......# ....|\n" +
		"00000010  00 00 00 00 00 00 00 00-01 02 80 03 00 01 00 00 |................|\n"
	if got := string(appendMsg(nil, raw, nil)); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestParseTLVMaps(t *testing.T) {
	maps, err := parseTLVMaps("{class=0x0102,type=0x80,len=4}->tun_metadata0,{class=1,type=2,len=8}->tun_metadata63")
	if err != nil || len(maps) != 2 || maps[0] != (ofp.TLVMap{Class: 0x102, Type: 0x80, Len: 4}) || maps[1] != (ofp.TLVMap{Class: 1, Type: 2, Len: 8, Index: 63}) {
		t.Fatalf("%+v %v", maps, err)
	}
	for _, bad := range []string{"bogus", "{class=1,type=2,len=4}", "{class=1,type=2,len=4}->tun_metadata"} {
		if _, err := parseTLVMaps(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// As ovs-ofctl (ovs_scan): wider numbers keep their low bits.
	if maps, err := parseTLVMaps("{class=0x10000,type=0x102,len=4}->tun_metadata9"); err != nil || maps[0] != (ofp.TLVMap{Class: 0, Type: 2, Len: 4, Index: 9}) {
		t.Fatalf("%+v %v", maps, err)
	}
}
