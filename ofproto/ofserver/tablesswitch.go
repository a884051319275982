package ofserver

import (
	"errors"
	"sync"

	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
	"govs/ofproto/tables"
	"govs/tunnel/tlv"
)

// TablesSwitchConfig wires a TablesSwitch: the OpenFlow tables plus the
// bridge-side functions. Nil functions are refused with an error naming
// what is unsupported (PortMod, PacketOut) or do nothing (Barrier).
type TablesSwitchConfig struct {
	Tables *tables.Tables
	// DatapathID returns the datapath id of FEATURES_REPLY, asked on
	// every request (it may change, e.g. once the bridge's MAC is known);
	// nil: 0.
	DatapathID func() uint64
	// Ports and PortStats list the bridge's ports (LOCAL included), sorted.
	Ports     func() []PortDesc
	PortStats func() []PortStats
	// PortMod applies a port config change (see Switch.PortMod).
	PortMod func(m *PortMod) error
	// PacketOut executes actions on a frame (see Switch.PacketOut).
	PacketOut func(po *PacketOut) error
	// Revalidate makes table changes effective in the datapath
	// (bridge.Bridge.Revalidate); called by Barrier after flow mods.
	Revalidate func()
	// TLV is the bridge's Geneve TLV map (shared with its tunnel table and
	// translation); nil: the switch gets a map of its own.
	TLV *tlv.Table
	// TLVInUse reports whether a flow uses tun_metadata<index> (deleting
	// it is then refused); nil: never.
	TLVInUse func(index int) bool
	// Events receives FLOW_REMOVED for deleted rules with send_flow_rem
	// (normally the Server; set it with SetEvents after New).
	Events Events
}

// TablesSwitch implements Switch over ofproto/tables: flow mods, flow and
// table stats come from the tables, the rest from the config's functions.
// Flow mods mark the switch dirty; Barrier revalidates when dirty, so a
// BARRIER_REPLY is sent only after the datapath reflects every earlier
// flow mod. Safe for concurrent use.
type TablesSwitch struct {
	cfg TablesSwitchConfig
	tlv *tlv.Table

	// barrier serialises revalidations so that a Barrier never returns
	// while another connection's revalidation covering its flow mods is
	// still running.
	barrier struct {
		sync.Mutex
		gen uint64 // guarded by barrier; tables generation last revalidated
	}
}

// NewTablesSwitch returns the switch. cfg.Tables must be set.
func NewTablesSwitch(cfg TablesSwitchConfig) *TablesSwitch {
	s := &TablesSwitch{cfg: cfg, tlv: cfg.TLV}
	if s.tlv == nil {
		s.tlv = tlv.NewTable()
	}
	s.barrier.gen = cfg.Tables.Generation()
	return s
}

// SetEvents sets where FLOW_REMOVED events go (call before serving).
func (s *TablesSwitch) SetEvents(e Events) { s.cfg.Events = e }

// DatapathID implements Switch.
func (s *TablesSwitch) DatapathID() uint64 {
	if s.cfg.DatapathID == nil {
		return 0
	}
	return s.cfg.DatapathID()
}

// Ports implements Switch.
func (s *TablesSwitch) Ports() []PortDesc {
	if s.cfg.Ports == nil {
		return nil
	}
	return s.cfg.Ports()
}

// PortStats implements Switch.
func (s *TablesSwitch) PortStats() []PortStats {
	if s.cfg.PortStats == nil {
		return nil
	}
	return s.cfg.PortStats()
}

// PortMod implements Switch.
func (s *TablesSwitch) PortMod(m *PortMod) error {
	if s.cfg.PortMod == nil {
		return &ofp.Error{Code: ofp.OFPBRC_EPERM, Detail: "port mod is not supported by this switch"}
	}
	return s.cfg.PortMod(m)
}

// PacketOut implements Switch.
func (s *TablesSwitch) PacketOut(po *PacketOut) error {
	if s.cfg.PacketOut == nil {
		return &ofp.Error{Code: ofp.OFPBRC_EPERM, Detail: "packet out is not supported by this switch"}
	}
	return s.cfg.PacketOut(po)
}

// FlowMod implements Switch.
func (s *TablesSwitch) FlowMod(fm *FlowMod) error {
	return s.flowMod(fm, s.cfg.Tables.Apply)
}

// FlowModBatch implements FlowModBatcher with a tables.Batch: consecutive
// plain ADDs are published together.
func (s *TablesSwitch) FlowModBatch(run func(apply func(fm *FlowMod) error)) {
	b := s.cfg.Tables.Begin()
	defer b.Commit()
	run(func(fm *FlowMod) error { return s.flowMod(fm, b.Apply) })
}

// flowMod checks fm against the TLV map, applies it with apply and
// reports the removed rules.
func (s *TablesSwitch) flowMod(fm *FlowMod, apply func(*flowsyntax.FlowMod, ofpact.FormatVersion) ([]tables.Removed, error)) error {
	if err := bindTunMetadata(&fm.Match, s.tlv); err != nil {
		return err
	}
	if err := checkTunMetadataActions(fm.Actions, s.tlv); err != nil {
		return err
	}
	removed, err := apply(&fm.FlowMod, fm.Version)
	if err != nil {
		return TablesError(err)
	}
	if s.cfg.Events != nil {
		for i := range removed {
			if removed[i].Rule.SendFlowRem() {
				s.cfg.Events.FlowRemoved(RemovedEvent(&removed[i]))
			}
		}
	}
	return nil
}

// Barrier implements Switch: it revalidates the datapath if the tables
// changed since the last revalidation.
func (s *TablesSwitch) Barrier() error {
	s.barrier.Lock()
	defer s.barrier.Unlock()
	gen := s.cfg.Tables.Generation()
	if gen == s.barrier.gen {
		return nil
	}
	if s.cfg.Revalidate != nil {
		s.cfg.Revalidate()
	}
	s.barrier.gen = gen
	return nil
}

// FlowStats implements Switch.
func (s *TablesSwitch) FlowStats(q *FlowQuery) ([]flowsyntax.FlowStats, error) {
	if err := bindTunMetadata(&q.Match, s.tlv); err != nil {
		return nil, err
	}
	sel := tables.Selection{Table: q.TableID, Match: q.Match, Cookie: q.Cookie, CookieMask: q.CookieMask,
		OutPort: q.OutPort, OutGroup: q.OutGroup}
	return s.cfg.Tables.FlowStats(&sel), nil
}

// TableStats implements Switch: one entry per table 0..253 with its rule
// count (lookup/matched counters are not kept per table: 0).
func (s *TablesSwitch) TableStats() []TableStats {
	out := make([]TableStats, tables.NumTables)
	for i := range out {
		out[i] = TableStats{TableID: uint8(i), Active: uint32(s.cfg.Tables.TableLen(uint8(i)))}
	}
	return out
}

// RemovedEvent converts a removed rule into a FLOW_REMOVED event (for
// xlate.Config.OnRemoved: call Server.FlowRemoved for each rule with
// SendFlowRem).
func RemovedEvent(r *tables.Removed) *FlowRemoved {
	return &FlowRemoved{Match: r.Rule.Match, Cookie: r.Rule.Cookie, Priority: r.Rule.Priority,
		Reason: uint8(r.Reason), TableID: r.Rule.Table, Duration: r.Duration,
		IdleTimeout: r.Rule.IdleTimeout, HardTimeout: r.Rule.HardTimeout,
		PacketCount: r.Packets, ByteCount: r.Bytes}
}

// TablesError converts errors of ofproto/tables and ofpact (which carry
// OVS error names) into *ofp.Error; other errors are returned unchanged.
func TablesError(err error) error {
	var te *tables.Error
	if errors.As(err, &te) {
		if c := ofp.ErrCodeByName(te.Code); c != ofp.ErrNone {
			return &ofp.Error{Code: c, Detail: te.Detail}
		}
	}
	var ce *ofpact.CheckError
	if errors.As(err, &ce) {
		if c := ofp.ErrCodeByName(ce.Code); c != ofp.ErrNone {
			return &ofp.Error{Code: c, Detail: "actions do not fit the match"}
		}
	}
	return err
}
