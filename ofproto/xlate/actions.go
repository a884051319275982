package xlate

import (
	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/bridge"
)

// doActions executes one action list on the working flow (OVS
// do_xlate_actions).
func (c *ctx) doActions(acts []ofpact.Action) {
	if len(acts) == 0 {
		c.tr.actionText("drop")
		return
	}
	for _, a := range acts {
		if c.exit {
			return
		}
		c.tr.action(a)
		if c.doAction(a) {
			return
		}
	}
}

// doAction executes one action; true stops the current list (dec_ttl
// on an expiring TTL, as OVS).
func (c *ctx) doAction(a ofpact.Action) bool {
	w := &c.work
	switch a := a.(type) {
	case *ofpact.Output:
		c.output(a.Port, a.MaxLen)
	case *ofpact.Enqueue:
		// Queues are not modelled: enqueue outputs like output.
		c.output(a.Port, 0)
	case *ofpact.Controller:
		c.controller(a.Reason, a.MaxLen, a.ID)
	case *ofpact.SetVLANVID:
		c.setVLAN(a.PushIfNeeded, func(tci uint16) uint16 {
			return tci&^flowtable.VLANVIDMask | a.VID&flowtable.VLANVIDMask | flow.VLANCFI
		}, flowtable.VLANVIDMask|flow.VLANCFI)
	case *ofpact.SetVLANPCP:
		c.setVLAN(a.PushIfNeeded, func(tci uint16) uint16 {
			return tci&^flowtable.VLANPCPMask | uint16(a.PCP)<<flowtable.VLANPCPShift | flow.VLANCFI
		}, flowtable.VLANPCPMask|flow.VLANCFI)
	case *ofpact.StripVLAN:
		c.popVLAN()
	case *ofpact.PushVLAN:
		c.pushVLAN(a.EthType)
	case *ofpact.SetEthSrc:
		c.wc.Key.SetEthSrc(allMAC)
		w.SetEthSrc(a.MAC)
	case *ofpact.SetEthDst:
		c.wc.Key.SetEthDst(allMAC)
		w.SetEthDst(a.MAC)
	case *ofpact.SetIPv4Src:
		if w.EthType() == flowtable.EthTypeIPv4 {
			c.wc.Key.SetIPv4Src(^uint32(0))
			w.SetIPv4Src(a.IP)
		}
	case *ofpact.SetIPv4Dst:
		if w.EthType() == flowtable.EthTypeIPv4 {
			c.wc.Key.SetIPv4Dst(^uint32(0))
			w.SetIPv4Dst(a.IP)
		}
	case *ofpact.SetIPDSCP:
		if isIPAny(w) {
			c.wc.Key.SetNwTos(c.wc.Key.NwTos() | flowtable.IPDSCPMask)
			w.SetNwTos(w.NwTos()&^flowtable.IPDSCPMask | a.DSCP&flowtable.IPDSCPMask)
		}
	case *ofpact.SetIPECN:
		if isIPAny(w) {
			c.wc.Key.SetNwTos(c.wc.Key.NwTos() | flowtable.IPECNMask)
			w.SetNwTos(w.NwTos()&^flowtable.IPECNMask | a.ECN&flowtable.IPECNMask)
		}
	case *ofpact.SetIPTTL:
		if isIPAny(w) {
			c.wc.Key.SetNwTTL(^uint8(0))
			w.SetNwTTL(a.TTL)
		}
	case *ofpact.SetL4SrcPort:
		if isIPAny(w) && w.NwFrag()&flow.FragLater == 0 {
			c.wc.Key.SetNwProto(^uint8(0))
			c.wc.Key.SetTpSrc(^uint16(0))
			w.SetTpSrc(a.Port)
		}
	case *ofpact.SetL4DstPort:
		if isIPAny(w) && w.NwFrag()&flow.FragLater == 0 {
			c.wc.Key.SetNwProto(^uint8(0))
			c.wc.Key.SetTpDst(^uint16(0))
			w.SetTpDst(a.Port)
		}
	case *ofpact.SetField:
		c.setField(a)
	case *ofpact.SetTunMetadata:
		c.setTunMetadata(a)
	case *ofpact.RegMove:
		c.regMove(a)
	case *ofpact.DecTTL:
		return c.decTTL(a)
	case *ofpact.Resubmit:
		c.resubmit(a.InPort, a.Table)
	case *ofpact.GotoTable:
		c.resubmit(flowtable.PortInPort, a.Table)
	case *ofpact.SetTunnel:
		// Kept in the flow for later tables and for tunnel output with
		// key=flow (tnl_push builds the header from it).
		w.SetTunID(a.ID)
	case *ofpact.Note:
	case *ofpact.WriteMetadata:
		c.st.Metadata = c.st.Metadata&^a.Mask | a.Value&a.Mask
	case *ofpact.ClearActions:
		c.reportActionSet("was")
		c.actionSet = c.actionSet[:0]
	case *ofpact.WriteActions:
		c.actionSet = append(c.actionSet, a.Actions...)
		c.reportActionSet("is")
	}
	return false
}

// allMAC is an all-ones MAC mask.
var allMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func isIPAny(k *flow.Key) bool {
	t := k.EthType()
	return t == flowtable.EthTypeIPv4 || t == flowtable.EthTypeIPv6
}

// setVLAN is mod_vlan_vid / mod_vlan_pcp (push an 802.1Q tag first when
// the packet has none and push is set; otherwise untagged packets are
// left alone).
func (c *ctx) setVLAN(push bool, f func(tci uint16) uint16, wcBits uint16) {
	tpid, tci := c.work.VLAN(0)
	wtpid, wtci := c.wc.Key.VLAN(0)
	c.wc.Key.SetVLAN(0, wtpid, wtci|wcBits)
	if tci&flow.VLANCFI == 0 {
		if !push {
			return
		}
		tpid, tci = flowtable.EthTypeVLAN, flow.VLANCFI
	}
	c.work.SetVLAN(0, tpid, f(tci))
}

// popVLAN removes the outer tag of the working flow.
func (c *ctx) popVLAN() {
	wtpid, wtci := c.wc.Key.VLAN(0)
	c.wc.Key.SetVLAN(0, wtpid, wtci|flow.VLANCFI)
	for i := 0; i < flow.MaxVLANs-1; i++ {
		tpid, tci := c.work.VLAN(i + 1)
		c.work.SetVLAN(i, tpid, tci)
	}
	c.work.SetVLAN(flow.MaxVLANs-1, 0, 0)
}

// pushVLAN pushes a tag with VID 0, PCP 0 (OVS flow_push_vlan_uninit).
func (c *ctx) pushVLAN(tpid uint16) {
	for i := flow.MaxVLANs - 1; i > 0; i-- {
		t, tci := c.work.VLAN(i - 1)
		c.work.SetVLAN(i, t, tci)
		wt, wtci := c.wc.Key.VLAN(i - 1)
		c.wc.Key.SetVLAN(i-1, wt, wtci|flow.VLANCFI)
	}
	c.work.SetVLAN(0, tpid, flow.VLANCFI)
}

// decTTL is dec_ttl: decrement, or (TTL <= 1) send to the controllers
// with reason invalid_ttl and stop the action list.
func (c *ctx) decTTL(a *ofpact.DecTTL) bool {
	if !isIPAny(&c.work) {
		return false
	}
	c.wc.Key.SetNwTTL(^uint8(0))
	if ttl := c.work.NwTTL(); ttl > 1 {
		c.work.SetNwTTL(ttl - 1)
		return false
	}
	ids := a.IDs
	if len(ids) == 0 {
		c.controller(ofpact.ReasonInvalidTTL, fullPacket, 0)
	}
	for _, id := range ids {
		c.controller(ofpact.ReasonInvalidTTL, fullPacket, id)
	}
	return true
}

// fullPacket is the max_len meaning "the whole packet" (OFPCML_NO_BUFFER).
const fullPacket = 0xffff

// output is output:PORT and its reserved ports (OVS xlate_output_action).
func (c *ctx) output(port flowtable.PortNo, maxLen uint16) {
	switch port {
	case flowtable.PortInPort:
		c.outputTo(flow.PortNo(c.st.InPort), true)
	case flowtable.PortTable:
		c.resubmit(flowtable.PortInPort, 0)
	case flowtable.PortNormal:
		c.normal()
	case flowtable.PortFlood, flowtable.PortAll:
		c.flood(port == flowtable.PortAll)
	case flowtable.PortController:
		c.controller(ofpact.ReasonAction, maxLen, 0)
	case flowtable.PortNone, flowtable.PortUnset:
	default:
		c.outputTo(flow.PortNo(port), false)
	}
}

// outputTo commits pending changes and outputs to p, skipping the input
// port unless allowed (IN_PORT) and ports the bridge does not have.
func (c *ctx) outputTo(p flow.PortNo, allowInPort bool) {
	if !allowInPort && p == flow.PortNo(c.st.InPort) {
		c.tr.warn("skipping output to input port")
		return
	}
	if !c.ports.has(p) {
		c.tr.warn("Nonexistent output port")
		return
	}
	if !c.mayForward(p) {
		return
	}
	c.commit()
	if c.exit {
		return
	}
	c.emitOutput(p)
}

// mayForward is false (and traced, as OVS compose_output_action__) for
// a port configured no-forward.
func (c *ctx) mayForward(p flow.PortNo) bool {
	if c.ports.portConfig(p)&bridge.PortNoFwd != 0 {
		c.tr.detail("OFPPC_NO_FWD set, skipping output")
		return false
	}
	return true
}

// flood outputs to every port but the input one (FLOOD also skips
// no-flood ports), in port number order.
func (c *ctx) flood(all bool) {
	for i := range c.ports.cfgs {
		p := &c.ports.cfgs[i]
		if p.OFPort == flow.PortNo(c.st.InPort) || (!all && p.NoFlood) || !c.mayForward(p.OFPort) {
			continue
		}
		c.commit()
		if c.exit {
			return
		}
		c.emitOutput(p.OFPort)
	}
}

// controller sends the packet (as modified so far) to the controller
// hook through a userspace action whose argument identifies the
// packet-in's reason, table, rule cookie, max_len and controller id.
func (c *ctx) controller(reason ofpact.Reason, maxLen, id uint16) {
	c.commit()
	if c.exit {
		return
	}
	arg := c.p.ctrl.intern(ControllerInfo{Reason: reason, Table: c.table, Cookie: c.ruleCookie, MaxLen: maxLen, ID: id})
	c.acts = append(c.acts, datapath.Userspace(arg))
}

// runActionSet executes the action set at the end of the pipeline in
// OpenFlow's order (OVS ofpacts_execute_action_set): the last
// strip_vlan, push_vlan and dec_ttl, every set/move in order, then the
// last output (else the last resubmit, else the last controller).
func (c *ctx) runActionSet() {
	list := executionOrder(c.actionSet)
	c.actionSet = nil
	if len(list) == 0 {
		return
	}
	old := c.tr.cur()
	c.tr.actionSetNode()
	c.doActions(list)
	c.tr.restore(old)
}

// reportActionSet traces the action set (xlate_report_action_set).
func (c *ctx) reportActionSet(verb string) {
	if c.tr == nil {
		return
	}
	list := executionOrder(c.actionSet)
	if len(list) == 0 {
		c.tr.detailf("action set %s empty", verb)
		return
	}
	c.tr.detailf("action set %s: %s", verb, ofpact.AppendActions(nil, list, ofpact.AsParsed, nil))
}

// executionOrder is OVS's ofpacts_execute_action_set.
func executionOrder(set []ofpact.Action) []ofpact.Action {
	last := func(match func(ofpact.Action) bool) ofpact.Action {
		for i := len(set) - 1; i >= 0; i-- {
			if match(set[i]) {
				return set[i]
			}
		}
		return nil
	}
	var list []ofpact.Action
	for _, a := range []ofpact.Action{last(isStripVLAN), last(isPushVLAN), last(isDecTTL)} {
		if a != nil {
			list = append(list, a)
		}
	}
	for _, a := range set {
		if isSetOrMove(a) {
			list = append(list, a)
		}
	}
	out := last(isOutput)
	if out == nil {
		out = last(isResubmit)
	}
	if out == nil {
		out = last(isController)
	}
	if out != nil {
		list = append(list, out)
	}
	return list
}

func isStripVLAN(a ofpact.Action) bool  { _, ok := a.(*ofpact.StripVLAN); return ok }
func isPushVLAN(a ofpact.Action) bool   { _, ok := a.(*ofpact.PushVLAN); return ok }
func isDecTTL(a ofpact.Action) bool     { _, ok := a.(*ofpact.DecTTL); return ok }
func isResubmit(a ofpact.Action) bool   { _, ok := a.(*ofpact.Resubmit); return ok }
func isController(a ofpact.Action) bool { _, ok := a.(*ofpact.Controller); return ok }

func isOutput(a ofpact.Action) bool {
	switch a.(type) {
	case *ofpact.Output, *ofpact.Enqueue:
		return true
	}
	return false
}

// isSetOrMove is OVS's ofpact_is_set_or_move_action.
func isSetOrMove(a ofpact.Action) bool {
	switch a.(type) {
	case *ofpact.SetField, *ofpact.RegMove, *ofpact.SetVLANVID, *ofpact.SetVLANPCP,
		*ofpact.SetEthSrc, *ofpact.SetEthDst, *ofpact.SetIPv4Src, *ofpact.SetIPv4Dst,
		*ofpact.SetIPDSCP, *ofpact.SetIPECN, *ofpact.SetIPTTL, *ofpact.SetL4SrcPort,
		*ofpact.SetL4DstPort, *ofpact.SetTunnel, *ofpact.SetTunMetadata:
		return true
	}
	return false
}
