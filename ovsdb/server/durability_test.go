package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"govs/ovsdb/client"
	"govs/ovsdb/db"
	"govs/ovsdb/internal/ovstest"
	"govs/ovsdb/schema"
	"govs/ovsdb/server"
	"govs/ovsdb/storage"
)

const childDirEnv = "GOVS_OVSDB_DURABILITY_CHILD"

// TestDurabilityChild is the server process of TestDurabilityKill9; it
// only runs when re-executed with childDirEnv set.
func TestDurabilityChild(t *testing.T) {
	dir := os.Getenv(childDirEnv)
	if dir == "" {
		t.Skip("helper process for TestDurabilityKill9")
	}
	d := db.New(schema.Vswitch())
	if _, err := storage.Open(dir, d); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv := server.New(d)
	ln, err := server.Listen("punix:" + filepath.Join(dir, "db.sock"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = srv.Serve(ln) // until killed
}

func startChild(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	os.Remove(filepath.Join(dir, "db.sock"))
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ovstest.WaitSocket(t, filepath.Join(dir, "db.sock"))
	return cmd
}

func TestDurabilityKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	cmd := startChild(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sock := "unix:" + filepath.Join(dir, "db.sock")
	c0, err := client.Dial(ctx, sock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c0.Transact(ctx, "Open_vSwitch", map[string]any{"op": "insert", "table": "Open_vSwitch", "row": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	c0.Close()

	const writers = 3
	var mu sync.Mutex
	acked := map[string]bool{}
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c, err := client.Dial(ctx, sock)
			if err != nil {
				return
			}
			defer c.Close()
			for i := 0; ; i++ {
				key := fmt.Sprintf("w%d-%d", w, i)
				op := map[string]any{"op": "mutate", "table": "Open_vSwitch", "where": []any{},
					"mutations": []any{[]any{"external_ids", "insert", []any{"map", []any{[]any{key, "v"}}}}}}
				if _, err := c.Transact(ctx, "Open_vSwitch", op); err != nil {
					return // the server died
				}
				mu.Lock()
				acked[key] = true
				mu.Unlock()
			}
		}(w)
	}
	// Let transactions stream, then kill -9 mid-stream.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no transaction was acknowledged")
	}

	check := func(stage string) {
		t.Helper()
		d := db.New(schema.Vswitch())
		l, err := storage.Open(dir, d)
		if err != nil {
			t.Fatalf("%s: reopen: %v", stage, err)
		}
		defer l.Close()
		rows := d.Rows("Open_vSwitch")
		if len(rows) != 1 {
			t.Fatalf("%s: %d Open_vSwitch rows", stage, len(rows))
		}
		ids := rows[0].Cols["external_ids"]
		for k := range acked {
			if _, ok := ids.Lookup(k); !ok {
				t.Fatalf("%s: acknowledged transaction %s lost", stage, k)
			}
		}
		t.Logf("%s: %d acknowledged, %d present", stage, len(acked), ids.Len())
	}
	check("after kill -9")

	// A torn tail (partial record) is tolerated.
	f, err := os.OpenFile(filepath.Join(dir, storage.FileName), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{0, 0, 0, 200, 1, 2, 3, 4, '{', '"'})
	f.Close()
	check("after torn tail")

	// And the restarted server serves the data.
	startChild(t, dir)
	c, err := client.Dial(ctx, sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Transact(ctx, "Open_vSwitch", map[string]any{"op": "select", "table": "Open_vSwitch", "where": []any{}, "columns": []any{"external_ids"}})
	if err != nil || len(res) != 1 || len(res[0].Rows) != 1 {
		t.Fatalf("select after restart: %v %v", res, err)
	}
}
