package ofserver

import (
	"path/filepath"
	"testing"
	"time"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
	"govs/ofproto/tables"
)

// TestGarbageHandling checks what closes a connection (as OVS): a bad
// type or a truncated body gets an error and the connection stays; a
// length field below 8 bytes closes it.
func TestGarbageHandling(t *testing.T) {
	_, dir := startServer(t, newMemSwitch())
	sock := filepath.Join(dir, "br0.mgmt")
	tests := []struct {
		name      string
		msg       []byte
		wantError ofp.ErrCode
		wantClose bool
	}{
		{"bad type", []byte{1, 200, 0, 8, 0, 0, 0, 5}, ofp.OFPBRC_BAD_TYPE, false},
		{"bad version", []byte{4, 5, 0, 8, 0, 0, 0, 5}, ofp.OFPBRC_BAD_VERSION, false},
		{"short body", []byte{1, 14, 0, 12, 0, 0, 0, 5, 0, 0, 0, 0}, ofp.OFPBRC_BAD_LEN, false},
		{"bad stats", []byte{1, 16, 0, 12, 0, 0, 0, 5, 0, 99, 0, 0}, ofp.OFPBRC_BAD_STAT, false},
		{"bad framing", []byte{1, 0, 0, 4, 0, 0, 0, 5}, ofp.ErrNone, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, sock, ofp.Version10)
			c.write(tc.msg)
			if tc.wantClose {
				if b, err := c.recvRaw(); err == nil {
					t.Fatalf("connection still open, got %x", b)
				}
				return
			}
			e, ok := c.recv().(*ofp.ErrorMsg)
			if !ok || e.ErrCode() != tc.wantError || e.Xid != 5 {
				t.Fatalf("got %+v, want %v", e, tc.wantError)
			}
			c.send(&ofp.EchoRequest{}, ofp.Version10, 6)
			if m := c.recv(); m.Hdr().Type != ofp.TypeEchoReply {
				t.Fatalf("connection not served after the error: %T", m)
			}
		})
	}
}

// TestPortModStatus checks that a PORT_MOD from ovs-ofctl's connection
// produces PORT_STATUS MODIFY on a controller connection.
func TestPortModStatus(t *testing.T) {
	sw := newMemSwitch()
	srv, dir := startServer(t, sw)
	ctl := controller(t, srv, ofp.Version13)
	c := dial(t, filepath.Join(dir, "br0.mgmt"), ofp.Version10)
	c.send(&ofp.PortMod{PortNo: 2, HWAddr: [6]byte{0xaa, 0x55, 0xaa, 0x55, 0, 0x0e},
		Config: ofp.PortConfigNoFlood, Mask: ofp.PortConfigNoFlood}, ofp.Version10, 1)
	c.send(&ofp.BarrierRequest{}, ofp.Version10, 2)
	if m := c.recv(); m.Hdr().Type != ofp.Type10BarrierReply {
		t.Fatalf("got %T", m)
	}
	ps, ok := ctl.recv().(*ofp.PortStatus)
	if !ok || ps.Reason != ofp.PortReasonModify || ps.Desc.PortNo != 2 {
		t.Fatalf("port status %+v", ps)
	}
}

// TestFlowRemovedOnTimeout expires a send_flow_rem rule through
// tables.Expire and RemovedEvent, as xlate's OnRemoved does.
func TestFlowRemovedOnTimeout(t *testing.T) {
	now := time.Unix(1000, 0)
	tb := tables.New(tables.Config{Clock: func() time.Time { return now }})
	sw := NewTablesSwitch(TablesSwitchConfig{Tables: tb})
	srv := New(sw, Config{Logger: DiscardLogger()})
	t.Cleanup(func() { srv.Close() })
	sw.SetEvents(srv)
	ctl := controller(t, srv, ofp.Version10)
	fm := flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: 4, IdleTimeout: 5, NewCookie: 0x77,
		Flags: flowsyntax.FlagSendFlowRem, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny,
		Actions: []ofpact.Action{&ofpact.Output{Port: 1}}}
	if err := sw.FlowMod(&FlowMod{FlowMod: fm, Version: ofpact.OF10}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(10 * time.Second)
	for _, r := range tb.Expire(now) {
		if r.Rule.SendFlowRem() {
			srv.FlowRemoved(RemovedEvent(&r))
		}
	}
	fr, ok := ctl.recv().(*ofp.FlowRemoved)
	if !ok || fr.Reason != ofp.FlowRemovedIdleTimeout || fr.Cookie != 0x77 || fr.IdleTimeout != 5 || fr.DurationSec != 10 {
		t.Fatalf("flow removed %+v", fr)
	}
}
