package ofserver

import (
	"path/filepath"
	"testing"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/bridge"
	"govs/ofproto/ofp"
	"govs/ofproto/tables"
	"govs/ports/memport"
)

// TestBridgeSwitch serves a real (unstarted) bridge through
// NewBridgeSwitch: ports and counters come from the bridge, flow mods go
// to the tables and a barrier revalidates the bridge's datapath.
func TestBridgeSwitch(t *testing.T) {
	b, err := bridge.New(bridge.Config{Name: "br0", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for no, name := range map[flow.PortNo]string{1: "p1", 2: "p2"} {
		p, err := memport.New(name, 64)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.AddPort(bridge.PortInfo{OFPort: no, Name: name}, p); err != nil {
			t.Fatal(err)
		}
	}
	b.SetDatapathID(7)
	tb := tables.New(tables.Config{})
	sw := NewBridgeSwitch(b, tb, BridgeOptions{Describe: func(in bridge.PortInfo, d *PortDesc) {
		d.HWAddr = [6]byte{2, 0, 0, 0, 0, byte(in.OFPort)}
	}})
	srv, dir := startServer(t, sw)
	sw.SetEvents(srv)
	c := dial(t, filepath.Join(dir, "br0.mgmt"), ofp.Version10)

	c.send(&ofp.FeaturesRequest{}, ofp.Version10, 1)
	fr := c.recv().(*ofp.FeaturesReply)
	if fr.DatapathID != 7 || len(fr.Ports) != 2 || fr.Ports[1].Name != "p2" || fr.Ports[1].HWAddr[5] != 2 {
		t.Fatalf("features %+v", fr)
	}
	c.send(&ofp.PortStatsRequest{PortNo: flowtable.PortNone}, ofp.Version10, 2)
	if ps := c.recv().(*ofp.PortStatsReply); len(ps.Ports) != 2 {
		t.Fatalf("port stats %+v", ps)
	}
	fm := &ofp.FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: 3,
		OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny,
		Actions: []ofpact.Action{&ofpact.Output{Port: 2}}}, BufferID: ofp.NoBuffer}
	c.send(fm, ofp.Version10, 3)
	c.send(&ofp.BarrierRequest{}, ofp.Version10, 4)
	if m := c.recv(); m.Hdr().Type != ofp.Type10BarrierReply {
		t.Fatalf("got %T", m)
	}
	if tb.Len() != 1 {
		t.Fatalf("tables hold %d rules, want 1", tb.Len())
	}
	// PACKET_OUT without a PacketOut function is refused, naming why.
	c.send(&ofp.PacketOut{BufferID: ofp.NoBuffer, InPort: flowtable.PortNone, Data: make([]byte, 14)}, ofp.Version10, 5)
	if e, ok := c.recv().(*ofp.ErrorMsg); !ok || e.ErrCode() != ofp.OFPBRC_EPERM {
		t.Fatalf("packet-out: got %+v", e)
	}
}
