package xlate

import (
	"net"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/ofproto/normal"
)

// noneBundle is the input port NORMAL sees for in_port NONE (OVS's
// ofpp_none_bundle): a trunk carrying every VLAN.
var noneBundle = normal.PortConfig{OFPort: flow.PortNo(flowtable.PortNone), Name: "OFPP_NONE", Tag: normal.NoTag, VLANMode: normal.Trunk}

// normal is the NORMAL action: normal.Decide on the working flow (MAC
// learning unless revalidating or tracing), its mask, then one output
// per decided port with that port's VLAN stack (the working flow's tags
// are restored after each, as OVS output_normal).
func (c *ctx) normal() {
	ps := c.ports
	in := ps.cfg(flow.PortNo(c.st.InPort))
	learn := c.learn
	if c.st.InPort == flowtable.PortNone {
		// OVS's ofpp_none_bundle: what a controller sends from OFPP_NONE
		// is a trunk for every VLAN and is never learned.
		in, learn = &noneBundle, false
	}
	buf := make([]normal.Output, 0, len(ps.cfgs))
	opt := normal.Options{Learn: learn, ForwardBPDU: c.p.forwardBPDU.Load()}
	if in == nil {
		c.tr.errorf("received packet on unknown port %d", c.st.InPort)
	}
	d := normal.Decide(in, &c.work, c.p.mac, ps.cfgs, opt, buf)
	c.wc.Key.Or(&d.Mask)
	if d.Learned && in != nil {
		src := c.work.EthSrc()
		c.tr.detailf("learned that %s is on port %s in VLAN %d", net.HardwareAddr(src[:]), in.Name, d.InVLAN)
	}
	switch {
	case d.Drop == normal.DropLearnedOnInput:
		c.tr.detail(d.Reason())
	case d.Drop == normal.DropAccessTagged || d.Drop == normal.DropVLANNotTrunked:
		c.tr.errorf("%s", d.Reason())
		c.tr.warn("disallowed VLAN VID for this input port, dropping")
	case d.Drop == normal.DropPartialVLAN:
		if c.learn { // OVS reports it only with a packet (not a bare trace)
			c.tr.errorf("%s", d.Reason())
		}
		c.tr.warn("partial VLAN tag, dropping")
	case d.Drop != normal.DropNone:
		c.tr.warn(d.Reason())
	case d.Flood:
		c.tr.detail("no learned MAC for destination, flooding")
	default:
		c.tr.detail("forwarding to learned port")
	}
	saved := stackOf(&c.work)
	for i := range d.Outputs {
		o := &d.Outputs[i]
		if !c.mayForward(o.Port) {
			continue
		}
		for j := range o.VLANs {
			if j < flow.MaxVLANs {
				c.work.SetVLAN(j, o.VLANs[j].TPID, o.VLANs[j].TCI)
			}
		}
		c.commit()
		if c.exit {
			return
		}
		c.emitOutput(o.Port)
		for j := range saved {
			c.work.SetVLAN(j, saved[j].tpid, saved[j].tci)
		}
	}
}
