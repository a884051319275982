package datapath

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"govs/datapath/datapathtest"
	"govs/datapath/flow"
	"govs/ports"
	"govs/ports/afpacket"
)

// End-to-end test of issue 2: a started Datapath forwarding between two
// AF_PACKET ports that live in a private switch namespace, with hosts in
// two more namespaces (datapathtest.Lab).

const (
	e2eTimeout    = 5 * time.Second
	pingTimeout   = 15 * time.Second
	pingCount     = 3
	pingWait      = time.Second // per echo, as ping -W 1
	e2eCountBurst = 10          // batches in the exact-count test
	// captureRcvBuf lets a capture socket hold every frame of a test
	// while nobody reads it.
	captureRcvBuf = 4 << 20
)

// e2eSwitch is a started Datapath on the lab's two switch-side veths.
type e2eSwitch struct {
	dp     *Datapath
	pa, pb *afpacket.Port // datapath ports 1 and 2
}

func startSwitch(t testing.TB, lab *datapathtest.Lab, up Upcaller, cfg Config) *e2eSwitch {
	t.Helper()
	s := &e2eSwitch{
		pa: datapathtest.OpenPort(t, lab.SW, lab.SwitchA, afpacket.Options{}),
		pb: datapathtest.OpenPort(t, lab.SW, lab.SwitchB, afpacket.Options{}),
	}
	dp, err := New(up, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.dp = dp
	t.Cleanup(func() { _ = dp.Close() }) // runs before the ports close
	if err := dp.AddPort(e2ePortA, s.pa); err != nil {
		t.Fatal(err)
	}
	if err := dp.AddPort(e2ePortB, s.pb); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	return s
}

// hostPorts opens a raw sender/capture port on each host's veth end.
func hostPorts(t testing.TB, lab *datapathtest.Lab) (a, b *afpacket.Port) {
	t.Helper()
	opts := afpacket.Options{RcvBuf: captureRcvBuf}
	return datapathtest.OpenPort(t, lab.A, lab.HostA, opts), datapathtest.OpenPort(t, lab.B, lab.HostB, opts)
}

// marked returns a matcher for frames that contain marker.
func marked(marker []byte) func([]byte) bool {
	return func(f []byte) bool { return bytes.Contains(f, marker) }
}

// e2eFrames returns n distinct UDP frames from A to a MAC nobody owns
// (so host B's stack drops them silently), each carrying marker.
func e2eFrames(n int, marker []byte, tagged bool, tci uint16) [][]byte {
	fs := make([][]byte, n)
	for i := range fs {
		fs[i] = datapathtest.UDPFrame(datapathtest.UDP{
			Dst: datapathtest.MACNobody, Src: datapathtest.MACA,
			SrcIP: datapathtest.IPA, DstIP: datapathtest.IPB,
			SrcPort: uint16(e2eSrcPortBase + i), DstPort: e2eDstPort,
			Tagged: tagged, TCI: tci, Payload: marker,
		})
	}
	return fs
}

func TestNetnsForwarding(t *testing.T) {
	lab := datapathtest.NewLab(t)
	t.Run("exact counters, dump-flows and metrics", func(t *testing.T) { testExactCounters(t, lab) })
	t.Run("ping both ways", func(t *testing.T) { testPing(t, lab) })
	t.Run("VLAN tags kept end to end", func(t *testing.T) { testVLANKept(t, lab) })
	t.Run("push_vlan and pop_vlan on the wire", func(t *testing.T) { testPushPop(t, lab) })
}

// testExactCounters injects N raw frames from A, paced so that no queue
// overflows, and checks every counter against N: the host ports, the
// datapath's ports, the worker stats, the megaflow's dump-flows stats
// (N-1: the upcalled packet is not counted, as OVS) and the metrics.
func testExactCounters(t *testing.T, lab *datapathtest.Lab) {
	sw := startSwitch(t, lab, crossConnect{}, Config{Workers: 2})
	ha, hb := hostPorts(t, lab)
	marker := []byte("govs-e2e-count")
	const n = e2eCountBurst * ports.BatchSize
	frames := e2eFrames(ports.BatchSize, marker, false, 0)
	for i := range e2eCountBurst {
		datapathtest.Send(t, ha, frames...)
		want := uint64((i + 1) * ports.BatchSize)
		datapathtest.WaitFor(t, e2eTimeout, "switch port B to transmit", func() bool {
			return sw.pb.Stats().TxPackets >= want
		})
	}
	got := datapathtest.Capture(t, hb, marked(marker), n, e2eTimeout)
	if len(got) != n {
		t.Fatalf("host B captured %d frames, want %d", len(got), n)
	}
	for i, g := range got {
		if w := frames[i%len(frames)]; !bytes.Equal(g, w) {
			t.Fatalf("frame %d changed (or reordered):\n got %x\nwant %x", i, g, w)
		}
	}
	frameLen := uint64(len(frames[0]))
	tests := []struct {
		name      string
		got, want uint64
	}{
		{"host A tx", ha.Stats().TxPackets, n},
		{"host A tx dropped", ha.Stats().TxDropped, 0},
		{"switch A rx", sw.pa.Stats().RxPackets, n},
		{"switch A rx bytes", sw.pa.Stats().RxBytes, n * frameLen},
		{"switch A rx dropped", sw.pa.Stats().RxDropped, 0},
		{"switch A tx", sw.pa.Stats().TxPackets, 0},
		{"switch B tx", sw.pb.Stats().TxPackets, n},
		{"switch B tx bytes", sw.pb.Stats().TxBytes, n * frameLen},
		{"switch B tx dropped", sw.pb.Stats().TxDropped, 0},
		{"switch B rx", sw.pb.Stats().RxPackets, 0},
		{"host B rx", hb.Stats().RxPackets, n},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	var total WorkerStats
	for _, s := range sw.dp.Stats() {
		total.RxPackets += s.RxPackets
		total.EMCHits += s.EMCHits
		total.MegaflowHits += s.MegaflowHits
		total.MissUpcallOK += s.MissUpcallOK
		total.TxPackets += s.TxPackets
		total.Flows += s.Flows
		for r, d := range s.Drops {
			if d != 0 {
				t.Errorf("worker drops %s = %d", DropReason(r), d)
			}
		}
	}
	if total.RxPackets != n || total.TxPackets != n || total.MissUpcallOK != 1 ||
		total.EMCHits+total.MegaflowHits != n-1 || total.Flows != 1 {
		t.Errorf("worker stats %+v: want rx=tx=%d, 1 upcall, %d cache hits, 1 flow", total, n, n-1)
	}

	// dpctl/dump-flows: recirc_id and in_port exact, the upcalled packet
	// not counted.
	var dump bytes.Buffer
	if err := sw.dp.DumpFlows(&dump, nil); err != nil {
		t.Fatal(err)
	}
	wantPrefix := fmt.Sprintf("recirc_id(0),in_port(%d),packet_type(ns=0,id=0), packets:%d, bytes:%d, used:",
		e2ePortA, n-1, (n-1)*frameLen)
	wantSuffix := fmt.Sprintf(", actions:%d\n", e2ePortB)
	if d := dump.String(); strings.Count(d, "\n") != 1 || !strings.HasPrefix(d, wantPrefix) || !strings.HasSuffix(d, wantSuffix) {
		t.Errorf("dump-flows:\n%s\nwant one line %q...%q", d, wantPrefix, wantSuffix)
	}
	dump.Reset()
	if err := sw.dp.DumpFlows(&dump, sw.dp.PortName); err != nil {
		t.Fatal(err)
	}
	named := fmt.Sprintf("recirc_id(0),in_port(%s),", lab.SwitchA)
	if d := dump.String(); !strings.HasPrefix(d, named) || !strings.HasSuffix(d, ", actions:"+lab.SwitchB+"\n") {
		t.Errorf("dump-flows with names:\n%s", d)
	}

	checkMetrics(t, sw.dp, map[string]float64{
		`govs_port_rx_packets_total{port="` + lab.SwitchA + `",port_no="1"}`: n,
		`govs_port_tx_packets_total{port="` + lab.SwitchB + `",port_no="2"}`: n,
		`govs_port_rx_packets_total{port="` + lab.SwitchB + `",port_no="2"}`: 0,
		`govs_port_tx_dropped_total{port="` + lab.SwitchB + `",port_no="2"}`: 0,
		`govs_datapath_rx_packets_total`:                                     n,
		`govs_datapath_misses_total`:                                         1,
		`govs_datapath_flows`:                                                1,
		`govs_datapath_upcall_errors_total`:                                  0,
	})
}

// testPing pings through the datapath (ARP and ICMP both ways) with the
// hosts' own stacks: with the ping tool (skipped when it is not
// installed) and with datapathtest.Ping, a raw ICMP socket in the
// namespace.
func testPing(t *testing.T, lab *datapathtest.Lab) {
	sw := startSwitch(t, lab, crossConnect{}, Config{Workers: 2})
	_, noTool := exec.LookPath("ping")
	tests := []struct {
		name string
		from *datapathtest.NS
		to   netip.Addr
	}{
		{"A to B", lab.A, datapathtest.IPB},
		{"B to A", lab.B, datapathtest.IPA},
	}
	for _, tt := range tests {
		t.Run(tt.name+" ping tool", func(t *testing.T) {
			if noTool != nil {
				t.Skip("skipping: ping (iputils) not installed")
			}
			ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
			defer cancel()
			cmd := tt.from.Command(ctx, "ping", "-c", fmt.Sprint(pingCount), "-i", "0.2", "-W", "1", tt.to.String())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("ping %s: %v\n%s", tt.to, err, out)
			}
		})
		t.Run(tt.name+" raw ICMP", func(t *testing.T) {
			if err := datapathtest.Ping(tt.from, tt.to, pingCount, pingWait); err != nil {
				t.Fatal(err)
			}
		})
	}
	if got := sw.dp.FlowCount(); got != 2 {
		t.Errorf("flows after ping = %d, want 2 (one per in_port)", got)
	}
}

// testVLANKept sends 802.1Q-tagged frames from A and checks that B
// receives them with the same tag (TPID, PCP, VID) and payload. The tag is
// stripped by each receiving kernel into PACKET_AUXDATA and put back by
// the afpacket ports, both in the switch and at the capturing host.
func testVLANKept(t *testing.T, lab *datapathtest.Lab) {
	startSwitch(t, lab, crossConnect{}, Config{})
	ha, hb := hostPorts(t, lab)
	tests := []struct {
		name     string
		from, to *afpacket.Port
		pcp      uint8
		vid      uint16
	}{
		{"A to B vid 10", ha, hb, 0, e2eVID},
		{"A to B vid 10 pcp 5", ha, hb, 5, e2eVID},
		{"A to B vid 4094 pcp 7", ha, hb, 7, 4094},
		{"A to B priority tag", ha, hb, 3, 0},
		{"B to A vid 20 pcp 1", hb, ha, 1, 20},
	}
	const perCase = 4
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marker := []byte(fmt.Sprintf("govs-e2e-vlan-%d", i))
			frames := e2eFrames(perCase, marker, true, datapathtest.TCI(tt.pcp, tt.vid))
			datapathtest.Send(t, tt.from, frames...)
			got := datapathtest.Capture(t, tt.to, marked(marker), perCase, e2eTimeout)
			if len(got) != perCase {
				t.Fatalf("captured %d frames, want %d", len(got), perCase)
			}
			for j, g := range got {
				if !bytes.Equal(g, frames[j]) {
					t.Fatalf("frame %d:\n got %x\nwant %x", j, g, frames[j])
				}
				var k flow.Key
				var l flow.Layout
				flow.Extract(g, 0, &k, &l)
				tpid, tci := k.VLAN(0)
				if tpid != ethTypeVLAN || tci&tciVIDMask != tt.vid || uint8(tci>>tciPCPShift) != tt.pcp {
					t.Fatalf("frame %d: tag tpid %#x tci %#x, want vid %d pcp %d", j, tpid, tci, tt.vid, tt.pcp)
				}
			}
		})
	}
}

// testPushPop runs the push/pop slow path: untagged frames from A reach B
// with tag e2eVID, tagged frames from B reach A untagged.
func testPushPop(t *testing.T, lab *datapathtest.Lab) {
	sw := startSwitch(t, lab, crossConnect{vlan: true}, Config{})
	ha, hb := hostPorts(t, lab)
	const perCase = 4
	tci := datapathtest.TCI(0, e2eVID)
	tests := []struct {
		name     string
		from, to *afpacket.Port
		tagged   bool
		want     func([]byte) []byte
	}{
		{"A to B gets pushed", ha, hb, false, func(f []byte) []byte { return datapathtest.PushTag(f, tci) }},
		{"B to A gets popped", hb, ha, true, datapathtest.PopTag},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marker := []byte(fmt.Sprintf("govs-e2e-pushpop-%d", i))
			frames := e2eFrames(perCase, marker, tt.tagged, tci)
			datapathtest.Send(t, tt.from, frames...)
			got := datapathtest.Capture(t, tt.to, marked(marker), perCase, e2eTimeout)
			if len(got) != perCase {
				t.Fatalf("captured %d frames, want %d", len(got), perCase)
			}
			for j, g := range got {
				if w := tt.want(frames[j]); !bytes.Equal(g, w) {
					t.Fatalf("frame %d:\n got %x\nwant %x", j, g, w)
				}
			}
		})
	}
	var dump bytes.Buffer
	if err := sw.dp.DumpFlows(&dump, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("actions:push_vlan(vid=%d,pcp=0),%d\n", e2eVID, e2ePortB),
		fmt.Sprintf("actions:pop_vlan,%d\n", e2ePortA),
	} {
		if !strings.Contains(dump.String(), want) {
			t.Errorf("dump-flows lacks %q:\n%s", want, dump.String())
		}
	}
}
