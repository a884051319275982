package bridge

import (
	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/normal"
)

// vlanStack is a packet's VLAN tags, outer first; a zero Tag is absent.
type vlanStack [flow.MaxVLANs]normal.Tag

// keyStack returns the tags of k.
func keyStack(k *flow.Key) (s vlanStack) {
	for i := range s {
		tpid, tci := k.VLAN(i)
		s[i] = normal.Tag{TPID: tpid, TCI: tci}
	}
	return s
}

func (s *vlanStack) depth() int {
	n := 0
	for n < len(s) && s[n].Present() {
		n++
	}
	return n
}

// appendOutputs appends the datapath actions that send the packet (whose
// tags are initially those of k) to every output, in order, changing its
// VLAN stack between outputs as OVS's commit_vlan_action does: tags common
// to the current and the wanted stack (counted from the innermost) stay,
// the other current tags are popped and the missing ones pushed.
func appendOutputs(acts datapath.Actions, k *flow.Key, outs []normal.Output) datapath.Actions {
	cur := keyStack(k)
	for i := range outs {
		want := vlanStack(outs[i].VLANs)
		acts = appendCommitVLAN(acts, &cur, &want)
		acts = append(acts, datapath.Output(outs[i].Port))
	}
	return acts
}

// appendCommitVLAN turns cur into want.
func appendCommitVLAN(acts datapath.Actions, cur, want *vlanStack) datapath.Actions {
	cn, wn := cur.depth()-1, want.depth()-1
	for cn >= 0 && wn >= 0 && cur[cn] == want[wn] {
		cn--
		wn--
	}
	for ; cn >= 0; cn-- {
		acts = append(acts, datapath.PopVLAN())
	}
	for ; wn >= 0; wn-- {
		t := want[wn]
		// The key's TCI carries VLANCFI as "present"; on the wire that
		// bit is DEI and is sent clear, as OVS's push_vlan.
		acts = append(acts, datapath.PushVLAN(t.TPID, t.TCI&^flow.VLANCFI))
	}
	*cur = *want
	return acts
}
