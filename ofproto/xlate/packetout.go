package xlate

import (
	"errors"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// ethHeaderLen is the shortest frame the datapath executes.
const ethHeaderLen = 14

// ErrNoDatapath is returned by PacketOut on a pipeline without a datapath.
var ErrNoDatapath = errors.New("xlate: the pipeline has no datapath to execute on")

// TranslatePacketOut translates an OFPT_PACKET_OUT: the OpenFlow actions
// acts run on frame as received on inPort (a bridge port, LOCAL,
// CONTROLLER or NONE), as OVS's packet_out translation does: output to
// the input port is skipped unless IN_PORT, output:TABLE runs the frame
// through the tables from table 0 (the rules it hits count it), NORMAL
// learns, CONTROLLER sends a packet-in. It returns the datapath actions
// (empty: drop) and the failure, if the budget ran out or a rewrite is
// unsupported.
func (p *Pipeline) TranslatePacketOut(inPort flowtable.PortNo, frame []byte, acts []ofpact.Action) (datapath.Actions, Failure) {
	var k flow.Key
	var l flow.Layout
	limit := flow.MaxVLANs
	if dp := p.dp.Load(); dp != nil {
		limit = dp.VLANLimit()
	}
	flow.ExtractVLANs(frame, flow.PortNo(inPort), limit, &k, &l)
	c := p.newCtx(&k, !p.revalidating.Load())
	if c.noRecv {
		return nil, FailNone // the input port may not receive it (OVS may_receive)
	}
	c.doActions(acts)
	if c.fail == FailNone && len(c.actionSet) > 0 {
		c.runActionSet()
	}
	if c.fail != FailNone {
		p.failures[c.fail].Add(1)
		return nil, c.fail
	}
	if len(c.rules) > 0 {
		now := p.tables.Now()
		for _, r := range c.rules {
			r.Stats().Credit(1, uint64(len(frame)), now)
		}
	}
	return c.acts, FailNone
}

// PacketOut translates a PACKET_OUT (TranslatePacketOut) and executes the
// result on the pipeline's datapath (datapath.Execute). A translation
// failure drops the frame without an error, as OVS; so does a frame
// shorter than an Ethernet header, which the datapath never forwards.
func (p *Pipeline) PacketOut(inPort flowtable.PortNo, frame []byte, acts []ofpact.Action) error {
	dp := p.dp.Load()
	if dp == nil {
		return ErrNoDatapath
	}
	if len(frame) < ethHeaderLen {
		return nil
	}
	dpActs, fail := p.TranslatePacketOut(inPort, frame, acts)
	if fail != FailNone {
		return nil
	}
	return dp.Execute(flow.PortNo(inPort), frame, dpActs)
}
