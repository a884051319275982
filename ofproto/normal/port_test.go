package normal

import (
	"errors"
	"testing"

	"govs/datapath/flow"
)

func TestPortFromDB(t *testing.T) {
	tests := []struct {
		name     string
		tag      int64
		trunks   []int64
		mode     string
		wantMode VLANMode
		wantTag  int
		warn     string
		err      error
		in, out  []uint16 // VLANs included / not included
	}{
		{"plain", -1, nil, "", Trunk, NoTag, "", nil, []uint16{0, 1, 4095}, nil},
		{"tag", 10, nil, "", Access, 10, "", nil, []uint16{10}, []uint16{0, 11}},
		{"tag and trunks", 10, []int64{20}, "", Access, 10, "port p: ignoring trunks in favor of implicit vlan", nil, []uint16{10}, []uint16{20}},
		{"trunks", -1, []int64{10, 20, 5000}, "", Trunk, NoTag, "", nil, []uint16{10, 20}, []uint16{0, 30}},
		{"explicit trunk with tag", 10, []int64{20}, "trunk", Trunk, 10, "", nil, []uint16{20}, []uint16{10}},
		{"access no tag", -1, nil, "access", Access, NoTag, "", nil, []uint16{0}, []uint16{10}},
		{"tag out of range", 4096, nil, "", Trunk, NoTag, "", nil, []uint16{7}, nil},
		{"native-untagged forced", 20, []int64{0, 10}, "native-untagged", NativeUntagged, 20, "", nil, []uint16{10, 20}, []uint16{0, 30}},
		{"native-tagged all", 20, nil, "native-tagged", NativeTagged, 20, "", nil, []uint16{1, 20, 4095}, []uint16{0}},
		{"native vlan 0", -1, []int64{0, 10}, "native-tagged", NativeTagged, NoTag, "", nil, []uint16{0, 10}, []uint16{20}},
		{"unknown mode", -1, []int64{10}, "bogus", Trunk, NoTag, "port p: unknown VLAN mode bogus, falling back to trunk mode", nil, []uint16{10}, []uint16{0}},
		{"dot1q-tunnel", 10, nil, "dot1q-tunnel", 0, 0, "", ErrDot1qTunnel, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, warn, err := PortFromDB(3, "p", tc.tag, tc.trunks, tc.mode)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if p.VLANMode != tc.wantMode || p.Tag != tc.wantTag || p.OFPort != 3 {
				t.Fatalf("got %v tag %d", p.VLANMode, p.Tag)
			}
			if w := ""; len(warn) > 0 {
				w = warn[0]
				if w != tc.warn {
					t.Fatalf("warning %q, want %q", w, tc.warn)
				}
			} else if tc.warn != "" {
				t.Fatalf("no warning, want %q", tc.warn)
			}
			for _, v := range tc.in {
				if !p.IncludesVLAN(v) {
					t.Errorf("VLAN %d not included", v)
				}
			}
			for _, v := range tc.out {
				if p.IncludesVLAN(v) {
					t.Errorf("VLAN %d included", v)
				}
			}
		})
	}
	if p, _, _ := PortFromDB(flow.PortLocal, "br0", -1, nil, ""); !p.IsLocal || p.VLANMode != Trunk {
		t.Fatalf("LOCAL port %+v", p)
	}
}

func TestVLANSet(t *testing.T) {
	var all VLANSet
	if !all.All() || !all.Has(0) || !all.Has(4095) || all.Has(4096) && false {
		t.Fatal("zero set is not all")
	}
	s := NewVLANSet(-1, 0, 4095, 4096)
	if s.All() || !s.Has(0) || !s.Has(4095) || s.Has(1) || s.Has(4096) {
		t.Fatal("explicit set wrong")
	}
	if Access.String() != "access" || VLANMode(9).String() != "VLANMode(9)" {
		t.Fatal("mode names")
	}
}
