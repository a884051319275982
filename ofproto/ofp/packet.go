package ofp

import (
	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// Packet-in reasons (OFPR_*).
const (
	PacketInNoMatch    = 0
	PacketInAction     = 1
	PacketInInvalidTTL = 2
)

const (
	packetIn10Len  = HeaderLen + 10 // before data (2 bytes of pad included)
	packetIn13Len  = HeaderLen + 16 // before the match
	packetOut10Len = HeaderLen + 8
	packetOut13Len = HeaderLen + 16
	packetInPad13  = 2
)

// PacketIn is OFPT_PACKET_IN. In 1.0 the ingress port is InPort; in 1.3
// it is carried in Match (OXM in_port, plus metadata/tunnel/registers)
// and InPort mirrors Match.InPort. Data aliases the decoded buffer.
type PacketIn struct {
	Header
	BufferID uint32
	TotalLen uint16
	InPort   flowtable.PortNo
	Reason   uint8
	TableID  uint8  // 1.3
	Cookie   uint64 // 1.3
	Match    flowtable.Match
	Data     []byte
}

// AppendBinary implements Message.
func (m *PacketIn) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, TypePacketIn, m.Xid)
	b = put32(b, m.BufferID)
	b = put16(b, m.TotalLen)
	if is10(m.Version) {
		b = put16(b, uint16(m.InPort))
		b = put8(b, m.Reason)
		b = put8(b, 0)
	} else {
		b = put8(b, m.Reason)
		b = put8(b, m.TableID)
		b = put64(b, m.Cookie)
		b = appendOXMMatchPort(b, &m.Match, m.InPort)
		b = putZeros(b, packetInPad13)
	}
	b = append(b, m.Data...)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *PacketIn) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	b = b[:m.Length]
	m.Match = flowtable.Match{}
	if is10(m.Version) {
		if len(b) < packetIn10Len {
			return newErr(OFPBRC_BAD_LEN, "packet-in of %d bytes", len(b))
		}
		r := newReader(b[HeaderLen:])
		m.BufferID, m.TotalLen, m.InPort, m.Reason = r.u32(), r.u16(), flowtable.PortNo(r.u16()), r.u8()
		m.TableID, m.Cookie = 0, 0
		m.Data = b[packetIn10Len:]
		return nil
	}
	if len(b) < packetIn13Len {
		return newErr(OFPBRC_BAD_LEN, "packet-in of %d bytes", len(b))
	}
	r := newReader(b[HeaderLen:])
	m.BufferID, m.TotalLen, m.Reason, m.TableID, m.Cookie = r.u32(), r.u16(), r.u8(), r.u8(), r.u64()
	used, err := DecodeOXMMatch(b[packetIn13Len:], &m.Match)
	if err != nil {
		return err
	}
	rest := b[packetIn13Len+used:]
	if len(rest) < packetInPad13 {
		return newErr(OFPBRC_BAD_LEN, "packet-in without padding")
	}
	m.InPort = m.Match.InPort
	m.Data = rest[packetInPad13:]
	return nil
}

// PacketOut is OFPT_PACKET_OUT. Data aliases the decoded buffer.
type PacketOut struct {
	Header
	BufferID uint32
	InPort   flowtable.PortNo
	Actions  []ofpact.Action
	Data     []byte
}

// AppendBinary implements Message.
func (m *PacketOut) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, TypePacketOut, m.Xid)
	b = put32(b, m.BufferID)
	var lenAt int
	if is10(m.Version) {
		b = put16(b, uint16(m.InPort))
		lenAt = len(b)
		b = put16(b, 0)
	} else {
		b = put32(b, PortTo11(m.InPort))
		lenAt = len(b)
		b = put16(b, 0)
		b = putZeros(b, 6)
	}
	actStart := len(b)
	b, err := AppendActions(b, m.Actions, m.Version, nil)
	if err != nil {
		return b[:start], err
	}
	n := len(b) - actStart
	b[lenAt], b[lenAt+1] = byte(n>>8), byte(n)
	b = append(b, m.Data...)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *PacketOut) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	b = b[:m.Length]
	fixed := packetOut13Len
	if is10(m.Version) {
		fixed = packetOut10Len
	}
	if len(b) < fixed {
		return newErr(OFPBRC_BAD_LEN, "packet-out of %d bytes", len(b))
	}
	r := newReader(b[HeaderLen:])
	m.BufferID = r.u32()
	if is10(m.Version) {
		m.InPort = flowtable.PortNo(r.u16())
	} else {
		p, err := PortFrom11(r.u32())
		if err != nil {
			return newErr(OFPBRC_BAD_PORT, "%v", err)
		}
		m.InPort = p
	}
	n := int(r.u16())
	if n > len(b)-fixed {
		return newErr(OFPBRC_BAD_LEN, "packet-out actions_len %d exceeds the message", n)
	}
	switch m.InPort {
	case flowtable.PortLocal, flowtable.PortNone, flowtable.PortController:
	default:
		if m.InPort >= flowtable.PortMax {
			return newErr(OFPBRC_BAD_PORT, "packet-out in_port %d", m.InPort)
		}
	}
	acts, err := DecodeActions(b[fixed:fixed+n], m.Version)
	if err != nil {
		return err
	}
	m.Actions = acts
	m.Data = b[fixed+n:]
	return nil
}

// Flow removed reasons (OFPRR_*).
const (
	FlowRemovedIdleTimeout = 0
	FlowRemovedHardTimeout = 1
	FlowRemovedDelete      = 2
)

const (
	flowRemoved10Len = HeaderLen + ofp10MatchLen + 40
	flowRemoved13Len = HeaderLen + 40 // before the match
)

// FlowRemoved is OFPT_FLOW_REMOVED. HardTimeout exists only in 1.3.
type FlowRemoved struct {
	Header
	Match        flowtable.Match
	Cookie       uint64
	Priority     uint16
	Reason       uint8
	TableID      uint8
	DurationSec  uint32
	DurationNsec uint32
	IdleTimeout  uint16
	HardTimeout  uint16
	PacketCount  uint64
	ByteCount    uint64
}

// AppendBinary implements Message.
func (m *FlowRemoved) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, TypeFlowRemoved, m.Xid)
	if is10(m.Version) {
		var err error
		if b, err = AppendMatch10(b, &m.Match); err != nil {
			return b[:start], err
		}
		b = put64(b, m.Cookie)
		b = put16(b, m.Priority)
		b = put8(b, m.Reason)
		b = put8(b, 0)
		b = put32(b, m.DurationSec)
		b = put32(b, m.DurationNsec)
		b = put16(b, m.IdleTimeout)
		b = putZeros(b, 2)
		b = put64(b, m.PacketCount)
		b = put64(b, m.ByteCount)
		return finish(b, start)
	}
	b = put64(b, m.Cookie)
	b = put16(b, m.Priority)
	b = put8(b, m.Reason)
	b = put8(b, m.TableID)
	b = put32(b, m.DurationSec)
	b = put32(b, m.DurationNsec)
	b = put16(b, m.IdleTimeout)
	b = put16(b, m.HardTimeout)
	b = put64(b, m.PacketCount)
	b = put64(b, m.ByteCount)
	b = AppendOXMMatch(b, &m.Match)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *FlowRemoved) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	b = b[:m.Length]
	if is10(m.Version) {
		if len(b) != flowRemoved10Len {
			return newErr(OFPBRC_BAD_LEN, "flow removed of %d bytes", len(b))
		}
		if _, err := DecodeMatch10(b[HeaderLen:], &m.Match); err != nil {
			return err
		}
		r := newReader(b[HeaderLen+ofp10MatchLen:])
		m.Cookie, m.Priority, m.Reason = r.u64(), r.u16(), r.u8()
		r.skip(1)
		m.DurationSec, m.DurationNsec, m.IdleTimeout = r.u32(), r.u32(), r.u16()
		r.skip(2)
		m.PacketCount, m.ByteCount = r.u64(), r.u64()
		m.TableID, m.HardTimeout = 0, 0
		return r.err
	}
	if len(b) < flowRemoved13Len {
		return newErr(OFPBRC_BAD_LEN, "flow removed of %d bytes", len(b))
	}
	r := newReader(b[HeaderLen:])
	m.Cookie, m.Priority, m.Reason, m.TableID = r.u64(), r.u16(), r.u8(), r.u8()
	m.DurationSec, m.DurationNsec, m.IdleTimeout, m.HardTimeout = r.u32(), r.u32(), r.u16(), r.u16()
	m.PacketCount, m.ByteCount = r.u64(), r.u64()
	used, err := DecodeOXMMatch(b[flowRemoved13Len:], &m.Match)
	if err != nil {
		return err
	}
	if flowRemoved13Len+used != len(b) {
		return newErr(OFPBRC_BAD_LEN, "flow removed has %d trailing bytes", len(b)-flowRemoved13Len-used)
	}
	return nil
}
