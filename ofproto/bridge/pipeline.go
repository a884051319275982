package bridge

import (
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/maclearn"
	"govs/ofproto/normal"
)

// TickInterval is how often the maintenance goroutine calls Pipeline.Tick
// (MAC expiry and learning-driven revalidation).
const TickInterval = 100 * time.Millisecond

// FailMode is the Bridge fail_mode column.
type FailMode uint8

const (
	// FailStandalone (the default, empty column): without a controller
	// the bridge acts as a learning switch (NORMAL).
	FailStandalone FailMode = iota
	// FailSecure: without a controller the bridge has no flows.
	FailSecure
)

// String returns the column value.
func (m FailMode) String() string {
	if m == FailSecure {
		return "secure"
	}
	return "standalone"
}

// ParseFailMode parses the fail_mode column ("" = standalone).
func ParseFailMode(s string) (FailMode, bool) {
	switch s {
	case "", "standalone":
		return FailStandalone, true
	case "secure":
		return FailSecure, true
	}
	return FailStandalone, false
}

// PortInfo describes one bridge port to a Pipeline.
type PortInfo struct {
	OFPort flow.PortNo
	Name   string
	// Type is the Interface type ("" system, "internal", "tap", "patch").
	Type string
	// VLAN is the port's VLAN configuration as NORMAL interprets it
	// (VLAN.OFPort, Name and IsLocal are kept equal to the fields above;
	// VLAN.NoFlood to Config's PortNoFlood).
	VLAN normal.PortConfig
	// Config holds the OpenFlow port config bits PORT_MOD sets (PortNo*,
	// OpenFlow 1.0 OFPPC_* values). The bridge keeps them across
	// SetPortInfo; they are not in the database (OVS forgets them too when
	// the port is re-created). PORT_DOWN is not here: it is the device's
	// administrative state.
	Config uint32
}

// OpenFlow port config bits kept by the bridge (OFPPC_*, OpenFlow 1.0
// values), as OVS's ofport pp.config.
const (
	PortNoSTP      = 1 << 1 // no 802.1D spanning tree (shown only)
	PortNoRecv     = 1 << 2 // drop everything received on the port
	PortNoRecvSTP  = 1 << 3 // drop received 802.1D STP frames
	PortNoFlood    = 1 << 4 // not part of FLOOD and NORMAL flooding
	PortNoFwd      = 1 << 5 // drop everything output to the port
	PortNoPacketIn = 1 << 6 // no table-miss packet-ins (govs sends none)
	// PortConfigBits are the bits SetPortConfig accepts.
	PortConfigBits = PortNoSTP | PortNoRecv | PortNoRecvSTP | PortNoFlood | PortNoFwd | PortNoPacketIn
)

// Pipeline translates upcalls for one bridge. Upcall is called
// concurrently from datapath workers (see datapath.Upcaller); the other
// methods are called by the Bridge with its lock held, never concurrently
// with each other.
type Pipeline interface {
	datapath.Upcaller
	// PortsChanged gives the complete, new port list (sorted by OFPort).
	// The slice is the pipeline's to keep.
	PortsChanged(ports []PortInfo)
	// Tick runs periodic work (MAC aging...) and reports whether cached
	// datapath flows must be revalidated.
	Tick(now time.Time) (revalidate bool)
	// SetRevalidating is true while the Bridge revalidates the datapath:
	// translation must then have no side effects (no MAC learning).
	SetRevalidating(on bool)
	// Close releases the pipeline.
	Close()
}

// dropPipeline is fail_mode=secure without a controller: no flow matches,
// every packet is dropped (the datapath forces in_port exact, so one
// megaflow per input port).
type dropPipeline struct{}

// NewDropPipeline returns the empty flow table.
func NewDropPipeline() Pipeline { return dropPipeline{} }

func (dropPipeline) Upcall(_, _ *flow.Key, _ *datapath.Actions) error { return nil }
func (dropPipeline) PortsChanged([]PortInfo)                          {}
func (dropPipeline) Tick(time.Time) bool                              { return false }
func (dropPipeline) SetRevalidating(bool)                             {}
func (dropPipeline) Close()                                           {}

// Optional Pipeline capabilities. A pipeline that implements one of these
// gets the matching bridge setting; one that does not keeps its own
// behaviour (the setting is only recorded).
type (
	// MACTabler is a pipeline with a NORMAL MAC table (fdb/show).
	MACTabler interface{ MACTable() *maclearn.Table }
	// BPDUForwarder applies other_config:forward-bpdu.
	BPDUForwarder interface{ SetForwardBPDU(on bool) }
	// FailModeSetter applies fail_mode: the OpenFlow pipeline flushes its
	// tables and re-adds the standalone NORMAL flow, as OVS's
	// connmgr_set_fail_mode. It is called with the bridge's mode when the
	// pipeline is installed and on every change (bridge lock held).
	FailModeSetter interface{ SetFailMode(m FailMode) }
	// ControllerSetter learns whether the bridge has controllers: a
	// change flushes every flow and, in standalone without controllers,
	// re-adds the NORMAL flow (OVS connmgr_set_controllers). It is called
	// when the pipeline is installed (if the bridge has controllers) and
	// on every change, with the bridge's fail mode (bridge lock held).
	ControllerSetter interface {
		SetControllers(has bool, m FailMode)
	}
)
