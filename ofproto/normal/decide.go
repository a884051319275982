package normal

import (
	"govs/datapath/flow"
	"govs/datapath/header"
	"govs/ofproto/maclearn"
)

// Options are per-call switches of Decide.
type Options struct {
	// Learn lets Decide update the MAC table (OVS's allow_side_effects:
	// true during upcall translation and xlate-cache replays, false for
	// ofproto/trace and revalidation).
	Learn bool
	// ForwardBPDU is the bridge's other_config:forward-bpdu: forward
	// reserved multicast destinations instead of dropping them.
	ForwardBPDU bool
}

// Decision is the outcome of NORMAL for one flow.
type Decision struct {
	// Drop is why nothing is output (DropNone when the rules ran to an
	// output decision; Outputs may still be empty, e.g. flooding a VLAN
	// no other port carries).
	Drop DropReason
	// VLANOK reports that the input VLAN was accepted; InVLAN is then the
	// VLAN inside the bridge (OVS's xvlan.v[0].vid).
	VLANOK bool
	InVLAN uint16
	// Learn reports that NORMAL reached the learning step and the source
	// MAC is learnable on InVLAN (unicast source, learning VLAN): the
	// translator should learn it (and refresh it from stats later) as
	// OVS's XC_NORMAL cache entry does.
	Learn bool
	// Learned reports that Decide itself learned (Options.Learn) and the
	// table changed (new MAC or move).
	Learned bool
	// GratuitousARP reports that the packet is a gratuitous ARP (pass
	// maclearn.GratuitousARP when learning).
	GratuitousARP bool
	// Flood reports that the packet was flooded.
	Flood bool
	// Outputs are the ports to output to, in the order of the ports
	// slice given to Decide (it is the caller's buffer, resliced).
	Outputs []Output
	// Mask holds the key bits NORMAL consulted (to OR into the megaflow
	// mask): eth src/dst, outer VLAN VID|CFI, ARP op/spa/tpa for ARP to
	// broadcast, and the full outer tags an output pops.
	Mask flow.Key

	dropVID  uint16
	portVLAN int
	in       *PortConfig
}

// Decide runs OVS 3.1's xlate_normal for key arriving on in (nil when
// the input port is not a bridge port) on a bridge whose ports are
// ports (including in) and whose MAC table is mac (nil: no learning,
// always flood).
//
// Outputs are appended to buf[:0]; with cap(buf) >= len(ports) Decide
// allocates nothing (learning a brand-new MAC may, see maclearn). key,
// in, ports and buf are only read (buf written) during the call;
// Decision.Outputs aliases buf. Decide never panics on any key or port
// configuration and is safe for concurrent use (mac has its own lock).
func Decide(in *PortConfig, key *flow.Key, mac *maclearn.Table, ports []PortConfig, opt Options, buf []Output) Decision {
	d := Decision{Outputs: buf[:0], in: in}
	setMAC(&d.Mask, true, true)
	setVLANTCIMask(&d.Mask, 0, tciVIDCFI)
	if in == nil {
		d.Drop = DropNoInputPort
		return d
	}
	// Malformed: a VLAN ethertype without a parsed tag.
	if _, tci := key.VLAN(0); header.IsVLANTPID(key.EthType()) && tci&flow.VLANCFI == 0 {
		d.Drop = DropPartialVLAN
		return d
	}
	inX := extractXVLAN(key)
	if !d.inputVIDValid(in, inX[0].vid) {
		return d
	}
	x := in.inputTranslate(&inX)
	d.VLANOK, d.InVLAN = true, x[0].vid

	dst, src := maclearn.MAC(key.EthDst()), maclearn.MAC(key.EthSrc())
	if !opt.ForwardBPDU && IsReservedMAC(dst) {
		d.Drop = DropReservedMAC
		return d
	}
	d.GratuitousARP = isGratuitousARP(key, &d.Mask)

	if mac != nil && in.OFPort != flow.PortNone && mac.MayLearn(src, d.InVLAN) {
		d.Learn = true
		if opt.Learn {
			var fl maclearn.LearnFlags
			if d.GratuitousARP {
				fl |= maclearn.GratuitousARP
			}
			d.Learned = mac.Learn(d.InVLAN, src, in.OFPort, fl)
		}
	}

	base := keyTags(key)
	if mac != nil {
		if port, ok := mac.Lookup(d.InVLAN, dst); ok {
			out := findPort(ports, port)
			switch {
			case out == nil:
				d.Drop = DropLearnedUnknown
			case out.OFPort == in.OFPort:
				d.Drop = DropLearnedOnInput
			case !out.includes(&x):
				d.Drop = DropLearnedNotInVLAN
				d.dropVID = d.InVLAN
			default:
				d.output(out, &x, &base)
			}
			return d
		}
	}
	d.Flood = true
	for i := range ports {
		p := &ports[i]
		if p.OFPort != in.OFPort && !p.NoFlood && p.includes(&x) {
			d.output(p, &x, &base)
		}
	}
	return d
}

// inputVIDValid is input_vid_is_valid; it records the drop reason.
func (d *Decision) inputVIDValid(in *PortConfig, vid uint16) bool {
	switch in.VLANMode {
	case Access:
		if vid != 0 {
			d.Drop, d.dropVID, d.portVLAN = DropAccessTagged, vid, in.vlan()
			return false
		}
		return true
	case NativeTagged, NativeUntagged:
		if vid == 0 {
			return true
		}
	}
	if !in.TrunksVLAN(vid) {
		d.Drop, d.dropVID = DropVLANNotTrunked, vid
		return false
	}
	return true
}

// output appends the output to p (output_normal) and adds the tags its
// VLAN commit pops to the mask.
func (d *Decision) output(p *PortConfig, x *xvlan, base *[vlanLevels]Tag) {
	out := p.outputTranslate(x)
	o := Output{Port: p.OFPort, VLANs: out.put()}
	for i := range o.commitOps(base) {
		d.Mask.SetVLAN(i, fullMask16, fullMask16)
	}
	d.Outputs = append(d.Outputs, o)
}

// setMAC un-wildcards eth src and/or dst in m.
func setMAC(m *flow.Key, src, dst bool) {
	all := [6]byte{fullMask8, fullMask8, fullMask8, fullMask8, fullMask8, fullMask8}
	if src {
		m.SetEthSrc(all)
	}
	if dst {
		m.SetEthDst(all)
	}
}

// setVLANTCIMask ORs bits into the TCI mask of level i.
func setVLANTCIMask(m *flow.Key, i int, bits uint16) {
	tp, tci := m.VLAN(i)
	m.SetVLAN(i, tp, tci|bits)
}
