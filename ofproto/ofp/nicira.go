package ofp

import "encoding/binary"

// Nicira extension message subtypes (NXT_*).
const (
	nxtSetFlowFormat     = 12
	nxtFlowMod           = 13
	nxtFlowModTableID    = 15
	nxtSetPacketInFormat = 16
	nxtSetControllerID   = 20
	nxtTLVTableMod       = 24
	nxtTLVTableRequest   = 25
	nxtTLVTableReply     = 26

	nxHeaderLen = HeaderLen + 8 // ofp_header + vendor + subtype
)

func appendNXHeader(b []byte, v uint8, xid uint32, sub uint32) []byte {
	b = appendHeader(b, v, TypeVendor, xid)
	b = put32(b, NXVendorID)
	return put32(b, sub)
}

func newVendorMessage(b []byte, h *Header) (Message, error) {
	r := newReader(b[HeaderLen:])
	vendor := r.u32()
	if r.err != nil {
		return nil, newErr(OFPBRC_BAD_LEN, "vendor message without a vendor id")
	}
	if vendor != NXVendorID {
		return nil, newErr(OFPBRC_BAD_VENDOR, "vendor 0x%08x", vendor)
	}
	sub := r.u32()
	if r.err != nil {
		return nil, newErr(OFPBRC_BAD_LEN, "Nicira message without a subtype")
	}
	switch sub {
	case nxtFlowMod:
		if !is10(h.Version) {
			return nil, newErr(OFPBRC_BAD_SUBTYPE, "NXT_FLOW_MOD is only supported over OpenFlow 1.0")
		}
		return &FlowMod{}, nil
	case nxtSetFlowFormat:
		return &SetFlowFormat{}, nil
	case nxtFlowModTableID:
		return &FlowModTableID{}, nil
	case nxtSetPacketInFormat:
		return &SetPacketInFormat{}, nil
	case nxtSetControllerID:
		return &SetControllerID{}, nil
	case nxtTLVTableMod:
		return &TLVTableMod{}, nil
	case nxtTLVTableRequest:
		return &TLVTableRequest{}, nil
	case nxtTLVTableReply:
		return &TLVTableReply{}, nil
	}
	return nil, newErr(OFPBRC_BAD_SUBTYPE, "Nicira message subtype %d is not supported", sub)
}

// nxFixed is a Nicira message with a fixed-size body.
func nxUnmarshal(b []byte, h *Header, sub uint32, bodyLen int) (*reader, error) {
	if err := h.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	if int(h.Length) != nxHeaderLen+bodyLen {
		return nil, newErr(OFPBRC_BAD_LEN, "Nicira subtype %d of %d bytes, want %d", sub, h.Length, nxHeaderLen+bodyLen)
	}
	r := newReader(b[HeaderLen:h.Length])
	if r.u32() != NXVendorID || r.u32() != sub {
		return nil, newErr(OFPBRC_BAD_SUBTYPE, "not a Nicira subtype %d message", sub)
	}
	return r, nil
}

// SetFlowFormat is NXT_SET_FLOW_FORMAT.
type SetFlowFormat struct {
	Header
	Format FlowFormat
}

const setFlowFormatBody = 4

// AppendBinary implements Message.
func (m *SetFlowFormat) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtSetFlowFormat)
	b = put32(b, uint32(m.Format))
	return finish(b, start)
}

// UnmarshalBinary implements Message. Formats other than NXFF_OPENFLOW10
// and NXFF_NXM are OFPBRC_EPERM, as OVS.
func (m *SetFlowFormat) UnmarshalBinary(b []byte) error {
	r, err := nxUnmarshal(b, &m.Header, nxtSetFlowFormat, setFlowFormatBody)
	if err != nil {
		return err
	}
	m.Format = FlowFormat(r.u32())
	if m.Format != FormatOF10 && m.Format != FormatNXM {
		return newErr(OFPBRC_EPERM, "flow format %d", m.Format)
	}
	return nil
}

// FlowModTableID is NXT_FLOW_MOD_TABLE_ID.
type FlowModTableID struct {
	Header
	Enable bool
}

const flowModTableIDBody = 8

// AppendBinary implements Message.
func (m *FlowModTableID) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtFlowModTableID)
	var set uint8
	if m.Enable {
		set = 1
	}
	b = put8(b, set)
	b = putZeros(b, 7)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *FlowModTableID) UnmarshalBinary(b []byte) error {
	r, err := nxUnmarshal(b, &m.Header, nxtFlowModTableID, flowModTableIDBody)
	if err != nil {
		return err
	}
	m.Enable = r.u8() != 0
	return nil
}

// Packet-in formats (NXPIF_*).
const (
	PacketInFormatStandard = 0 // OFPT_PACKET_IN of the connection's version
	PacketInFormatNXT      = 1 // NXT_PACKET_IN (not supported by this codec)
	PacketInFormatNXT2     = 2 // NXT_PACKET_IN2 (not supported by this codec)
)

// SetPacketInFormat is NXT_SET_PACKET_IN_FORMAT. The codec decodes every
// format number; a switch implementing only standard packet-ins should
// refuse others with OFPBRC_EPERM (OVS does so for unknown formats).
type SetPacketInFormat struct {
	Header
	Format uint32
}

const setPacketInFormatBody = 4

// AppendBinary implements Message.
func (m *SetPacketInFormat) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtSetPacketInFormat)
	b = put32(b, m.Format)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *SetPacketInFormat) UnmarshalBinary(b []byte) error {
	r, err := nxUnmarshal(b, &m.Header, nxtSetPacketInFormat, setPacketInFormatBody)
	if err != nil {
		return err
	}
	m.Format = r.u32()
	if m.Format > PacketInFormatNXT2 {
		return newErr(OFPBRC_EPERM, "packet-in format %d", m.Format)
	}
	return nil
}

// SetControllerID is NXT_SET_CONTROLLER_ID.
type SetControllerID struct {
	Header
	ControllerID uint16
}

const setControllerIDBody = 8

// AppendBinary implements Message.
func (m *SetControllerID) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtSetControllerID)
	b = putZeros(b, 6)
	b = put16(b, m.ControllerID)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *SetControllerID) UnmarshalBinary(b []byte) error {
	r, err := nxUnmarshal(b, &m.Header, nxtSetControllerID, setControllerIDBody)
	if err != nil {
		return err
	}
	if !isZeros(r.bytes(6)) {
		return newErr(NXBRC_MUST_BE_ZERO, "set_controller_id padding")
	}
	m.ControllerID = r.u16()
	return nil
}

// IsFlowMod reports whether the message header at the start of b (at
// least nxHeaderLen bytes for a vendor message) is an OFPT_FLOW_MOD or an
// NXT_FLOW_MOD, without decoding or validating the body.
func IsFlowMod(b []byte) bool {
	if len(b) < HeaderLen {
		return false
	}
	switch b[1] {
	case TypeFlowMod:
		return true
	case TypeVendor:
		return len(b) >= nxHeaderLen && binary.BigEndian.Uint32(b[HeaderLen:]) == NXVendorID &&
			binary.BigEndian.Uint32(b[HeaderLen+4:]) == nxtFlowMod
	}
	return false
}
