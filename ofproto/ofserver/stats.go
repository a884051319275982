package ofserver

import (
	"time"

	"govs/flowtable"
	"govs/ofproto/ofp"
)

// Table description values, as OVS 3.1 reports them.
const (
	// wildcards10 is OFPFW10_ALL: every OpenFlow 1.0 field is wildcardable.
	wildcards10 = 1<<22 - 1
	// maxEntries is OVS's per-table max_entries (1000000).
	maxEntries = 1000000
	// unknownCount is a counter the switch does not know (^0).
	unknownCount = ^uint64(0)
)

// OVS's OFPST_DESC strings.
const (
	defaultManufacturer = "Nicira, Inc."
	defaultHardware     = "Open vSwitch"
	defaultSoftware     = "3.1.0"
	defaultSerial       = "None"
	defaultDPDesc       = "None"
)

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (s *Server) desc() *ofp.DescReply {
	d := s.cfg.Desc
	return &ofp.DescReply{
		MfrDesc:   orDefault(d.Manufacturer, defaultManufacturer),
		HWDesc:    orDefault(d.Hardware, defaultHardware),
		SWDesc:    orDefault(d.Software, defaultSoftware),
		SerialNum: orDefault(d.SerialNum, defaultSerial),
		DPDesc:    orDefault(d.DPDesc, defaultDPDesc),
	}
}

func (s *Server) tableStats(v uint8) *ofp.TableStatsReply {
	ts := s.sw.TableStats()
	out := make([]ofp.TableStats, len(ts))
	for i, t := range ts {
		out[i] = ofp.TableStats{TableID: t.TableID, ActiveCount: t.Active, LookupCount: t.Lookup, MatchedCount: t.Matched}
		if v == ofp.Version10 {
			out[i].Wildcards, out[i].MaxEntries = wildcards10, maxEntries
		}
	}
	return &ofp.TableStatsReply{Tables: out}
}

// tableFeatures answers OFPMP_TABLE_FEATURES with one entry per table,
// each with the eight required (empty) properties: enough for ovs-ofctl's
// table-name map. Requests that try to change the tables are refused.
func (c *conn) tableFeatures(m *ofp.TableFeaturesRequest, raw []byte) error {
	if len(m.Body) != 0 {
		return &ofp.Error{Code: ofp.OFPBRC_EPERM, Detail: "changing table features is not supported by govs"}
	}
	props := ofp.EmptyTableFeatureProperties()
	ts := c.s.sw.TableStats()
	out := make([]ofp.TableFeatures, 0, len(ts))
	for _, t := range ts {
		out = append(out, ofp.TableFeatures{TableID: t.TableID, MetadataMatch: ^uint64(0), MetadataWrite: ^uint64(0),
			MaxEntries: maxEntries, Properties: props})
	}
	if len(out) == 0 {
		// ovs-ofctl refuses an empty body: send table 0 at least.
		out = append(out, ofp.TableFeatures{MaxEntries: maxEntries, Properties: props})
	}
	c.replyMultipart(&ofp.TableFeaturesReply{Tables: out}, raw, m.Xid)
	return nil
}

func (s *Server) portStats(only flowtable.PortNo) *ofp.PortStatsReply {
	all := s.sw.PortStats()
	out := make([]ofp.PortStats, 0, len(all))
	for _, p := range all {
		if only != flowtable.PortNone && p.PortNo != only {
			continue
		}
		d := p.Duration
		if d < 0 {
			d = 0
		}
		out = append(out, ofp.PortStats{PortNo: p.PortNo,
			RxPackets: p.RxPackets, TxPackets: p.TxPackets, RxBytes: p.RxBytes, TxBytes: p.TxBytes,
			RxDropped: p.RxDropped, TxDropped: p.TxDropped, RxErrors: p.RxErrors, TxErrors: p.TxErrors,
			RxFrameErr: p.RxFrameErr, RxOverErr: p.RxOverErr, RxCRCErr: p.RxCRCErr, Collisions: p.Collisions,
			DurationSec: uint32(d / time.Second), DurationNsec: uint32(d % time.Second)})
	}
	return &ofp.PortStatsReply{Ports: out}
}

// flowStats answers flow and aggregate stats in the form of the request
// (OFPST_FLOW, NXST_FLOW or OFPMP_FLOW).
func (c *conn) flowStats(m *ofp.FlowStatsRequest, raw []byte) error {
	q := &FlowQuery{Match: m.Match, TableID: m.TableID, OutPort: m.OutPort, OutGroup: m.OutGroup,
		Cookie: m.Cookie, CookieMask: m.CookieMask}
	// Every table id is valid here: 0-253 are the tables, 254 is OVS's
	// hidden (always empty to dumps) table and 255 means all.
	flows, err := c.s.sw.FlowStats(q)
	if err != nil {
		return err
	}
	if !m.Aggregate {
		c.replyMultipart(&ofp.FlowStatsReply{NX: m.NX, Flows: flows}, raw, m.Xid)
		return nil
	}
	r := &ofp.AggregateStatsReply{NX: m.NX}
	unknownPackets, unknownBytes := false, false
	for i := range flows {
		f := &flows[i]
		if f.NPackets == unknownCount {
			unknownPackets = true
		} else {
			r.PacketCount += f.NPackets
		}
		if f.NBytes == unknownCount {
			unknownBytes = true
		} else {
			r.ByteCount += f.NBytes
		}
		r.FlowCount++
	}
	if unknownPackets {
		r.PacketCount = unknownCount
	}
	if unknownBytes {
		r.ByteCount = unknownCount
	}
	c.reply(r, m.Xid)
	return nil
}
