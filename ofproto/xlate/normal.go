package xlate

import (
	"govs/datapath/flow"
	"govs/ofproto/normal"
)

// normal is the NORMAL action: normal.Decide on the working flow (MAC
// learning unless revalidating or tracing), its mask, then one output
// per decided port with that port's VLAN stack (the working flow's tags
// are restored after each, as OVS output_normal).
func (c *ctx) normal() {
	ps := c.ports
	in := ps.cfg(flow.PortNo(c.st.InPort))
	buf := make([]normal.Output, 0, len(ps.cfgs))
	opt := normal.Options{Learn: c.learn, ForwardBPDU: c.p.forwardBPDU.Load()}
	d := normal.Decide(in, &c.work, c.p.mac, ps.cfgs, opt, buf)
	c.wc.Key.Or(&d.Mask)
	switch {
	case d.Drop == normal.DropLearnedOnInput:
		c.tr.detail(d.Reason())
	case d.Drop == normal.DropAccessTagged || d.Drop == normal.DropVLANNotTrunked:
		c.tr.errorf("%s", d.Reason())
		c.tr.warn("disallowed VLAN VID for this input port, dropping")
	case d.Drop == normal.DropPartialVLAN:
		c.tr.errorf("%s", d.Reason())
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
