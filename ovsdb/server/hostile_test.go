package server_test

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"govs/ovsdb/client"
	"govs/ovsdb/db"
	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
	"govs/ovsdb/server"
)

const hostileTimeout = 30 * time.Second

// startMem serves an in-memory Open_vSwitch db with small limits.
func startMem(t *testing.T, opts jsonrpc.Options) (*server.Server, string) {
	t.Helper()
	d := db.New(schema.Vswitch())
	srv := server.New(d)
	srv.SetOptions(opts)
	sock := t.TempDir() + "/db.sock"
	ln, err := server.Listen("punix:" + sock)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return srv, sock
}

// healthy checks that a fresh client can still transact.
func healthy(t *testing.T, sock string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	c, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Transact(ctx, "Open_vSwitch", map[string]any{"op": "comment", "comment": "alive"}); err != nil {
		t.Fatalf("server unhealthy: %v", err)
	}
}

// expectClosed waits until the server closes conn.
func expectClosed(t *testing.T, conn net.Conn) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(hostileTimeout))
	if _, err := io.Copy(io.Discard, conn); err != nil && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("connection not closed by server: %v", err)
	}
}

func TestHostileClients(t *testing.T) {
	// Default limits: the 100 MiB message must hit the default
	// jsonrpc.DefaultMaxMessageSize, not a test-only one.
	_, sock := startMem(t, jsonrpc.Options{})
	tests := []struct {
		name string
		send func(c net.Conn) error
	}{
		{"garbage", func(c net.Conn) error { _, err := c.Write([]byte("\x00\x01garbage!!\xff")); return err }},
		{"unbalanced", func(c net.Conn) error {
			_, err := c.Write([]byte(`{"id":1,"method":"echo","params":[` + strings.Repeat("[", 1000)))
			c.(*net.UnixConn).CloseWrite()
			return err
		}},
		{"closing brace first", func(c net.Conn) error { _, err := c.Write([]byte(`}{`)); return err }},
		{"bad params", func(c net.Conn) error {
			_, err := c.Write([]byte(`{"id":1,"method":"transact","params":{}}`))
			return err
		}},
		{"100 MiB message", func(c net.Conn) error {
			if _, err := c.Write([]byte(`{"id":1,"method":"echo","params":["`)); err != nil {
				return err
			}
			chunk := []byte(strings.Repeat("x", 1<<20))
			for i := 0; i < 100; i++ {
				if _, err := c.Write(chunk); err != nil {
					return nil // server closed on us: expected
				}
			}
			return nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetWriteDeadline(time.Now().Add(hostileTimeout))
			if err := tc.send(conn); err != nil && !strings.Contains(err.Error(), "broken pipe") && !strings.Contains(err.Error(), "reset") {
				t.Fatal(err)
			}
			expectClosed(t, conn)
			healthy(t, sock)
		})
	}
}

// TestNonReadingMonitorDisconnected: a client that monitors but never
// reads is disconnected; commits and other clients are unaffected.
func TestNonReadingMonitorDisconnected(t *testing.T) {
	_, sock := startMem(t, jsonrpc.Options{MaxQueuedMessages: 8, WriteTimeout: time.Second})
	conn, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte(`{"id":1,"method":"monitor_cond","params":["Open_vSwitch",null,{"Open_vSwitch":[{}],"Bridge":[{}]}]}`)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	c, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Transact(ctx, "Open_vSwitch", map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	// Big updates (long external_ids) fill the socket buffer quickly.
	big := strings.Repeat("v", 64<<10)
	start := time.Now()
	for i := 0; i < 100; i++ {
		op := map[string]any{"op": "update", "table": "Open_vSwitch", "where": []any{},
			"row": map[string]any{"external_ids": []any{"map", []any{[]any{"k", big + string(rune('a'+i%26))}}}}}
		if _, err := c.Transact(ctx, "Open_vSwitch", op); err != nil {
			t.Fatalf("commit %d blocked or failed: %v", i, err)
		}
	}
	if time.Since(start) > hostileTimeout {
		t.Fatal("commits were stalled by a non-reading monitor")
	}
	expectClosed(t, conn)
	healthy(t, sock)
}
