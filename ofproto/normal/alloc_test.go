package normal

import (
	"testing"

	"govs/datapath/flow"
	"govs/ofproto/maclearn"
)

func benchPorts() []PortConfig {
	return []PortConfig{local(), access(1, 10), access(2, 10), trunk(3, 10, 20), native(4, NativeUntagged, 20, 10, 20), access(5, 20)}
}

func TestDecideAllocs(t *testing.T) {
	ports := benchPorts()
	mt, _ := newMAC()
	buf := make([]Output, 0, len(ports))
	mt.Learn(10, macB, 2, 0)
	mt.Learn(10, macA, 1, 0)
	tests := []struct {
		name string
		in   flow.PortNo
		key  *flow.Key
		opt  Options
	}{
		{"flood", 1, pkt(1, macA, bcast, -1, 0), Options{Learn: true}},
		{"unicast learned", 1, pkt(1, macA, macB, -1, 0), Options{Learn: true}},
		{"trunk tagged", 3, pkt(3, macC, bcast, 20, 2), Options{}},
		{"drop access tagged", 1, pkt(1, macA, bcast, 5, 0), Options{}},
		{"reserved", 1, pkt(1, macA, maclearn.MAC{1, 0x80, 0xc2, 0, 0, 0}, -1, 0), Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := findPort(ports, tc.in)
			n := testing.AllocsPerRun(200, func() {
				d := Decide(in, tc.key, mt, ports, tc.opt, buf)
				buf = d.Outputs
			})
			if n != 0 {
				t.Fatalf("%v allocs per run", n)
			}
		})
	}
}

func BenchmarkDecideFlood(b *testing.B) {
	ports := benchPorts()
	mt, _ := newMAC()
	buf := make([]Output, 0, len(ports))
	k := pkt(1, macA, bcast, -1, 0)
	b.ReportAllocs()
	for b.Loop() {
		Decide(&ports[1], k, mt, ports, Options{Learn: true}, buf)
	}
}

func BenchmarkDecideUnicast(b *testing.B) {
	ports := benchPorts()
	mt, _ := newMAC()
	mt.Learn(10, macB, 2, 0)
	buf := make([]Output, 0, len(ports))
	k := pkt(1, macA, macB, -1, 0)
	b.ReportAllocs()
	for b.Loop() {
		Decide(&ports[1], k, mt, ports, Options{Learn: true}, buf)
	}
}
