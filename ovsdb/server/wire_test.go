package server_test

import (
	"encoding/json"
	"fmt"
	"net"
	"sort"
	"strings"
	"testing"
	"time"

	"govs/ovsdb/internal/ovstest"
	"govs/ovsdb/jsonrpc"
)

// wireTranscript sends requests one at a time on a raw connection and
// records every message received (replies and notifications), with UUIDs
// normalised and keys sorted.
func wireTranscript(t *testing.T, sock string, reqs []string) string {
	t.Helper()
	nc, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonrpc.NewConn(nc, jsonrpc.Options{})
	defer c.Close()
	msgs := make(chan *jsonrpc.Message, 64)
	go func() {
		for {
			m, err := c.Receive()
			if err != nil {
				close(msgs)
				return
			}
			msgs <- m
		}
	}()
	var out, notes []string
	flush := func() {
		// Notifications between two replies go to monitors in an order
		// that is hash order in ovsdb-server; compare them as a set.
		sort.Strings(notes)
		out = append(out, notes...)
		notes = nil
	}
	canon := func(r json.RawMessage) string {
		var v any
		if json.Unmarshal(r, &v) != nil {
			return string(r)
		}
		b, _ := jsonrpc.Marshal(v)
		return ovstest.NormalizeUUIDs(string(b))
	}
	for i, r := range reqs {
		var m jsonrpc.Message
		if err := json.Unmarshal([]byte(r), &m); err != nil {
			t.Fatalf("bad request %s: %v", r, err)
		}
		m.ID = json.RawMessage(fmt.Sprint(i + 1))
		if err := c.Send(&m); err != nil {
			t.Fatal(err)
		}
		// Collect until the reply, then drain notifications briefly.
		timeout := time.After(ovstest.CmdTimeout)
		gotReply := false
		for !gotReply {
			select {
			case msg := <-msgs:
				if msg == nil {
					t.Fatal("connection closed")
				}
				if msg.IsResponse() {
					gotReply = true
					flush()
					out = append(out, fmt.Sprintf("reply %s: result=%s error=%s", msg.ID, canon(msg.Result), canon(msg.Error)))
				} else {
					notes = append(notes, fmt.Sprintf("notify %s %s", msg.Method, canon(msg.Params)))
				}
			case <-timeout:
				t.Fatalf("no reply to %s", r)
			}
		}
		const settle = 40 * time.Millisecond
		drain := time.After(settle)
	loop:
		for {
			select {
			case msg := <-msgs:
				if msg == nil {
					break loop
				}
				notes = append(notes, fmt.Sprintf("notify %s %s", msg.Method, canon(msg.Params)))
			case <-drain:
				break loop
			}
		}
	}
	flush()
	return strings.Join(out, "\n")
}

func TestWireMatchesRealServer(t *testing.T) {
	ovstest.NeedTools(t, "ovsdb-server", "ovsdb-tool")
	real := ovstest.StartReal(t)
	ours := ovstest.StartGovs(t)
	reqs := []string{
		`{"method":"transact","params":["Open_vSwitch",{"op":"insert","table":"Open_vSwitch","row":{}}]}`,
		`{"method":"monitor","params":["Open_vSwitch","v1",{"Bridge":{"columns":["name","fail_mode","ports"]}}]}`,
		`{"method":"monitor_cond","params":["Open_vSwitch","v2",{"Bridge":[{"columns":["name","fail_mode","ports","other_config"],"where":[["name","!=","skip"]]}]}]}`,
		`{"method":"monitor_cond_since","params":["Open_vSwitch",["monid","Open_vSwitch"],{"Bridge":[{"columns":["name","ports","datapath_type"]}],"Open_vSwitch":[{"columns":["bridges","cur_cfg","next_cfg"]}]},"00000000-0000-0000-0000-000000000000"]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"br0","other_config":["map",[["a","1"]]]}},{"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["bridges","insert",["named-uuid","b"]],["next_cfg","+=",1]]}]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"update","table":"Bridge","where":[["name","==","br0"]],"row":{"fail_mode":"secure","other_config":["map",[["a","2"],["b","3"]]]}}]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"insert","table":"Bridge","uuid-name":"s","row":{"name":"skip"}},{"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["bridges","insert",["named-uuid","s"]]]}]}`,
		`{"method":"monitor_cancel","params":["v1"]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"update","table":"Open_vSwitch","where":[],"row":{"bridges":["set",[]]}}]}`,
		`{"method":"monitor_cancel","params":["nope"]}`,
		`{"method":"echo","params":[]}`,
		`{"method":"list_dbs","params":[]}`,
		`{"method":"set_db_change_aware","params":[true]}`,
		`{"method":"lock","params":["x"]}`,
		`{"method":"lock","params":["x"]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"assert","lock":"x"},{"op":"comment","comment":"held"}]}`,
		`{"method":"steal","params":["x"]}`,
		`{"method":"unlock","params":["x"]}`,
		`{"method":"unlock","params":["y"]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"assert","lock":"x"}]}`,
		`{"method":"monitor_cond_change","params":["v2","v2",{"Bridge":[{"where":[["name","==","br0"]]}]}]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"insert","table":"Bridge","uuid-name":"b","row":{"name":"br9"}},{"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["bridges","insert",["named-uuid","b"]]]}]}`,
		`{"method":"monitor_cond_change","params":["nope","nope",{}]}`,
		`{"method":"transact","params":["Open_vSwitch",{"op":"wait","table":"Bridge","timeout":0,"where":[["name","==","br9"]],"columns":["name"],"until":"!=","rows":[{"name":"br9"}]}]}`,
		`{"method":"transact","params":["_Server",{"op":"select","table":"Database","where":[["name","==","Open_vSwitch"]],"columns":["name","model","connected","leader","cid","index"]}]}`,
		`{"method":"frob","params":[]}`,
		`{"method":"transact","params":[]}`,
		`{"method":"monitor_cond","params":["Open_vSwitch","bad",{"Nope":{}}]}`,
		`{"method":"monitor_cond","params":["Open_vSwitch","bad2",{"Bridge":{"columns":["nope"]}}]}`,
	}
	want := wireTranscript(t, real, reqs)
	got := wireTranscript(t, ours.Sock, reqs)
	if got != want {
		wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) || i < len(gl); i++ {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Errorf("line %d\nreal: %s\ngovs: %s", i, w, g)
			}
		}
	}
}
