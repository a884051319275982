package ofp

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// FuzzDecode feeds arbitrary bytes to Decode. It must never panic; a
// message that decodes must re-encode (or fail with a typed *Error), and
// the re-encoding must decode and re-encode to the same bytes.
func FuzzDecode(f *testing.F) {
	for _, g := range loadGolden(f) {
		b, err := hex.DecodeString(g.hex)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add(nxFlowMod(nxm(nxmClassOF, 3, false, 0x86, 0xdd), nil))
	f.Add(of13FlowMod(0, nxm(oxmClassBasic, 5, false, 0x08, 0x06), nil))
	f.Add([]byte{1, 0, 0, 8, 0, 0, 0, 1})
	if b, err := (&TLVTableMod{Maps: []TLVMap{{Class: 0x102, Type: 0x80, Len: 4}}}).AppendBinary(nil); err == nil {
		f.Add(b)
	}
	if b, err := (&TLVTableReply{MaxOptionSpace: 32, MaxFields: 64, Maps: []TLVMap{{Class: 1, Type: 2, Len: 8, Index: 6}}}).AppendBinary(nil); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped decode error %v", err)
			}
			return
		}
		b2, err := MarshalBinary(m)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) && !errors.Is(err, errTooLong) {
				t.Fatalf("re-encode %T: untyped error %v", m, err)
			}
			return
		}
		m2, err := Decode(b2)
		if err != nil {
			t.Fatalf("re-encoded %T does not decode: %v\n in %x\nout %x", m, err, b, b2)
		}
		b3, err := MarshalBinary(m2)
		if err != nil || !bytes.Equal(b2, b3) {
			t.Fatalf("unstable %T: %v\n%x\n%x", m, err, b2, b3)
		}
	})
}

// FuzzDecodeMatch fuzzes the three match decoders directly; a match that
// decodes must re-encode to bytes that decode to the same match. The OXM
// decoder also accepts NXM headers (as OVS does), and OXM cannot express
// everything NXM can (a PCP match without the VLAN present bit, from
// NXM_OF_VLAN_TCI), so an OXM match must come back as its OXM wire form
// (flowtable.OXMRoundTrip), and from then on exactly.
func FuzzDecodeMatch(f *testing.F) {
	f.Add(uint8(0), nxm(nxmClassOF, 3, false, 0x08, 0x00))
	f.Add(uint8(1), cat(u16b(ofpmtOXM), u16b(10), nxm(oxmClassBasic, 5, false, 0x86, 0xdd), zeros(6)))
	f.Add(uint8(2), cat(u32b(ofpfwAll&^ofpfwDLType), zeros(ofp10MatchLen-4)))
	f.Add(uint8(0), cat(nxm(nxmClassNX, nxmFieldTunMetadata0+3, true, 0, 0xb, 0, 0xff), nxm(nxmClassNX, nxmFieldTunMetadata0, false, 1, 2, 3, 4)))
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		var m, m2 flowtable.Match
		switch kind % 3 {
		case 0:
			var c, cm uint64
			if _, err := DecodeNXMMatch(b, len(b), &m, &c, &cm); err != nil {
				return
			}
			enc, n := AppendNXMMatch(nil, &m, c, cm)
			var c2, cm2 uint64
			if _, err := DecodeNXMMatch(enc, n, &m2, &c2, &cm2); err != nil || m2 != m || c2 != c || cm2 != cm {
				t.Fatalf("NXM round trip: %v\n%x\n%x", err, b, enc)
			}
		case 1:
			if _, err := DecodeOXMMatch(b, &m); err != nil {
				return
			}
			enc := AppendOXMMatch(nil, &m)
			want := m
			want.OXMRoundTrip()
			if _, err := DecodeOXMMatch(enc, &m2); err != nil || m2 != want {
				t.Fatalf("OXM round trip: %v\n%x\n%x", err, b, enc)
			}
			var m3 flowtable.Match
			enc2 := AppendOXMMatch(nil, &m2)
			if _, err := DecodeOXMMatch(enc2, &m3); err != nil || m3 != m2 || !bytes.Equal(enc, enc2) {
				t.Fatalf("OXM second round trip: %v\n%x\n%x", err, enc, enc2)
			}
		default:
			if _, err := DecodeMatch10(b, &m); err != nil {
				return
			}
			enc, err := AppendMatch10(nil, &m)
			if err != nil {
				t.Fatalf("decoded ofp_match does not re-encode: %v", err)
			}
			if _, err := DecodeMatch10(enc, &m2); err != nil || m2 != m {
				t.Fatalf("ofp_match round trip: %v\n%x\n%x", err, b, enc)
			}
		}
	})
}

// FuzzDecodeActions fuzzes action lists (1.0, 1.3) and 1.3 instructions.
func FuzzDecodeActions(f *testing.F) {
	f.Add(uint8(0), action(ofpat10Output, 0, 1, 0, 0))
	f.Add(uint8(1), action(ofpat13PopVLAN, zeros(4)...))
	f.Add(uint8(2), cat(u16b(ofpitGotoTable), u16b(8), []byte{3, 0, 0, 0}))
	f.Add(uint8(0), nxAction(nxastRegLoad, cat(u16b(0<<6|31), u32b(0x00010004), put64(nil, 5))...))
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		v := Version10
		if kind%3 != 0 {
			v = Version13
		}
		decode := func(b []byte) ([]ofpact.Action, error) {
			if kind%3 == 2 {
				return DecodeInstructions(b, v)
			}
			return DecodeActions(b, v)
		}
		encode := func(a []ofpact.Action) ([]byte, error) {
			if kind%3 == 2 {
				return AppendInstructions(nil, a, v, nil)
			}
			return AppendActions(nil, a, v, nil)
		}
		acts, err := decode(b)
		if err != nil {
			return
		}
		enc, err := encode(acts)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped encode error %v", err)
			}
			return
		}
		acts2, err := decode(enc)
		if err != nil {
			t.Fatalf("re-encoded actions do not decode: %v\n%x\n%x", err, b, enc)
		}
		enc2, err := encode(acts2)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("unstable actions: %v\n%x\n%x", err, enc, enc2)
		}
	})
}

// TestUnmarshalTruncated calls every message type's UnmarshalBinary
// directly (not through Decode) on every prefix of the golden messages,
// with the header length left as captured: it must fail cleanly, never
// panic.
func TestUnmarshalTruncated(t *testing.T) {
	for _, g := range loadGolden(t) {
		b, _ := hex.DecodeString(g.hex)
		var h Header
		if err := h.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		for n := 0; n < len(b); n++ {
			m, err := newMessage(b, &h)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.UnmarshalBinary(b[:n]); err == nil {
				t.Errorf("%T accepted %d of %d bytes", m, n, len(b))
			}
		}
	}
}
