package tables

import (
	"sync/atomic"
	"time"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// stateFlags are the flow_mod flags a rule keeps (OFPUTIL_FF_STATE):
// check_overlap only applies to the request.
const stateFlags = flowsyntax.FlagSendFlowRem | flowsyntax.FlagResetCounts |
	flowsyntax.FlagNoPacketCounts | flowsyntax.FlagNoByteCounts

// Counters are a rule's traffic counters. They are shared by a rule and
// the rules that replace it while keeping counts (ADD of an identical
// rule, MODIFY without reset_counts), exactly as OVS forwards the old
// rule's stats to its replacement, so an xlate cache still pointing at
// the old rule credits the new one. All fields are atomics: translation
// and the stats pull credit them without a lock.
type Counters struct {
	packets atomic.Uint64
	bytes   atomic.Uint64
	used    atomic.Int64 // unix ns of the last packet (or of the rule's creation)
}

// Credit adds traffic that was last seen at used.
func (c *Counters) Credit(packets, bytes uint64, used time.Time) {
	if packets == 0 {
		return
	}
	c.packets.Add(packets)
	c.bytes.Add(bytes)
	u := used.UnixNano()
	for {
		old := c.used.Load()
		if old >= u || c.used.CompareAndSwap(old, u) {
			return
		}
	}
}

// Packets returns the packet count.
func (c *Counters) Packets() uint64 { return c.packets.Load() }

// Bytes returns the byte count.
func (c *Counters) Bytes() uint64 { return c.bytes.Load() }

// Used returns when the rule last matched a packet (its creation time if
// never).
func (c *Counters) Used() time.Time { return time.Unix(0, c.used.Load()) }

// Rule is one OpenFlow flow. Every field but the counters is immutable
// once the rule is in a table: a MODIFY replaces the rule with a new one.
// Translation holds *Rule pointers without locks (and keeps them in
// xlate caches after the rule left its table).
type Rule struct {
	Table       uint8
	Priority    uint16
	Match       flowtable.Match
	Cookie      uint64
	IdleTimeout uint16 // seconds, 0: none
	HardTimeout uint16 // seconds, 0: none
	Importance  uint16
	// Flags are the state flags (send_flow_rem, reset_counts,
	// no_packet_counts, no_byte_counts).
	Flags flowsyntax.Flags
	// Actions are ofpact.Encode(actions, version of the adding
	// connection): what the switch returns in flow stats and executes.
	Actions []ofpact.Action
	// Created is when the flow was added (kept by MODIFY); Modified when
	// its actions were last set (hard timeouts count from it, as OVS).
	Created  time.Time
	Modified time.Time

	stats *Counters
	// removed is set when the rule leaves its table (by any path).
	removed atomic.Bool
}

// Stats returns the rule's counters (shared with rules it replaced or
// that replaced it while keeping counts).
func (r *Rule) Stats() *Counters { return r.stats }

// Removed reports whether the rule has left its table.
func (r *Rule) Removed() bool { return r.removed.Load() }

// SendFlowRem reports whether a FLOW_REMOVED message is due on removal.
func (r *Rule) SendFlowRem() bool { return r.Flags&flowsyntax.FlagSendFlowRem != 0 }

// Reason is why a rule was removed (OFPRR_*).
type Reason uint8

// Removal reasons, numbered as OpenFlow's ofp_flow_removed_reason.
const (
	ReasonIdleTimeout Reason = iota
	ReasonHardTimeout
	ReasonDelete
	ReasonGroupDelete
	ReasonMeterDelete
	ReasonEviction
)

var reasonNames = [...]string{"idle", "hard", "delete", "group_delete", "meter_delete", "eviction"}

// String returns OVS's spelling (ofp_flow_removed_reason_to_string).
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// Removed is a rule that left its table, with the reason and the final
// counters (what FLOW_REMOVED reports when Rule.SendFlowRem()).
type Removed struct {
	Rule    *Rule
	Reason  Reason
	Packets uint64
	Bytes   uint64
	// Duration is how long the rule existed.
	Duration time.Duration
}

// outputsTo reports whether acts output to port (OVS
// ofpacts_output_to_port, nested write_actions included).
func outputsTo(acts []ofpact.Action, port flowtable.PortNo) bool {
	for _, a := range acts {
		switch a := a.(type) {
		case *ofpact.Output:
			if a.Port == port {
				return true
			}
		case *ofpact.Enqueue:
			if a.Port == port {
				return true
			}
		case *ofpact.Controller:
			if port == flowtable.PortController {
				return true
			}
		case *ofpact.WriteActions:
			if outputsTo(a.Actions, port) {
				return true
			}
		}
	}
	return false
}
