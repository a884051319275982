package normal

import "fmt"

// DropReason says why NORMAL output nothing.
type DropReason uint8

const (
	// DropNone: not dropped by a rule.
	DropNone DropReason = iota
	// DropNoInputPort: the input port is not a bridge port.
	DropNoInputPort
	// DropPartialVLAN: a VLAN ethertype without a complete tag.
	DropPartialVLAN
	// DropAccessTagged: a frame with a non-zero VID on an access port.
	DropAccessTagged
	// DropVLANNotTrunked: the frame's VLAN is not trunked by the port
	// (including untagged = VLAN 0 on a trunk without VLAN 0).
	DropVLANNotTrunked
	// DropReservedMAC: reserved multicast destination, no forward-bpdu.
	DropReservedMAC
	// DropLearnedOnInput: the destination was learned on the input port.
	DropLearnedOnInput
	// DropLearnedUnknown: the destination was learned on a port that is
	// no longer in the bridge.
	DropLearnedUnknown
	// DropLearnedNotInVLAN: the destination's learned port does not
	// carry the VLAN (govs; OVS flushes the table on VLAN changes and
	// would output anyway).
	DropLearnedNotInVLAN
)

// Reason returns the message OVS logs or traces for the drop ("" for
// DropNone). It allocates; call it only when reporting.
func (d *Decision) Reason() string {
	name := func() string {
		if d.in == nil {
			return ""
		}
		return d.in.displayName()
	}
	switch d.Drop {
	case DropNoInputPort:
		return "no input bundle, dropping"
	case DropPartialVLAN:
		return fmt.Sprintf("dropping packet with partial VLAN tag received on port %s", name())
	case DropAccessTagged:
		return fmt.Sprintf("dropping VLAN %d tagged packet received on port %s configured as VLAN %d access port",
			d.dropVID, name(), d.portVLAN)
	case DropVLANNotTrunked:
		return fmt.Sprintf("dropping VLAN %d packet received on port %s not configured for trunking VLAN %d",
			d.dropVID, name(), d.dropVID)
	case DropReservedMAC:
		return "packet has reserved destination MAC, dropping"
	case DropLearnedOnInput:
		return "learned port is input port, dropping"
	case DropLearnedUnknown:
		return "learned port is unknown, dropping"
	case DropLearnedNotInVLAN:
		return fmt.Sprintf("learned port does not carry VLAN %d, dropping", d.dropVID)
	}
	return ""
}
