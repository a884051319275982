package ofctl

import (
	"encoding/binary"
	"fmt"
	"strconv"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// appendHeader appends ofp_header_to_string__ plus " (xid=0x..):".
func appendHeader(b []byte, name string, v uint8, xid uint32) []byte {
	b = append(b, name...)
	if v != ofp.Version10 {
		b = append(b, " (OF1."...)
		b = strconv.AppendUint(b, uint64(v-1), 10)
		b = append(b, ')')
	}
	b = append(b, " (xid=0x"...)
	b = strconv.AppendUint(b, uint64(xid), 16)
	return append(b, "):"...)
}

// typeNames names the plain message types for headers of messages this
// tool does not print in detail (OpenFlow 1.0 numbering, then 1.3).
var typeNames10 = map[uint8]string{
	ofp.TypeHello: "OFPT_HELLO", ofp.TypeEchoRequest: "OFPT_ECHO_REQUEST",
	ofp.TypeEchoReply: "OFPT_ECHO_REPLY", ofp.TypeVendor: "OFPT_VENDOR",
	ofp.TypeFeaturesRequest: "OFPT_FEATURES_REQUEST", ofp.TypeFeaturesReply: "OFPT_FEATURES_REPLY",
	ofp.TypeGetConfigRequest: "OFPT_GET_CONFIG_REQUEST", ofp.TypeGetConfigReply: "OFPT_GET_CONFIG_REPLY",
	ofp.TypeSetConfig: "OFPT_SET_CONFIG", ofp.TypePacketIn: "OFPT_PACKET_IN",
	ofp.TypeFlowRemoved: "OFPT_FLOW_REMOVED", ofp.TypePortStatus: "OFPT_PORT_STATUS",
	ofp.TypePacketOut: "OFPT_PACKET_OUT", ofp.TypeFlowMod: "OFPT_FLOW_MOD",
	ofp.Type10PortMod: "OFPT_PORT_MOD", ofp.Type10StatsRequest: "OFPST request",
	ofp.Type10StatsReply: "OFPST reply", ofp.Type10BarrierRequest: "OFPT_BARRIER_REQUEST",
	ofp.Type10BarrierReply: "OFPT_BARRIER_REPLY",
}

var typeNames13 = map[uint8]string{
	ofp.Type13GroupMod: "OFPT_GROUP_MOD", ofp.Type13PortMod: "OFPT_PORT_MOD",
	ofp.Type13TableMod: "OFPT_TABLE_MOD", ofp.Type13MultipartRequest: "OFPST request",
	ofp.Type13MultipartReply: "OFPST reply", ofp.Type13BarrierRequest: "OFPT_BARRIER_REQUEST",
	ofp.Type13BarrierReply: "OFPT_BARRIER_REPLY",
}

func typeName(v, t uint8) string {
	if t < ofp.Type10PortMod || v == ofp.Version10 {
		if n, ok := typeNames10[t]; ok {
			return n
		}
	} else if n, ok := typeNames13[t]; ok {
		return n
	}
	return "OFPT_UNKNOWN_" + strconv.Itoa(int(t))
}

// msgString is ofp_to_string for a received message, ending in '\n'.
func msgString(m *msg, pm *flowtable.PortMap) string {
	b := appendMsg(nil, m.raw, pm)
	if len(b) == 0 || b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return string(b)
}

// appendMsg appends the ofp_print text of the message in raw.
func appendMsg(b []byte, raw []byte, pm *flowtable.PortMap) []byte {
	switch {
	case len(raw) == 0:
		return append(b, "OpenFlow message is empty\n"...)
	case len(raw) < ofp.HeaderLen:
		return fmt.Appendf(b, "OpenFlow packet too short (only %d bytes):\n", len(raw))
	}
	var h ofp.Header
	_ = h.UnmarshalBinary(raw)
	if int(h.Length) > len(raw) {
		b = appendHeader(b, typeName(h.Version, h.Type), h.Version, h.Xid)
		b = b[:len(b)-1] // no ':' before the truncation note
		return fmt.Appendf(b, "\n(***truncated to %d bytes from %d***)\n", len(raw), h.Length)
	}
	dm, err := ofp.Decode(raw)
	if err != nil {
		name := "OFPBRC_BAD_LEN"
		if e := ofp.AsError(err); e != nil {
			name = e.Code.String()
		}
		if n, ok := nxtName(raw, h); ok {
			// ofp_to_string: the header, a space, the error and a hex
			// dump of the message.
			b = appendHeader(b, n, h.Version, h.Xid)
			b = fmt.Appendf(b, " ***decode error: %s***\n", name)
			return appendHexDump(b, raw[:h.Length])
		}
		b = appendHeader(b, typeName(h.Version, h.Type), h.Version, h.Xid)
		return fmt.Appendf(b, "***decode error: %s***\n", name)
	}
	return appendDecoded(b, dm, pm)
}

func appendDecoded(b []byte, dm ofp.Message, pm *flowtable.PortMap) []byte {
	h := dm.Hdr()
	v, xid := h.Version, h.Xid
	switch m := dm.(type) {
	case *ofp.ErrorMsg:
		b = appendHeader(b, "OFPT_ERROR", v, xid)
		return appendError(b, m, pm)
	case *ofp.FeaturesReply:
		b = appendHeader(b, "OFPT_FEATURES_REPLY", v, xid)
		b = appendFeatures(b, m)
		return appendPhyPorts(b, m.Ports, v)
	case *ofp.PortDescReply:
		b = appendHeader(b, "OFPST_PORT_DESC reply", v, xid)
		b = appendFlags(b, m.Flags)
		b = append(b, '\n')
		return appendPhyPorts(b, m.Ports, v)
	case *ofp.GetConfigReply:
		b = appendHeader(b, "OFPT_GET_CONFIG_REPLY", v, xid)
		return appendSwitchConfig(b, &m.SwitchConfig, v)
	case *ofp.DescReply:
		b = appendHeader(b, "OFPST_DESC reply", v, xid)
		b = appendFlags(b, m.Flags)
		return fmt.Appendf(b, "\nManufacturer: %s\nHardware: %s\nSoftware: %s\nSerial Num: %s\nDP Description: %s\n",
			m.MfrDesc, m.HWDesc, m.SWDesc, m.SerialNum, m.DPDesc)
	case *ofp.TableStatsReply:
		b = appendHeader(b, "OFPST_TABLE reply", v, xid)
		b = appendFlags(b, m.Flags)
		return appendTableStats(b, m.Tables, v)
	case *ofp.PortStatsReply:
		b = appendHeader(b, "OFPST_PORT reply", v, xid)
		b = appendFlags(b, m.Flags)
		return appendPortStats(b, m.Ports, v, pm)
	case *ofp.AggregateStatsReply:
		name := "OFPST_AGGREGATE reply"
		if m.NX {
			name = "NXST_AGGREGATE reply"
		}
		b = appendHeader(b, name, v, xid)
		b = appendFlags(b, m.Flags)
		return fmt.Appendf(b, " packet_count=%d byte_count=%d flow_count=%d\n", m.PacketCount, m.ByteCount, m.FlowCount)
	case *ofp.FlowStatsReply:
		return appendFlowStatsReply(b, m, pm)
	case *ofp.FlowMod:
		return append(appendFlowMod(b, m, pm), '\n')
	case *ofp.PortMod:
		b = appendHeader(b, "OFPT_PORT_MOD", v, xid)
		return appendPortMod(b, m, pm)
	case *ofp.PacketOut:
		b = appendHeader(b, "OFPT_PACKET_OUT", v, xid)
		return appendPacketOut(b, m, pm)
	case *ofp.SetFlowFormat:
		b = appendHeader(b, "NXT_SET_FLOW_FORMAT", v, xid)
		if m.Format == ofp.FormatNXM {
			return append(b, " format=nxm\n"...)
		}
		return append(b, " format=openflow10\n"...)
	case *ofp.TLVTableMod:
		return appendTLVTableMod(b, m)
	case *ofp.TLVTableReply:
		return appendTLVTableReply(b, m)
	case *ofp.TLVTableRequest:
		return append(appendHeader(b, "NXT_TLV_TABLE_REQUEST", v, xid), '\n')
	case *ofp.FlowModTableID:
		b = appendHeader(b, "NXT_FLOW_MOD_TABLE_ID", v, xid)
		if m.Enable {
			return append(b, " enable\n"...)
		}
		return append(b, " disable\n"...)
	}
	return append(appendHeader(b, typeName(v, h.Type), v, xid), '\n')
}

// appendFlags prints the multipart flags ofp_print_stats shows.
func appendFlags(b []byte, flags uint16) []byte {
	if flags&ofp.StatsFlagMore != 0 {
		b = append(b, " flags=[more]"...)
		flags &^= ofp.StatsFlagMore
	}
	if flags != 0 {
		b = fmt.Appendf(b, " flags=0x%x", flags)
	}
	return b
}

// appendError is ofperr_msg_format: the error name, then the request.
func appendError(b []byte, m *ofp.ErrorMsg, pm *flowtable.PortMap) []byte {
	code := m.ErrCode()
	name := code.String()
	if code == ofp.ErrNone {
		name = fmt.Sprintf("ErrorMsg(vendor=0x%x,type=%d,code=%d)", m.Vendor, m.Type, m.Code)
	}
	b = append(b, ' ')
	b = append(b, name...)
	b = append(b, '\n')
	if code == ofp.OFPHFC_INCOMPATIBLE || code == ofp.OFPHFC_EPERM {
		for _, c := range m.Data {
			if c >= ' ' && c < 0x7f {
				b = append(b, c)
			}
		}
		return b
	}
	return appendMsg(b, m.Data, pm)
}

// flowModProtocol is the protocol ofp_print decodes a flow mod with
// (table ids always enabled).
func flowModProtocol(m *ofp.FlowMod) flowtable.Protocols {
	switch {
	case m.Version == ofp.Version13:
		return flowtable.ProtoOF13OXM
	case m.Format == ofp.FormatNXM:
		return flowtable.ProtoOF10NXMTID
	}
	return flowtable.ProtoOF10StdTID
}

func appendFlowMod(b []byte, m *ofp.FlowMod, pm *flowtable.PortMap) []byte {
	fm := m.FlowMod
	if m.Version == ofp.Version10 && !m.TableIDExt {
		fm.Table = 0
	}
	return flowsyntax.AppendFlowMod(b, &fm, flowModProtocol(m), m.Xid, pm)
}

// appendFlowStatsReply prints a flow stats reply as dump_transaction does.
func appendFlowStatsReply(b []byte, m *ofp.FlowStatsReply, pm *flowtable.PortMap) []byte {
	o := &flowsyntax.StatsOptions{ShowStats: true, Version: ofpact.OF10, Ports: pm}
	if m.Version != ofp.Version10 {
		o.Version = ofpact.OF13
	}
	if (m.NX || m.Version != ofp.Version10) && m.Flags == 0 {
		// Printed only without --names (with names dump-flows takes the
		// vconn_dump_flows path), so the header is always there.
		o.Ports = nil
		return flowsyntax.AppendFlowStatsReply(b, m.Flows, m.Xid, o)
	}
	b = appendHeader(b, flowStatsName(m), m.Version, m.Xid)
	b = appendFlags(b, m.Flags)
	b = append(b, '\n')
	for i := range m.Flows {
		fs := m.Flows[i]
		fs.Importance = 0
		if m.Version == ofp.Version10 {
			fs.Flags = 0
		}
		if !m.NX {
			fs.IdleAge, fs.HardAge = -1, -1
		}
		b = append(b, ' ')
		b = flowsyntax.AppendFlowStats(b, &fs, o)
		b = append(b, '\n')
	}
	return b
}

func flowStatsName(m *ofp.FlowStatsReply) string {
	if m.NX {
		return "NXST_FLOW reply"
	}
	return "OFPST_FLOW reply"
}

// appendSwitchConfig is ofputil_switch_config_format.
func appendSwitchConfig(b []byte, c *ofp.SwitchConfig, v uint8) []byte {
	const invalidTTLToController = 1 << 2 // OFPC_INVALID_TTL_TO_CONTROLLER (1.0-1.2)
	frags := [...]string{"normal", "drop", "reassemble", "nx-match"}
	b = append(b, " frags="...)
	b = append(b, frags[c.Flags&ofp.ConfigFragMask]...)
	if v < ofp.Version13 && c.Flags&invalidTTLToController != 0 {
		b = append(b, " invalid_ttl_to_controller"...)
	}
	return fmt.Appendf(b, " miss_send_len=%d\n", c.MissSendLen)
}

// appendPortMod is ofputil_port_mod_format.
func appendPortMod(b []byte, m *ofp.PortMod, pm *flowtable.PortMap) []byte {
	b = append(b, " port: "...)
	b = flowtable.AppendPort(b, m.PortNo, pm)
	b = append(b, ": addr:"...)
	b = flowtable.AppendMAC(b, m.HWAddr)
	b = append(b, "\n     config: "...)
	b = appendPortConfig(b, m.Config)
	b = append(b, "     mask:   "...)
	b = appendPortConfig(b, m.Mask)
	b = append(b, "     advertise: "...)
	if m.Advertise != 0 {
		b = appendFeatureNames(b, m.Advertise, m.Version)
	} else {
		b = append(b, "UNCHANGED\n"...)
	}
	return b
}

// appendPacketOut is a short ofputil_packet_out_format.
func appendPacketOut(b []byte, m *ofp.PacketOut, pm *flowtable.PortMap) []byte {
	b = append(b, " in_port="...)
	b = flowtable.AppendPort(b, m.InPort, pm)
	v := ofpact.OF10
	if m.Version != ofp.Version10 {
		v = ofpact.OF13
	}
	b = append(b, " actions="...)
	b = ofpact.AppendActions(b, m.Actions, v, pm)
	if m.BufferID != ofp.NoBuffer {
		return fmt.Appendf(b, " buffer=0x%08x\n", m.BufferID)
	}
	return fmt.Appendf(b, " data_len=%d\n", len(m.Data))
}

// nxtSubtypeNames names the Nicira messages whose decode errors are
// printed as OVS does (header name, error, hex dump).
var nxtSubtypeNames = map[uint32]string{
	24: "NXT_TLV_TABLE_MOD", 25: "NXT_TLV_TABLE_REQUEST", 26: "NXT_TLV_TABLE_REPLY",
}

// nxtName returns the name of the Nicira message in raw, if listed.
func nxtName(raw []byte, h ofp.Header) (string, bool) {
	const vendorOff, subOff = ofp.HeaderLen, ofp.HeaderLen + 4
	if h.Type != ofp.TypeVendor || len(raw) < subOff+4 || binary.BigEndian.Uint32(raw[vendorOff:]) != ofp.NXVendorID {
		return "", false
	}
	n, ok := nxtSubtypeNames[binary.BigEndian.Uint32(raw[subOff:])]
	return n, ok
}

// appendHexDump is ds_put_hex_dump(ds, buf, size, 0, true): 16 bytes a
// line, offset, hex with a '-' after the 8th byte, and the ASCII column.
func appendHexDump(b []byte, buf []byte) []byte {
	const perLine = 16
	for ofs := 0; ofs < len(buf); ofs += perLine {
		line := buf[ofs:min(ofs+perLine, len(buf))]
		b = fmt.Appendf(b, "%08x  ", ofs)
		for i := 0; i < perLine; i++ {
			switch {
			case i >= len(line):
				b = append(b, "   "...)
			case i == perLine/2-1:
				b = fmt.Appendf(b, "%02x-", line[i])
			default:
				b = fmt.Appendf(b, "%02x ", line[i])
			}
		}
		b = append(b, '|')
		for i := 0; i < perLine; i++ {
			switch {
			case i >= len(line):
				b = append(b, ' ')
			case line[i] >= 32 && line[i] < 127:
				b = append(b, line[i])
			default:
				b = append(b, '.')
			}
		}
		b = append(b, "|\n"...)
	}
	return b
}
