package datapath

import (
	"bytes"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"govs/datapath/flow"
	"govs/ports"
)

func TestAppendActions(t *testing.T) {
	names := func(p flow.PortNo) string {
		if p == 1 {
			return "p1"
		}
		return ""
	}
	tests := []struct {
		name string
		acts Actions
		want string
	}{
		{"drop", nil, "drop"},
		{"output", Actions{Output(3)}, "3"},
		{"output by name", Actions{Output(1), Output(2)}, "p1,2"},
		{"push vlan", Actions{PushVLAN(0x8100, 10), Output(2)}, "push_vlan(vid=10,pcp=0),2"},
		{"push vlan pcp tpid", Actions{PushVLAN(0x88a8, 5<<13|100)}, "push_vlan(tpid=0x88a8,vid=100,pcp=5)"},
		{"pop vlan", Actions{PopVLAN(), Output(1)}, "pop_vlan,p1"},
		{"set eth", Actions{SetEthSrc([6]byte{0, 1, 2, 3, 4, 0xab}), SetEthDst(mac(1))},
			"set(eth(src=00:01:02:03:04:ab)),set(eth(dst=00:00:00:00:00:01))"},
		{"set ipv4", Actions{SetIPv4Src(0x0a000001), SetIPv4Dst(0xc0a80101), SetIPv4Tos(0x10), SetIPv4TTL(63)},
			"set(ipv4(src=10.0.0.1)),set(ipv4(dst=192.168.1.1)),set(ipv4(tos=0x10)),set(ipv4(ttl=63))"},
		{"set tp", Actions{SetTpSrc(ipProtoTCP, 80), SetTpDst(ipProtoUDP, 53), SetTpDst(ipProtoSCTP, 9)},
			"set(tcp(src=80)),set(udp(dst=53)),set(sctp(dst=9))"},
		{"dec ttl", Actions{DecTTL(), Output(2)}, "dec_ttl(le_1(drop)),2"},
		{"userspace", Actions{Userspace(0x1234)}, "userspace(pid=0,userdata(0000000000001234))"},
		{"tunnel", Actions{TunnelPush(4, 1, 0x2a), TunnelPop(4)},
			"tnl_push(tnl_port(4),header(hook=0x2a),out_port(p1)),tnl_pop(4)"},
		{"set arp", Actions{SetARPOp(2), SetARPSpa(0xc0a80101), SetARPTpa(0xc0a8010a), SetARPSha(mac(1)), SetARPTha(mac(2))},
			"set(arp(op=2)),set(arp(sip=192.168.1.1)),set(arp(tip=192.168.1.10)),set(arp(sha=00:00:00:00:00:01)),set(arp(tha=00:00:00:00:00:02))"},
		{"unknown kind", Actions{{Kind: numActionKinds}}, "unknown_action(21)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendActions(nil, tt.acts, names)); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDumpFlows(t *testing.T) {
	clk := &fakeClock{}
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		if k.EthDst() == mac(2) {
			*acts = append(*acts, PushVLAN(ethTypeVLAN, 10), Output(2))
		}
		return nil
	})
	dp, _, _ := newTestDP(t, up, Config{Clock: clk.now})
	w := dp.Worker(0)
	hit, once := udpFrame(2, 1, 1, 2, 3, 4), udpFrame(7, 1, 1, 2, 3, 4)
	w.ProcessBatch(1, newBatchOf(hit, once))
	clk.advance(100 * msNs)
	w.ProcessBatch(1, newBatchOf(hit, hit))
	clk.advance(1500 * msNs)
	var buf bytes.Buffer
	if err := dp.DumpFlows(&buf, dp.PortName); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("dump:\n%s", buf.String())
	}
	var kh, mh, ko, mo flow.Key
	for _, f := range w.allFlows() {
		if f.orig.EthDst() == mac(2) {
			kh, mh = f.orig, f.mask
		} else {
			ko, mo = f.orig, f.mask
		}
	}
	want := map[string]bool{
		string(flow.AppendKeyMask(nil, &kh, &mh, dp.PortName)) + ", packets:2, bytes:120, used:1.500s, actions:push_vlan(vid=10,pcp=0),p2": true,
		string(flow.AppendKeyMask(nil, &ko, &mo, dp.PortName)) + ", packets:0, bytes:0, used:never, actions:drop":                          true,
	}
	for _, l := range lines {
		if !want[l] {
			t.Errorf("unexpected line %q; want one of %v", l, want)
		}
	}
}

func TestFlowLineFlags(t *testing.T) {
	f := &megaflow{packets: 3, bytes: 222, everUsed: true, used: 0, tcpFlags: flow.TCPSyn | flow.TCPAck | flow.TCPFin,
		acts: Actions{Output(1)}}
	got := string(appendFlow(nil, f, 4*msNs, nil, nil))
	suffix := ", packets:3, bytes:222, used:0.004s, flags:SF., actions:1\n"
	if !strings.HasSuffix(got, suffix) {
		t.Fatalf("got %q, want suffix %q", got, suffix)
	}
}

func TestPMDStatsAndMetrics(t *testing.T) {
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{EMCInsertInvProb: EMCDisabled})
	f := udpFrame(2, 1, 1, 2, 3, 4)
	b := ports.NewBatch()
	fillBatch(b, f, f, f)
	dp.Worker(0).ProcessBatch(1, b)
	var buf bytes.Buffer
	if err := dp.PMDStats(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"packets received: 3", "emc hits: 0", "megaflow hits: 2",
		"avg. subtable lookups per megaflow hit: 1.00", "miss with success upcall: 1", "miss with failed upcall: 0"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("pmd stats lack %q:\n%s", want, buf.String())
		}
	}
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(dp); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			lbl := ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "port" || l.GetName() == "reason" {
					lbl = "/" + l.GetValue()
				}
			}
			got[mf.GetName()+lbl] = v
		}
	}
	want := map[string]float64{
		"govs_datapath_megaflow_hits_total": 2, "govs_datapath_misses_total": 1, "govs_datapath_flows": 1,
		"govs_datapath_subtables": 1, "govs_port_tx_packets_total/p2": 3, "govs_datapath_rx_packets_total": 3,
		"govs_datapath_subtable_lookups_per_megaflow_hit": 1, "govs_datapath_drops_total/unknown_port": 0,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
