package client_test

import (
	"context"
	"encoding/json"
	"net"
	"os/exec"
	"testing"
	"time"

	"govs/ovsdb/client"
	"govs/ovsdb/internal/ovstest"
	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
)

const testTimeout = 15 * time.Second

// servers returns the sockets to test against: govs's and, when
// installed, the real ovsdb-server.
func servers(t *testing.T) map[string]string {
	out := map[string]string{"govs": ovstest.StartGovs(t).Sock}
	_, e1 := exec.LookPath("ovsdb-server")
	_, e2 := exec.LookPath("ovsdb-tool")
	if e1 == nil && e2 == nil {
		out["real"] = ovstest.StartReal(t)
	} else {
		t.Log("real ovsdb-server not installed: testing govs only")
	}
	return out
}

func dial(t *testing.T, ctx context.Context, sock string) *client.Client {
	t.Helper()
	c, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestClientAgainstServers(t *testing.T) {
	for name, sock := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c := dial(t, ctx, sock)
			dbs, err := c.ListDBs(ctx)
			if err != nil || len(dbs) == 0 {
				t.Fatalf("list_dbs %v %v", dbs, err)
			}
			if err := c.Echo(ctx); err != nil {
				t.Fatal(err)
			}
			s, err := c.GetSchema(ctx, "Open_vSwitch")
			if err != nil || s.Tables["Bridge"] == nil {
				t.Fatalf("get_schema: %v", err)
			}

			updates := make(chan client.Updates, 16)
			reqs := map[string]client.MonitorRequest{
				"Open_vSwitch": {Columns: []string{"bridges", "next_cfg"}},
				"Bridge":       {Columns: []string{"name", "ports"}},
				"Port":         {Columns: []string{"name", "tag"}, Where: []any{[]any{"name", "!=", "hidden"}}},
			}
			_, initial, err := c.MonitorCond(ctx, "Open_vSwitch", "m1", reqs, func(u client.Updates) { updates <- u })
			if err != nil {
				t.Fatal(err)
			}
			cache := client.NewCache(s)
			cache.Apply(initial)

			res, err := c.Transact(ctx, "Open_vSwitch",
				map[string]any{"op": "insert", "table": "Open_vSwitch", "uuid-name": "ovs", "row": map[string]any{"bridges": []any{"named-uuid", "br"}}},
				map[string]any{"op": "insert", "table": "Bridge", "uuid-name": "br", "row": map[string]any{"name": "br0", "ports": []any{"set", []any{[]any{"named-uuid", "p"}, []any{"named-uuid", "h"}}}}},
				map[string]any{"op": "insert", "table": "Port", "uuid-name": "p", "row": map[string]any{"name": "p1", "interfaces": []any{"named-uuid", "i"}}},
				map[string]any{"op": "insert", "table": "Port", "uuid-name": "h", "row": map[string]any{"name": "hidden", "interfaces": []any{"named-uuid", "i"}}},
				map[string]any{"op": "insert", "table": "Interface", "uuid-name": "i", "row": map[string]any{"name": "p1"}},
			)
			if err != nil {
				t.Fatal(err)
			}
			ovsUUID := res[0].UUID
			select {
			case u := <-updates:
				cache.Apply(u)
			case <-ctx.Done():
				t.Fatal("no update")
			}
			if len(cache.Tables["Port"]) != 1 {
				t.Fatalf("condition not applied: %d ports in cache", len(cache.Tables["Port"]))
			}
			// Modify: a diff on a set column and a scalar.
			if _, err := c.Transact(ctx, "Open_vSwitch",
				map[string]any{"op": "mutate", "table": "Open_vSwitch", "where": []any{[]any{"_uuid", "==", []any{"uuid", string(ovsUUID)}}}, "mutations": []any{[]any{"next_cfg", "+=", 5}}},
				map[string]any{"op": "update", "table": "Port", "where": []any{[]any{"name", "==", "p1"}}, "row": map[string]any{"tag": 10}},
			); err != nil {
				t.Fatal(err)
			}
			select {
			case u := <-updates:
				cache.Apply(u)
			case <-ctx.Done():
				t.Fatal("no update")
			}
			if d, _ := cache.Get("Open_vSwitch", ovsUUID, "next_cfg"); d.Len() != 1 || d.Keys[0].(int64) != 5 {
				t.Fatalf("next_cfg in cache = %v", d)
			}
			for _, row := range cache.Tables["Port"] {
				if row["tag"].Len() != 1 || row["tag"].Keys[0].(int64) != 10 {
					t.Fatalf("tag in cache = %v", row["tag"])
				}
			}
			// A failing transaction reports its error.
			_, err = c.Transact(ctx, "Open_vSwitch", map[string]any{"op": "update", "table": "Port", "where": []any{}, "row": map[string]any{"tag": 5000}})
			te, ok := err.(*client.TransactError)
			if !ok || te.Err.Kind != schema.ErrConstraint {
				t.Fatalf("want constraint violation, got %v", err)
			}

			// monitor_cond_since from scratch returns everything.
			_, init3, _, err := c.MonitorCondSince(ctx, "Open_vSwitch", "m3", map[string]client.MonitorRequest{"Bridge": {Columns: []string{"name"}}}, "", func(client.Updates, schema.UUID) {})
			if err != nil || len(init3["Bridge"]) != 1 {
				t.Fatalf("monitor_cond_since: %v %v", init3, err)
			}
		})
	}
}

func TestLocks(t *testing.T) {
	for name, sock := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			a, b := dial(t, ctx, sock), dial(t, ctx, sock)
			events := make(chan string, 4)
			a.OnLock(func(n string, locked bool) {
				events <- "a:" + n + ":" + map[bool]string{true: "locked", false: "stolen"}[locked]
			})
			b.OnLock(func(n string, locked bool) {
				events <- "b:" + n + ":" + map[bool]string{true: "locked", false: "stolen"}[locked]
			})
			if ok, err := a.Lock(ctx, "ovs_vswitchd"); err != nil || !ok {
				t.Fatalf("a lock: %v %v", ok, err)
			}
			assert := map[string]any{"op": "assert", "lock": "ovs_vswitchd"}
			if _, err := a.Transact(ctx, "Open_vSwitch", assert); err != nil {
				t.Fatalf("owner assert: %v", err)
			}
			if _, err := b.Transact(ctx, "Open_vSwitch", assert); err == nil {
				t.Fatal("non-owner assert succeeded")
			}
			if ok, err := b.Lock(ctx, "ovs_vswitchd"); err != nil || ok {
				t.Fatalf("b lock: %v %v", ok, err)
			}
			if err := a.Unlock(ctx, "ovs_vswitchd"); err != nil {
				t.Fatal(err)
			}
			if ev := wait(t, events); ev != "b:ovs_vswitchd:locked" {
				t.Fatalf("event %s", ev)
			}
			if ok, err := a.Steal(ctx, "ovs_vswitchd"); err != nil || !ok {
				t.Fatalf("steal: %v %v", ok, err)
			}
			if ev := wait(t, events); ev != "b:ovs_vswitchd:stolen" {
				t.Fatalf("event %s", ev)
			}
		})
	}
}

func wait(t *testing.T, ch chan string) string {
	t.Helper()
	select {
	case s := <-ch:
		return s
	case <-time.After(testTimeout):
		t.Fatal("timed out waiting for lock notification")
		return ""
	}
}

// TestEchoReply: the client answers the server's echo requests.
func TestEchoReply(t *testing.T) {
	a, b := net.Pipe()
	c := client.New(a)
	defer c.Close()
	srv := jsonrpc.NewConn(b, jsonrpc.Options{})
	defer srv.Close()
	req, _ := jsonrpc.NewRequest("echo", "echo", []any{"x"})
	if err := srv.Send(req); err != nil {
		t.Fatal(err)
	}
	done := make(chan *jsonrpc.Message, 1)
	go func() {
		m, _ := srv.Receive()
		done <- m
	}()
	select {
	case m := <-done:
		if m == nil || !m.IsResponse() || string(m.ID) != `"echo"` {
			t.Fatalf("bad echo reply %+v", m)
		}
		var r []string
		if json.Unmarshal(m.Result, &r) != nil || len(r) != 1 || r[0] != "x" {
			t.Fatalf("echo result %s", m.Result)
		}
	case <-time.After(testTimeout):
		t.Fatal("no echo reply")
	}
}

func TestMonitorCondChangeAndCancel(t *testing.T) {
	for name, sock := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			c := dial(t, ctx, sock)
			if _, err := c.Transact(ctx, "Open_vSwitch",
				map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{"bridges": []any{"set", []any{[]any{"named-uuid", "a"}, []any{"named-uuid", "b"}}}}},
				map[string]any{"op": "insert", "table": "Bridge", "uuid-name": "a", "row": map[string]any{"name": "a"}},
				map[string]any{"op": "insert", "table": "Bridge", "uuid-name": "b", "row": map[string]any{"name": "b"}},
			); err != nil {
				t.Fatal(err)
			}
			updates := make(chan client.Updates, 4)
			m, initial, err := c.MonitorCond(ctx, "Open_vSwitch", "mc", map[string]client.MonitorRequest{
				"Bridge": {Columns: []string{"name"}, Where: []any{[]any{"name", "==", "a"}}},
			}, func(u client.Updates) { updates <- u })
			if err != nil || len(initial["Bridge"]) != 1 {
				t.Fatalf("initial %v %v", initial, err)
			}
			if err := m.ChangeConditions(ctx, map[string][]any{"Bridge": {[]any{"name", "==", "b"}}}); err != nil {
				t.Fatal(err)
			}
			var kinds []string
			timeout := time.After(testTimeout)
			for len(kinds) < 2 {
				select {
				case u := <-updates:
					for _, ru := range u["Bridge"] {
						kinds = append(kinds, ru.Kind)
					}
				case <-timeout:
					t.Fatalf("condition change produced %v", kinds)
				}
			}
			if err := m.Cancel(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Transact(ctx, "Open_vSwitch", map[string]any{"op": "update", "table": "Bridge", "where": []any{}, "row": map[string]any{"fail_mode": "secure"}}); err != nil {
				t.Fatal(err)
			}
			if err := c.Echo(ctx); err != nil { // any update would have arrived before this reply
				t.Fatal(err)
			}
			select {
			case u := <-updates:
				t.Fatalf("update after cancel: %v", u)
			default:
			}
		})
	}
}

func TestMonitorCondSinceResume(t *testing.T) {
	g := ovstest.StartGovs(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c := dial(t, ctx, g.Sock)
	if _, err := c.Transact(ctx, "Open_vSwitch", map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	reqs := map[string]client.MonitorRequest{"Open_vSwitch": {Columns: []string{"next_cfg"}}}
	m, initial, found, err := c.MonitorCondSince(ctx, "Open_vSwitch", "a", reqs, "", func(client.Updates, schema.UUID) {})
	if err != nil || found || len(initial["Open_vSwitch"]) != 1 || m.LastID == schema.ZeroUUID {
		t.Fatalf("first: found=%v initial=%v last=%s err=%v", found, initial, m.LastID, err)
	}
	// Resuming from the current id: nothing to resend.
	_, initial, found, err = c.MonitorCondSince(ctx, "Open_vSwitch", "b", reqs, m.LastID, func(client.Updates, schema.UUID) {})
	if err != nil || !found || len(initial) != 0 {
		t.Fatalf("resume: found=%v initial=%v err=%v", found, initial, err)
	}
}
