package ofp

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
)

// fakeSwitch is a minimal OpenFlow switch on a unix socket, built with this
// codec, that answers just enough for ovs-ofctl to send its requests. It
// records every message it receives.
type fakeSwitch struct {
	t    *testing.T
	path string
	ln   net.Listener
	mu   sync.Mutex
	msgs [][]byte // guarded by mu
	// flows is what flow-stats requests are answered with (setFlows).
	flows []flowsyntax.FlowStats // guarded by mu
	wg    sync.WaitGroup
}

// toolTimeout bounds one ovs-ofctl run.
const toolTimeout = 10 * time.Second

func ofctlPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ovs-ofctl")
	if err != nil {
		t.Skip("ovs-ofctl not installed")
	}
	return p
}

func newFakeSwitch(t *testing.T) *fakeSwitch {
	t.Helper()
	dir := t.TempDir()
	s := &fakeSwitch{t: t, path: filepath.Join(dir, "br.mgmt")}
	ln, err := net.Listen("unix", s.path)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	s.ln = ln
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *fakeSwitch) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(toolTimeout))
			s.conn(c)
		}()
	}
}

func testPorts() []PhyPort {
	return []PhyPort{
		{PortNo: 1, HWAddr: [6]byte{0xaa, 0, 0, 0, 0, 1}, Name: "p1", Curr: 0x82, CurrSpeed: 10000000, MaxSpeed: 10000000},
		{PortNo: 2, HWAddr: [6]byte{0xaa, 0, 0, 0, 0, 2}, Name: "p2", Config: PortConfigNoFlood},
		{PortNo: flowtable.PortLocal, HWAddr: [6]byte{0xaa, 0, 0, 0, 0, 0xfe}, Name: "br", State: PortStateLinkDown},
	}
}

func (s *fakeSwitch) send(c net.Conn, m Message, v uint8, xid uint32) {
	if mp, ok := m.(MultipartReply); ok {
		msgs, err := EncodeMultipart(mp, v, xid)
		if err != nil {
			s.t.Errorf("encode %T: %v", m, err)
			return
		}
		for _, b := range msgs {
			_, _ = c.Write(b)
		}
		return
	}
	b, err := Encode(m, v, xid)
	if err != nil {
		s.t.Errorf("encode %T: %v", m, err)
		return
	}
	_, _ = c.Write(b)
}

func (s *fakeSwitch) conn(c net.Conn) {
	const allVersions = 1<<Version10 | 1<<Version13
	hello, err := ReadMessage(c)
	if err != nil {
		return
	}
	m, err := Decode(hello)
	h, ok := m.(*Hello)
	if err != nil || !ok {
		s.t.Errorf("first message is not a HELLO: %v", err)
		return
	}
	v, ok := Negotiate(allVersions, h)
	if !ok {
		return
	}
	s.send(c, &Hello{Versions: allVersions}, Version13, 1)
	for {
		b, err := ReadMessage(c)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.msgs = append(s.msgs, b)
		s.mu.Unlock()
		m, err := Decode(b)
		if err != nil {
			var h Header
			_ = h.UnmarshalBinary(b)
			s.send(c, AsError(err).Reply(b), v, h.Xid)
			continue
		}
		xid := m.Hdr().Xid
		switch m := m.(type) {
		case *FeaturesRequest:
			r := &FeaturesReply{DatapathID: 0x1234, NBuffers: 0, NTables: 254, Capabilities: 0xc7, Actions: 0xfff}
			if v == Version10 {
				r.Ports = testPorts()
			}
			s.send(c, r, v, xid)
		case *GetConfigRequest:
			s.send(c, &GetConfigReply{SwitchConfig: SwitchConfig{MissSendLen: 128}}, v, xid)
		case *BarrierRequest:
			s.send(c, &BarrierReply{}, v, xid)
		case *EchoRequest:
			s.send(c, &EchoReply{Data: m.Data}, v, xid)
		case *TableStatsRequest:
			s.send(c, &TableStatsReply{}, v, xid)
		case *TableFeaturesRequest:
			s.send(c, &TableFeaturesReply{Tables: []TableFeatures{{TableID: 0, Name: "t0", MaxEntries: 1000000, Properties: EmptyTableFeatureProperties()}}}, v, xid)
		case *PortDescRequest:
			s.send(c, &PortDescReply{Ports: testPorts()}, v, xid)
		case *PortStatsRequest:
			s.send(c, &PortStatsReply{Ports: []PortStats{{PortNo: 1, RxPackets: 10, TxPackets: 20, RxBytes: 1000, TxBytes: 2000}}}, v, xid)
		case *FlowStatsRequest:
			if m.Aggregate {
				s.send(c, &AggregateStatsReply{NX: m.NX, PacketCount: 1, ByteCount: 2, FlowCount: 3}, v, xid)
			} else {
				s.mu.Lock()
				flows := s.flows
				s.mu.Unlock()
				s.send(c, &FlowStatsReply{NX: m.NX, Flows: flows}, v, xid)
			}
		case *DescRequest:
			s.send(c, &DescReply{MfrDesc: "govs", HWDesc: "hw", SWDesc: "sw", SerialNum: "1", DPDesc: "dp"}, v, xid)
		}
	}
}

func (s *fakeSwitch) setFlows(f []flowsyntax.FlowStats) {
	s.mu.Lock()
	s.flows = f
	s.mu.Unlock()
}

// messages returns what the switch received since the last call.
func (s *fakeSwitch) take() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.msgs
	s.msgs = nil
	return m
}

// ofctl runs ovs-ofctl with args (the target is "unix:<sock>") and returns
// stdout.
func (s *fakeSwitch) ofctl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := s.tryOfctl(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tryOfctl is ofctl returning the failure instead of stopping the test.
func (s *fakeSwitch) tryOfctl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	full := make([]string, 0, len(args))
	for _, a := range args {
		full = append(full, strings.ReplaceAll(a, "SW", "unix:"+s.path))
	}
	cmd := exec.CommandContext(ctx, ofctlPath(t), full...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("ovs-ofctl %v: %v\n%s", full, err, errb.String())
	}
	return out.String(), nil
}

// ofpPrint returns `ovs-ofctl ofp-print HEX` for b.
func ofpPrint(t *testing.T, b []byte) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	var errb bytes.Buffer
	cmd := exec.CommandContext(ctx, ofctlPath(t), "ofp-print", hex.EncodeToString(b))
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ofp-print %x: %v\n%s", b, err, errb.String())
	}
	return strings.TrimRight(string(out), "\n")
}
