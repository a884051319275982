package ofp

import (
	"encoding/binary"
)

// Stats (1.0) / multipart (1.3) types.
const (
	StatsDesc          uint16 = 0
	StatsFlow          uint16 = 1
	StatsAggregate     uint16 = 2
	StatsTable         uint16 = 3
	StatsPort          uint16 = 4
	StatsQueue         uint16 = 5
	StatsTableFeatures uint16 = 12
	StatsPortDesc      uint16 = 13
	StatsVendor        uint16 = 0xffff
)

// Nicira stats subtypes (NXST_*).
const (
	nxstFlow      = 0
	nxstAggregate = 1
)

// StatsFlagMore is OFPSF_REPLY_MORE / OFPMPF_REPLY_MORE (and
// OFPMPF_REQ_MORE in requests).
const StatsFlagMore = 1

const (
	statsFlagsOffset = HeaderLen + 2
	stats10HdrLen    = HeaderLen + 4
	stats13HdrLen    = HeaderLen + 8
	nxStatsHdrLen    = stats10HdrLen + 12 // + vendor, subtype, pad
	nxSubtypeOffset  = stats10HdrLen + 4  // NX stats subtype (1.0)
)

// StatsHeader is the part shared by every stats request and reply:
// the OpenFlow header and the stats flags.
type StatsHeader struct {
	Header
	Flags uint16
}

func statsHdrLen(v uint8) int {
	if is10(v) {
		return stats10HdrLen
	}
	return stats13HdrLen
}

// appendStats starts a stats message of type typ (nx >= 0: a Nicira
// stats subtype in 1.0).
func (h *StatsHeader) appendStats(b []byte, request bool, typ uint16, nx int) ([]byte, error) {
	if err := checkVersion(h.Version); err != nil {
		return b, err
	}
	t := typeFor(h.Version, Type10StatsReply, Type13MultipartReply)
	if request {
		t = typeFor(h.Version, Type10StatsRequest, Type13MultipartRequest)
	}
	b = appendHeader(b, h.Version, t, h.Xid)
	if nx >= 0 {
		typ = StatsVendor
	}
	b = put16(b, typ)
	b = put16(b, h.Flags)
	if !is10(h.Version) {
		b = putZeros(b, 4)
	}
	if nx >= 0 {
		b = put32(b, NXVendorID)
		b = put32(b, uint32(nx))
		if is10(h.Version) {
			b = putZeros(b, 4)
		}
	}
	return b, nil
}

// unmarshalStats parses the header and returns the body (after the stats
// header, and after the Nicira header when nx is set).
func (h *StatsHeader) unmarshalStats(b []byte, nx bool) ([]byte, error) {
	if err := h.Header.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	b = b[:h.Length]
	n := statsHdrLen(h.Version)
	if nx {
		n = nxStatsHdrLen
		if !is10(h.Version) {
			n = stats13HdrLen + 8
		}
	}
	if len(b) < n {
		return nil, newErr(OFPBRC_BAD_LEN, "stats message of %d bytes", len(b))
	}
	h.Flags = binary.BigEndian.Uint16(b[statsFlagsOffset:])
	return b[n:], nil
}

func newStatsMessage(b []byte, h *Header, request bool) (Message, error) {
	r := newReader(b[HeaderLen:])
	typ := r.u16()
	if r.err != nil || len(b) < statsHdrLen(h.Version) {
		return nil, newErr(OFPBRC_BAD_LEN, "stats message too short")
	}
	switch typ {
	case StatsDesc:
		if request {
			return &DescRequest{}, nil
		}
		return &DescReply{}, nil
	case StatsFlow, StatsAggregate:
		if request {
			return &FlowStatsRequest{}, nil
		}
		if typ == StatsFlow {
			return &FlowStatsReply{}, nil
		}
		return &AggregateStatsReply{}, nil
	case StatsTable:
		if request {
			return &TableStatsRequest{}, nil
		}
		return &TableStatsReply{}, nil
	case StatsPort:
		if request {
			return &PortStatsRequest{}, nil
		}
		return &PortStatsReply{}, nil
	case StatsPortDesc:
		if request {
			return &PortDescRequest{}, nil
		}
		return &PortDescReply{}, nil
	case StatsTableFeatures:
		if is10(h.Version) {
			break
		}
		if request {
			return &TableFeaturesRequest{}, nil
		}
		return &TableFeaturesReply{}, nil
	case StatsVendor:
		r.skip(2)
		if !is10(h.Version) {
			r.skip(4)
		}
		vendor, sub := r.u32(), r.u32()
		if r.err != nil {
			return nil, newErr(OFPBRC_BAD_LEN, "vendor stats message too short")
		}
		if vendor != NXVendorID {
			return nil, newErr(OFPBRC_BAD_VENDOR, "stats vendor 0x%08x", vendor)
		}
		if !is10(h.Version) {
			return nil, newErr(OFPBRC_BAD_SUBTYPE, "Nicira stats are only supported over OpenFlow 1.0")
		}
		switch sub {
		case nxstFlow, nxstAggregate:
			if request {
				return &FlowStatsRequest{}, nil
			}
			if sub == nxstFlow {
				return &FlowStatsReply{}, nil
			}
			return &AggregateStatsReply{}, nil
		}
		return nil, newErr(OFPBRC_BAD_SUBTYPE, "Nicira stats subtype %d is not supported", sub)
	}
	return nil, newErr(OFPBRC_BAD_STAT, "stats type %d is not supported", typ)
}

// isNXStats reports whether b is a Nicira vendor stats message.
func isNXStats(b []byte) bool {
	return len(b) >= HeaderLen+2 && binary.BigEndian.Uint16(b[HeaderLen:]) == StatsVendor
}

// Description lengths in OFPST_DESC.
const (
	descStrLen   = 256
	serialNumLen = 32
)

// DescRequest is OFPST_DESC / OFPMP_DESC request.
type DescRequest struct{ StatsHeader }

// AppendBinary implements Message.
func (m *DescRequest) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b, err := m.appendStats(b, true, StatsDesc, -1)
	if err != nil {
		return b, err
	}
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *DescRequest) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err == nil && len(body) != 0 {
		err = newErr(OFPBRC_BAD_LEN, "desc request with a body")
	}
	return err
}

// DescReply is the OFPST_DESC reply.
type DescReply struct {
	StatsHeader
	MfrDesc, HWDesc, SWDesc, SerialNum, DPDesc string
}

const descReplyBody = 4*descStrLen + serialNumLen

// AppendBinary implements Message.
func (m *DescReply) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b, err := m.appendStats(b, false, StatsDesc, -1)
	if err != nil {
		return b, err
	}
	b = putString(b, m.MfrDesc, descStrLen)
	b = putString(b, m.HWDesc, descStrLen)
	b = putString(b, m.SWDesc, descStrLen)
	b = putString(b, m.SerialNum, serialNumLen)
	b = putString(b, m.DPDesc, descStrLen)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *DescReply) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	if len(body) != descReplyBody {
		return newErr(OFPBRC_BAD_LEN, "desc reply body of %d bytes", len(body))
	}
	r := newReader(body)
	m.MfrDesc, m.HWDesc, m.SWDesc = cString(r.bytes(descStrLen)), cString(r.bytes(descStrLen)), cString(r.bytes(descStrLen))
	m.SerialNum, m.DPDesc = cString(r.bytes(serialNumLen)), cString(r.bytes(descStrLen))
	return nil
}

// splitReply encodes a multipart reply with n entries, starting a new
// message with the same header whenever the next entry would make the
// current one exceed 65535 bytes, and sets the MORE flag on every message
// but the last (OVS ofpmp_postappend).
func splitReply(n int, start func(b []byte) ([]byte, error), entry func(b []byte, i int) ([]byte, error)) ([][]byte, error) {
	var msgs [][]byte
	cur, err := start(nil)
	if err != nil {
		return nil, err
	}
	base := len(cur)
	for i := 0; i < n; i++ {
		before := len(cur)
		next, err := entry(cur, i)
		if err != nil {
			return nil, err
		}
		if len(next) > maxMsgLen {
			if before == base {
				return nil, errTooLong
			}
			cur = next[:before]
			msgs = append(msgs, cur)
			if cur, err = start(nil); err != nil {
				return nil, err
			}
			i--
			continue
		}
		cur = next
	}
	msgs = append(msgs, cur)
	for i, m := range msgs {
		binary.BigEndian.PutUint16(m[2:], uint16(len(m)))
		if i < len(msgs)-1 {
			binary.BigEndian.PutUint16(m[statsFlagsOffset:], binary.BigEndian.Uint16(m[statsFlagsOffset:])|StatsFlagMore)
		}
	}
	return msgs, nil
}

// MultipartReply is a stats reply made of entries that may need several
// messages (flow, port, port-desc and table stats).
type MultipartReply interface {
	Message
	// EncodeMultipart encodes the reply as one or more messages of at
	// most 65535 bytes each, flagged MORE except the last.
	EncodeMultipart() ([][]byte, error)
}

// EncodeMultipart sets the version and xid of m and splits it.
func EncodeMultipart(m MultipartReply, v uint8, xid uint32) ([][]byte, error) {
	h := m.Hdr()
	h.Version, h.Xid = v, xid
	return m.EncodeMultipart()
}

// single turns a multipart encoding into one message or an error.
func single(b []byte, msgs [][]byte, err error) ([]byte, error) {
	if err != nil {
		return b, err
	}
	if len(msgs) != 1 {
		return b, newErr(OFPBRC_BAD_LEN, "reply needs %d messages: use EncodeMultipart", len(msgs))
	}
	return append(b, msgs[0]...), nil
}
