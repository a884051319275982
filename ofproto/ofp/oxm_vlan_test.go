package ofp

import (
	"encoding/hex"
	"testing"

	"govs/flowtable"
)

// TestOXMVLANEncoding pins how VLAN TCI matches become OXM TLVs. The
// first cases are byte-identical to `ovs-ofctl -O OpenFlow13 parse-flow`;
// the "no present bit" cases are where OVS 3.1 also writes
// OXM_OF_VLAN_PCP and then rejects its own message with
// OFPBMC_BAD_PREREQ: here PCP is left out so the bytes decode, to the
// match's OXM form (flowtable.Match.OXMRoundTrip).
func TestOXMVLANEncoding(t *testing.T) {
	tests := []struct {
		name string
		flow string
		tlvs string // OXM TLVs after the 4-byte ofp_match header, no padding
	}{
		{"vid-and-pcp", "dl_vlan=5,dl_vlan_pcp=3", "80000c02" + "1005" + "80000e01" + "03"},
		{"present-bit-only", "vlan_tci=0x1000/0x1000", "80000d04" + "10001000"},
		{"pcp-without-vid-dropped", "vlan_tci=0x0000/0xe000", ""},
		{"no-present-bit-exact", "vlan_tci=0x4130", "80000c02" + "0130"},
		{"no-present-bit-masked", "vlan_tci=0x4130/0xefff", "80000d04" + "01300fff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustFlow(t, tt.flow+",actions=drop").Match
			enc := AppendOXMMatch(nil, &m)
			const ofpMatchHeaderLen = 4
			n := int(enc[2])<<8 | int(enc[3])
			if got := hex.EncodeToString(enc[ofpMatchHeaderLen:n]); got != tt.tlvs {
				t.Fatalf("TLVs %s, want %s", got, tt.tlvs)
			}
			var got flowtable.Match
			if _, err := DecodeOXMMatch(enc, &got); err != nil {
				t.Fatalf("own encoding does not decode: %v", err)
			}
			want := m
			want.OXMRoundTrip()
			if got != want {
				t.Fatalf("decoded %+v, want %+v", got, want)
			}
		})
	}
}
