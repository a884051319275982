package normal

import (
	"govs/datapath/flow"
	"govs/datapath/header"
)

// VLAN TCI fields (in place, as in the key and on the wire).
const (
	vidMask    = 0x0fff
	pcpMask    = 0xe000
	tciVIDCFI  = vidMask | flow.VLANCFI
	fullMask16 = 0xffff
	fullMask8  = 0xff
	fullMask32 = ^uint32(0)
)

// Tag is one VLAN header as it sits in the key: TPID and TCI, with
// flow.VLANCFI set in TCI when the tag is present. The zero Tag is "no
// tag".
type Tag struct {
	TPID, TCI uint16
}

// Present reports whether the tag exists.
func (t Tag) Present() bool { return t.TCI&flow.VLANCFI != 0 }

// VID returns the VLAN ID.
func (t Tag) VID() uint16 { return t.TCI & vidMask }

// PCP returns the priority (0..7).
func (t Tag) PCP() uint8 { return uint8(t.TCI >> pcpShift) }

const pcpShift = 13

// vlanLevels is the number of VLAN headers NORMAL handles (OVS's
// FLOW_MAX_VLAN_HEADERS).
const vlanLevels = flow.MaxVLANs

// xvlanHdr is one level of OVS's struct xvlan: the VLAN during bridge
// processing (pcp kept in place, bits 13-15).
type xvlanHdr struct {
	tpid uint16
	vid  uint16
	pcp  uint16
}

// xvlan is the packet's VLAN stack inside the bridge, outer first.
type xvlan [vlanLevels]xvlanHdr

// extractXVLAN is xvlan_extract: the leading present VLAN tags of k.
func extractXVLAN(k *flow.Key) xvlan {
	var x xvlan
	for i := range vlanLevels {
		tpid, tci := k.VLAN(i)
		if !header.IsVLANTPID(tpid) || tci&flow.VLANCFI == 0 {
			break
		}
		x[i] = xvlanHdr{tpid: tpid, vid: tci & vidMask, pcp: tci & pcpMask}
	}
	return x
}

// includes is xbundle_includes_vlan.
func (p *PortConfig) includes(x *xvlan) bool {
	if p.VLANMode == Access {
		return int(x[0].vid) == p.vlan() && x[1].vid == 0
	}
	return p.TrunksVLAN(x[0].vid)
}

// inputTranslate is xvlan_input_translate.
func (p *PortConfig) inputTranslate(in *xvlan) xvlan {
	switch p.VLANMode {
	case Access:
		return xvlan{{tpid: tpidOr8021Q(in[0].tpid), vid: uint16(p.vlan()), pcp: in[0].pcp}}
	case NativeTagged, NativeUntagged:
		x := *in
		if in[0].vid == 0 {
			x[0] = xvlanHdr{tpid: tpidOr8021Q(in[0].tpid), vid: uint16(p.vlan()), pcp: in[0].pcp}
		}
		return x
	default:
		return *in
	}
}

// outputTranslate is xvlan_output_translate.
func (p *PortConfig) outputTranslate(x *xvlan) xvlan {
	switch p.VLANMode {
	case Access:
		return xvlan{}
	case NativeUntagged:
		if int(x[0].vid) == p.vlan() {
			return xvlan{x[1]}
		}
	}
	return *x
}

func tpidOr8021Q(t uint16) uint16 {
	if t == 0 {
		return header.EtherTypeVLAN
	}
	return t
}

// put is xvlan_put (priority tags "never"): the key tags for x. A level
// whose VID and PCP are both 0 is no tag.
func (x *xvlan) put() [vlanLevels]Tag {
	var t [vlanLevels]Tag
	for i := range x {
		tci := x[i].vid | x[i].pcp&pcpMask
		if tci != 0 {
			t[i] = Tag{TPID: tpidOr8021Q(x[i].tpid), TCI: tci | flow.VLANCFI}
		}
	}
	return t
}

// keyTags returns k's two VLAN levels.
func keyTags(k *flow.Key) [vlanLevels]Tag {
	var t [vlanLevels]Tag
	for i := range t {
		t[i].TPID, t[i].TCI = k.VLAN(i)
	}
	return t
}

// countTags is flow_count_vlan_headers.
func countTags(t *[vlanLevels]Tag) int {
	n := 0
	for n < vlanLevels && t[n].Present() {
		n++
	}
	return n
}
