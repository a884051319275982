package xlate

import (
	"testing"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/bridge"
	"govs/ofproto/normal"
	"govs/ofproto/tables"
)

// fakeClock is a settable clock for tables and MAC tables.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1700000000, 0)} }

// port builds a PortInfo; tag < 0: trunk.
func port(t testing.TB, no flow.PortNo, name string, tag int64) bridge.PortInfo {
	t.Helper()
	pc, _, err := normal.PortFromDB(no, name, tag, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return bridge.PortInfo{OFPort: no, Name: name, VLAN: pc}
}

// seedPorts is the seed lab: p1, p2 access VLAN 10 and LOCAL (trunk).
func seedPorts(t testing.TB) []bridge.PortInfo {
	return []bridge.PortInfo{port(t, 1, "p1", 10), port(t, 2, "p2", 10), port(t, flow.PortLocal, "br0", -1)}
}

// newTestPipeline returns a pipeline over fresh tables with the given
// flows (ovs-ofctl add-flow syntax, OpenFlow 1.0 unless "OF13:" prefix).
func newTestPipeline(t testing.TB, clk *fakeClock, ports []bridge.PortInfo, flows ...string) *Pipeline {
	t.Helper()
	cfg := tables.Config{}
	if clk != nil {
		cfg.Clock = clk.now
	}
	tb := tables.New(cfg)
	for _, f := range flows {
		addFlow(t, tb, f)
	}
	p := New(Config{Bridge: "br0", Tables: tb})
	p.PortsChanged(ports)
	return p
}

func addFlow(t testing.TB, tb *tables.Tables, s string) {
	t.Helper()
	v := ofpact.OF10
	if len(s) > 5 && s[:5] == "OF13:" {
		v, s = ofpact.OF13, s[5:]
	}
	fm, _, err := flowsyntax.ParseFlow(s, flowsyntax.CmdAdd, nil)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	if _, err := tb.Apply(fm, v); err != nil {
		t.Fatalf("add %q: %v", s, err)
	}
}

// ipKey builds an IPv4 key.
func ipKey(in flow.PortNo, src, dst byte, proto uint8, ttl uint8) flow.Key {
	var k flow.Key
	k.SetInPort(in)
	k.SetEthSrc([6]byte{0, 0, 0, 0, 0, src})
	k.SetEthDst([6]byte{0, 0, 0, 0, 0, dst})
	k.SetEthType(0x0800)
	k.SetIPv4Src(0x0a000000 | uint32(src))
	k.SetIPv4Dst(0x0a000000 | uint32(dst))
	k.SetNwProto(proto)
	k.SetNwTTL(ttl)
	return k
}

// translate runs an upcall and returns actions text and mask.
func translate(t testing.TB, p *Pipeline, k flow.Key) (string, flow.Key) {
	t.Helper()
	var mask flow.Key
	var acts datapath.Actions
	if _, err := p.UpcallCookie(&k, &mask, &acts, 0); err != nil {
		t.Fatal(err)
	}
	if len(acts) == 0 {
		return "drop", mask
	}
	return string(datapath.AppendActions(nil, acts, nil)), mask
}
