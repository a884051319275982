package ofserver

import (
	"errors"

	"strconv"

	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/tables"

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
// tun_metadata<index> (then OVS refuses to delete the mapping).
func (s *TablesSwitch) tlvInUse(index int) bool {
	if s.cfg.TLVInUse != nil && s.cfg.TLVInUse(index) {
		return true
	}
	sel := tables.SelectAll()
	for _, fs := range s.cfg.Tables.FlowStats(&sel) {
		if fs.Match.HasTunMetadata(index) || actionsUseTunMetadata(fs.Actions, index) {
			return true
		}
	}
	return false
}

// bindTunMetadata lays a match's tun_metadata fields out by the bridge's
// TLV map; an unmapped field is NXFMFC_INVALID_TLV_FIELD, as OVS.
func bindTunMetadata(m *flowtable.Match, t *tlv.Table) error {
	err := m.BindTunMetadata(t.Load())
	var un *flowtable.ErrTunMetaUnmapped
	switch {
	case err == nil:
		return nil
	case errors.As(err, &un):
		return &ofp.Error{Code: ofp.NXFMFC_INVALID_TLV_FIELD, Detail: err.Error()}
	}
	return &ofp.Error{Code: ofp.OFPBMC_BAD_VALUE, Detail: err.Error()}
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

// checkTunMetadataActions refuses set_field to a tun_metadata field the
// bridge does not map (NXFMFC_INVALID_TLV_FIELD) or whose value is wider
// than the mapping.
func checkTunMetadataActions(acts []ofpact.Action, t *tlv.Table) error {
	m := t.Load()
	for _, a := range acts {
		st, ok := a.(*ofpact.SetTunMetadata)
		if !ok {
			continue
		}
		e := m.Field(int(st.Index))
		if !e.Valid {
			return &ofp.Error{Code: ofp.NXFMFC_INVALID_TLV_FIELD, Detail: "set_field to unmapped tun_metadata" + strconv.Itoa(int(st.Index))}
		}
		for i := 0; i+int(e.Len) < int(st.Len); i++ {
			if st.Value[i] != 0 {
				return &ofp.Error{Code: ofp.OFPBAC_BAD_SET_ARGUMENT, Detail: "set_field value wider than tun_metadata" + strconv.Itoa(int(st.Index)) + "'s mapping"}
			}
		}
	}
	return nil
}

// actionsUseTunMetadata reports whether acts write tun_metadata<index>.
func actionsUseTunMetadata(acts []ofpact.Action, index int) bool {
	for _, a := range acts {
		if st, ok := a.(*ofpact.SetTunMetadata); ok && int(st.Index) == index {
			return true
		}
	}
	return false
}
