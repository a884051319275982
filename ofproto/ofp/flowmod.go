package ofp

import (
	"errors"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// FlowFormat is the match encoding of an OpenFlow 1.0 connection (set
// with NXT_SET_FLOW_FORMAT); OpenFlow 1.3 always uses OXM.
type FlowFormat uint32

// Flow formats (NXFF_*).
const (
	FormatOF10 FlowFormat = 0 // NXFF_OPENFLOW10: ofp_match, OFPT_FLOW_MOD
	FormatNXM  FlowFormat = 2 // NXFF_NXM: NXM, NXT_FLOW_MOD
)

// NoBuffer is the buffer_id meaning "no buffered packet".
const NoBuffer = 0xffffffff

// Flow mod sizes and flag bits.
const (
	flowMod10Len   = HeaderLen + ofp10MatchLen + 24 // ofp10_flow_mod
	nxFlowModLen   = nxHeaderLen + 32               // nx_flow_mod after nicira_header
	flowMod13Len   = HeaderLen + 40                 // ofp11_flow_mod before the match
	ofpff10Emerg   = 1 << 2
	flowMod10Flags = uint16(flowsyntax.FlagSendFlowRem | flowsyntax.FlagCheckOverlap)
	flowMod13Flags = uint16(flowsyntax.FlagSendFlowRem | flowsyntax.FlagCheckOverlap |
		flowsyntax.FlagResetCounts | flowsyntax.FlagNoPacketCounts | flowsyntax.FlagNoByteCounts)
	maxFlowModCmd = flowsyntax.CmdDeleteStrict
)

// FlowMod is OFPT_FLOW_MOD (OpenFlow 1.0 ofp_match or 1.3 OXM) or
// NXT_FLOW_MOD (Format FormatNXM, OpenFlow 1.0 only). The embedded
// flowsyntax.FlowMod has OVS's decoded semantics (ofputil_decode_flow_mod):
//
//   - OpenFlow 1.0/NXM: NewCookie is the wire cookie; Cookie/CookieMask
//     come from NXM_NX_COOKIE. In 1.3, ADD carries NewCookie, other
//     commands Cookie/CookieMask (NewCookie = CookieNoChange).
//   - OpenFlow 1.0: the table id travels in the high byte of command only
//     when the connection enabled NXT_FLOW_MOD_TABLE_ID. The codec does not
//     track connection state: TableIDExt reports a non-zero high byte and
//     Table holds it. A switch without the extension must refuse
//     TableIDExt with OFPFMFC_BAD_COMMAND and treat Table as "any" (255).
//     When encoding, the high byte is written only if TableIDExt is set.
//   - An OpenFlow 1.0 match without any wildcard forces priority 65535.
//
// Actions are ofpact actions; in 1.3 instructions are flattened as
// DecodeInstructions describes.
type FlowMod struct {
	Header
	flowsyntax.FlowMod
	Format     FlowFormat
	TableIDExt bool
	BufferID   uint32
}

// AppendBinary implements Message.
func (m *FlowMod) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	if m.Command < 0 || m.Command > maxFlowModCmd {
		return b, newErr(OFPFMFC_BAD_COMMAND, "flow mod command %d", m.Command)
	}
	start := len(b)
	var err error
	switch {
	case !is10(m.Version):
		b, err = m.append13(b)
	case m.Format == FormatNXM:
		b, err = m.appendNXM(b)
	default:
		b, err = m.append10(b)
	}
	if err != nil {
		return b[:start], err
	}
	return finish(b, start)
}

func (m *FlowMod) command10() uint16 {
	c := uint16(m.Command)
	if m.TableIDExt {
		c |= uint16(m.Table) << 8
	}
	return c
}

func (m *FlowMod) append10(b []byte) ([]byte, error) {
	b = appendHeader(b, m.Version, TypeFlowMod, m.Xid)
	b, err := AppendMatch10(b, &m.Match)
	if err != nil {
		return b, err
	}
	b = put64(b, m.NewCookie)
	b = put16(b, m.command10())
	b = put16(b, m.IdleTimeout)
	b = put16(b, m.HardTimeout)
	b = put16(b, m.Priority)
	b = put32(b, m.BufferID)
	b = put16(b, uint16(m.OutPort))
	b = put16(b, uint16(m.Flags)&flowMod10Flags)
	return AppendActions(b, m.Actions, m.Version, &m.Match)
}

func (m *FlowMod) appendNXM(b []byte) ([]byte, error) {
	b = appendNXHeader(b, m.Version, m.Xid, nxtFlowMod)
	b = put64(b, m.NewCookie)
	b = put16(b, m.command10())
	b = put16(b, m.IdleTimeout)
	b = put16(b, m.HardTimeout)
	b = put16(b, m.Priority)
	b = put32(b, m.BufferID)
	b = put16(b, uint16(m.OutPort))
	b = put16(b, uint16(m.Flags)&flowMod10Flags)
	lenAt := len(b)
	b = put16(b, 0)
	b = putZeros(b, 6)
	b, n := AppendNXMMatch(b, &m.Match, m.Cookie, m.CookieMask)
	b[lenAt], b[lenAt+1] = byte(n>>8), byte(n)
	return AppendActions(b, m.Actions, m.Version, &m.Match)
}

func (m *FlowMod) append13(b []byte) ([]byte, error) {
	b = appendHeader(b, m.Version, TypeFlowMod, m.Xid)
	if m.Command == flowsyntax.CmdAdd {
		b = put64(b, m.NewCookie)
	} else {
		b = put64(b, m.Cookie&m.CookieMask)
	}
	b = put64(b, m.CookieMask)
	table := m.Table
	if table == flowsyntax.TableAll && m.Command != flowsyntax.CmdDelete && m.Command != flowsyntax.CmdDeleteStrict {
		table = 0
	}
	b = put8(b, table)
	b = put8(b, uint8(m.Command))
	b = put16(b, m.IdleTimeout)
	b = put16(b, m.HardTimeout)
	b = put16(b, m.Priority)
	b = put32(b, m.BufferID)
	b = put32(b, PortTo11(m.OutPort))
	b = put32(b, m.OutGroup)
	b = put16(b, uint16(m.Flags)&flowMod13Flags)
	b = putZeros(b, 2)
	b = AppendOXMMatch(b, &m.Match)
	return AppendInstructions(b, m.Actions, m.Version, &m.Match)
}

// UnmarshalBinary implements Message.
func (m *FlowMod) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	if err := checkVersion(m.Version); err != nil {
		return err
	}
	b = b[:m.Length]
	if len(b)%align8 != 0 {
		// Actions and instructions come in 8-byte units (OVS ofp-msgs).
		return newErr(OFPBRC_BAD_LEN, "flow mod of %d bytes is not a multiple of 8", len(b))
	}
	m.FlowMod = flowsyntax.FlowMod{OutGroup: flowsyntax.GroupAny}
	m.TableIDExt, m.Format = false, FormatOF10
	var err error
	switch {
	case !is10(m.Version):
		err = m.decode13(b)
	case m.Type == TypeVendor:
		m.Format = FormatNXM
		err = m.decodeNXM(b)
	default:
		err = m.decode10(b)
	}
	if err != nil {
		return err
	}
	return m.checkActions()
}

// checkActions is OVS's ofpacts_check_consistency on a decoded flow mod:
// actions must fit the match (e.g. load to nw_ecn needs an IP match) and
// goto_table must go forward.
func (m *FlowMod) checkActions() error {
	table := m.Table
	if is10(m.Version) && !m.TableIDExt {
		table = flowsyntax.TableAll
	}
	return checkActs(m.Actions, &m.Match, table)
}

func checkActs(acts []ofpact.Action, match *flowtable.Match, table uint8) error {
	if _, err := ofpact.Check(acts, match, table); err != nil {
		var ce *ofpact.CheckError
		if errors.As(err, &ce) {
			if c := ErrCodeByName(ce.Code); c != ErrNone {
				return newErr(c, "actions do not fit the match")
			}
		}
		return newErr(OFPBAC_BAD_ARGUMENT, "%v", err)
	}
	return nil
}

func (m *FlowMod) setCommand10(c uint16) error {
	m.Command = flowsyntax.Command(c & 0xff)
	if c>>8 != 0 {
		m.Table, m.TableIDExt = uint8(c>>8), true
	}
	if m.Command > maxFlowModCmd {
		return newErr(OFPFMFC_BAD_COMMAND, "flow mod command %d", c&0xff)
	}
	m.ModifyCookie = m.NewCookie != flowsyntax.CookieNoChange
	return nil
}

func (m *FlowMod) setFlags10(raw uint16) error {
	if raw&ofpff10Emerg != 0 {
		if m.IdleTimeout != 0 || m.HardTimeout != 0 {
			return newErr(OFPFMFC_BAD_EMERG_TIMEOUT, "emergency flows are not supported")
		}
		return newErr(OFPFMFC_TABLE_FULL, "emergency flows are not supported")
	}
	if raw&^flowMod10Flags != 0 {
		return newErr(OFPFMFC_BAD_FLAGS, "flow mod flags 0x%x", raw)
	}
	m.Flags = flowsyntax.Flags(raw)
	return nil
}

func (m *FlowMod) decode10(b []byte) error {
	if len(b) < flowMod10Len {
		return newErr(OFPBRC_BAD_LEN, "flow mod of %d bytes", len(b))
	}
	exact, err := DecodeMatch10(b[HeaderLen:], &m.Match)
	if err != nil {
		return err
	}
	r := newReader(b[HeaderLen+ofp10MatchLen : flowMod10Len])
	m.NewCookie = r.u64()
	cmd := r.u16()
	m.IdleTimeout, m.HardTimeout, m.Priority = r.u16(), r.u16(), r.u16()
	m.BufferID, m.OutPort = r.u32(), flowtable.PortNo(r.u16())
	flags := r.u16()
	if exact {
		m.Priority = 0xffff
	}
	if err := m.setCommand10(cmd); err != nil {
		return err
	}
	if err := m.setFlags10(flags); err != nil {
		return err
	}
	m.Actions, err = DecodeActions(b[flowMod10Len:], m.Version)
	return err
}

func (m *FlowMod) decodeNXM(b []byte) error {
	if len(b) < nxFlowModLen {
		return newErr(OFPBRC_BAD_LEN, "NXT_FLOW_MOD of %d bytes", len(b))
	}
	r := newReader(b[nxHeaderLen:nxFlowModLen])
	m.NewCookie = r.u64()
	cmd := r.u16()
	m.IdleTimeout, m.HardTimeout, m.Priority = r.u16(), r.u16(), r.u16()
	m.BufferID, m.OutPort = r.u32(), flowtable.PortNo(r.u16())
	flags, matchLen := r.u16(), int(r.u16())
	used, err := DecodeNXMMatch(b[nxFlowModLen:], matchLen, &m.Match, &m.Cookie, &m.CookieMask)
	if err != nil {
		return err
	}
	if err := m.setCommand10(cmd); err != nil {
		return err
	}
	if m.Command == flowsyntax.CmdAdd && m.CookieMask != 0 {
		return newErr(NXBRC_NXM_INVALID, "flow additions cannot match on a cookie")
	}
	if err := m.setFlags10(flags); err != nil {
		return err
	}
	m.Actions, err = DecodeActions(b[nxFlowModLen+used:], m.Version)
	return err
}

func (m *FlowMod) decode13(b []byte) error {
	if len(b) < flowMod13Len {
		return newErr(OFPBRC_BAD_LEN, "flow mod of %d bytes", len(b))
	}
	r := newReader(b[HeaderLen:flowMod13Len])
	cookie, mask := r.u64(), r.u64()
	m.Table, m.Command = r.u8(), flowsyntax.Command(r.u8())
	m.IdleTimeout, m.HardTimeout, m.Priority = r.u16(), r.u16(), r.u16()
	m.BufferID = r.u32()
	port, err := PortFrom11(r.u32())
	if err != nil {
		return err
	}
	m.OutPort, m.OutGroup = port, r.u32()
	flags := r.u16()
	if m.Command > maxFlowModCmd {
		return newErr(OFPFMFC_BAD_COMMAND, "flow mod command %d", m.Command)
	}
	if m.Command == flowsyntax.CmdAdd {
		m.NewCookie = cookie
	} else {
		m.Cookie, m.CookieMask, m.NewCookie = cookie, mask, flowsyntax.CookieNoChange
	}
	if flags&^flowMod13Flags != 0 {
		return newErr(OFPFMFC_BAD_FLAGS, "flow mod flags 0x%x", flags)
	}
	m.Flags = flowsyntax.Flags(flags)
	used, err := DecodeOXMMatch(b[flowMod13Len:], &m.Match)
	if err != nil {
		return err
	}
	m.Actions, err = DecodeInstructions(b[flowMod13Len+used:], m.Version)
	return err
}
