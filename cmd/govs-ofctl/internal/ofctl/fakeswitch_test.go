package ofctl

import (
	"bytes"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// fakeSwitch is a minimal OpenFlow 1.0 switch without Nicira extensions:
// it refuses NXT_* with OFPBRC_BAD_VENDOR and every flow mod with
// OFPFMFC_TABLE_FULL, so the fallback and error paths run without OVS.
type fakeSwitch struct {
	ln net.Listener
	wg sync.WaitGroup
}

const fakeIOTimeout = 5 * time.Second

func startFakeSwitch(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sw.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	fs := &fakeSwitch{ln: ln}
	fs.wg.Add(1)
	go func() {
		defer fs.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fs.wg.Add(1)
			go fs.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close(); fs.wg.Wait() })
	return path
}

func (fs *fakeSwitch) serve(c net.Conn) {
	defer fs.wg.Done()
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(fakeIOTimeout))
	send := func(m ofp.Message, xid uint32) bool {
		b, err := ofp.Encode(m, ofp.Version10, xid)
		if err != nil {
			return false
		}
		_, err = c.Write(b)
		return err == nil
	}
	if !send(&ofp.Hello{}, 0) {
		return
	}
	for {
		raw, err := ofp.ReadMessage(c)
		if err != nil {
			return
		}
		m, err := ofp.Decode(raw)
		xid := m.Hdr().Xid
		if err != nil {
			continue
		}
		var reply ofp.Message
		switch req := m.(type) {
		case *ofp.SetFlowFormat, *ofp.FlowModTableID:
			reply = ofp.NewErrorMsg(ofp.OFPBRC_BAD_VENDOR, ofp.Version10, xid, raw)
		case *ofp.FlowMod:
			reply = ofp.NewErrorMsg(ofp.OFPFMFC_TABLE_FULL, ofp.Version10, xid, raw)
		case *ofp.BarrierRequest:
			reply = &ofp.BarrierReply{}
		case *ofp.TableStatsRequest:
			reply = &ofp.TableStatsReply{}
		case *ofp.FeaturesRequest:
			reply = &ofp.FeaturesReply{DatapathID: 1, NTables: 1,
				Ports: []ofp.PhyPort{{PortNo: 1, Name: "p1"}, {PortNo: 2, Name: "p2"}}}
		case *ofp.FlowStatsRequest:
			if req.Aggregate {
				reply = &ofp.AggregateStatsReply{FlowCount: 1}
				break
			}
			fl := flowsyntax.FlowStats{DurationSec: 1, Priority: 7, IdleAge: -1, HardAge: -1,
				Actions: []ofpact.Action{&ofpact.Output{Port: 2}}}
			fl.Match.SetInPort(1)
			reply = &ofp.FlowStatsReply{Flows: []flowsyntax.FlowStats{fl}}
		default:
			continue
		}
		if !send(reply, xid) {
			return
		}
	}
}

func runFake(path string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := Run(args, Env{Stdout: &out, Stderr: &errb, Rundir: filepath.Dir(path)})
	return out.String(), errb.String(), code
}

// TestFlowDumpFallback: a switch that refuses NXT_SET_FLOW_FORMAT gets an
// OpenFlow 1.0 OFPST_FLOW request; the reply header says so and has no
// idle_age.
func TestFlowDumpFallback(t *testing.T) {
	path := startFakeSwitch(t)
	out, errs, code := runFake(path, "dump-flows", path)
	want := "OFPST_FLOW reply (xid=0x4):\n cookie=0x0, duration=1s, table=0, n_packets=0, n_bytes=0, priority=7,in_port=1 actions=output:2\n"
	if code != 0 || out != want || errs != "" {
		t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant %q", code, out, errs, want)
	}
	out, _, code = runFake(path, "dump-aggregate", path)
	if code != 0 || out != "OFPST_AGGREGATE reply (xid=0x4): packet_count=0 byte_count=0 flow_count=1\n" {
		t.Fatalf("aggregate: exit %d %q", code, out)
	}
}

// TestFlowModErrors covers a protocol the switch cannot be upgraded to and
// an OFPT_ERROR reply to a flow mod (printed to stderr, exit 1).
func TestFlowModErrors(t *testing.T) {
	path := startFakeSwitch(t)
	tests := []struct {
		flow    string
		wantErr string
	}{
		{"reg0=1,actions=drop", "govs-ofctl: switch does not support any of the usable flow formats (NXM,OXM)\n"},
		{"in_port=p1,actions=drop", "OFPT_ERROR (xid=0x6): OFPFMFC_TABLE_FULL\nOFPT_FLOW_MOD (xid=0x6): ADD in_port=1 actions=drop\n"},
	}
	for _, tt := range tests {
		_, errs, code := runFake(path, "add-flow", path, tt.flow)
		if code != 1 || errs != tt.wantErr {
			t.Errorf("%s: exit %d stderr %q, want %q", tt.flow, code, errs, tt.wantErr)
		}
	}
	_, errs, code := runFake(path, "-O", "OpenFlow13", "show", path)
	if code != 1 || !strings.Contains(errs, "failed to connect to socket (Protocol error)") {
		t.Errorf("version mismatch: exit %d %q", code, errs)
	}
}

// TestTimeout: -t bounds a switch that accepts but never answers; the
// exit status is SIGALRM's (142) as for ovs-ofctl.
func TestTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mute.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var conns []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	start := time.Now()
	_, _, code := runFake(path, "-t", "1", "show", path)
	if code != exitTimeoutRun {
		t.Fatalf("exit %d, want %d", code, exitTimeoutRun)
	}
	if d := time.Since(start); d > fakeIOTimeout {
		t.Fatalf("took %v", d)
	}
}
