package ofserver

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"govs/ofproto/ofp"
)

// waitCond polls cond for up to ioTimeout.
func waitCond(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(ioTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestSetControllers: active targets are dialled and report connected
// after HELLO, passive ones accept controller connections, and removed
// targets lose their connections and listeners.
func TestSetControllers(t *testing.T) {
	srv, dir := startServer(t, newMemSwitch())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("tcp listen: %v", err)
	}
	defer ln.Close()
	active := "tcp:" + ln.Addr().String()
	passive := "punix:" + filepath.Join(dir, "ctl.sock")
	if d, ok := srv.FailureDuration(time.Now()); ok || d != 0 {
		t.Fatalf("failure duration without controllers: %v %v", d, ok)
	}
	err = srv.SetControllers([]string{active, passive, "ssl:1.2.3.4"})
	if err == nil || !strings.Contains(err.Error(), `"ssl"`) {
		t.Fatalf("ssl target: %v", err)
	}
	if st := srv.Controllers(); len(st) != 2 || st[0].Connected || st[1].Connected {
		t.Fatalf("controllers before connecting: %+v", st)
	}
	if d, ok := srv.FailureDuration(time.Now().Add(time.Hour)); !ok || d < time.Hour {
		t.Fatalf("failure duration of an unconnected controller: %v %v", d, ok)
	}
	_ = ln.(*net.TCPListener).SetDeadline(time.Now().Add(ioTimeout))
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c := &client{t: t, nc: nc}
	if m := c.recv(); m.Hdr().Type != ofp.TypeHello {
		t.Fatalf("got %T, want HELLO", m)
	}
	c.send(&ofp.Hello{}, ofp.Version13, 1)
	c.send(&ofp.EchoRequest{}, ofp.Version13, 2)
	if m := c.recv(); m.Hdr().Type != ofp.TypeEchoReply {
		t.Fatalf("got %T", m)
	}
	waitCond(t, "active controller connected", func() bool {
		st := srv.Controllers()
		return len(st) == 2 && st[1].Target == active && st[1].Connected
	})
	if d, ok := srv.FailureDuration(time.Now()); !ok || d != 0 {
		t.Fatalf("failure duration while connected: %v %v", d, ok)
	}
	// The passive target takes controller connections (miss_send_len 128).
	pc := dial(t, filepath.Join(dir, "ctl.sock"), ofp.Version10)
	pc.send(&ofp.GetConfigRequest{}, ofp.Version10, 3)
	if r, ok := pc.recv().(*ofp.GetConfigReply); !ok || r.MissSendLen != DefaultMissSendLen {
		t.Fatalf("passive controller connection config %+v", r)
	}
	// Removing both closes their connections and the listener.
	if err := srv.SetControllers(nil); err != nil {
		t.Fatal(err)
	}
	for _, cl := range []*client{c, pc} {
		if _, err := cl.recvRaw(); err == nil {
			t.Fatal("connection of a removed controller still open")
		}
	}
	if _, err := net.Dial("unix", filepath.Join(dir, "ctl.sock")); err == nil {
		t.Fatal("removed passive target still listening")
	}
	if st := srv.Controllers(); len(st) != 0 {
		t.Fatalf("controllers after removal: %+v", st)
	}
}
