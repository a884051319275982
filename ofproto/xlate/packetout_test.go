package xlate

import (
	"encoding/binary"
	"errors"
	"testing"

	"govs/datapath"
	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/bridge"
	"govs/ofproto/tables"
)

// threePortInfos is p1, p2, p3 (trunks) and LOCAL.
func threePortInfos(t testing.TB) []bridge.PortInfo {
	ports := seedPorts(t)[2:]
	for _, bp := range threePorts(t) {
		ports = append(ports, port(t, bp.no, bp.name, bp.tag))
	}
	return ports
}

// udpTestFrame is a minimal Ethernet/IPv4/UDP frame 00..01 → 00..02.
func udpTestFrame() []byte {
	f := make([]byte, 14+20+8)
	f[5], f[11] = 2, 1
	binary.BigEndian.PutUint16(f[12:], 0x0800)
	f[14] = 0x45
	binary.BigEndian.PutUint16(f[16:], 28)
	f[22], f[23] = 64, 17
	f[29], f[33] = 1, 2
	return f
}

func TestTranslatePacketOut(t *testing.T) {
	tests := []struct {
		name    string
		flows   []string
		in      flowtable.PortNo
		actions string
		want    string
	}{
		{name: "controller in_port outputs anywhere", in: flowtable.PortController, actions: "output:1,output:2", want: "1,2"},
		{name: "none in_port", in: flowtable.PortNone, actions: "mod_dl_src:00:00:00:00:00:aa,output:3", want: "set(eth(src=00:00:00:00:00:aa)),3"},
		{name: "output to in_port skipped", in: 1, actions: "output:1,output:2", want: "2"},
		{name: "in_port action", in: 1, actions: "in_port", want: "1"},
		{name: "flood skips the input port", in: 2, actions: "FLOOD", want: "1,3,65534"},
		{name: "table runs the pipeline as in_port", flows: []string{"in_port=2,actions=output:3", "in_port=1,actions=output:2"}, in: 2,
			actions: "output:TABLE", want: "3"},
		{name: "table miss drops", flows: []string{"in_port=1,actions=output:2"}, in: 3, actions: "output:TABLE", want: "drop"},
		{name: "drop", in: 1, actions: "drop", want: "drop"},
		{name: "NORMAL from NONE floods everywhere (ofpp_none_bundle)", in: flowtable.PortNone, actions: "NORMAL", want: "1,2,3,65534"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPipeline(t, nil, threePortInfos(t), tt.flows...)
			acts, _, err := ofpact.ParseInstructions(tt.actions, nil)
			if err != nil {
				t.Fatal(err)
			}
			dpActs, fail := p.TranslatePacketOut(tt.in, udpTestFrame(), acts)
			if fail != FailNone {
				t.Fatalf("failure %v", fail)
			}
			got := "drop"
			if len(dpActs) > 0 {
				got = string(datapath.AppendActions(nil, dpActs, nil))
			}
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestTranslatePacketOutCounts: rules reached through output:TABLE count
// the packet-out; a pipeline without a datapath refuses PacketOut.
func TestTranslatePacketOutCounts(t *testing.T) {
	p := newTestPipeline(t, nil, threePortInfos(t), "in_port=2,actions=output:3")
	acts, _, err := ofpact.ParseInstructions("output:TABLE", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := udpTestFrame()
	p.TranslatePacketOut(2, f, acts)
	p.TranslatePacketOut(2, f, acts)
	sel := tables.SelectAll()
	st := p.Tables().FlowStats(&sel)
	if len(st) != 1 || st[0].NPackets != 2 || st[0].NBytes != uint64(2*len(f)) {
		t.Fatalf("rule stats %+v, want 2 packets", st)
	}
	if err := p.PacketOut(2, f, acts); !errors.Is(err, ErrNoDatapath) {
		t.Fatalf("PacketOut without datapath: %v", err)
	}
}
