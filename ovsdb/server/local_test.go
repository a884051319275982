package server_test

import (
	"context"
	"testing"

	"govs/ovsdb/client"
	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
)

func TestLocalLock(t *testing.T) {
	srv, sock := startMem(t, jsonrpc.Options{})
	sess, locked, release := srv.LocalLock("ovs_vswitchd")
	if !locked {
		t.Fatal("lock not granted")
	}
	d := srv.DB(schema.VswitchDB)
	assert := []any{map[string]any{"op": "assert", "lock": "ovs_vswitchd"}}
	if res := d.Transact(context.Background(), sess, assert); len(res) != 1 || res[0] == nil {
		t.Fatalf("assert: %v", res)
	} else if _, isErr := res[0].(*schema.Error); isErr {
		t.Fatalf("assert failed: %v", res[0])
	}
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	c, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := make(chan bool, 1)
	c.OnLock(func(_ string, l bool) { got <- l })
	if ok, err := c.Lock(ctx, "ovs_vswitchd"); err != nil || ok {
		t.Fatalf("remote lock while held locally: %v %v", ok, err)
	}
	release()
	select {
	case l := <-got:
		if !l {
			t.Fatal("got stolen, want locked")
		}
	case <-ctx.Done():
		t.Fatal("no locked notification after release")
	}
}
