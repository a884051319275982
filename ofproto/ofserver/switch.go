package ofserver

import (
	"time"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// PortDesc describes one OpenFlow port as FEATURES_REPLY, PORT_DESC and
// PORT_STATUS carry it. Config uses the OpenFlow 1.0 bits
// (ofp.PortConfig*, NO_FLOOD included); State uses LINK_DOWN plus the 1.1+
// BLOCKED and LIVE bits (ofp.PortState*): as OVS, report LIVE for a port
// that is up and LINK_DOWN for one that is down. The server masks the bits
// a version cannot carry. Curr, Advertised, Supported and Peer use the
// OpenFlow 1.1+ feature bits (ofp.PortFeature*), converted for 1.0 by the
// server. CurrSpeed/MaxSpeed (kbps) are sent in 1.3 only.
type PortDesc = ofp.PhyPort

// PortStats are one port's counters; Duration is how long the port has
// existed (sent in 1.3 only). Counters that are unavailable are ^0.
type PortStats struct {
	PortNo                                      flowtable.PortNo
	Duration                                    time.Duration
	RxPackets, TxPackets, RxBytes, TxBytes      uint64
	RxDropped, TxDropped, RxErrors, TxErrors    uint64
	RxFrameErr, RxOverErr, RxCRCErr, Collisions uint64
}

// PortMod is a validated OFPT_PORT_MOD: the port exists and HWAddr matched.
// Only the Config bits set in Mask change. Advertise 0 means "no change".
type PortMod struct {
	PortNo    flowtable.PortNo
	Config    uint32
	Mask      uint32
	Advertise uint32
}

// FlowQuery selects flows for flow and aggregate stats, as OVS's
// ofputil_flow_stats_request: non-strict (loose) match, TableID
// (flowsyntax.TableAll = every table), OutPort (flowtable.PortNone = any),
// OutGroup (flowsyntax.GroupAny = any) and the cookie under CookieMask.
type FlowQuery struct {
	Match      flowtable.Match
	TableID    uint8
	OutPort    flowtable.PortNo
	OutGroup   uint32
	Cookie     uint64
	CookieMask uint64
}

// TableStats are one table's counters. The server fills the OpenFlow 1.0
// name, wildcards and max_entries as OVS does.
type TableStats struct {
	TableID uint8
	Active  uint32
	Lookup  uint64
	Matched uint64
}

// PacketOut is a validated OFPT_PACKET_OUT: buffer_id was NO_BUFFER (the
// switch has no buffers), InPort is a port of the switch, LOCAL, NONE or
// CONTROLLER. Data and Actions are owned by the Switch from the call on.
type PacketOut struct {
	InPort  flowtable.PortNo
	Actions []ofpact.Action
	Data    []byte
	// Version is the sending connection's OpenFlow version.
	Version ofpact.FormatVersion
}

// FlowMod is a flow mod as the server passes it to the Switch. The table
// has been resolved for the connection: an OpenFlow 1.0 flow mod without
// NXT_FLOW_MOD_TABLE_ID has Table 0 for ADD and flowsyntax.TableAll
// (every table) otherwise; an ADD to TableAll goes to table 0.
type FlowMod struct {
	flowsyntax.FlowMod
	// Version is the OpenFlow version of the sending connection: actions
	// are stored as ofpact.Encode(Actions, Version) and OpenFlow 1.0/1.1
	// MODIFY without a cookie mask may add a flow (OVS
	// modify_may_add_flow).
	Version ofpact.FormatVersion
}

// Switch is what an OpenFlow connection operates on: one bridge, its ports,
// its OpenFlow tables and its datapath. The server calls it from one
// goroutine per connection, so methods are called concurrently and must
// serialise changes themselves. A method that refuses a request returns an
// *ofp.Error carrying the OpenFlow error to reply with; any other error is
// answered with OFPBRC_EPERM. The server never keeps the slices it is
// given or returned beyond the call, except where noted.
type Switch interface {
	// DatapathID is the 64-bit datapath id of FEATURES_REPLY.
	DatapathID() uint64
	// Ports returns every port, LOCAL included, sorted by number.
	Ports() []PortDesc
	// PortStats returns the counters of every port, sorted by number.
	PortStats() []PortStats
	// PortMod changes a port's config. Config bits the switch cannot
	// apply return an *ofp.Error (OFPBRC_EPERM) naming them.
	PortMod(m *PortMod) error
	// FlowMod applies one flow mod (ADD, MODIFY[_STRICT],
	// DELETE[_STRICT]) to the OpenFlow tables, with OVS semantics. Rules it
	// removes that have send_flow_rem are reported through Events.
	FlowMod(fm *FlowMod) error
	// FlowStats returns the flows selected by q, in table order and, within
	// a table, classifier iteration order. Statistics use ^0 for unknown.
	FlowStats(q *FlowQuery) ([]flowsyntax.FlowStats, error)
	// TableStats returns one entry per table, in table order.
	TableStats() []TableStats
	// PacketOut runs actions on a frame as if received on InPort.
	PacketOut(po *PacketOut) error
	// Barrier returns once every change made by earlier calls is in
	// effect for the datapath (cached datapath flows revalidated).
	Barrier() error
}

// FlowModBatcher is implemented by switches that can apply a run of flow
// mods as one table update. The server uses it for consecutive FLOW_MODs
// already buffered on one connection (what "ovs-ofctl add-flows" sends),
// which makes loading n rules O(n) instead of one table publication per
// rule.
type FlowModBatcher interface {
	// FlowModBatch calls run once with apply, which applies one flow mod
	// with exactly the effect and error of Switch.FlowMod given the flow
	// mods applied before it. Changes made through apply are published
	// to lookups at the latest when FlowModBatch returns; other writers
	// wait until then. apply must not be used after run returns.
	FlowModBatch(run func(apply func(fm *FlowMod) error))
}

// TLVSwitch is implemented by switches with a Geneve TLV map
// (NXT_TLV_TABLE_MOD / NXT_TLV_TABLE_REQUEST); others answer them with
// OFPBRC_BAD_SUBTYPE.
type TLVSwitch interface {
	// TLVTableMod applies an NXTTMC_ADD/DELETE/CLEAR command atomically;
	// refusals are *ofp.Error with an NXTTMFC_* code.
	TLVTableMod(cmd uint16, maps []ofp.TLVMap) error
	// TLVTable returns the option space (bytes) and the mappings in
	// field-index order.
	TLVTable() (maxSpace uint32, maps []ofp.TLVMap)
}

// FragHandler is implemented by switches that support OFPC_FRAG_* modes.
// Without it only "normal" is supported; other modes are ignored with a
// log line, as OVS does for modes its datapath cannot do.
type FragHandler interface {
	// SetFragHandling sets the mode (ofp.ConfigFrag*) and reports whether
	// it is supported.
	SetFragHandling(mode uint16) bool
}

// Events is how the switch reports asynchronous events; *Server
// implements it. Every method may be called from any goroutine and never
// blocks: messages a connection cannot take immediately are dropped (and
// counted), as OVS rate-limits asynchronous messages.
type Events interface {
	// PacketIn sends a packet to the controllers that want it. pi.Data is
	// only read during the call.
	PacketIn(pi *PacketIn)
	// FlowRemoved reports a rule removed with send_flow_rem.
	FlowRemoved(fr *FlowRemoved)
	// PortsChanged makes the server compare Switch.Ports with the list it
	// last saw and send PORT_STATUS add/delete/modify for each difference.
	PortsChanged()
}

// PacketIn is one packet for the controllers.
type PacketIn struct {
	// Reason is ofp.PacketInNoMatch, ofp.PacketInAction or
	// ofp.PacketInInvalidTTL.
	Reason  uint8
	TableID uint8
	Cookie  uint64 // of the rule that sent it (1.3 only)
	InPort  flowtable.PortNo
	// MaxLen is the controller action's max_len: the number of bytes of
	// Data sent (ofp.NoBuffer-style 0xffff = all). UseMissSendLen makes
	// each connection use its miss_send_len instead (table-miss).
	MaxLen         uint16
	UseMissSendLen bool
	// Match carries the pipeline fields sent in a 1.3 packet-in (metadata,
	// registers, tunnel); InPort is always sent.
	Match flowtable.Match
	// Data is the frame; the server copies what it sends.
	Data []byte
}

// FlowRemoved is a rule removed by idle/hard timeout or delete, reported
// when the rule has send_flow_rem.
type FlowRemoved struct {
	Match       flowtable.Match
	Cookie      uint64
	Priority    uint16
	Reason      uint8 // ofp.FlowRemoved*
	TableID     uint8
	Duration    time.Duration
	IdleTimeout uint16
	HardTimeout uint16
	PacketCount uint64
	ByteCount   uint64
}
