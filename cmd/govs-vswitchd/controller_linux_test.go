package main

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// testController is one OpenFlow connection seen from the controller
// side, speaking version v after the HELLO exchange.
type testController struct {
	t  *testing.T
	nc net.Conn
	v  uint8
}

// ctlTimeout bounds every controller read and the wait for connections.
const ctlTimeout = 10 * time.Second

// hello completes the HELLO exchange on nc as a controller offering v.
func hello(t *testing.T, nc net.Conn, v uint8) *testController {
	t.Helper()
	c := &testController{t: t, nc: nc, v: v}
	if m, err := c.read(); err != nil || m.Hdr().Type != ofp.TypeHello {
		t.Fatalf("first message %v, %v; want HELLO", m, err)
	}
	c.send(&ofp.Hello{}, 1)
	c.send(&ofp.EchoRequest{}, 2)
	if m := c.recvType(ofp.TypeEchoReply); m == nil {
		t.Fatal("no ECHO_REPLY after HELLO")
	}
	return c
}

func (c *testController) send(m ofp.Message, xid uint32) {
	c.t.Helper()
	b, err := ofp.Encode(m, c.v, xid)
	if err != nil {
		c.t.Fatal(err)
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(ctlTimeout))
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// read reads one message (ctlTimeout).
func (c *testController) read() (ofp.Message, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(ctlTimeout))
	b, err := ofp.ReadMessage(c.nc)
	if err != nil {
		return nil, err
	}
	return ofp.Decode(b)
}

// recvType reads until a message of type typ (other messages such as
// PORT_STATUS are skipped); nil on error.
func (c *testController) recvType(typ uint8) ofp.Message {
	for {
		m, err := c.read()
		if err != nil {
			return nil
		}
		if m.Hdr().Type == typ {
			return m
		}
	}
}

// acceptController waits for the switch to connect to ln.
func acceptController(t *testing.T, ln net.Listener, v uint8) *testController {
	t.Helper()
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(ctlTimeout))
	nc, err := ln.Accept()
	if err != nil {
		t.Fatalf("the switch did not connect to the controller: %v", err)
	}
	t.Cleanup(func() { nc.Close() })
	return hello(t, nc, v)
}

// freePort returns a loopback TCP port that nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestControllers: Bridge.controller rows as OVS handles them, driven by
// the real ovs-vsctl: set-controller tcp: makes the switch connect to a
// test controller (OpenFlow 1.0 and 1.3), which then gets the PACKET_IN
// of a CONTROLLER action and sees Controller.is_connected true; adding a
// controller flushes the flows (no standalone NORMAL flow);
// set-controller ptcp: makes the switch listen instead (and drops the
// old connection); an unreachable controller makes a standalone bridge
// fail open after three probe intervals (15 s) but not a secure one;
// del-controller brings the NORMAL flow back.
func TestControllers(t *testing.T) {
	l := newOFLab(t, "ct")
	sock := l.d.sock()
	src := mustMAC("02:00:00:00:72:01")
	flows := func() string { return l.mustOfctl(t, false, "--no-stats", "dump-flows", l.target) }
	if !strings.Contains(flows(), "priority=0 actions=NORMAL") {
		t.Fatalf("standalone bridge without controllers lacks the NORMAL flow:\n%s", flows())
	}
	for i, v := range []uint8{ofp.Version10, ofp.Version13} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		vsctl(t, sock, "set-controller", l.br, "tcp:"+ln.Addr().String())
		ctl := acceptController(t, ln, v)
		// From no controller to one flushes every flow; replacing one
		// controller by another does not (connmgr_set_controllers).
		if f := flows(); (i == 0) == strings.Contains(f, "actions=") {
			t.Fatalf("OpenFlow %#x: flows after set-controller:\n%s", v, f)
		}
		l.mustOfctl(t, false, "add-flow", l.target, "priority=10,in_port=1,actions=CONTROLLER")
		f := arpFrame(src, net.IPv4(10, 96, byte(i), 1), net.IPv4(10, 96, byte(i), 2))
		l.cap1.send(t, f)
		// The kernel's own frames on the veth (IPv6 MLD, router
		// solicitations) go to the controller too: skip those.
		var pi *ofp.PacketIn
		for pi == nil || !bytes.HasPrefix(f, pi.Data) && !bytes.Equal(pi.Data[:min(len(pi.Data), 12)], f[:12]) {
			m := ctl.recvType(ofp.TypePacketIn)
			var ok bool
			if pi, ok = m.(*ofp.PacketIn); !ok {
				t.Fatalf("OpenFlow %#x: no PACKET_IN of the test frame for a CONTROLLER flow (got %v)", v, m)
			}
		}
		if !bytes.HasPrefix(f, pi.Data) || len(pi.Data) == 0 || (pi.InPort != 1 && pi.Match.InPort != 1) {
			t.Fatalf("PACKET_IN in_port %d/%d data %x, want port 1 and %x", pi.InPort, pi.Match.InPort, pi.Data, f)
		}
		l.d.waitFor("Controller.is_connected", ctlTimeout, func() bool {
			return get(t, sock, "controller", l.br, "is_connected") == "true"
		})
		// The controller itself may send PACKET_OUT.
		out := arpFrame(src, net.IPv4(10, 96, byte(i), 3), net.IPv4(10, 96, byte(i), 4))
		ctl.send(&ofp.PacketOut{BufferID: ofp.NoBuffer, InPort: flowtable.PortController,
			Actions: mustActions(t, "output:2"), Data: out}, 9)
		if !l.cap2.hasFrame(out) {
			t.Fatal("PACKET_OUT from the controller not seen on port 2")
		}
	}

	// ptcp: the switch listens; the active connection is dropped.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	vsctl(t, sock, "set-controller", l.br, "tcp:"+ln.Addr().String())
	old := acceptController(t, ln, ofp.Version13)
	ln.Close()
	port := freePort(t)
	vsctl(t, sock, "set-controller", l.br, fmt.Sprintf("ptcp:%d:127.0.0.1", port))
	// Messages already in flight (PORT_STATUS, echo probes) may precede
	// the close: skip them; only a read timeout means it stayed open.
	for {
		_, err := old.read()
		if err == nil {
			continue
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("connection to a removed controller still open")
		}
		break
	}
	var nc net.Conn
	l.d.waitFor("ptcp listener", ctlTimeout, func() bool {
		nc, err = net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		return err == nil
	})
	defer nc.Close()
	pc := hello(t, nc, ofp.Version10)
	pc.send(&ofp.GetConfigRequest{}, 3)
	if r, ok := pc.recvType(ofp.TypeGetConfigReply).(*ofp.GetConfigReply); !ok || r.MissSendLen != 128 {
		t.Fatalf("ptcp connection is not a controller connection: %+v", r)
	}

	// An unreachable controller: standalone fails open after 15 s.
	vsctl(t, sock, "set-controller", l.br, fmt.Sprintf("tcp:127.0.0.1:%d", freePort(t)))
	probe := arpFrame(src, net.IPv4(10, 96, 7, 1), net.IPv4(10, 96, 7, 2))
	l.cap1.send(t, probe)
	if l.cap2.seen(probe, absentTimeout) {
		t.Fatal("a bridge with a controller and no flows forwarded a frame")
	}
	trace := func() string {
		so, _, _ := run(t, "ovs-appctl", "-t", l.d.ctlPath(), "ofproto/trace", l.br, "in_port=1,dl_dst=ff:ff:ff:ff:ff:ff")
		return so
	}
	l.d.waitFor("fail-open", 4*ctlTimeout, func() bool { return strings.Contains(trace(), " 0. priority 15790320\n    NORMAL\n") })
	probe = arpFrame(src, net.IPv4(10, 96, 7, 3), net.IPv4(10, 96, 7, 4))
	l.cap1.send(t, probe)
	if !l.cap2.hasFrame(probe) {
		t.Fatalf("fail-open bridge does not switch:\n%s", trace())
	}
	vsctl(t, sock, "set", "bridge", l.br, "fail_mode=secure")
	l.d.waitFor("secure leaves fail-open", ctlTimeout, func() bool { return !strings.Contains(trace(), "15790320") })
	vsctl(t, sock, "set", "bridge", l.br, "fail_mode=standalone", "--", "del-controller", l.br)
	if f := flows(); !strings.Contains(f, "priority=0 actions=NORMAL") {
		t.Fatalf("standalone bridge without controllers lacks the NORMAL flow:\n%s", f)
	}
}

// mustActions parses an ovs-ofctl action list.
func mustActions(t *testing.T, s string) []ofpact.Action {
	t.Helper()
	acts, _, err := ofpact.ParseInstructions(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	return acts
}

// hasFrame waits for f on c.
func (c *capture) hasFrame(f []byte) bool { return c.seen(f, frameTimeout) }

// seen reports whether a frame starting with f arrives within timeout.
func (c *capture) seen(f []byte, timeout time.Duration) bool {
	_, ok := c.waitFrame(timeout, func(b []byte) bool { return bytes.HasPrefix(b, f) })
	return ok
}
