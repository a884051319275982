package xlate

import (
	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
)

// packetWords are the flow.Key words that are packet bytes (w0-w12): the
// tunnel words describe metadata, not the frame, and are not committed.
const packetWords = 13

// commit emits the datapath actions that turn the packet as the datapath
// has it (base) into the working flow, before an output, as OVS's
// commit_odp_actions in its order: Ethernet, IPv4 or ARP, L4 ports,
// VLANs. A change the datapath cannot make (IPv6 addresses, ICMP...)
// fails the translation with FailUnsupportedSet.
func (c *ctx) commit() {
	b, w := &c.base, &c.work
	if b.W == w.W {
		return
	}
	if w.EthSrc() != b.EthSrc() {
		c.acts = append(c.acts, datapath.SetEthSrc(w.EthSrc()))
		b.SetEthSrc(w.EthSrc())
	}
	if w.EthDst() != b.EthDst() {
		c.acts = append(c.acts, datapath.SetEthDst(w.EthDst()))
		b.SetEthDst(w.EthDst())
	}
	c.commitNw()
	c.commitARP()
	c.commitPorts()
	c.commitVLANs()
	for i := 0; i < packetWords; i++ {
		if b.W[i] != w.W[i] {
			c.tr.warn("datapath cannot rewrite this field, dropping")
			c.failWith(FailUnsupportedSet)
			return
		}
	}
	*b = *w
}

// commitNw commits IPv4 addresses, TOS and TTL (IPv6: hop limit only).
// As OVS, IP packets with protocol 0 are not rewritten.
func (c *ctx) commitNw() {
	b, w := &c.base, &c.work
	switch w.EthType() {
	case flowtable.EthTypeIPv4:
	case flowtable.EthTypeIPv6:
		if d := int(b.NwTTL()) - int(w.NwTTL()); d > 0 && d <= MaxDepth {
			for range d {
				c.acts = append(c.acts, datapath.DecTTL())
			}
			b.SetNwTTL(w.NwTTL())
		}
		return
	default:
		return
	}
	if w.IPv4Src() == b.IPv4Src() && w.IPv4Dst() == b.IPv4Dst() && w.NwTos() == b.NwTos() && w.NwTTL() == b.NwTTL() {
		return
	}
	// Whether the header is rewritten depends on nw_proto (below).
	c.wc.Key.SetNwProto(^uint8(0))
	if w.NwProto() == 0 {
		// OVS (commit_set_nw_action) does not rewrite IP headers of
		// packets with protocol 0: neither does govs.
		b.SetIPv4Src(w.IPv4Src())
		b.SetIPv4Dst(w.IPv4Dst())
		b.SetNwTos(w.NwTos())
		b.SetNwTTL(w.NwTTL())
		return
	}
	if w.IPv4Src() != b.IPv4Src() {
		c.acts = append(c.acts, datapath.SetIPv4Src(w.IPv4Src()))
	}
	if w.IPv4Dst() != b.IPv4Dst() {
		c.acts = append(c.acts, datapath.SetIPv4Dst(w.IPv4Dst()))
	}
	if w.NwTos() != b.NwTos() {
		// The datapath rewrites the whole TOS byte (OVS uses a masked
		// set): the bits the OpenFlow action left alone must be exact.
		c.wc.Key.SetNwTos(^uint8(0))
		c.acts = append(c.acts, datapath.SetIPv4Tos(w.NwTos()))
	}
	if w.NwTTL() != b.NwTTL() {
		c.acts = append(c.acts, datapath.SetIPv4TTL(w.NwTTL()))
	}
	b.SetIPv4Src(w.IPv4Src())
	b.SetIPv4Dst(w.IPv4Dst())
	b.SetNwTos(w.NwTos())
	b.SetNwTTL(w.NwTTL())
}

// commitARP commits ARP fields (OVS commit_set_arp_action): the opcode
// (the key's nw_proto, its low 8 bits as OVS), the sender and target
// protocol addresses (the key's IPv4 words) and hardware addresses.
func (c *ctx) commitARP() {
	b, w := &c.base, &c.work
	if t := w.EthType(); t != flowtable.EthTypeARP && t != flowtable.EthTypeRARP {
		return
	}
	if w.NwProto() != b.NwProto() {
		c.acts = append(c.acts, datapath.SetARPOp(uint16(w.NwProto())))
		b.SetNwProto(w.NwProto())
	}
	if w.IPv4Src() != b.IPv4Src() {
		c.acts = append(c.acts, datapath.SetARPSpa(w.IPv4Src()))
		b.SetIPv4Src(w.IPv4Src())
	}
	if w.IPv4Dst() != b.IPv4Dst() {
		c.acts = append(c.acts, datapath.SetARPTpa(w.IPv4Dst()))
		b.SetIPv4Dst(w.IPv4Dst())
	}
	if w.ArpSha() != b.ArpSha() {
		c.acts = append(c.acts, datapath.SetARPSha(w.ArpSha()))
		b.SetArpSha(w.ArpSha())
	}
	if w.ArpTha() != b.ArpTha() {
		c.acts = append(c.acts, datapath.SetARPTha(w.ArpTha()))
		b.SetArpTha(w.ArpTha())
	}
}

// commitPorts commits TCP/UDP/SCTP ports.
func (c *ctx) commitPorts() {
	b, w := &c.base, &c.work
	if !isIPAny(w) || w.NwFrag()&flow.FragLater != 0 {
		return
	}
	switch p := w.NwProto(); p {
	case flowtable.IPProtoTCP, flowtable.IPProtoUDP, flowtable.IPProtoSCTP:
		if w.TpSrc() != b.TpSrc() {
			c.acts = append(c.acts, datapath.SetTpSrc(p, w.TpSrc()))
			b.SetTpSrc(w.TpSrc())
		}
		if w.TpDst() != b.TpDst() {
			c.acts = append(c.acts, datapath.SetTpDst(p, w.TpDst()))
			b.SetTpDst(w.TpDst())
		}
	}
}

// vlanStack is a key's tags, outer first (zero = absent).
type vlanStack [flow.MaxVLANs]struct{ tpid, tci uint16 }

func stackOf(k *flow.Key) (s vlanStack) {
	for i := range s {
		s[i].tpid, s[i].tci = k.VLAN(i)
	}
	return s
}

func (s *vlanStack) depth() int {
	n := 0
	for n < len(s) && s[n].tci&flow.VLANCFI != 0 {
		n++
	}
	return n
}

// commitVLANs turns base's tags into work's as OVS commit_vlan_action:
// tags common to both (counted from the innermost) stay, the other base
// tags are popped (their whole tag is consulted) and the missing ones
// pushed.
func (c *ctx) commitVLANs() {
	cur, want := stackOf(&c.base), stackOf(&c.work)
	if cur == want {
		return
	}
	cn, wn := cur.depth()-1, want.depth()-1
	for cn >= 0 && wn >= 0 && cur[cn] == want[wn] {
		cn--
		wn--
	}
	for i := 0; i <= cn; i++ {
		c.wc.Key.SetVLAN(i, ^uint16(0), ^uint16(0))
		c.acts = append(c.acts, datapath.PopVLAN())
	}
	for ; wn >= 0; wn-- {
		t := want[wn]
		// The key's CFI means "present"; on the wire that bit is DEI and
		// is sent clear, as OVS's push_vlan.
		c.acts = append(c.acts, datapath.PushVLAN(t.tpid, t.tci&^flow.VLANCFI))
	}
	for i := range want {
		c.base.SetVLAN(i, want[i].tpid, want[i].tci)
	}
}
