package vsctl

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"govs/ovsdb/client"
	"govs/ovsdb/internal/ovstest"
)

const fakeSwitchPoll = 10 * time.Millisecond

// fakeVswitchd plays ovs-vswitchd's part of the next_cfg/cur_cfg
// handshake: whenever next_cfg moves ahead it gives every new interface
// an ofport (or, with fail, ofport -1 and an error) and then copies
// next_cfg to cur_cfg, in one transaction.
func fakeVswitchd(t *testing.T, sock string, fail bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cl, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		cl.Close()
	})
	go func() {
		defer wg.Done()
		tick := time.NewTicker(fakeSwitchPoll)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			res, err := cl.Transact(ctx, dbOpenVSwitch,
				map[string]any{"op": "select", "table": tableOpenVSwitch, "where": []any{}, "columns": []any{"_uuid", colNextCfg, colCurCfg}},
				map[string]any{"op": "select", "table": tableInterface, "where": []any{[]any{colOfport, "==", []any{"set", []any{}}}}, "columns": []any{"_uuid"}})
			if err != nil || len(res) != 2 || len(res[0].Rows) != 1 {
				continue
			}
			row := res[0].Rows[0]
			next, _ := row[colNextCfg].(json.Number).Int64()
			cur, _ := row[colCurCfg].(json.Number).Int64()
			if next <= cur {
				continue
			}
			ops := []any{}
			for _, ifc := range res[1].Rows {
				upd := map[string]any{colOfport: 1}
				if fail {
					upd = map[string]any{colOfport: -1, colError: "could not open network device x (No such device)"}
				}
				ops = append(ops, map[string]any{"op": "update", "table": tableInterface,
					"where": []any{[]any{"_uuid", "==", ifc["_uuid"]}}, "row": upd})
			}
			ops = append(ops, map[string]any{"op": "update", "table": tableOpenVSwitch,
				"where": []any{[]any{"_uuid", "==", row["_uuid"]}}, "row": map[string]any{colCurCfg: next}})
			_, _ = cl.Transact(ctx, dbOpenVSwitch, ops...)
		}
	}()
}

// TestWaitForCurCfg: without --no-wait, govs-vsctl returns once the
// (fake) switch has caught up, and reports interfaces that failed,
// exactly as ovs-vsctl does.
func TestWaitForCurCfg(t *testing.T) {
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-server", "ovsdb-tool")
	tests := []struct {
		name string
		fail bool
	}{
		{name: "ok"},
		{name: "iface error", fail: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			realSock := ovstest.StartReal(t)
			govsSock := ovstest.StartReal(t)
			fakeVswitchd(t, realSock, tc.fail)
			fakeVswitchd(t, govsSock, tc.fail)
			wait := []string{"--timeout=10"}
			for _, st := range []step{
				{args: []string{"init"}},
				{args: []string{"add-br", "br0", "--", "add-port", "br0", "p1"}},
				{args: []string{"set", "port", "p1", "tag=3"}},
				{args: []string{"list-br"}},
				{args: []string{"get", "Open_vSwitch", ".", "next_cfg", "cur_cfg"}},
			} {
				want := normalize(runReal(t, realSock, wait, st.args), st, uuidMapper{})
				got := normalize(runGovs(govsSock, wait, st.args), st, uuidMapper{})
				if got != want {
					t.Errorf("differs\n--- ovs-vsctl:\n%s--- govs-vsctl:\n%s", want, got)
				}
				if strings.Contains(got, "signal") {
					t.Errorf("timed out waiting for cur_cfg: %s", got)
				}
			}
		})
	}
}

// TestWaitTimeoutOnGovsServer checks the --timeout expiry against govs's
// own server: status ExitTimeout, the warning, and a committed change.
func TestWaitTimeoutOnGovsServer(t *testing.T) {
	t.Parallel()
	ours := ovstest.StartGovs(t)
	r := runGovs(ours.Sock, []string{"--timeout=1"}, []string{"add-br", "brt"})
	if r.exit != "signal "+"alarm clock" || !strings.Contains(r.stderr, "|fatal_signal|WARN|terminating with signal 14 (Alarm clock)") {
		t.Fatalf("got %+v", r)
	}
	if got := runGovs(ours.Sock, []string{"--no-wait"}, []string{"list-br"}); got.stdout != "brt\n" {
		t.Fatalf("list-br = %+v", got)
	}
}

// TestDefaultDB: without --db, the socket is $OVS_RUNDIR/db.sock.
func TestDefaultDB(t *testing.T) {
	ours := ovstest.StartGovs(t)
	var out, errb strings.Builder
	code := Run(Config{
		Args:   []string{"--no-wait", "add-br", "brd", "--", "list-br"},
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string {
			if k == envRundir {
				return ours.Dir
			}
			return ""
		},
	})
	if code != 0 || out.String() != "brd\n" {
		t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
	}
}
