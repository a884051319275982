package ofserver

import (
	"path/filepath"
	"slices"
	"testing"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
	"govs/ofproto/tables"
)

func TestRequests(t *testing.T) {
	sw := newMemSwitch()
	_, dir := startServer(t, sw)
	sock := filepath.Join(dir, "br0.mgmt")
	addFlow := &ofp.FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: 7,
		OutPort: flowtable.PortNone, NewCookie: 5,
		Actions: []ofpact.Action{&ofpact.Output{Port: 2}}}, BufferID: ofp.NoBuffer}
	addFlow.Match.SetInPort(1)
	tests := []struct {
		name    string
		version uint8
		req     ofp.Message
		check   func(t *testing.T, m ofp.Message)
	}{
		{"echo", ofp.Version10, &ofp.EchoRequest{Data: []byte("hi")}, func(t *testing.T, m ofp.Message) {
			if r, ok := m.(*ofp.EchoReply); !ok || string(r.Data) != "hi" {
				t.Fatalf("got %#v", m)
			}
		}},
		{"features10", ofp.Version10, &ofp.FeaturesRequest{}, func(t *testing.T, m ofp.Message) {
			r := m.(*ofp.FeaturesReply)
			if r.DatapathID != testDPID || r.NTables != NTables || len(r.Ports) != 3 || r.Capabilities != capabilities10 {
				t.Fatalf("got %+v", r)
			}
		}},
		{"features13", ofp.Version13, &ofp.FeaturesRequest{}, func(t *testing.T, m ofp.Message) {
			if r := m.(*ofp.FeaturesReply); len(r.Ports) != 0 || r.Capabilities != capabilities13 {
				t.Fatalf("got %+v", r)
			}
		}},
		{"get-config", ofp.Version10, &ofp.GetConfigRequest{}, func(t *testing.T, m ofp.Message) {
			if r := m.(*ofp.GetConfigReply); r.MissSendLen != 0 || r.Flags != 0 {
				t.Fatalf("got %+v", r)
			}
		}},
		{"bad-type", ofp.Version10, &ofp.GetConfigReply{}, func(t *testing.T, m ofp.Message) {
			if e := m.(*ofp.ErrorMsg); e.ErrCode() != ofp.OFPBRC_BAD_TYPE {
				t.Fatalf("got %v", e.ErrCode())
			}
		}},
		{"table-id-without-ext", ofp.Version10, func() ofp.Message {
			fm := *addFlow
			fm.Table, fm.TableIDExt = 3, true
			return &fm
		}(), func(t *testing.T, m ofp.Message) {
			if e := m.(*ofp.ErrorMsg); e.ErrCode() != ofp.OFPFMFC_BAD_COMMAND {
				t.Fatalf("got %v", e.ErrCode())
			}
		}},
		{"packet-out-buffer", ofp.Version10, &ofp.PacketOut{BufferID: 7, InPort: flowtable.PortNone}, func(t *testing.T, m ofp.Message) {
			if e := m.(*ofp.ErrorMsg); e.ErrCode() != ofp.OFPBRC_BUFFER_UNKNOWN {
				t.Fatalf("got %v", e.ErrCode())
			}
		}},
		{"port-mod-bad-port", ofp.Version13, &ofp.PortMod{PortNo: 9}, func(t *testing.T, m ofp.Message) {
			if e := m.(*ofp.ErrorMsg); e.ErrCode() != ofp.OFPPMFC_BAD_PORT {
				t.Fatalf("got %v", e.ErrCode())
			}
		}},
		{"port-mod-bad-hwaddr", ofp.Version10, &ofp.PortMod{PortNo: 1}, func(t *testing.T, m ofp.Message) {
			if e := m.(*ofp.ErrorMsg); e.ErrCode() != ofp.OFPPMFC_BAD_HW_ADDR {
				t.Fatalf("got %v", e.ErrCode())
			}
		}},
		{"desc", ofp.Version13, &ofp.DescRequest{}, func(t *testing.T, m ofp.Message) {
			if r := m.(*ofp.DescReply); r.MfrDesc != defaultManufacturer || r.SWDesc != defaultSoftware {
				t.Fatalf("got %+v", r)
			}
		}},
		{"set-flow-format-13", ofp.Version13, &ofp.SetFlowFormat{Format: ofp.FormatNXM}, func(t *testing.T, m ofp.Message) {
			if e := m.(*ofp.ErrorMsg); e.ErrCode() != ofp.OFPBRC_EPERM {
				t.Fatalf("got %v", e.ErrCode())
			}
		}},
		{"table-features", ofp.Version13, &ofp.TableFeaturesRequest{}, func(t *testing.T, m ofp.Message) {
			// The first message of the multipart reply.
			if r := m.(*ofp.TableFeaturesReply); len(r.Tables) == 0 {
				t.Fatalf("empty table features")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, sock, tc.version)
			c.send(tc.req, tc.version, 0x42)
			m := c.recv()
			if m.Hdr().Xid != 0x42 || m.Hdr().Version != tc.version {
				t.Fatalf("reply header %+v", *m.Hdr())
			}
			tc.check(t, m)
		})
	}
}

// TestBarrierAfterFlowMod checks that BARRIER_REPLY is sent only after
// the flow mod was applied and the datapath revalidated.
func TestBarrierAfterFlowMod(t *testing.T) {
	sw := newMemSwitch()
	_, dir := startServer(t, sw)
	c := dial(t, filepath.Join(dir, "br0.mgmt"), ofp.Version13)
	fm := &ofp.FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: 9,
		OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny,
		Actions: []ofpact.Action{&ofpact.Output{Port: 1}}}, BufferID: ofp.NoBuffer}
	fm.Match.SetInPort(2)
	c.send(fm, ofp.Version13, 10)
	c.send(&ofp.BarrierRequest{}, ofp.Version13, 11)
	m := c.recv()
	if _, ok := m.(*ofp.BarrierReply); !ok || m.Hdr().Xid != 11 {
		t.Fatalf("got %T xid %d, want BARRIER_REPLY 11", m, m.Hdr().Xid)
	}
	want := []string{"flowmod", "revalidate", "barrier"}
	if got := sw.events(); !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// A second barrier with nothing new does not revalidate again.
	c.send(&ofp.BarrierRequest{}, ofp.Version13, 12)
	c.recv()
	if got := sw.events(); !slices.Equal(got, append(want, "barrier")) {
		t.Fatalf("order %v", got)
	}
}

func TestHelloNegotiation(t *testing.T) {
	_, dir := startServer(t, newMemSwitch())
	sock := filepath.Join(dir, "br0.mgmt")
	tests := []struct {
		name     string
		hello    ofp.Hello
		wantFail bool
	}{
		{"of10", ofp.Hello{Header: ofp.Header{Version: ofp.Version10}}, false},
		{"of13-bitmap", ofp.Hello{Header: ofp.Header{Version: ofp.Version13}, Versions: 1 << ofp.Version13}, false},
		{"of15-range", ofp.Hello{Header: ofp.Header{Version: ofp.Version15}}, false},
		{"of12-only", ofp.Hello{Header: ofp.Header{Version: ofp.Version12}, Versions: 1 << ofp.Version12}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, sock, 0)
			h := tc.hello
			b, _ := h.AppendBinary(nil)
			c.write(b)
			if m := c.recv(); m.Hdr().Type != ofp.TypeHello {
				t.Fatalf("got %T", m)
			}
			if !tc.wantFail {
				v, _ := ofp.Negotiate(DefaultVersions, &h)
				c.send(&ofp.EchoRequest{}, v, 3)
				if m := c.recv(); m.Hdr().Type != ofp.TypeEchoReply || m.Hdr().Version != v {
					t.Fatalf("got %T version %d", m, m.Hdr().Version)
				}
				return
			}
			b, err := c.recvRaw()
			{
				if err != nil {
					t.Fatal(err)
				}
				m, _ := ofp.Decode(b)
				if e, ok := m.(*ofp.ErrorMsg); !ok || e.ErrCode() != ofp.OFPHFC_INCOMPATIBLE {
					t.Fatalf("got %#v", m)
				}
				if _, err := c.recvRaw(); err == nil {
					t.Fatal("connection not closed after HELLO_FAILED")
				}
			}
		})
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "punix:/tmp/x.mgmt", want: "punix:/tmp/x.mgmt"},
		{in: "unix:/tmp/x", want: "unix:/tmp/x"},
		{in: "ptcp:", want: "ptcp:6653"},
		{in: "ptcp:6634:127.0.0.1", want: "ptcp:6634:127.0.0.1"},
		{in: "ptcp:0:[::1]", want: "ptcp:0:[::1]"},
		{in: "tcp:10.0.0.1", want: "tcp:10.0.0.1:6653"},
		{in: "tcp:[::1]:7", want: "tcp:[::1]:7"},
		{in: "ssl:1.2.3.4", bad: true},
		{in: "tcp:host:1", bad: true},
		{in: "ptcp:99999", bad: true},
		{in: "nocolon", bad: true},
		{in: "punix:", bad: true},
	}
	for _, tc := range tests {
		got, err := ParseTarget(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: no error", tc.in)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("%q: got %q, %v; want %q", tc.in, got.String(), err, tc.want)
		}
	}
}

// TestFlowModRun sends many FLOW_MODs in one write (as ovs-ofctl
// add-flows does): they are applied in runs, yet each keeps its own
// error, in order, and a DELETE and re-ADD in the middle of a run see
// the ADDs before them.
func TestFlowModRun(t *testing.T) {
	sw := newMemSwitch()
	_, dir := startServer(t, sw)
	c := dial(t, filepath.Join(dir, "br0.mgmt"), ofp.Version13)
	const n = 200
	flowMod := func(cmd flowsyntax.Command, port flowtable.PortNo, out flowtable.PortNo) *ofp.FlowMod {
		fm := &ofp.FlowMod{FlowMod: flowsyntax.FlowMod{Command: cmd, Priority: 9,
			OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny, CookieMask: 0,
			Actions: []ofpact.Action{&ofpact.Output{Port: out}}}, BufferID: ofp.NoBuffer}
		fm.Match.SetInPort(port)
		return fm
	}
	var buf []byte
	for i := range n {
		fm := flowMod(flowsyntax.CmdAdd, flowtable.PortNo(i+1), 1)
		switch i {
		case 100, 170:
			fm.Table = tables.TableInternal // refused: OFPBRC_EPERM
		case 150:
			fm = flowMod(flowsyntax.CmdDeleteStrict, 5, 1)
		case 151:
			fm = flowMod(flowsyntax.CmdAdd, 5, 3)
		}
		b, err := ofp.Encode(fm, ofp.Version13, uint32(1000+i))
		if err != nil {
			t.Fatal(err)
		}
		buf = append(buf, b...)
	}
	b, _ := ofp.Encode(&ofp.BarrierRequest{}, ofp.Version13, 7)
	c.write(append(buf, b...))
	for _, want := range []uint32{1100, 1170, 7} {
		m := c.recv()
		if m.Hdr().Xid != want {
			t.Fatalf("got %T xid %d, want xid %d", m, m.Hdr().Xid, want)
		}
		if em, ok := m.(*ofp.ErrorMsg); ok && em.ErrCode() != ofp.OFPBRC_EPERM {
			t.Fatalf("xid %d: error %v, want OFPBRC_EPERM", want, em.ErrCode())
		}
	}
	// in_port=1..200 but the 2 refused and the 2 the DELETE and re-ADD
	// of in_port=5 took the place of, plus the default NORMAL flow.
	if got := sw.TablesSwitch.cfg.Tables.Len(); got != n-4+1 {
		t.Fatalf("%d rules, want %d", got, n-4+1)
	}
	all := tables.SelectAll()
	for _, r := range sw.TablesSwitch.cfg.Tables.Select(&all) {
		if r.Match.InPortMask != 0 && r.Match.InPort == 5 {
			if out := r.Actions[0].(*ofpact.Output).Port; out != 3 {
				t.Fatalf("in_port=5 outputs to %d, want 3 (re-ADD after DELETE)", out)
			}
		}
	}
	if !slices.Contains(sw.events(), "run") {
		t.Fatalf("no flow mod run in %v", sw.events())
	}
}
