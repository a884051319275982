package classifier

import (
	"testing"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
)

// parseRule parses ovs-ofctl add-flow syntax into a rule whose value is
// the flow text.
func parseRule(t testing.TB, s string) *Rule[string] {
	t.Helper()
	fm, _, err := flowsyntax.ParseFlow(s, flowsyntax.CmdAdd, nil)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return &Rule[string]{Match: fm.Match, Priority: fm.Priority, Value: s}
}

// parseMatch parses a del-flows/dump-flows match string.
func parseMatch(t testing.TB, s string) flowtable.Match {
	t.Helper()
	fm, _, err := flowsyntax.ParseMatch(s, nil)
	if err != nil {
		t.Fatalf("parse match %q: %v", s, err)
	}
	return fm.Match
}

// pkt describes a test packet.
type pkt struct {
	inPort  flowtable.PortNo
	ethType uint16
	proto   uint8
	src     uint32
	dst     uint32
	tpDst   uint16
}

func (p pkt) key() (flow.Key, flowtable.PipelineState) {
	var k flow.Key
	k.SetInPort(flow.PortNo(p.inPort))
	k.SetEthType(p.ethType)
	k.SetNwProto(p.proto)
	k.SetIPv4Src(p.src)
	k.SetIPv4Dst(p.dst)
	k.SetTpDst(p.tpDst)
	return k, flowtable.PipelineState{InPort: p.inPort}
}

func ipv4(a, b, c, d byte) uint32 { return uint32(a)<<24 | uint32(b)<<16 | uint32(c)<<8 | uint32(d) }

func load(t testing.TB, flows ...string) *Classifier[string] {
	t.Helper()
	c := New[string]()
	tx := c.Begin()
	for _, f := range flows {
		tx.Insert(parseRule(t, f))
	}
	tx.Commit()
	return c
}
