package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govs/ovsdb/db"
	"govs/ovsdb/schema"
)

func open(t *testing.T, dir string) (*db.DB, *Log) {
	t.Helper()
	d := db.New(schema.Vswitch())
	l, err := Open(dir, d)
	if err != nil {
		t.Fatal(err)
	}
	return d, l
}

func insertOVS(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ops := []any{map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{"next_cfg": n}}}
	res := d.Transact(context.Background(), nil, ops)
	if b, _ := json.Marshal(res); strings.Contains(string(b), "error") {
		t.Fatal(string(b))
	}
}

func bumpCfg(t *testing.T, d *db.DB) {
	t.Helper()
	ops := []any{map[string]any{"op": "mutate", "table": "Open_vSwitch", "where": []any{}, "mutations": []any{[]any{"next_cfg", "+=", 1}}}}
	res := d.Transact(context.Background(), nil, ops)
	if b, _ := json.Marshal(res); strings.Contains(string(b), "error") {
		t.Fatal(string(b))
	}
}

func nextCfg(t *testing.T, d *db.DB) int64 {
	rows := d.Rows("Open_vSwitch")
	if len(rows) != 1 {
		t.Fatalf("%d Open_vSwitch rows", len(rows))
	}
	return rows[0].Cols["next_cfg"].Keys[0].(int64)
}

func TestReopen(t *testing.T) {
	dir := t.TempDir()
	d, l := open(t, dir)
	insertOVS(t, d, 1)
	for i := 0; i < 10; i++ {
		bumpCfg(t, d)
	}
	l.Close()
	d2, l2 := open(t, dir)
	defer l2.Close()
	if got := nextCfg(t, d2); got != 11 {
		t.Fatalf("next_cfg = %d, want 11", got)
	}
}

func TestTornTail(t *testing.T) {
	tests := []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"truncated payload", func(b []byte) []byte { return b[:len(b)-3] }},
		{"truncated header", func(b []byte) []byte { return append(b, 0, 0, 1) }},
		{"corrupt crc", func(b []byte) []byte { b[len(b)-1] ^= 0xff; return b }},
		{"huge length", func(b []byte) []byte { return append(b, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d, l := open(t, dir)
			insertOVS(t, d, 1)
			bumpCfg(t, d)
			l.Close()
			path := filepath.Join(dir, FileName)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.damage(b), 0o600); err != nil {
				t.Fatal(err)
			}
			d2, l2 := open(t, dir)
			got := nextCfg(t, d2)
			if got != 1 && got != 2 {
				t.Fatalf("next_cfg = %d", got)
			}
			// The log keeps working after the repair.
			bumpCfg(t, d2)
			l2.Close()
			d3, l3 := open(t, dir)
			defer l3.Close()
			if nextCfg(t, d3) != got+1 {
				t.Fatalf("after repair: %d", nextCfg(t, d3))
			}
		})
	}
}

func TestCompaction(t *testing.T) {
	dir := t.TempDir()
	d, l := open(t, dir)
	insertOVS(t, d, 0)
	for i := 0; i < 50; i++ {
		bumpCfg(t, d)
	}
	path := filepath.Join(dir, FileName)
	before, _ := os.Stat(path)
	if err := l.Compact(); err != nil {
		t.Fatal(err)
	}
	bumpCfg(t, d)
	after, _ := os.Stat(path)
	if after.Size() >= before.Size() {
		t.Fatalf("compaction did not shrink: %d -> %d", before.Size(), after.Size())
	}
	l.Close()
	d2, l2 := open(t, dir)
	defer l2.Close()
	if got := nextCfg(t, d2); got != 51 {
		t.Fatalf("next_cfg = %d", got)
	}
	if _, err := os.Stat(path + tmpSuffix); !os.IsNotExist(err) {
		t.Fatal("temp file left behind")
	}
}

func TestRejectsForeignFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("OVSDB JSON 1 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, db.New(schema.Vswitch()))
	if err == nil || !strings.Contains(err.Error(), "not a govs database") {
		t.Fatalf("err = %v", err)
	}
}

func BenchmarkCommit(b *testing.B) {
	dir := b.TempDir()
	d := db.New(schema.Vswitch())
	l, err := Open(dir, d)
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	d.Transact(context.Background(), nil, []any{map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{}}})
	ops := []any{map[string]any{"op": "mutate", "table": "Open_vSwitch", "where": []any{}, "mutations": []any{[]any{"next_cfg", "+=", 1}}}}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res := d.Transact(context.Background(), nil, ops)
			if len(res) != 1 {
				panic(fmt.Sprint(res))
			}
		}
	})
}
