package ofp

import (
	"encoding/binary"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
)

// Flow stats layouts.
const (
	flowStatsReq10Len   = ofp10MatchLen + 4
	flowStatsReqNXLen   = 8
	flowStatsReq13Len   = 32
	flowStats10Len      = 88
	flowStatsNXLen      = 48
	flowStats13Len      = 48
	aggregateReplyLen   = 24
	maxAge              = 0xffff
	flowStats13FlagsMax = flowMod13Flags
)

// FlowStatsRequest is OFPST_FLOW / NXST_FLOW / OFPMP_FLOW, or the
// matching AGGREGATE request when Aggregate is set. NX selects the Nicira
// form (NXM match, OpenFlow 1.0). Cookie/CookieMask come from the 1.3
// request or NXM_NX_COOKIE; OutGroup exists only in 1.3.
type FlowStatsRequest struct {
	StatsHeader
	Aggregate  bool
	NX         bool
	Match      flowtable.Match
	TableID    uint8
	OutPort    flowtable.PortNo
	OutGroup   uint32
	Cookie     uint64
	CookieMask uint64
}

func (m *FlowStatsRequest) kind() (uint16, int) {
	typ, nx := StatsFlow, nxstFlow
	if m.Aggregate {
		typ, nx = StatsAggregate, nxstAggregate
	}
	if !m.NX {
		nx = -1
	}
	return typ, nx
}

// AppendBinary implements Message.
func (m *FlowStatsRequest) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	typ, nx := m.kind()
	if m.NX && !is10(m.Version) {
		return b, newErr(OFPBRC_BAD_VERSION, "Nicira flow stats are OpenFlow 1.0 only")
	}
	b, err := m.appendStats(b, true, typ, nx)
	if err != nil {
		return b, err
	}
	switch {
	case m.NX:
		b = put16(b, uint16(m.OutPort))
		lenAt := len(b)
		b = put16(b, 0)
		b = put8(b, m.TableID)
		b = putZeros(b, 3)
		var n int
		b, n = AppendNXMMatch(b, &m.Match, m.Cookie, m.CookieMask)
		b[lenAt], b[lenAt+1] = byte(n>>8), byte(n)
	case is10(m.Version):
		if b, err = AppendMatch10(b, &m.Match); err != nil {
			return b[:start], err
		}
		b = put8(b, m.TableID)
		b = put8(b, 0)
		b = put16(b, uint16(m.OutPort))
	default:
		b = put8(b, m.TableID)
		b = putZeros(b, 3)
		b = put32(b, PortTo11(m.OutPort))
		b = put32(b, m.OutGroup)
		b = putZeros(b, 4)
		b = put64(b, m.Cookie)
		b = put64(b, m.CookieMask)
		b = AppendOXMMatch(b, &m.Match)
	}
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *FlowStatsRequest) UnmarshalBinary(b []byte) error {
	m.NX = isNXStats(b)
	body, err := m.unmarshalStats(b, m.NX)
	if err != nil {
		return err
	}
	if m.NX {
		m.Aggregate = binary.BigEndian.Uint32(b[nxSubtypeOffset:]) == nxstAggregate
	} else {
		m.Aggregate = binary.BigEndian.Uint16(b[HeaderLen:]) == StatsAggregate
	}
	m.OutGroup, m.Cookie, m.CookieMask = flowsyntax.GroupAny, 0, 0
	r := newReader(body)
	switch {
	case m.NX:
		m.OutPort = flowtable.PortNo(r.u16())
		n := int(r.u16())
		m.TableID = r.u8()
		r.skip(3)
		if r.err != nil {
			return newErr(OFPBRC_BAD_LEN, "NX flow stats request too short")
		}
		used, err := DecodeNXMMatch(body[flowStatsReqNXLen:], n, &m.Match, &m.Cookie, &m.CookieMask)
		if err != nil {
			return err
		}
		if flowStatsReqNXLen+used != len(body) {
			return newErr(OFPBRC_BAD_LEN, "NX flow stats request has trailing bytes")
		}
	case is10(m.Version):
		if len(body) != flowStatsReq10Len {
			return newErr(OFPBRC_BAD_LEN, "flow stats request body of %d bytes", len(body))
		}
		if _, err := DecodeMatch10(body, &m.Match); err != nil {
			return err
		}
		r.skip(ofp10MatchLen)
		m.TableID = r.u8()
		r.skip(1)
		m.OutPort = flowtable.PortNo(r.u16())
	default:
		m.TableID = r.u8()
		r.skip(3)
		p, err := PortFrom11(r.u32())
		if err != nil {
			return err
		}
		m.OutPort, m.OutGroup = p, r.u32()
		r.skip(4)
		m.Cookie, m.CookieMask = r.u64(), r.u64()
		if r.err != nil {
			return newErr(OFPBRC_BAD_LEN, "flow stats request too short")
		}
		used, err := DecodeOXMMatch(body[flowStatsReq13Len:], &m.Match)
		if err != nil {
			return err
		}
		if flowStatsReq13Len+used != len(body) {
			return newErr(OFPBRC_BAD_LEN, "flow stats request has trailing bytes")
		}
	}
	return nil
}

// FlowStatsReply is the OFPST_FLOW / NXST_FLOW / OFPMP_FLOW reply.
// IdleAge/HardAge (seconds, <0 unknown) travel only in the NX form, as
// seconds+1 (0 = unknown); Flags and the 1.3 instructions only in 1.3.
type FlowStatsReply struct {
	StatsHeader
	NX    bool
	Flows []flowsyntax.FlowStats
}

func encodeAge(a int) uint16 {
	switch {
	case a < 0:
		return 0
	case a < maxAge:
		return uint16(a + 1)
	}
	return maxAge
}

func (m *FlowStatsReply) start(b []byte) ([]byte, error) {
	nx := -1
	if m.NX {
		if !is10(m.Version) {
			return b, newErr(OFPBRC_BAD_VERSION, "Nicira flow stats are OpenFlow 1.0 only")
		}
		nx = nxstFlow
	}
	return m.appendStats(b, false, StatsFlow, nx)
}

func (m *FlowStatsReply) entry(b []byte, i int) ([]byte, error) {
	fs := &m.Flows[i]
	s := len(b)
	b = put16(b, 0)
	b = put8(b, fs.Table)
	b = put8(b, 0)
	var err error
	switch {
	case m.NX:
		b = put32(b, fs.DurationSec)
		b = put32(b, fs.DurationNsec)
		b = put16(b, fs.Priority)
		b = put16(b, fs.IdleTimeout)
		b = put16(b, fs.HardTimeout)
		lenAt := len(b)
		b = put16(b, 0)
		b = put16(b, encodeAge(fs.IdleAge))
		b = put16(b, encodeAge(fs.HardAge))
		b = put64(b, fs.Cookie)
		b = put64(b, fs.NPackets)
		b = put64(b, fs.NBytes)
		var n int
		b, n = AppendNXMMatch(b, &fs.Match, 0, 0)
		b[lenAt], b[lenAt+1] = byte(n>>8), byte(n)
		b, err = AppendActions(b, fs.Actions, m.Version, &fs.Match)
	case is10(m.Version):
		if b, err = AppendMatch10(b, &fs.Match); err != nil {
			return b, err
		}
		b = put32(b, fs.DurationSec)
		b = put32(b, fs.DurationNsec)
		b = put16(b, fs.Priority)
		b = put16(b, fs.IdleTimeout)
		b = put16(b, fs.HardTimeout)
		b = putZeros(b, 6)
		b = put64(b, fs.Cookie)
		b = put64(b, fs.NPackets)
		b = put64(b, fs.NBytes)
		b, err = AppendActions(b, fs.Actions, m.Version, &fs.Match)
	default:
		b = put32(b, fs.DurationSec)
		b = put32(b, fs.DurationNsec)
		b = put16(b, fs.Priority)
		b = put16(b, fs.IdleTimeout)
		b = put16(b, fs.HardTimeout)
		b = put16(b, uint16(fs.Flags)&flowStats13FlagsMax)
		b = putZeros(b, 4)
		b = put64(b, fs.Cookie)
		b = put64(b, fs.NPackets)
		b = put64(b, fs.NBytes)
		b = AppendOXMMatch(b, &fs.Match)
		b, err = AppendInstructions(b, fs.Actions, m.Version, &fs.Match)
	}
	if err != nil {
		return b, err
	}
	n := len(b) - s
	if n > maxMsgLen {
		return b, errTooLong
	}
	b[s], b[s+1] = byte(n>>8), byte(n)
	return b, nil
}

// EncodeMultipart implements MultipartReply.
func (m *FlowStatsReply) EncodeMultipart() ([][]byte, error) {
	return splitReply(len(m.Flows), m.start, m.entry)
}

// AppendBinary implements Message (one message; see EncodeMultipart).
func (m *FlowStatsReply) AppendBinary(b []byte) ([]byte, error) {
	msgs, err := m.EncodeMultipart()
	return single(b, msgs, err)
}

// UnmarshalBinary implements Message.
func (m *FlowStatsReply) UnmarshalBinary(b []byte) error {
	m.NX = isNXStats(b)
	body, err := m.unmarshalStats(b, m.NX)
	if err != nil {
		return err
	}
	m.Flows = nil
	for len(body) > 0 {
		r := newReader(body)
		n := int(r.u16())
		min := flowStats13Len
		switch {
		case m.NX:
			min = flowStatsNXLen
		case is10(m.Version):
			min = flowStats10Len
		}
		if r.err != nil || n < min || n > len(body) {
			return newErr(OFPBRC_BAD_LEN, "flow stats entry of length %d", n)
		}
		var fs flowsyntax.FlowStats
		if err := m.decodeEntry(body[:n], &fs); err != nil {
			return err
		}
		m.Flows = append(m.Flows, fs)
		body = body[n:]
	}
	return nil
}

func (m *FlowStatsReply) decodeEntry(e []byte, fs *flowsyntax.FlowStats) error {
	r := newReader(e[2:])
	fs.Table = r.u8()
	r.skip(1)
	fs.IdleAge, fs.HardAge = -1, -1
	var err error
	switch {
	case m.NX:
		fs.DurationSec, fs.DurationNsec = r.u32(), r.u32()
		fs.Priority, fs.IdleTimeout, fs.HardTimeout = r.u16(), r.u16(), r.u16()
		matchLen := int(r.u16())
		fs.IdleAge, fs.HardAge = int(r.u16())-1, int(r.u16())-1
		fs.Cookie, fs.NPackets, fs.NBytes = r.u64(), r.u64(), r.u64()
		used, err := DecodeNXMMatch(e[flowStatsNXLen:], matchLen, &fs.Match, nil, nil)
		if err != nil {
			return err
		}
		fs.Actions, err = DecodeActions(e[flowStatsNXLen+used:], m.Version)
		return err
	case is10(m.Version):
		if _, err := DecodeMatch10(e[4:], &fs.Match); err != nil {
			return err
		}
		r.skip(ofp10MatchLen)
		fs.DurationSec, fs.DurationNsec = r.u32(), r.u32()
		fs.Priority, fs.IdleTimeout, fs.HardTimeout = r.u16(), r.u16(), r.u16()
		r.skip(6)
		fs.Cookie, fs.NPackets, fs.NBytes = r.u64(), r.u64(), r.u64()
		fs.Actions, err = DecodeActions(e[flowStats10Len:], m.Version)
		return err
	}
	fs.DurationSec, fs.DurationNsec = r.u32(), r.u32()
	fs.Priority, fs.IdleTimeout, fs.HardTimeout = r.u16(), r.u16(), r.u16()
	fs.Flags = flowsyntax.Flags(r.u16())
	r.skip(4)
	fs.Cookie, fs.NPackets, fs.NBytes = r.u64(), r.u64(), r.u64()
	used, err := DecodeOXMMatch(e[flowStats13Len:], &fs.Match)
	if err != nil {
		return err
	}
	fs.Actions, err = DecodeInstructions(e[flowStats13Len+used:], m.Version)
	return err
}

// AggregateStatsReply is the OFPST_AGGREGATE / NXST_AGGREGATE /
// OFPMP_AGGREGATE reply.
type AggregateStatsReply struct {
	StatsHeader
	NX          bool
	PacketCount uint64
	ByteCount   uint64
	FlowCount   uint32
}

// AppendBinary implements Message.
func (m *AggregateStatsReply) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	nx := -1
	if m.NX {
		nx = nxstAggregate
	}
	b, err := m.appendStats(b, false, StatsAggregate, nx)
	if err != nil {
		return b, err
	}
	b = put64(b, m.PacketCount)
	b = put64(b, m.ByteCount)
	b = put32(b, m.FlowCount)
	b = putZeros(b, 4)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *AggregateStatsReply) UnmarshalBinary(b []byte) error {
	m.NX = isNXStats(b)
	body, err := m.unmarshalStats(b, m.NX)
	if err != nil {
		return err
	}
	if len(body) != aggregateReplyLen {
		return newErr(OFPBRC_BAD_LEN, "aggregate reply body of %d bytes", len(body))
	}
	r := newReader(body)
	m.PacketCount, m.ByteCount, m.FlowCount = r.u64(), r.u64(), r.u32()
	return nil
}
