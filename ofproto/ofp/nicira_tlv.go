package ofp

// Geneve TLV map messages (NXT_TLV_TABLE_MOD, _REQUEST, _REPLY), as OVS
// include/openflow/nicira-ext.h and lib/ofp-match.c.

// TLV table mod commands (NXTTMC_*).
const (
	TLVAdd    uint16 = 0 // NXTTMC_ADD
	TLVDelete uint16 = 1 // NXTTMC_DELETE
	TLVClear  uint16 = 2 // NXTTMC_CLEAR
)

// TLV limits of the wire format (OVS TUN_METADATA_NUM_OPTS,
// TLV_MAX_OPT_SIZE).
const (
	TLVMaxFields = 64  // tun_metadata0..63
	TLVMaxOptLen = 124 // option data bytes (a multiple of 4)

	tlvMapLen      = 8 // struct nx_tlv_map
	tlvModFixed    = 8 // command(2) pad(6)
	tlvReplyFixed  = 16
	tlvRequestBody = 0
)

// TLVMap is one mapping: Geneve option (Class, Type, Len) to the match
// field tun_metadata<Index> (struct nx_tlv_map).
type TLVMap struct {
	Class uint16
	Type  uint8
	Len   uint8
	Index uint16
}

// TLVTableMod is NXT_TLV_TABLE_MOD.
type TLVTableMod struct {
	Header
	Command uint16
	Maps    []TLVMap
}

// TLVTableRequest is NXT_TLV_TABLE_REQUEST (no body).
type TLVTableRequest struct {
	Header
}

// TLVTableReply is NXT_TLV_TABLE_REPLY.
type TLVTableReply struct {
	Header
	MaxOptionSpace uint32
	MaxFields      uint16
	Maps           []TLVMap
}

func appendTLVMaps(b []byte, maps []TLVMap) []byte {
	for _, m := range maps {
		b = put16(b, m.Class)
		b = put8(b, m.Type)
		b = put8(b, m.Len)
		b = put16(b, m.Index)
		b = putZeros(b, 2)
	}
	return b
}

// decodeTLVMaps is decode_tlv_table_mappings: lengths a multiple of 4 up
// to 124 (NXTTMFC_BAD_OPT_LEN), indexes below maxFields
// (NXTTMFC_BAD_FIELD_IDX).
func decodeTLVMaps(r *reader, maxFields int) ([]TLVMap, error) {
	if r.left()%tlvMapLen != 0 {
		return nil, newErr(OFPBRC_BAD_LEN, "TLV mapping list of %d bytes", r.left())
	}
	var maps []TLVMap
	for r.left() > 0 {
		m := TLVMap{Class: r.u16(), Type: r.u8(), Len: r.u8(), Index: r.u16()}
		r.skip(2)
		if m.Len%4 != 0 || m.Len > TLVMaxOptLen {
			return nil, newErr(NXTTMFC_BAD_OPT_LEN, "tlv table option length (%d) is not a valid option size", m.Len)
		}
		if int(m.Index) >= maxFields {
			return nil, newErr(NXTTMFC_BAD_FIELD_IDX, "tlv table field index (%d) is too large (max %d)", m.Index, maxFields-1)
		}
		maps = append(maps, m)
	}
	return maps, nil
}

// nxVarUnmarshal checks the header of a variable-length Nicira message and
// returns a reader over its body after the subtype.
func nxVarUnmarshal(b []byte, h *Header, sub uint32, fixed int) (*reader, error) {
	if err := h.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	if int(h.Length) < nxHeaderLen+fixed || int(h.Length) > len(b) {
		return nil, newErr(OFPBRC_BAD_LEN, "Nicira subtype %d of %d bytes", sub, h.Length)
	}
	r := newReader(b[HeaderLen:h.Length])
	if r.u32() != NXVendorID || r.u32() != sub {
		return nil, newErr(OFPBRC_BAD_SUBTYPE, "not a Nicira subtype %d message", sub)
	}
	return r, nil
}

// AppendBinary implements Message.
func (m *TLVTableMod) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtTLVTableMod)
	b = put16(b, m.Command)
	b = putZeros(b, 6)
	b = appendTLVMaps(b, m.Maps)
	return finish(b, start)
}

// UnmarshalBinary implements Message. A command above NXTTMC_CLEAR is
// NXTTMFC_BAD_COMMAND, as OVS.
func (m *TLVTableMod) UnmarshalBinary(b []byte) error {
	r, err := nxVarUnmarshal(b, &m.Header, nxtTLVTableMod, tlvModFixed)
	if err != nil {
		return err
	}
	m.Command = r.u16()
	r.skip(6)
	if m.Command > TLVClear {
		return newErr(NXTTMFC_BAD_COMMAND, "tlv table mod command (%d) is out of range", m.Command)
	}
	m.Maps, err = decodeTLVMaps(r, TLVMaxFields)
	return err
}

// AppendBinary implements Message.
func (m *TLVTableRequest) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtTLVTableRequest)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *TLVTableRequest) UnmarshalBinary(b []byte) error {
	_, err := nxUnmarshal(b, &m.Header, nxtTLVTableRequest, tlvRequestBody)
	return err
}

// AppendBinary implements Message.
func (m *TLVTableReply) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendNXHeader(b, m.Version, m.Xid, nxtTLVTableReply)
	b = put32(b, m.MaxOptionSpace)
	b = put16(b, m.MaxFields)
	b = putZeros(b, 10)
	b = appendTLVMaps(b, m.Maps)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *TLVTableReply) UnmarshalBinary(b []byte) error {
	r, err := nxVarUnmarshal(b, &m.Header, nxtTLVTableReply, tlvReplyFixed)
	if err != nil {
		return err
	}
	m.MaxOptionSpace = r.u32()
	m.MaxFields = r.u16()
	r.skip(10)
	m.Maps, err = decodeTLVMaps(r, int(m.MaxFields))
	return err
}
