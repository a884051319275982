package ofp

import "govs/flowtable"

// Table stats layouts.
const (
	tableStats10Len = 64
	tableStats13Len = 24
	tableNameLen    = 32
	portStatsReqLen = 8
	portStats10Len  = 104
	portStats13Len  = 112
)

// emptyStatsRequest is a stats request without a body.
type emptyStatsRequest struct{ StatsHeader }

func (m *emptyStatsRequest) append(b []byte, typ uint16) ([]byte, error) {
	start := len(b)
	b, err := m.appendStats(b, true, typ, -1)
	if err != nil {
		return b, err
	}
	return finish(b, start)
}

func (m *emptyStatsRequest) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err == nil && len(body) != 0 {
		err = newErr(OFPBRC_BAD_LEN, "stats request with an unexpected %d-byte body", len(body))
	}
	return err
}

// TableStatsRequest is OFPST_TABLE / OFPMP_TABLE request.
type TableStatsRequest struct{ emptyStatsRequest }

// AppendBinary implements Message.
func (m *TableStatsRequest) AppendBinary(b []byte) ([]byte, error) { return m.append(b, StatsTable) }

// TableStats is one table's statistics. Name, Wildcards and MaxEntries
// exist only in 1.0.
type TableStats struct {
	TableID      uint8
	Name         string
	Wildcards    uint32
	MaxEntries   uint32
	ActiveCount  uint32
	LookupCount  uint64
	MatchedCount uint64
}

// TableStatsReply is the OFPST_TABLE / OFPMP_TABLE reply. An empty reply
// is valid: ovs-ofctl reads it as "no table names".
type TableStatsReply struct {
	StatsHeader
	Tables []TableStats
}

func (m *TableStatsReply) start(b []byte) ([]byte, error) {
	return m.appendStats(b, false, StatsTable, -1)
}

func (m *TableStatsReply) entry(b []byte, i int) ([]byte, error) {
	t := &m.Tables[i]
	b = put8(b, t.TableID)
	b = putZeros(b, 3)
	if is10(m.Version) {
		b = putString(b, t.Name, tableNameLen)
		b = put32(b, t.Wildcards)
		b = put32(b, t.MaxEntries)
	}
	b = put32(b, t.ActiveCount)
	b = put64(b, t.LookupCount)
	return put64(b, t.MatchedCount), nil
}

// EncodeMultipart implements MultipartReply.
func (m *TableStatsReply) EncodeMultipart() ([][]byte, error) {
	return splitReply(len(m.Tables), m.start, m.entry)
}

// AppendBinary implements Message.
func (m *TableStatsReply) AppendBinary(b []byte) ([]byte, error) {
	msgs, err := m.EncodeMultipart()
	return single(b, msgs, err)
}

// UnmarshalBinary implements Message.
func (m *TableStatsReply) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	n := tableStats13Len
	if is10(m.Version) {
		n = tableStats10Len
	}
	if len(body)%n != 0 {
		return newErr(OFPBRC_BAD_LEN, "table stats body of %d bytes", len(body))
	}
	m.Tables = nil
	r := newReader(body)
	for r.left() > 0 {
		var t TableStats
		t.TableID = r.u8()
		r.skip(3)
		if is10(m.Version) {
			t.Name = cString(r.bytes(tableNameLen))
			t.Wildcards, t.MaxEntries = r.u32(), r.u32()
		}
		t.ActiveCount, t.LookupCount, t.MatchedCount = r.u32(), r.u64(), r.u64()
		m.Tables = append(m.Tables, t)
	}
	return r.err
}

// TableFeaturesRequest is OFPMP_TABLE_FEATURES request (1.3). A non-empty
// Body asks to change the tables; it is kept opaque (a switch that does
// not support reconfiguration answers OFPTFFC_EPERM-like errors itself).
type TableFeaturesRequest struct {
	StatsHeader
	Body []byte
}

// AppendBinary implements Message.
func (m *TableFeaturesRequest) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b, err := m.appendStats(b, true, StatsTableFeatures, -1)
	if err != nil {
		return b, err
	}
	return finish(append(b, m.Body...), start)
}

// UnmarshalBinary implements Message.
func (m *TableFeaturesRequest) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	m.Body = body
	return err
}

// TableFeatures is one ofp_table_features entry. Properties (the
// OFPTFPT_* TLVs) are kept opaque; a switch may send none.
type TableFeatures struct {
	TableID       uint8
	Name          string
	MetadataMatch uint64
	MetadataWrite uint64
	Config        uint32
	MaxEntries    uint32
	Properties    []byte
}

const tableFeaturesLen = 64

// TableFeaturesReply is the OFPMP_TABLE_FEATURES reply. ovs-ofctl 3.1
// refuses a reply with an empty body (it requires at least one 64-byte
// entry), so a switch should send one entry per table, properties
// optional.
type TableFeaturesReply struct {
	StatsHeader
	Tables []TableFeatures
}

func (m *TableFeaturesReply) start(b []byte) ([]byte, error) {
	if is10(m.Version) {
		return b, newErr(OFPBRC_BAD_VERSION, "table features are OpenFlow 1.3+")
	}
	return m.appendStats(b, false, StatsTableFeatures, -1)
}

func (m *TableFeaturesReply) entry(b []byte, i int) ([]byte, error) {
	t := &m.Tables[i]
	if len(t.Properties)%align8 != 0 {
		return b, newErr(OFPBRC_BAD_LEN, "table features properties of %d bytes", len(t.Properties))
	}
	b = put16(b, uint16(tableFeaturesLen+len(t.Properties)))
	b = put8(b, t.TableID)
	b = putZeros(b, 5)
	b = putString(b, t.Name, tableNameLen)
	b = put64(b, t.MetadataMatch)
	b = put64(b, t.MetadataWrite)
	b = put32(b, t.Config)
	b = put32(b, t.MaxEntries)
	return append(b, t.Properties...), nil
}

// EncodeMultipart implements MultipartReply.
func (m *TableFeaturesReply) EncodeMultipart() ([][]byte, error) {
	return splitReply(len(m.Tables), m.start, m.entry)
}

// AppendBinary implements Message.
func (m *TableFeaturesReply) AppendBinary(b []byte) ([]byte, error) {
	msgs, err := m.EncodeMultipart()
	return single(b, msgs, err)
}

// UnmarshalBinary implements Message.
func (m *TableFeaturesReply) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	m.Tables = nil
	for len(body) > 0 {
		r := newReader(body)
		n := int(r.u16())
		if n < tableFeaturesLen || n > len(body) || n%align8 != 0 {
			return newErr(OFPBRC_BAD_LEN, "table features entry of length %d", n)
		}
		var t TableFeatures
		t.TableID = r.u8()
		r.skip(5)
		t.Name = cString(r.bytes(tableNameLen))
		t.MetadataMatch, t.MetadataWrite, t.Config, t.MaxEntries = r.u64(), r.u64(), r.u32(), r.u32()
		t.Properties = body[tableFeaturesLen:n:n]
		m.Tables = append(m.Tables, t)
		body = body[n:]
	}
	return nil
}

// PortStatsRequest is OFPST_PORT / OFPMP_PORT_STATS request; PortNo is
// flowtable.PortNone for all ports.
type PortStatsRequest struct {
	StatsHeader
	PortNo flowtable.PortNo
}

func appendPortReq(b []byte, v uint8, p flowtable.PortNo) []byte {
	if is10(v) {
		b = put16(b, uint16(p))
		return putZeros(b, 6)
	}
	b = put32(b, PortTo11(p))
	return putZeros(b, 4)
}

func readPortReq(body []byte, v uint8) (flowtable.PortNo, error) {
	if len(body) != portStatsReqLen {
		return 0, newErr(OFPBRC_BAD_LEN, "port request body of %d bytes", len(body))
	}
	r := newReader(body)
	if is10(v) {
		return flowtable.PortNo(r.u16()), nil
	}
	p, err := PortFrom11(r.u32())
	if err != nil {
		return 0, newErr(OFPBRC_BAD_PORT, "%v", err)
	}
	return p, nil
}

// AppendBinary implements Message.
func (m *PortStatsRequest) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b, err := m.appendStats(b, true, StatsPort, -1)
	if err != nil {
		return b, err
	}
	return finish(appendPortReq(b, m.Version, m.PortNo), start)
}

// UnmarshalBinary implements Message.
func (m *PortStatsRequest) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	m.PortNo, err = readPortReq(body, m.Version)
	return err
}

// PortStats is one port's counters (^0 = unavailable). Duration exists
// only in 1.3.
type PortStats struct {
	PortNo                                      flowtable.PortNo
	RxPackets, TxPackets, RxBytes, TxBytes      uint64
	RxDropped, TxDropped, RxErrors, TxErrors    uint64
	RxFrameErr, RxOverErr, RxCRCErr, Collisions uint64
	DurationSec, DurationNsec                   uint32
}

// PortStatsReply is the OFPST_PORT / OFPMP_PORT_STATS reply.
type PortStatsReply struct {
	StatsHeader
	Ports []PortStats
}

func (m *PortStatsReply) start(b []byte) ([]byte, error) {
	return m.appendStats(b, false, StatsPort, -1)
}

func (m *PortStatsReply) entry(b []byte, i int) ([]byte, error) {
	p := &m.Ports[i]
	b = appendPortReq(b, m.Version, p.PortNo)
	for _, c := range [...]uint64{p.RxPackets, p.TxPackets, p.RxBytes, p.TxBytes, p.RxDropped, p.TxDropped,
		p.RxErrors, p.TxErrors, p.RxFrameErr, p.RxOverErr, p.RxCRCErr, p.Collisions} {
		b = put64(b, c)
	}
	if !is10(m.Version) {
		b = put32(b, p.DurationSec)
		b = put32(b, p.DurationNsec)
	}
	return b, nil
}

// EncodeMultipart implements MultipartReply.
func (m *PortStatsReply) EncodeMultipart() ([][]byte, error) {
	return splitReply(len(m.Ports), m.start, m.entry)
}

// AppendBinary implements Message.
func (m *PortStatsReply) AppendBinary(b []byte) ([]byte, error) {
	msgs, err := m.EncodeMultipart()
	return single(b, msgs, err)
}

// UnmarshalBinary implements Message.
func (m *PortStatsReply) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	n := portStats13Len
	if is10(m.Version) {
		n = portStats10Len
	}
	if len(body)%n != 0 {
		return newErr(OFPBRC_BAD_LEN, "port stats body of %d bytes", len(body))
	}
	m.Ports = nil
	for len(body) > 0 {
		var p PortStats
		if p.PortNo, err = readPortReq(body[:portStatsReqLen], m.Version); err != nil {
			return err
		}
		r := newReader(body[portStatsReqLen:n])
		for _, c := range [...]*uint64{&p.RxPackets, &p.TxPackets, &p.RxBytes, &p.TxBytes, &p.RxDropped, &p.TxDropped,
			&p.RxErrors, &p.TxErrors, &p.RxFrameErr, &p.RxOverErr, &p.RxCRCErr, &p.Collisions} {
			*c = r.u64()
		}
		if !is10(m.Version) {
			p.DurationSec, p.DurationNsec = r.u32(), r.u32()
		}
		m.Ports = append(m.Ports, p)
		body = body[n:]
	}
	return nil
}

// PortDescRequest is OFPST_PORT_DESC (OVS's OpenFlow 1.0 extension,
// stats type 13) / OFPMP_PORT_DESC (1.3). OVS 3.1 sends it without a body
// (all ports), which is what AppendBinary writes; a 1.0 body carrying a
// port number (ofp10_port_stats_request) is accepted on decode.
type PortDescRequest struct {
	StatsHeader
	PortNo flowtable.PortNo // decoded only; PortNone = all
}

// AppendBinary implements Message.
func (m *PortDescRequest) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b, err := m.appendStats(b, true, StatsPortDesc, -1)
	if err != nil {
		return b, err
	}
	return finish(b, start)
}

// UnmarshalBinary implements Message. A 1.0 request without a body means
// all ports.
func (m *PortDescRequest) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	m.PortNo = flowtable.PortNone
	if len(body) == 0 {
		return nil
	}
	if !is10(m.Version) {
		return newErr(OFPBRC_BAD_LEN, "port desc request with a body")
	}
	m.PortNo, err = readPortReq(body, m.Version)
	return err
}

// PortDescReply is the OFPST_PORT_DESC / OFPMP_PORT_DESC reply.
type PortDescReply struct {
	StatsHeader
	Ports []PhyPort
}

func (m *PortDescReply) start(b []byte) ([]byte, error) {
	return m.appendStats(b, false, StatsPortDesc, -1)
}

func (m *PortDescReply) entry(b []byte, i int) ([]byte, error) {
	return m.Ports[i].append(b, m.Version), nil
}

// EncodeMultipart implements MultipartReply.
func (m *PortDescReply) EncodeMultipart() ([][]byte, error) {
	return splitReply(len(m.Ports), m.start, m.entry)
}

// AppendBinary implements Message.
func (m *PortDescReply) AppendBinary(b []byte) ([]byte, error) {
	msgs, err := m.EncodeMultipart()
	return single(b, msgs, err)
}

// UnmarshalBinary implements Message.
func (m *PortDescReply) UnmarshalBinary(b []byte) error {
	body, err := m.unmarshalStats(b, false)
	if err != nil {
		return err
	}
	n := portLen(m.Version)
	if len(body)%n != 0 {
		return newErr(OFPBRC_BAD_LEN, "port desc body of %d bytes", len(body))
	}
	m.Ports = nil
	r := newReader(body)
	for r.left() > 0 {
		var p PhyPort
		if err := p.read(r, m.Version); err != nil {
			return err
		}
		m.Ports = append(m.Ports, p)
	}
	return nil
}

// Table feature property types that ovs-ofctl requires in every entry
// (OFPTFPT_INSTRUCTIONS ... OFPTFPT_APPLY_SETFIELD, the even ones).
var requiredTableFeatureProps = [...]uint16{0, 2, 4, 6, 8, 10, 12, 14}

const tableFeaturePropHdr = 4

// EmptyTableFeatureProperties returns the eight required table-feature
// properties, each with an empty list, padded as OpenFlow requires: the
// smallest Properties value ovs-ofctl accepts.
func EmptyTableFeatureProperties() []byte {
	var b []byte
	for _, t := range requiredTableFeatureProps {
		s := len(b)
		b = put16(b, t)
		b = put16(b, tableFeaturePropHdr)
		b = padTo8(b, s)
	}
	return b
}
