package ofserver

import (
	"bytes"
	"net"
	"path/filepath"
	"testing"
	"time"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// controller accepts one connection from the server's active Connect and
// completes the HELLO exchange in version v.
func controller(t *testing.T, srv *Server, v uint8) *client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("tcp listen: %v", err)
	}
	defer ln.Close()
	if err := srv.Connect("tcp:" + ln.Addr().String()); err != nil {
		t.Fatal(err)
	}
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(ioTimeout))
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	c := &client{t: t, nc: nc}
	if m := c.recv(); m.Hdr().Type != ofp.TypeHello {
		t.Fatalf("got %T, want HELLO", m)
	}
	c.send(&ofp.Hello{}, v, 1)
	// A round trip proves the server finished negotiating.
	c.send(&ofp.EchoRequest{}, v, 2)
	if m := c.recv(); m.Hdr().Type != ofp.TypeEchoReply {
		t.Fatalf("got %T, want ECHO_REPLY", m)
	}
	return c
}

func TestPacketInToController(t *testing.T) {
	for _, v := range []uint8{ofp.Version10, ofp.Version13} {
		sw := newMemSwitch()
		srv, _ := startServer(t, sw)
		ctl := controller(t, srv, v)
		frame := bytes.Repeat([]byte{0xab}, 300)
		// A table miss: the controller's default miss_send_len (128).
		srv.PacketIn(&PacketIn{Reason: ofp.PacketInNoMatch, InPort: 2, UseMissSendLen: true, Data: frame})
		m := ctl.recv()
		pi, ok := m.(*ofp.PacketIn)
		if !ok {
			t.Fatalf("v%d: got %T, want PACKET_IN", v, m)
		}
		if pi.InPort != 2 || pi.TotalLen != 300 || len(pi.Data) != DefaultMissSendLen || pi.BufferID != ofp.NoBuffer {
			t.Fatalf("v%d: packet-in %+v", v, pi)
		}
		// A controller action with max_len 0xffff sends the whole packet.
		srv.PacketIn(&PacketIn{Reason: ofp.PacketInAction, InPort: 1, MaxLen: noMaxLen, Cookie: 7, Data: frame})
		pi = ctl.recv().(*ofp.PacketIn)
		if len(pi.Data) != len(frame) || pi.Reason != ofp.PacketInAction {
			t.Fatalf("v%d: packet-in %d bytes reason %d", v, len(pi.Data), pi.Reason)
		}
		// PORT_STATUS after a port change.
		sw.mu.Lock()
		sw.ports = sw.ports[1:]
		sw.mu.Unlock()
		srv.PortsChanged()
		ps, ok := ctl.recv().(*ofp.PortStatus)
		if !ok || ps.Reason != ofp.PortReasonDelete || ps.Desc.PortNo != 1 {
			t.Fatalf("v%d: port status %+v", v, ps)
		}
		// FLOW_REMOVED when a send_flow_rem flow is deleted.
		add := &FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: 5, Flags: flowsyntax.FlagSendFlowRem,
			OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny, Cookie: 0, NewCookie: 0x99,
			Actions: []ofpact.Action{&ofpact.Output{Port: 2}}}, Version: ofpact.FormatVersion(v)}
		if err := sw.FlowMod(add); err != nil {
			t.Fatal(err)
		}
		del := &FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdDeleteStrict, Priority: 5, Table: flowsyntax.TableAll,
			OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}, Version: ofpact.FormatVersion(v)}
		if err := sw.FlowMod(del); err != nil {
			t.Fatal(err)
		}
		fr, ok := ctl.recv().(*ofp.FlowRemoved)
		if !ok || fr.Cookie != 0x99 || fr.Reason != ofp.FlowRemovedDelete || fr.Priority != 5 {
			t.Fatalf("v%d: flow removed %+v", v, fr)
		}
	}
}

// TestServiceConnAsync checks OVS's rule: a management connection gets
// asynchronous messages only after it sets a non-zero miss_send_len.
func TestServiceConnAsync(t *testing.T) {
	srv, dir := startServer(t, newMemSwitch())
	c := dial(t, filepath.Join(dir, "br0.mgmt"), ofp.Version10)
	srv.PacketIn(&PacketIn{Reason: ofp.PacketInNoMatch, InPort: 1, UseMissSendLen: true, Data: []byte("skipped")})
	c.send(&ofp.SetConfig{SwitchConfig: ofp.SwitchConfig{MissSendLen: 4}}, ofp.Version10, 3)
	c.send(&ofp.BarrierRequest{}, ofp.Version10, 4)
	if m := c.recv(); m.Hdr().Type != ofp.Type10BarrierReply {
		t.Fatalf("got %T, want BARRIER_REPLY (the first packet-in must be skipped)", m)
	}
	srv.PacketIn(&PacketIn{Reason: ofp.PacketInNoMatch, InPort: 1, UseMissSendLen: true, Data: []byte("delivered")})
	pi, ok := c.recv().(*ofp.PacketIn)
	if !ok || string(pi.Data) != "deli" {
		t.Fatalf("got %+v", pi)
	}
	c.send(&ofp.GetConfigRequest{}, ofp.Version10, 5)
	if r := c.recv().(*ofp.GetConfigReply); r.MissSendLen != 4 {
		t.Fatalf("miss_send_len %d", r.MissSendLen)
	}
}

// allocConn registers a negotiated controller connection whose output
// is drained, for allocation tests and benchmarks.
func allocConn(tb testing.TB, s *Server, v uint8) *conn {
	a, b := net.Pipe()
	c := s.newConn(a, KindController)
	c.ver.Store(uint32(v))
	done := make(chan struct{})
	go c.writer(done)
	go func() {
		buf := make([]byte, 1<<16)
		for {
			if _, err := b.Read(buf); err != nil {
				return
			}
		}
	}()
	tb.Cleanup(func() { c.close(); <-done; b.Close() })
	return c
}

// warm fills c's free list with every buffer the connection can have
// queued or in flight (what a busy connection reaches by itself), runs
// a few packet-ins and waits for the writer to drain them.
func warm(tb testing.TB, s *Server, c *conn, pi *PacketIn) {
	for len(c.free) < cap(c.free) {
		c.free <- &outBuf{b: make([]byte, 0, initialBufCap)}
	}
	for i := 0; i < freeSlack; i++ {
		s.PacketIn(pi)
	}
	deadline := time.Now().Add(ioTimeout)
	for len(c.out) > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

func TestPacketInAllocs(t *testing.T) {
	for _, v := range []uint8{ofp.Version10, ofp.Version13} {
		s := New(newMemSwitch(), Config{Logger: DiscardLogger()})
		c := allocConn(t, s, v)
		pi := &PacketIn{Reason: ofp.PacketInAction, InPort: 1, MaxLen: noMaxLen, Data: make([]byte, 1500)}
		pi.Match.SetInPort(1)
		warm(t, s, c, pi)
		if n := testing.AllocsPerRun(200, func() { s.PacketIn(pi) }); n != 0 {
			t.Errorf("v%d: PacketIn allocates %.1f times per call", v, n)
		}
		s.Close()
	}
}

func BenchmarkPacketIn(b *testing.B) {
	s := New(newMemSwitch(), Config{Logger: DiscardLogger()})
	defer s.Close()
	c := allocConn(b, s, ofp.Version13)
	pi := &PacketIn{Reason: ofp.PacketInAction, InPort: 1, MaxLen: noMaxLen, Data: make([]byte, 1500)}
	warm(b, s, c, pi)
	b.ReportAllocs()
	b.SetBytes(int64(len(pi.Data)))
	for b.Loop() {
		s.PacketIn(pi)
	}
}

func TestControllerHook(t *testing.T) {
	tests := []struct {
		name   string
		reason ofpact.Reason
		maxLen uint16
		want   uint8
		data   int
	}{
		{"miss uses miss_send_len", ofpact.ReasonNoMatch, noMaxLen, ofp.PacketInNoMatch, DefaultMissSendLen},
		{"action max_len", ofpact.ReasonAction, 64, ofp.PacketInAction, 64},
		{"packet_out as action", ofpact.ReasonPacketOut, noMaxLen, ofp.PacketInAction, 200},
	}
	srv, _ := startServer(t, newMemSwitch())
	ctl := controller(t, srv, ofp.Version13)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &ControllerHook{Server: srv, Decode: func(c uint64) (ControllerInfo, bool) {
				return ControllerInfo{Reason: tc.reason, Table: 3, Cookie: c, MaxLen: tc.maxLen}, c != 0
			}}
			var k flow.Key
			k.SetInPort(2)
			h.Controller(make([]byte, 200), &k, 0) // unknown cookie: dropped
			h.Controller(make([]byte, 200), &k, 0x55)
			pi, ok := ctl.recv().(*ofp.PacketIn)
			if !ok || pi.Reason != tc.want || len(pi.Data) != tc.data || pi.InPort != 2 || pi.Cookie != 0x55 || pi.TableID != 3 {
				t.Fatalf("got %+v", pi)
			}
		})
	}
}

func TestControllerHookAllocs(t *testing.T) {
	s := New(newMemSwitch(), Config{Logger: DiscardLogger()})
	defer s.Close()
	c := allocConn(t, s, ofp.Version13)
	frame := make([]byte, 1500)
	warm(t, s, c, &PacketIn{MaxLen: noMaxLen, Data: frame})
	h := &ControllerHook{Server: s, Decode: func(uint64) (ControllerInfo, bool) {
		return ControllerInfo{Reason: ofpact.ReasonAction, MaxLen: noMaxLen}, true
	}}
	var k flow.Key
	k.SetInPort(1)
	if n := testing.AllocsPerRun(200, func() { h.Controller(frame, &k, 1) }); n != 0 {
		t.Fatalf("Controller allocates %.1f times per packet", n)
	}
}
