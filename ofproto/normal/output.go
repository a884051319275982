package normal

import "govs/datapath/flow"

// Output is one port NORMAL sends the packet to, with its VLAN headers.
type Output struct {
	// Port is the OpenFlow port number.
	Port flow.PortNo
	// VLANs is the packet's VLAN stack on this port, outer first (a
	// zero Tag is absent), as OVS's xvlan_output_translate/xvlan_put.
	VLANs [vlanLevels]Tag
	// Pop is how many tags to pop from the packet as it reached NORMAL
	// (outer first), then Push[:NPush] are pushed in order (the first
	// pushed ends up innermost), as OVS's commit_vlan_action relative
	// to the key given to Decide.
	Pop   uint8
	NPush uint8
	Push  [vlanLevels]Tag
}

// Treatment summarises an output's VLAN handling.
type Treatment uint8

const (
	// Unchanged: the packet leaves with the tags it had.
	Unchanged Treatment = iota
	// Untagged: tags are only removed.
	Untagged
	// Tagged: a tag is pushed (after any pops); OuterTag gives it.
	Tagged
)

var treatmentNames = [...]string{Unchanged: "unchanged", Untagged: "untagged", Tagged: "tagged"}

func (t Treatment) String() string {
	if int(t) < len(treatmentNames) {
		return treatmentNames[t]
	}
	return "Treatment(?)"
}

// Treatment classifies o's VLAN operations.
func (o *Output) Treatment() Treatment {
	switch {
	case o.NPush > 0:
		return Tagged
	case o.Pop > 0:
		return Untagged
	}
	return Unchanged
}

// OuterTag returns the outer VLAN tag the packet leaves with (zero Tag
// when untagged).
func (o *Output) OuterTag() Tag { return o.VLANs[0] }

// commitOps fills o.Pop/Push from the base tags (the key) to o.VLANs, as
// commit_vlan_action: skip the common tags counted from the innermost,
// pop the rest of base, push the rest of the output stack. It returns the
// number of base levels popped; their full TPID+TCI are consulted.
func (o *Output) commitOps(base *[vlanLevels]Tag) int {
	bn, fn := countTags(base)-1, countTags(&o.VLANs)-1
	for bn >= 0 && fn >= 0 && base[bn] == o.VLANs[fn] {
		bn--
		fn--
	}
	o.Pop = uint8(bn + 1)
	o.NPush = 0
	for ; fn >= 0; fn-- {
		o.Push[o.NPush] = o.VLANs[fn]
		o.NPush++
	}
	return bn + 1
}
