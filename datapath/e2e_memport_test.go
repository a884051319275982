package datapath

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"govs/datapath/datapathtest"
	"govs/ports"
	"govs/ports/memport"
)

// The no-root half of the end-to-end proof: the same started Datapath,
// slow path and checks as TestNetnsForwarding, over in-memory ports, so
// that it runs everywhere (CI without root, other OSes).

const (
	memportCapacity = 4 * ports.BatchSize
	memE2EBursts    = 8
	memE2ETimeout   = 5 * time.Second
)

// memSwitch is a started Datapath between two memports.
func memSwitch(t *testing.T, up Upcaller, cfg Config) (dp *Datapath, pa, pb *memport.Port) {
	t.Helper()
	var err error
	if pa, err = memport.New("mema", memportCapacity); err != nil {
		t.Fatal(err)
	}
	if pb, err = memport.New("memb", memportCapacity); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pa.Close(); pb.Close() })
	if dp, err = New(up, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dp.Close() }) // before the ports close (LIFO)
	if err := dp.AddPort(e2ePortA, pa); err != nil {
		t.Fatal(err)
	}
	if err := dp.AddPort(e2ePortB, pb); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	return dp, pa, pb
}

// memFrames returns n distinct UDP frames, optionally tagged.
func memFrames(n int, tagged bool) [][]byte {
	fs := make([][]byte, n)
	for i := range fs {
		fs[i] = datapathtest.UDPFrame(datapathtest.UDP{
			Dst: datapathtest.MACB, Src: datapathtest.MACA,
			SrcIP: datapathtest.IPA, DstIP: datapathtest.IPB,
			SrcPort: uint16(e2eSrcPortBase + i), DstPort: e2eDstPort,
			Tagged: tagged, TCI: datapathtest.TCI(0, e2eVID),
		})
	}
	return fs
}

// inject puts frames into p's receive queue.
func inject(t *testing.T, p *memport.Port, frames [][]byte) {
	t.Helper()
	for _, f := range frames {
		if !p.Inject(f) {
			t.Fatalf("%s: receive queue full", p.Name())
		}
	}
}

func TestE2EMemportCounters(t *testing.T) {
	dp, pa, pb := memSwitch(t, crossConnect{}, Config{Workers: 2})
	frames := memFrames(ports.BatchSize, false)
	const n = memE2EBursts * ports.BatchSize
	var got [][]byte
	for i := range memE2EBursts {
		inject(t, pa, frames)
		want := (i + 1) * ports.BatchSize
		datapathtest.WaitFor(t, memE2ETimeout, "port B to transmit", func() bool {
			got = append(got, pb.DrainFrames()...)
			return len(got) >= want
		})
	}
	if len(got) != n {
		t.Fatalf("port B sent %d frames, want %d", len(got), n)
	}
	for i, g := range got {
		if !bytes.Equal(g, frames[i%len(frames)]) {
			t.Fatalf("frame %d changed or reordered", i)
		}
	}
	frameLen := uint64(len(frames[0]))
	sa, sb := pa.Stats(), pb.Stats()
	if sa.RxPackets != n || sa.TxPackets != 0 || sb.TxPackets != n || sb.TxBytes != n*frameLen ||
		sb.RxPackets != 0 || sb.TxDropped != 0 {
		t.Fatalf("port stats A %+v B %+v, want %d frames A→B", sa, sb, n)
	}
	var dump bytes.Buffer
	if err := dp.DumpFlows(&dump, nil); err != nil {
		t.Fatal(err)
	}
	wantLine := fmt.Sprintf("recirc_id(0),in_port(%d),packet_type(ns=0,id=0), packets:%d, bytes:%d, used:",
		e2ePortA, n-1, (n-1)*frameLen)
	if d := dump.String(); strings.Count(d, "\n") != 1 || !strings.HasPrefix(d, wantLine) ||
		!strings.HasSuffix(d, fmt.Sprintf(", actions:%d\n", e2ePortB)) {
		t.Fatalf("dump-flows:\n%s\nwant %q...", d, wantLine)
	}
	checkMetrics(t, dp, map[string]float64{
		`govs_port_rx_packets_total{port="mema",port_no="1"}`: n,
		`govs_port_tx_packets_total{port="memb",port_no="2"}`: n,
		`govs_port_tx_bytes_total{port="memb",port_no="2"}`:   float64(n * frameLen),
		`govs_datapath_rx_packets_total`:                      n,
		`govs_datapath_misses_total`:                          1,
		`govs_datapath_emc_hits_total`:                        float64(sumStats(dp).EMCHits),
		`govs_datapath_megaflow_hits_total`:                   float64(n - 1 - sumStats(dp).EMCHits),
		`govs_datapath_flows`:                                 1,
	})

	// The forced recirc_id/in_port mask is the same at revalidation, so
	// an unchanged slow path keeps the flow.
	dp.Revalidate()
	if dp.FlowCount() != 1 {
		t.Fatalf("flows after Revalidate = %d, want 1", dp.FlowCount())
	}
}

func sumStats(dp *Datapath) WorkerStats {
	var t WorkerStats
	for _, s := range dp.Stats() {
		t.RxPackets += s.RxPackets
		t.EMCHits += s.EMCHits
		t.MegaflowHits += s.MegaflowHits
		t.MissUpcallOK += s.MissUpcallOK
	}
	return t
}

func TestE2EMemportVLAN(t *testing.T) {
	tests := []struct {
		name     string
		vlan     bool // crossConnect push/pop
		tagged   bool // frames injected tagged
		fromA    bool
		wantEdit func([]byte) []byte
	}{
		{"tag kept A to B", false, true, true, func(f []byte) []byte { return f }},
		{"tag kept B to A", false, true, false, func(f []byte) []byte { return f }},
		{"push A to B", true, false, true, func(f []byte) []byte { return datapathtest.PushTag(f, datapathtest.TCI(0, e2eVID)) }},
		{"pop B to A", true, true, false, datapathtest.PopTag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, pa, pb := memSwitch(t, crossConnect{vlan: tt.vlan}, Config{})
			from, to := pa, pb
			if !tt.fromA {
				from, to = pb, pa
			}
			frames := memFrames(ports.BatchSize, tt.tagged)
			inject(t, from, frames)
			var got [][]byte
			datapathtest.WaitFor(t, memE2ETimeout, "frames out", func() bool {
				got = append(got, to.DrainFrames()...)
				return len(got) >= len(frames)
			})
			for i, g := range got {
				if w := tt.wantEdit(frames[i]); !bytes.Equal(g, w) {
					t.Fatalf("frame %d:\n got %x\nwant %x", i, g, w)
				}
			}
		})
	}
}
