package ofserver

import (
	"errors"

	"govs/ofproto/ofp"
	"govs/tunnel/tlv"
)

// TLVTableMod implements TLVSwitch on the switch's TLV map
// (TablesSwitchConfig.TLV). Deleting a field a flow uses is
// NXTTMFC_INVALID_TLV_DEL, as OVS.
func (s *TablesSwitch) TLVTableMod(cmd uint16, maps []ofp.TLVMap) error {
	ms := make([]tlv.Mapping, 0, len(maps))
	for _, m := range maps {
		if m.Index >= tlv.NumFields {
			return &ofp.Error{Code: ofp.NXTTMFC_BAD_FIELD_IDX, Detail: "tun_metadata index out of range"}
		}
		ms = append(ms, tlv.Mapping{Class: m.Class, Type: m.Type, Len: m.Len, Index: uint8(m.Index)})
	}
	err := s.tlv.Mod(int(cmd), ms, s.tlvInUse)
	if err == nil && s.cfg.Revalidate != nil {
		// Decap and translation read the map: drop cached datapath flows.
		s.cfg.Revalidate()
	}
	return tlvError(err)
}

// TLVTable implements TLVSwitch.
func (s *TablesSwitch) TLVTable() (uint32, []ofp.TLVMap) {
	var out []ofp.TLVMap
	for _, m := range s.tlv.Load().Mappings() {
		out = append(out, ofp.TLVMap{Class: m.Class, Type: m.Type, Len: m.Len, Index: uint16(m.Index)})
	}
	return tlv.SlotLen, out
}

// tlvInUse reports whether a flow of the tables matches or writes
// tun_metadata<index>.
func (s *TablesSwitch) tlvInUse(index int) bool {
	if s.cfg.TLVInUse == nil {
		return false
	}
	return s.cfg.TLVInUse(index)
}

// tlvError maps tlv.Table errors to their OpenFlow codes.
func tlvError(err error) error {
	if err == nil {
		return nil
	}
	codes := []struct {
		err  error
		code ofp.ErrCode
	}{
		{tlv.ErrBadCommand, ofp.NXTTMFC_BAD_COMMAND},
		{tlv.ErrBadOptLen, ofp.NXTTMFC_BAD_OPT_LEN},
		{tlv.ErrBadFieldIdx, ofp.NXTTMFC_BAD_FIELD_IDX},
		{tlv.ErrTableFull, ofp.NXTTMFC_TABLE_FULL},
		{tlv.ErrAlreadyMapped, ofp.NXTTMFC_ALREADY_MAPPED},
		{tlv.ErrDupEntry, ofp.NXTTMFC_DUP_ENTRY},
		{tlv.ErrInUse, ofp.NXTTMFC_INVALID_TLV_DEL},
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return &ofp.Error{Code: c.code, Detail: err.Error()}
		}
	}
	return err
}
