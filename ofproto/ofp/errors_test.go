package ofp

import (
	"encoding/binary"
	"errors"
	"testing"
)

// msg builds a raw message: version, type, then body, with the length set.
func msg(v, typ uint8, body ...[]byte) []byte {
	b := appendHeader(nil, v, typ, 1)
	for _, x := range body {
		b = append(b, x...)
	}
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	return b
}

func u16b(x uint16) []byte { return put16(nil, x) }
func u32b(x uint32) []byte { return put32(nil, x) }
func zeros(n int) []byte   { return make([]byte, n) }

// nxFlowMod builds an NXT_FLOW_MOD ADD with the given raw NXM match and
// raw actions.
func nxFlowMod(match, actions []byte) []byte {
	b := put32(nil, NXVendorID)
	b = put32(b, nxtFlowMod)
	b = put64(b, 0)        // cookie
	b = put16(b, 0)        // command ADD
	b = putZeros(b, 4)     // timeouts
	b = put16(b, 0x8000)   // priority
	b = put32(b, NoBuffer) // buffer
	b = put16(b, 0xffff)   // out_port
	b = put16(b, 0)        // flags
	b = put16(b, uint16(len(match)))
	b = putZeros(b, 6)
	s := len(b)
	b = append(b, match...)
	b = padTo8(b, s)
	return msg(Version10, TypeVendor, b, actions)
}

// of13FlowMod builds an OpenFlow 1.3 ADD with raw OXM fields and raw
// instructions; command overrides the command byte.
func of13FlowMod(command uint8, oxm, insts []byte) []byte {
	b := putZeros(nil, 16) // cookie, mask
	b = append(b, 0, command)
	b = putZeros(b, 4)
	b = put16(b, 0x8000)
	b = put32(b, NoBuffer)
	b = put32(b, 0xffffffff)
	b = put32(b, 0xffffffff)
	b = putZeros(b, 4)
	s := len(b)
	b = put16(b, ofpmtOXM)
	b = put16(b, uint16(oxmMatchHdr+len(oxm)))
	b = append(b, oxm...)
	b = padTo8(b, s)
	return msg(Version13, TypeFlowMod, b, insts)
}

// of10FlowMod builds an OpenFlow 1.0 ADD matching everything with raw
// actions.
func of10FlowMod(actions []byte) []byte {
	b := put32(nil, ofpfwAll)
	b = putZeros(b, ofp10MatchLen-4)
	b = putZeros(b, 8)
	b = put16(b, 0)
	b = putZeros(b, 4)
	b = put16(b, 0x8000)
	b = put32(b, NoBuffer)
	b = put16(b, 0xffff)
	b = put16(b, 0)
	return msg(Version10, TypeFlowMod, b, actions)
}

func nxm(class uint16, field uint8, hasMask bool, payload ...byte) []byte {
	h := uint32(class)<<16 | uint32(field)<<9 | uint32(len(payload))
	if hasMask {
		h |= 1 << 8
	}
	return append(put32(nil, h), payload...)
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func action(typ uint16, body ...byte) []byte {
	b := put16(nil, typ)
	b = put16(b, uint16(actionHeaderLen+len(body)))
	return append(b, body...)
}

func nxAction(sub uint16, body ...byte) []byte {
	b := put32(nil, NXVendorID)
	b = put16(b, sub)
	return action(ofpatVendor, append(b, body...)...)
}

type errorCase struct {
	name string
	b    []byte
	want ErrCode
}

func errorCases() []errorCase {
	ethTypeIPv4 := nxm(nxmClassOF, 3, false, 0x08, 0x00)
	tcpDst := nxm(nxmClassOF, 10, false, 0, 80)
	return []errorCase{
		{"short-header", []byte{1, 0, 0}, OFPBRC_BAD_LEN},
		{"length-below-header", []byte{1, 0, 0, 4, 0, 0, 0, 0}, OFPBRC_BAD_LEN},
		{"length-past-buffer", []byte{1, 0, 0, 16, 0, 0, 0, 0}, OFPBRC_BAD_LEN},
		{"unknown-type", msg(Version10, 30), OFPBRC_BAD_TYPE},
		// Vendor errors with vendor id 0 that name the vendor escape
		// itself: OVS cannot decode them either.
		{"error13-exp-id-0-naming-exp", msg(Version13, TypeError, u16b(OFPET12_EXPERIMENTER), u16b(OFPET12_EXPERIMENTER), u32b(0)), OFPBRC_BAD_LEN},
		{"error10-vendor-id-0-naming-vendor", msg(Version10, TypeError, u16b(NXET_VENDOR), u16b(NXVC_VENDOR_ERROR), u32b(0), u16b(NXET_VENDOR), u16b(NXVC_VENDOR_ERROR)), OFPBRC_BAD_LEN},
		{"of13-group-mod", msg(Version13, Type13GroupMod, zeros(8)), OFPBRC_BAD_TYPE},
		{"unsupported-version", msg(Version12, TypeFeaturesRequest), OFPBRC_BAD_VERSION},
		{"features-request-with-body", msg(Version10, TypeFeaturesRequest, zeros(4)), OFPBRC_BAD_LEN},
		{"vendor-not-nicira", msg(Version10, TypeVendor, u32b(0x1234), u32b(1)), OFPBRC_BAD_VENDOR},
		{"nicira-subtype", msg(Version10, TypeVendor, u32b(NXVendorID), u32b(99)), OFPBRC_BAD_SUBTYPE},
		{"set-flow-format-bad", msg(Version10, TypeVendor, u32b(NXVendorID), u32b(nxtSetFlowFormat), u32b(7)), OFPBRC_EPERM},
		{"stats-type", msg(Version10, Type10StatsRequest, u16b(StatsQueue), u16b(0), zeros(8)), OFPBRC_BAD_STAT},
		{"stats-vendor", msg(Version10, Type10StatsRequest, u16b(StatsVendor), u16b(0), u32b(5), u32b(0), zeros(4)), OFPBRC_BAD_VENDOR},
		{"nx-stats-subtype", msg(Version10, Type10StatsRequest, u16b(StatsVendor), u16b(0), u32b(NXVendorID), u32b(9), zeros(4)), OFPBRC_BAD_SUBTYPE},
		{"action-type", of10FlowMod(action(99, zeros(4)...)), OFPBAC_BAD_TYPE},
		{"action-len", of10FlowMod(action(ofpat10Output, zeros(12)...)), OFPBAC_BAD_LEN},
		{"action-len-odd", of10FlowMod(cat(u16b(0), u16b(6), zeros(2))), OFPBRC_BAD_LEN},
		{"action-len-short", of10FlowMod(cat(u16b(0), u16b(4), zeros(4))), OFPBAC_BAD_LEN},
		{"action-vendor", of10FlowMod(action(ofpatVendor, cat(u32b(77), zeros(8))...)), OFPBAC_BAD_VENDOR},
		{"nx-action-subtype", of10FlowMod(nxAction(99, zeros(6)...)), OFPBAC_BAD_VENDOR_TYPE},
		{"output-reg-unsupported", of10FlowMod(nxAction(nxastOutputReg, zeros(14)...)), OFPBAC_BAD_VENDOR_TYPE},
		{"output-bad-port", of10FlowMod(action(ofpat10Output, 0xff, 0x01, 0, 0)), OFPBAC_BAD_OUT_PORT},
		{"set-vlan-vid-bad", of10FlowMod(action(ofpat10SetVLANVID, 0x10, 0, 0, 0)), OFPBAC_BAD_ARGUMENT},
		{"load-too-wide", of10FlowMod(nxAction(nxastRegLoad, cat(u16b(0<<6|3), u32b(0x00010004), put64(nil, 0x1f))...)), OFPBAC_BAD_ARGUMENT},
		{"load-bad-field", of10FlowMod(nxAction(nxastRegLoad, cat(u16b(0<<6|3), u32b(0x7f7f0004), put64(nil, 1))...)), OFPBAC_BAD_SET_TYPE},
		{"load-past-field", of10FlowMod(nxAction(nxastRegLoad, cat(u16b(30<<6|3), u32b(0x00010004), put64(nil, 1))...)), OFPBAC_BAD_SET_LEN},
		{"load-read-only", of10FlowMod(nxAction(nxastRegLoad, cat(u16b(0<<6|15), u32b(0x00000602), put64(nil, 1))...)), OFPBAC_BAD_SET_ARGUMENT},
		{"nxm-prereq", nxFlowMod(tcpDst, nil), OFPBMC_BAD_PREREQ},
		{"nxm-dup", nxFlowMod(cat(ethTypeIPv4, ethTypeIPv4), nil), OFPBMC_DUP_FIELD},
		{"nxm-unknown-field", nxFlowMod(nxm(nxmClassNX, 120, false, 1, 2), nil), OFPBMC_BAD_FIELD},
		{"nxm-bad-len", nxFlowMod(nxm(nxmClassOF, 3, false, 8), nil), OFPBMC_BAD_FIELD},
		{"nxm-truncated", nxFlowMod(cat(ethTypeIPv4, []byte{0, 0}), nil), OFPBMC_BAD_LEN},
		{"nxm-mask-not-maskable", nxFlowMod(nxm(nxmClassOF, 3, true, 8, 0, 0xff, 0), nil), OFPBMC_BAD_MASK},
		{"nxm-bad-value", nxFlowMod(nxm(nxmClassNX, 26, false, 7), nil), OFPBMC_BAD_VALUE},
		{"nxm-add-cookie", nxFlowMod(nxm(nxmClassNX, nxmFieldCookie, false, 0, 0, 0, 0, 0, 0, 0, 1), nil), NXBRC_NXM_INVALID},
		{"nx-match-inconsistent", nxFlowMod(nil, nxAction(nxastRegLoad, cat(u16b(0<<6|1), u32b(0x00013801), put64(nil, 1))...)), OFPBAC_MATCH_INCONSISTENT},
		{"of13-bad-command", of13FlowMod(9, nil, nil), OFPFMFC_BAD_COMMAND},
		{"of13-prereq", of13FlowMod(0, nxm(oxmClassBasic, 14, false, 0, 80), nil), OFPBMC_BAD_PREREQ},
		{"of13-group-action", of13FlowMod(0, nil, cat(u16b(ofpitApplyActions), u16b(16), zeros(4), action(ofpat13Group, zeros(4)...))), OFPBAC_BAD_OUT_GROUP},
		{"of13-copy-ttl", of13FlowMod(0, nil, cat(u16b(ofpitApplyActions), u16b(16), zeros(4), action(ofpat13CopyTTLOut, zeros(4)...))), OFPBAC_BAD_TYPE},
		{"of13-meter", of13FlowMod(0, nil, cat(u16b(ofpitMeter), u16b(8), zeros(4))), OFPBIC_UNSUP_INST},
		{"of13-unknown-inst", of13FlowMod(0, nil, cat(u16b(9), u16b(8), zeros(4))), OFPBIC_UNKNOWN_INST},
		{"of13-dup-inst", of13FlowMod(0, nil, cat(u16b(ofpitClearActions), u16b(8), zeros(4), u16b(ofpitClearActions), u16b(8), zeros(4))), OFPBIC_DUP_INST},
		{"of13-goto-backwards", of13FlowMod(0, nil, cat(u16b(ofpitGotoTable), u16b(8), zeros(4))), OFPBIC_BAD_TABLE_ID},
		{"of13-set-field-mask", of13FlowMod(0, nil, cat(u16b(ofpitApplyActions), u16b(32), zeros(4), action(ofpat13SetField, nxm(oxmClassBasic, 2, true, zeros(16)...)...))), OFPBAC_BAD_SET_MASK},
		{"of13-match-type", cat(of13FlowMod(0, nil, nil)[:48], []byte{0, 0, 0, 4, 0, 0, 0, 0}), OFPBMC_BAD_LEN},
		{"of13-match-type-exp", cat(of13FlowMod(0, nil, nil)[:48], []byte{0xff, 0xff, 0, 8, 0, 0, 0, 0}), OFPBMC_BAD_TYPE},
		{"of10-emerg", func() []byte { b := of10FlowMod(nil); b[len(b)-1] = ofpff10Emerg; return b }(), OFPFMFC_TABLE_FULL},
	}
}

// TestDecodeErrors checks that malformed or unsupported input yields the
// OpenFlow error OVS would reply with.
func TestDecodeErrors(t *testing.T) {
	for _, tt := range errorCases() {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.b)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode(%x) = %v, want %v", tt.b, err, tt.want)
			}
			if e.Code != tt.want {
				t.Errorf("Decode(%x) = %v, want %v", tt.b, e, tt.want)
			}
			if !errors.Is(err, &Error{Code: tt.want}) {
				t.Errorf("errors.Is does not match the code")
			}
			// The reply is a well-formed OFPT_ERROR that maps back to the code.
			reply := e.Reply(tt.b)
			rb, err := MarshalBinary(reply)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(rb)
			if err != nil {
				t.Fatalf("decode error reply %x: %v", rb, err)
			}
			if len(tt.b) >= HeaderLen {
				if got := m.(*ErrorMsg).ErrCode(); got != tt.want && errTable[tt.want].of10.ok {
					t.Errorf("reply maps back to %v", got)
				}
			}
		})
	}
}

// TestErrorVendorZero checks that a vendor/experimenter error with vendor
// id 0 reads as the standard error it names, as OVS's ofp-print shows
// (experimenter 0, exp_type 1 → OFPBRC_BAD_VERSION), and re-encodes as it.
func TestErrorVendorZero(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want ErrCode
		wire string // re-encoded body after the header
	}{
		{"of13-exp-0", msg(Version13, TypeError, u16b(OFPET12_EXPERIMENTER), u16b(1), u32b(0)), OFPBRC_BAD_VERSION, "00010000"},
		{"of10-vendor-0", msg(Version10, TypeError, u16b(NXET_VENDOR), u16b(NXVC_VENDOR_ERROR), u32b(0), u16b(1), u16b(2)), OFPBRC_BAD_STAT, "00010002"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.(*ErrorMsg).ErrCode(); got != tt.want {
				t.Errorf("maps to %v, want %v", got, tt.want)
			}
			b, err := MarshalBinary(m)
			if err != nil {
				t.Fatal(err)
			}
			if got := hexs(b[HeaderLen:]); got != tt.wire {
				t.Errorf("re-encoded body %s, want %s", got, tt.wire)
			}
		})
	}
}

// TestErrorEncoding checks the (type, code) OVS sends for errors in each
// version, including the OpenFlow 1.0 Nicira vendor encoding.
func TestErrorEncoding(t *testing.T) {
	tests := []struct {
		code   ErrCode
		v      uint8
		wire   string // hex of the body after the header
		mapsTo ErrCode
	}{
		{OFPBRC_BAD_TYPE, Version10, "00010001", OFPBRC_BAD_TYPE},
		{OFPBRC_BAD_VERSION, Version13, "00010000", OFPBRC_BAD_VERSION},
		{OFPBAC_BAD_TYPE, Version13, "00020000", OFPBAC_BAD_TYPE},
		{OFPBMC_BAD_PREREQ, Version13, "00040009", OFPBMC_BAD_PREREQ},
		{OFPBMC_BAD_PREREQ, Version10, "b0c20000000023200001" + "0104", OFPBMC_BAD_PREREQ},
		{OFPBAC_MATCH_INCONSISTENT, Version10, "b0c2000000002320000102" + "0a", OFPBAC_MATCH_INCONSISTENT},
		{OFPBAC_MATCH_INCONSISTENT, Version13, "0002000a", OFPBAC_MATCH_INCONSISTENT},
		{NXBRC_NXM_INVALID, Version13, "ffff000200002320", NXBRC_NXM_INVALID},
		{NXBRC_NXM_INVALID, Version10, "b0c20000000023200001" + "0100", NXBRC_NXM_INVALID},
		{OFPBMC_BAD_LEN, Version10, "b0c20000000023200001" + "0209", NXBRC_UNENCODABLE_ERROR},
		{OFPFMFC_BAD_COMMAND, Version10, "00030004", OFPFMFC_BAD_COMMAND},
		{OFPFMFC_BAD_COMMAND, Version13, "00050006", OFPFMFC_BAD_COMMAND},
		{OFPBIC_DUP_INST, Version13, "ffff0a284f4e4600", OFPBIC_DUP_INST},
		{OFPHFC_INCOMPATIBLE, Version13, "00000000", OFPHFC_INCOMPATIBLE},
	}
	for _, tt := range tests {
		t.Run(tt.code.String(), func(t *testing.T) {
			b, err := Encode(NewErrorMsg(tt.code, tt.v, 0, nil), tt.v, 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := hexs(b[HeaderLen:]); got != tt.wire {
				t.Errorf("v%d %v body %s, want %s", tt.v, tt.code, got, tt.wire)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.(*ErrorMsg).ErrCode(); got != tt.mapsTo {
				t.Errorf("maps back to %v, want %v", got, tt.mapsTo)
			}
		})
	}
	if ErrCodeByName("OFPBAC_BAD_OUT_PORT") != OFPBAC_BAD_OUT_PORT || ErrCodeByName("nope") != ErrNone {
		t.Error("ErrCodeByName")
	}
}

func hexs(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&0xf])
	}
	return string(out)
}
