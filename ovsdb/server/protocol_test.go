package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"govs/ovsdb/client"
	"govs/ovsdb/db"
	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
	"govs/ovsdb/server"
)

func TestProtocolMethods(t *testing.T) {
	_, sock := startMem(t, jsonrpc.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	c, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tests := []struct {
		name    string
		method  string
		params  []any
		want    string // substring of the result
		wantErr string // substring of the error
	}{
		{"list_dbs", "list_dbs", nil, `["Open_vSwitch","_Server"]`, ""},
		{"get_schema _Server", "get_schema", []any{"_Server"}, `"name":"_Server"`, ""},
		{"get_schema unknown", "get_schema", []any{"Nope"}, "", "unknown database"},
		{"echo", "echo", []any{"a", 1}, `["a",1]`, ""},
		{"set_db_change_aware", "set_db_change_aware", []any{true}, `{}`, ""},
		{"unknown method", "frob", nil, "", "unknown method"},
		{"_Server Database", "monitor_cond", []any{"_Server", "s", map[string]any{"Database": []any{map[string]any{"columns": []any{"name", "model", "connected", "leader"}}}}},
			`"model":"standalone"`, ""},
		{"_Server is read-only", "transact", []any{"_Server", map[string]any{"op": "delete", "table": "Database", "where": []any{}}}, "", "read-only"},
		{"_Server select", "transact", []any{"_Server", map[string]any{"op": "select", "table": "Database", "where": []any{[]any{"name", "==", "Open_vSwitch"}}, "columns": []any{"leader"}}}, `[{"rows":[{"leader":true}]}]`, ""},
		{"monitor_cancel unknown", "monitor_cancel", []any{"nope"}, "", "unknown monitor"},
		{"duplicate monitor", "monitor_cond", []any{"_Server", "s", map[string]any{"Database": map[string]any{}}}, "", "duplicate monitor ID"},
		{"monitor v1", "monitor", []any{"Open_vSwitch", "v1", map[string]any{"Open_vSwitch": map[string]any{}}}, `{}`, ""},
		{"lock bad name", "lock", []any{1}, "", "syntax error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Call(ctx, tc.method, tc.params)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var v any
			json.Unmarshal(res, &v)
			b, _ := jsonrpc.Marshal(v)
			if !strings.Contains(string(b), tc.want) {
				t.Fatalf("result %s, want %s", b, tc.want)
			}
		})
	}
}

func TestTCPRemote(t *testing.T) {
	srv := server.New(db.New(schema.Vswitch()))
	ln, err := server.Listen("ptcp:0:127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	c, err := client.Dial(ctx, "tcp:"+ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Echo(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Listen("pssl:6640"); err == nil {
		t.Fatal("pssl accepted")
	}
}
