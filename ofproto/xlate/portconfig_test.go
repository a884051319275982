package xlate

import (
	"strings"
	"testing"

	"govs/datapath/flow"
	"govs/ofproto/bridge"
)

// TestPortConfig: OVS 3.1's handling of PORT_MOD bits, as its
// ofproto/trace shows them (checked on a real ovs-vswitchd).
func TestPortConfig(t *testing.T) {
	bcast := func(in flow.PortNo) flow.Key {
		k := ipKey(in, 1, 2, 17, 64)
		k.SetEthDst([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		return k
	}
	stp := func(in flow.PortNo) flow.Key {
		k := ipKey(in, 1, 2, 17, 64)
		k.SetEthDst(stpMAC)
		return k
	}
	tests := []struct {
		name   string
		config map[flow.PortNo]uint32
		flows  []string
		key    flow.Key
		acts   string
		trace  string
	}{
		{name: "no-flood leaves NORMAL flooding", config: map[flow.PortNo]uint32{1: bridge.PortNoFlood},
			flows: []string{"actions=NORMAL"}, key: bcast(2), acts: "3,65534"},
		{name: "no-flood leaves FLOOD", config: map[flow.PortNo]uint32{1: bridge.PortNoFlood},
			flows: []string{"actions=FLOOD"}, key: bcast(2), acts: "3,65534"},
		{name: "no-flood stays in ALL", config: map[flow.PortNo]uint32{1: bridge.PortNoFlood},
			flows: []string{"actions=ALL"}, key: bcast(2), acts: "1,3,65534"},
		{name: "no-forward output", config: map[flow.PortNo]uint32{1: bridge.PortNoFwd},
			flows: []string{"actions=output:1,output:3"}, key: bcast(2), acts: "3",
			trace: "    output:1\n     -> OFPPC_NO_FWD set, skipping output\n    output:3\n"},
		{name: "no-forward NORMAL flood", config: map[flow.PortNo]uint32{1: bridge.PortNoFwd},
			flows: []string{"actions=NORMAL"}, key: bcast(2), acts: "3,65534",
			trace: "     -> no learned MAC for destination, flooding\n     -> OFPPC_NO_FWD set, skipping output\n"},
		{name: "no-receive runs no action", config: map[flow.PortNo]uint32{2: bridge.PortNoRecv},
			flows: []string{"actions=NORMAL"}, key: bcast(2), acts: "drop",
			trace: " 0. priority 32768\n\nFinal flow: unchanged\n"},
		{name: "no-receive-stp drops STP frames", config: map[flow.PortNo]uint32{2: bridge.PortNoRecvSTP},
			flows: []string{"actions=ALL"}, key: stp(2), acts: "drop"},
		{name: "no-receive-stp passes other frames", config: map[flow.PortNo]uint32{2: bridge.PortNoRecvSTP},
			flows: []string{"actions=ALL"}, key: bcast(2), acts: "1,3,65534"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ports := threePortInfos(t)
			for i := range ports {
				ports[i].Config = tt.config[ports[i].OFPort]
				ports[i].VLAN.NoFlood = ports[i].Config&bridge.PortNoFlood != 0
			}
			p := newTestPipeline(t, nil, ports, tt.flows...)
			if got, _ := translate(t, p, tt.key); got != tt.acts {
				t.Fatalf("actions %s, want %s", got, tt.acts)
			}
			if tt.trace != "" {
				if tr := p.Trace(&tt.key, nil); !strings.Contains(tr, tt.trace) {
					t.Fatalf("trace lacks %q:\n%s", tt.trace, tr)
				}
			}
		})
	}
}
