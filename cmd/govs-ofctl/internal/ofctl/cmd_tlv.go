package ofctl

import (
	"fmt"
	"strconv"
	"strings"

	"govs/flowtable"
	"govs/ofproto/ofp"
)

// cmdAddTLVMap is "add-tlv-map switch map".
func (s *Session) cmdAddTLVMap(args []string) error {
	return s.tlvTableMod(args, ofp.TLVAdd)
}

// cmdDelTLVMap is "del-tlv-map switch [map]"; without a map it clears the
// table.
func (s *Session) cmdDelTLVMap(args []string) error {
	return s.tlvTableMod(args, ofp.TLVDelete)
}

// cmdDumpTLVMap is "dump-tlv-map switch".
func (s *Session) cmdDumpTLVMap(args []string) error {
	return s.dumpTrivial(args[1], &ofp.TLVTableRequest{})
}

func (s *Session) tlvTableMod(args []string, cmd uint16) error {
	m := &ofp.TLVTableMod{Command: cmd}
	if len(args) > 2 {
		maps, err := parseTLVMaps(args[2])
		if err != nil {
			return err
		}
		m.Maps = maps
	} else {
		m.Command = ofp.TLVClear
	}
	// As ovs-ofctl: the mod goes over a flow-mod connection (NXM or OXM
	// negotiated first).
	c, _, err := s.openForFlowMod(args[1], flowtable.ProtoNXMOXMAny)
	if err != nil {
		return err
	}
	defer c.close()
	return c.noReplyOrFail(m)
}

// parseTLVMaps is parse_ofp_tlv_table_mod_str's list:
// "{class=C,type=T,len=L}->tun_metadataN[,...]".
func parseTLVMaps(s string) ([]ofp.TLVMap, error) {
	var out []ofp.TLVMap
	for len(s) > 0 {
		s = strings.TrimPrefix(s, ",")
		m, rest, ok := parseTLVMap(s)
		if !ok {
			return nil, fatalf("invalid tlv mapping")
		}
		out = append(out, m)
		s = rest
	}
	return out, nil
}

func parseTLVMap(s string) (m ofp.TLVMap, rest string, ok bool) {
	num := func(prefix, stop string, bits int) (uint64, bool) {
		if !strings.HasPrefix(s, prefix) {
			return 0, false
		}
		s = s[len(prefix):]
		i := strings.Index(s, stop)
		if stop == "" {
			i = strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
		}
		if i <= 0 {
			return 0, false
		}
		// ovs_scan's %i16/%i8 keep the low bits of a wider number.
		v, err := strconv.ParseUint(s[:i], 0, 64)
		v &= 1<<bits - 1
		s = s[i+len(stop):]
		return v, err == nil
	}
	class, ok1 := num("{class=", ",", 16)
	if !ok1 {
		return m, "", false
	}
	typ, ok2 := num("type=", ",", 8)
	length, ok3 := num("len=", "}", 8)
	index, ok4 := num("->tun_metadata", "", 16)
	if !ok2 || !ok3 || !ok4 {
		return m, "", false
	}
	return ofp.TLVMap{Class: uint16(class), Type: uint8(typ), Len: uint8(length), Index: uint16(index)}, s, true
}

// appendTLVTable is print_tlv_table.
func appendTLVTable(b []byte, maps []ofp.TLVMap) []byte {
	b = append(b, " mapping table:\n  class  type  length  match field\n ------  ----  ------  --------------"...)
	for _, m := range maps {
		b = fmt.Appendf(b, "\n %6s  %4s  %6d  tun_metadata%d", hexAlt(uint64(m.Class)), hexAlt(uint64(m.Type)), m.Len, m.Index)
	}
	return b
}

// hexAlt is C's "%#x" (0 prints as "0").
func hexAlt(v uint64) string {
	if v == 0 {
		return "0"
	}
	return "0x" + strconv.FormatUint(v, 16)
}

func appendTLVTableMod(b []byte, m *ofp.TLVTableMod) []byte {
	b = appendHeader(b, "NXT_TLV_TABLE_MOD", m.Version, m.Xid)
	b = append(b, "\n "...)
	switch m.Command {
	case ofp.TLVAdd:
		b = append(b, "ADD"...)
	case ofp.TLVDelete:
		b = append(b, "DEL"...)
	case ofp.TLVClear:
		return append(b, "CLEAR\n"...)
	}
	return append(appendTLVTable(b, m.Maps), '\n')
}

func appendTLVTableReply(b []byte, m *ofp.TLVTableReply) []byte {
	b = appendHeader(b, "NXT_TLV_TABLE_REPLY", m.Version, m.Xid)
	allocated := 0
	for _, mp := range m.Maps {
		allocated += int(mp.Len)
	}
	b = fmt.Appendf(b, "\n max option space=%d max fields=%d\n allocated option space=%d\n\n", m.MaxOptionSpace, m.MaxFields, allocated)
	return append(appendTLVTable(b, m.Maps), '\n')
}
