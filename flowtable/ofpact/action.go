package ofpact

import "govs/flowtable"

// Action is one OpenFlow action or instruction. The concrete types below
// are the whole set; a switch on the type is exhaustive. Actions are
// values built by the parser (or, later, a wire decoder) and are not
// modified afterwards, so a slice of them can be shared read-only.
type Action interface {
	// Name is the OVS keyword of the action (e.g. "output", "set_field").
	Name() string
}

// Output sends the packet to Port. MaxLen is the byte count sent to the
// controller when Port is flowtable.PortController (65535 = whole packet).
type Output struct {
	Port   flowtable.PortNo
	MaxLen uint16
}

// Controller is the controller(...) action with options beyond max_len.
type Controller struct {
	MaxLen uint16
	Reason Reason
	ID     uint16
}

// Enqueue outputs to Port through Queue.
type Enqueue struct {
	Port  flowtable.PortNo
	Queue uint32
}

// SetVLANVID sets the VLAN ID. PushIfNeeded (mod_vlan_vid) pushes an
// 802.1Q header when the packet has none; otherwise (set_vlan_vid) it only
// modifies an existing tag.
type SetVLANVID struct {
	VID          uint16
	PushIfNeeded bool
	flowHasVLAN  bool
}

// SetVLANPCP sets the VLAN priority (mod_vlan_pcp / set_vlan_pcp).
type SetVLANPCP struct {
	PCP          uint8
	PushIfNeeded bool
	flowHasVLAN  bool
}

// StripVLAN pops the outer VLAN tag. Pop records the spelling (pop_vlan
// vs strip_vlan), which OVS keeps for formatting.
type StripVLAN struct{ Pop bool }

// PushVLAN pushes a VLAN header with the given TPID.
type PushVLAN struct{ EthType uint16 }

// SetEthSrc / SetEthDst rewrite MAC addresses (mod_dl_src / mod_dl_dst).
type SetEthSrc struct{ MAC [6]byte }

// SetEthDst rewrites the destination MAC.
type SetEthDst struct{ MAC [6]byte }

// SetIPv4Src / SetIPv4Dst rewrite IPv4 addresses (mod_nw_src / mod_nw_dst).
type SetIPv4Src struct{ IP uint32 }

// SetIPv4Dst rewrites the IPv4 destination.
type SetIPv4Dst struct{ IP uint32 }

// SetIPDSCP sets the DSCP bits; DSCP is the TOS byte value (low 2 bits 0),
// as mod_nw_tos.
type SetIPDSCP struct{ DSCP uint8 }

// SetIPECN sets the ECN bits (mod_nw_ecn).
type SetIPECN struct{ ECN uint8 }

// SetIPTTL sets the IP TTL / hop limit (mod_nw_ttl).
type SetIPTTL struct{ TTL uint8 }

// SetL4SrcPort / SetL4DstPort rewrite TCP/UDP/SCTP ports (mod_tp_src/dst).
type SetL4SrcPort struct {
	Port      uint16
	flowProto uint8
}

// SetL4DstPort rewrites the L4 destination port.
type SetL4DstPort struct {
	Port      uint16
	flowProto uint8
}

// SetField writes Value under Mask into Field. Load records that it was
// written as load:V->F[a..b] (OVS NXAST_REG_LOAD), which changes how it
// is printed.
type SetField struct {
	Field       *flowtable.Field
	Value, Mask flowtable.Value
	Load        bool
	flowHasVLAN bool
}

// Subfield is bits [Ofs, Ofs+NBits) of a field, bit 0 being the least
// significant bit of the field value.
type Subfield struct {
	Field *flowtable.Field
	Ofs   int
	NBits int
}

// RegMove copies Src to Dst (move:SRC->DST); both have the same width.
type RegMove struct{ Src, Dst Subfield }

// DecTTL decrements the TTL; IDs are the controller ids to notify when it
// reaches zero. Explicit is true for the dec_ttl(ids) form.
type DecTTL struct {
	IDs      []uint16
	Explicit bool
}

// Resubmit re-looks-up the packet with in_port InPort (PortInPort: keep)
// in Table (255: current table). Short records the resubmit:PORT form.
type Resubmit struct {
	InPort flowtable.PortNo
	Table  uint8
	Short  bool
}

// GotoTable is the OpenFlow 1.1+ goto_table instruction.
type GotoTable struct{ Table uint8 }

// SetTunnel sets the tunnel id; Is64 records set_tunnel64.
type SetTunnel struct {
	ID   uint64
	Is64 bool
}

// Note is an opaque note (no effect on packets).
type Note struct{ Data []byte }

// WriteMetadata is the write_metadata instruction.
type WriteMetadata struct{ Value, Mask uint64 }

// ClearActions is the clear_actions instruction.
type ClearActions struct{}

// WriteActions is the write_actions(...) instruction.
type WriteActions struct{ Actions []Action }

// Name implementations.
func (*Output) Name() string        { return "output" }
func (*Controller) Name() string    { return "controller" }
func (*Enqueue) Name() string       { return "enqueue" }
func (*SetVLANVID) Name() string    { return "set_vlan_vid" }
func (*SetVLANPCP) Name() string    { return "set_vlan_pcp" }
func (*StripVLAN) Name() string     { return "strip_vlan" }
func (*PushVLAN) Name() string      { return "push_vlan" }
func (*SetEthSrc) Name() string     { return "mod_dl_src" }
func (*SetEthDst) Name() string     { return "mod_dl_dst" }
func (*SetIPv4Src) Name() string    { return "mod_nw_src" }
func (*SetIPv4Dst) Name() string    { return "mod_nw_dst" }
func (*SetIPDSCP) Name() string     { return "mod_nw_tos" }
func (*SetIPECN) Name() string      { return "mod_nw_ecn" }
func (*SetIPTTL) Name() string      { return "mod_nw_ttl" }
func (*SetL4SrcPort) Name() string  { return "mod_tp_src" }
func (*SetL4DstPort) Name() string  { return "mod_tp_dst" }
func (*SetField) Name() string      { return "set_field" }
func (*RegMove) Name() string       { return "move" }
func (*DecTTL) Name() string        { return "dec_ttl" }
func (*Resubmit) Name() string      { return "resubmit" }
func (*GotoTable) Name() string     { return "goto_table" }
func (*SetTunnel) Name() string     { return "set_tunnel" }
func (*Note) Name() string          { return "note" }
func (*WriteMetadata) Name() string { return "write_metadata" }
func (*ClearActions) Name() string  { return "clear_actions" }
func (*WriteActions) Name() string  { return "write_actions" }

// Reason is an OpenFlow packet-in reason.
type Reason uint8

// Packet-in reasons (OVS ofp_packet_in_reason).
const (
	ReasonNoMatch Reason = iota
	ReasonAction
	ReasonInvalidTTL
	ReasonActionSet
	ReasonGroup
	ReasonPacketOut
)

var reasonNames = [...]string{"no_match", "action", "invalid_ttl", "action_set", "group", "packet_out"}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// instruction order (OVS enum ovs_instruction_type), for ordering checks.
type instKind uint8

const (
	instApply instKind = iota
	instClear
	instWrite
	instMetadata
	instGoto
)

func instructionOf(a Action) instKind {
	switch a.(type) {
	case *ClearActions:
		return instClear
	case *WriteActions:
		return instWrite
	case *WriteMetadata:
		return instMetadata
	case *GotoTable:
		return instGoto
	}
	return instApply
}

var instNames = [...]string{"apply_actions", "clear_actions", "write_actions", "write_metadata", "goto_table"}
