package ofserver

import (
	"errors"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// OpenFlow 1.0 FEATURES_REPLY values, as OVS 3.1 sends them.
const (
	// capabilities10: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS
	// ARP_MATCH_IP.
	capabilities10 = 1<<0 | 1<<1 | 1<<2 | 1<<6 | 1<<7
	// capabilities13: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS
	// QUEUE_STATS.
	capabilities13 = 1<<0 | 1<<1 | 1<<2 | 1<<3 | 1<<6
	// actions10: output ... enqueue (OFPAT10_OUTPUT..OFPAT10_ENQUEUE).
	actions10 = 1<<12 - 1
	// featuresHdrLen and phyPortLen size a 1.0 FEATURES_REPLY; the ports
	// are left out when they do not fit in one message, as OVS does.
	featuresHdrLen = 32
	phyPortLen     = 48
	maxMsgLen      = 0xffff
)

// Port config and state bits each version can carry.
const (
	portConfig10 = ofp.PortConfigPortDown | ofp.PortConfigNoSTP | ofp.PortConfigNoRecv |
		ofp.PortConfigNoRecvSTP | ofp.PortConfigNoFlood | ofp.PortConfigNoFwd | ofp.PortConfigNoPacketIn
	portConfig11 = ofp.PortConfigPortDown | ofp.PortConfigNoRecv | ofp.PortConfigNoFwd | ofp.PortConfigNoPacketIn
	// portState10: LINK_DOWN and the STP state field (bits 8-9).
	portState10 = ofp.PortStateLinkDown | 3<<8
	portState11 = ofp.PortStateLinkDown | ofp.PortStateBlocked | ofp.PortStateLive
)

// handle decodes and applies one message. Errors are answered with
// OFPT_ERROR; nothing here closes the connection.
func (c *conn) handle(b []byte) {
	var h ofp.Header
	if err := h.UnmarshalBinary(b); err != nil {
		c.s.errorReply(c, b, err)
		return
	}
	v := c.version()
	switch h.Type {
	case ofp.TypeHello, ofp.TypeError, ofp.TypeEchoRequest, ofp.TypeEchoReply, ofp.TypeVendor:
	default:
		if h.Version != v {
			// OVS vconn: "received OpenFlow version 0x04 != expected 01".
			c.s.errorReply(c, b, &ofp.Error{Code: ofp.OFPBRC_BAD_VERSION, Detail: "version differs from the negotiated one"})
			return
		}
	}
	m, err := ofp.Decode(b)
	if err != nil {
		c.s.errorReply(c, b, err)
		return
	}
	if err := c.dispatch(m, b); err != nil {
		c.s.errorReply(c, b, err)
	}
}

// errBadType is the answer to messages a switch never receives (replies,
// switch-to-controller messages).
var errBadType = &ofp.Error{Code: ofp.OFPBRC_BAD_TYPE, Detail: "message is not a request"}

// errNoTLV answers TLV table messages on a switch without a TLV map.
var errNoTLV = &ofp.Error{Code: ofp.OFPBRC_BAD_SUBTYPE, Detail: "this switch has no Geneve TLV map"}

func (c *conn) dispatch(m ofp.Message, raw []byte) error {
	xid := m.Hdr().Xid
	switch m := m.(type) {
	case *ofp.Hello, *ofp.EchoReply:
		return nil
	case *ofp.ErrorMsg:
		c.s.log.Info("peer sent an error", "conn", c.name, "code", m.ErrCode().String(), "xid", xid)
		return nil
	case *ofp.EchoRequest:
		c.reply(&ofp.EchoReply{Data: m.Data}, xid)
		return nil
	case *ofp.FeaturesRequest:
		c.reply(c.features(), xid)
		return nil
	case *ofp.GetConfigRequest:
		flags := uint16(c.s.frag.Load())
		if c.invalidTTL.Load() {
			flags |= invalidTTLFlag
		}
		c.reply(&ofp.GetConfigReply{SwitchConfig: ofp.SwitchConfig{Flags: flags, MissSendLen: uint16(c.missSendLen.Load())}}, xid)
		return nil
	case *ofp.SetConfig:
		c.setConfig(&m.SwitchConfig)
		return nil
	case *ofp.BarrierRequest:
		if err := c.s.sw.Barrier(); err != nil {
			return err
		}
		c.reply(&ofp.BarrierReply{}, xid)
		return nil
	case *ofp.FlowMod:
		return c.flowMod(m)
	case *ofp.SetFlowFormat:
		if c.version() != ofp.Version10 {
			return &ofp.Error{Code: ofp.OFPBRC_EPERM, Detail: "NXT_SET_FLOW_FORMAT is OpenFlow 1.0 only"}
		}
		c.flowFormat = m.Format
		return nil
	case *ofp.FlowModTableID:
		if c.version() == ofp.Version10 {
			c.tableIDExt = m.Enable
		}
		return nil
	case *ofp.SetPacketInFormat:
		if m.Format != ofp.PacketInFormatStandard {
			return &ofp.Error{Code: ofp.OFPBRC_EPERM, Detail: "only the standard packet-in format is supported by govs"}
		}
		return nil
	case *ofp.SetControllerID:
		c.controllerID = m.ControllerID
		return nil
	case *ofp.PacketOut:
		return c.packetOut(m)
	case *ofp.PortMod:
		return c.portMod(m)
	case *ofp.DescRequest:
		c.reply(c.s.desc(), xid)
		return nil
	case *ofp.FlowStatsRequest:
		return c.flowStats(m, raw)
	case *ofp.TableStatsRequest:
		c.replyMultipart(c.s.tableStats(c.version()), raw, xid)
		return nil
	case *ofp.TableFeaturesRequest:
		return c.tableFeatures(m, raw)
	case *ofp.PortStatsRequest:
		c.replyMultipart(c.s.portStats(m.PortNo), raw, xid)
		return nil
	case *ofp.PortDescRequest:
		c.replyMultipart(&ofp.PortDescReply{Ports: c.portDescs(m.PortNo)}, raw, xid)
		return nil
	case *ofp.TLVTableMod:
		ts, ok := c.s.sw.(TLVSwitch)
		if !ok {
			return errNoTLV
		}
		return ts.TLVTableMod(m.Command, m.Maps)
	case *ofp.TLVTableRequest:
		ts, ok := c.s.sw.(TLVSwitch)
		if !ok {
			return errNoTLV
		}
		space, maps := ts.TLVTable()
		c.reply(&ofp.TLVTableReply{MaxOptionSpace: space, MaxFields: ofp.TLVMaxFields, Maps: maps}, xid)
		return nil
	}
	return errBadType
}

// maskPort returns p with only the config/state bits version v carries
// and its feature bits in v's numbering.
func maskPort(p PortDesc, v uint8) PortDesc {
	if v == ofp.Version10 {
		p.Config &= portConfig10
		p.State &= portState10
		p.Curr, p.Advertised = ofp.Features10(p.Curr), ofp.Features10(p.Advertised)
		p.Supported, p.Peer = ofp.Features10(p.Supported), ofp.Features10(p.Peer)
	} else {
		p.Config &= portConfig11
		p.State &= portState11
	}
	return p
}

func (c *conn) portDescs(only flowtable.PortNo) []PortDesc {
	v := c.version()
	all := c.s.sw.Ports()
	out := make([]PortDesc, 0, len(all))
	for _, p := range all {
		if only == flowtable.PortNone || p.PortNo == only {
			out = append(out, maskPort(p, v))
		}
	}
	return out
}

func (c *conn) features() *ofp.FeaturesReply {
	f := &ofp.FeaturesReply{DatapathID: c.s.sw.DatapathID(), NTables: NTables}
	if c.version() == ofp.Version10 {
		f.Capabilities, f.Actions = capabilities10, actions10
		ports := c.portDescs(flowtable.PortNone)
		if featuresHdrLen+len(ports)*phyPortLen <= maxMsgLen {
			f.Ports = ports
		}
	} else {
		f.Capabilities = capabilities13
	}
	return f
}

func (c *conn) setConfig(sc *ofp.SwitchConfig) {
	mode := sc.Flags & ofp.ConfigFragMask
	supported := mode == ofp.ConfigFragNormal
	if fh, ok := c.s.sw.(FragHandler); ok {
		supported = fh.SetFragHandling(mode)
	}
	if supported {
		c.s.frag.Store(uint32(mode))
	} else {
		// OVS: "unsupported fragment handling mode", no error reply.
		c.s.log.Warn("unsupported fragment handling mode", "conn", c.name, "mode", mode)
	}
	c.invalidTTL.Store(sc.Flags&invalidTTLFlag != 0)
	c.missSendLen.Store(uint32(sc.MissSendLen))
}

// flowMod resolves the table for this connection and applies the flow mod.
func (c *conn) flowMod(m *ofp.FlowMod) error {
	fm := &FlowMod{FlowMod: m.FlowMod, Version: ofpact.FormatVersion(c.version())}
	if c.version() == ofp.Version10 {
		switch {
		case m.TableIDExt && !c.tableIDExt:
			return &ofp.Error{Code: ofp.OFPFMFC_BAD_COMMAND, Detail: "table id in command without NXT_FLOW_MOD_TABLE_ID"}
		case c.tableIDExt:
			// The table byte is meaningful (0 when not set).
		case m.Command == flowsyntax.CmdAdd:
			fm.Table = 0
		default:
			fm.Table = flowsyntax.TableAll
		}
	}
	if fm.Command == flowsyntax.CmdAdd && fm.Table == flowsyntax.TableAll {
		fm.Table = 0
	}
	apply := c.s.sw.FlowMod
	if c.applyFlowMod != nil {
		apply = c.applyFlowMod
	}
	if err := apply(fm); err != nil {
		return err
	}
	if m.BufferID != ofp.NoBuffer {
		// The flow mod took effect; there is no buffered packet to apply
		// it to (OVS has no packet buffers either).
		return &ofp.Error{Code: ofp.OFPBRC_BUFFER_UNKNOWN, Detail: "govs does not buffer packets"}
	}
	return nil
}

func (c *conn) packetOut(m *ofp.PacketOut) error {
	if m.BufferID != ofp.NoBuffer {
		return &ofp.Error{Code: ofp.OFPBRC_BUFFER_UNKNOWN, Detail: "govs does not buffer packets"}
	}
	// OVS checks the actions against the packet's own flow, as if they
	// were a flow's (ofproto_packet_out_init).
	var k flow.Key
	var l flow.Layout
	flow.Extract(m.Data, flow.PortNo(m.InPort), &k, &l)
	match := flowtable.Match{Key: k, InPort: m.InPort, InPortMask: flowtable.PortNone}
	usable, err := ofpact.Check(m.Actions, &match, 0)
	if err != nil {
		return err
	}
	if c.version() != ofp.Version10 && usable&flowtable.ProtoOF13OXM == 0 {
		return &ofpact.CheckError{Code: "OFPBAC_MATCH_INCONSISTENT"}
	}
	// m.Data aliases the message buffer, which ofp.ReadMessage allocated for this
	// message alone: the switch may keep it.
	return c.s.sw.PacketOut(&PacketOut{InPort: m.InPort, Actions: m.Actions, Data: m.Data,
		Version: ofpact.FormatVersion(c.version())})
}

func (c *conn) portMod(m *ofp.PortMod) error {
	var port *PortDesc
	ports := c.s.sw.Ports()
	for i := range ports {
		if ports[i].PortNo == m.PortNo {
			port = &ports[i]
			break
		}
	}
	if port == nil {
		return &ofp.Error{Code: ofp.OFPPMFC_BAD_PORT, Detail: "no such port"}
	}
	if port.HWAddr != m.HWAddr {
		return &ofp.Error{Code: ofp.OFPPMFC_BAD_HW_ADDR, Detail: "hardware address does not match the port's"}
	}
	allowed := uint32(portConfig11)
	if c.version() == ofp.Version10 {
		allowed = portConfig10
	}
	pm := &PortMod{PortNo: m.PortNo, Config: m.Config & m.Mask & allowed, Mask: m.Mask & allowed, Advertise: m.Advertise}
	if err := c.s.sw.PortMod(pm); err != nil {
		return err
	}
	c.s.PortsChanged()
	return nil
}

// asOFPError reports whether err carries an OpenFlow error.
func asOFPError(err error) (*ofp.Error, bool) {
	var e *ofp.Error
	ok := errors.As(err, &e)
	return e, ok
}
