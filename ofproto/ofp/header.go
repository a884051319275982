package ofp

import "encoding/binary"

// OpenFlow wire versions.
const (
	Version10 uint8 = 1
	Version11 uint8 = 2
	Version12 uint8 = 3
	Version13 uint8 = 4
	Version14 uint8 = 5
	Version15 uint8 = 6
)

// HeaderLen is the size of struct ofp_header.
const HeaderLen = 8

// maxMsgLen is the largest OpenFlow message (the length field is 16 bits).
const maxMsgLen = 0xffff

// Message types common to every version.
const (
	TypeHello            uint8 = 0
	TypeError            uint8 = 1
	TypeEchoRequest      uint8 = 2
	TypeEchoReply        uint8 = 3
	TypeVendor           uint8 = 4 // OFPT_VENDOR / OFPT_EXPERIMENTER
	TypeFeaturesRequest  uint8 = 5
	TypeFeaturesReply    uint8 = 6
	TypeGetConfigRequest uint8 = 7
	TypeGetConfigReply   uint8 = 8
	TypeSetConfig        uint8 = 9
	TypePacketIn         uint8 = 10
	TypeFlowRemoved      uint8 = 11
	TypePortStatus       uint8 = 12
	TypePacketOut        uint8 = 13
	TypeFlowMod          uint8 = 14
)

// OpenFlow 1.0 message types.
const (
	Type10PortMod        uint8 = 15
	Type10StatsRequest   uint8 = 16
	Type10StatsReply     uint8 = 17
	Type10BarrierRequest uint8 = 18
	Type10BarrierReply   uint8 = 19
)

// OpenFlow 1.1+ message types (1.3 names).
const (
	Type13GroupMod         uint8 = 15
	Type13PortMod          uint8 = 16
	Type13TableMod         uint8 = 17
	Type13MultipartRequest uint8 = 18
	Type13MultipartReply   uint8 = 19
	Type13BarrierRequest   uint8 = 20
	Type13BarrierReply     uint8 = 21
)

// Header is struct ofp_header. Length is the whole message length; it is
// filled in by AppendBinary and checked by Decode.
type Header struct {
	Version uint8
	Type    uint8
	Length  uint16
	Xid     uint32
}

// Hdr returns h; every message embeds a Header, so this gives Message its
// Hdr method.
func (h *Header) Hdr() *Header { return h }

// UnmarshalBinary parses the first 8 bytes of b and checks that Length
// is at least 8 and at most len(b) (the fields are set even when it
// returns an error, if b holds 8 bytes).
func (h *Header) UnmarshalBinary(b []byte) error {
	if len(b) < HeaderLen {
		return newErr(OFPBRC_BAD_LEN, "message of %d bytes is shorter than a header", len(b))
	}
	h.Version, h.Type = b[0], b[1]
	h.Length = binary.BigEndian.Uint16(b[2:])
	h.Xid = binary.BigEndian.Uint32(b[4:])
	if h.Length < HeaderLen {
		return newErr(OFPBRC_BAD_LEN, "header length %d is shorter than a header", h.Length)
	}
	if int(h.Length) > len(b) {
		return newErr(OFPBRC_BAD_LEN, "header length %d exceeds the %d bytes available", h.Length, len(b))
	}
	return nil
}

// appendHeader appends a header with a zero length (patched by finish).
func appendHeader(b []byte, version, typ uint8, xid uint32) []byte {
	b = append(b, version, typ, 0, 0)
	return put32(b, xid)
}

// finish patches the length of the message that starts at start.
func finish(b []byte, start int) ([]byte, error) {
	if err := patchLen16(b, start+2, start); err != nil {
		return b[:start], err
	}
	return b, nil
}

// ReadLength returns the total length of the message whose header starts
// b, for framing a byte stream; ok is false if b is shorter than a header.
func ReadLength(b []byte) (n int, ok bool) {
	if len(b) < HeaderLen {
		return 0, false
	}
	return int(binary.BigEndian.Uint16(b[2:])), true
}

// is10 reports whether v uses the OpenFlow 1.0 layouts.
func is10(v uint8) bool { return v == Version10 }

// supported reports whether the codec implements every message of v.
func supported(v uint8) bool { return v == Version10 || v == Version13 }

func checkVersion(v uint8) error {
	if !supported(v) {
		return newErr(OFPBRC_BAD_VERSION, "OpenFlow version 0x%02x is not supported by this codec (only 1.0 and 1.3)", v)
	}
	return nil
}

// typeFor picks the 1.0 or 1.1+ type code of a message.
func typeFor(v uint8, t10, t11 uint8) uint8 {
	if is10(v) {
		return t10
	}
	return t11
}
