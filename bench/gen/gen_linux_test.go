package gen

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"govs/bench/topo"
	"govs/ports/afpacket"
)

// vethPair opens a sender on the generator's veth and a sink on its peer
// (the switch end) of a fresh topology; skipped when not root.
func vethPair(t testing.TB) (*Sender, *Sink) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipping: ip not found")
	}
	tp, err := topo.New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tp.Close() })
	open := func(ns *topo.NS, dev string) *afpacket.Port {
		var p *afpacket.Port
		if err := ns.Do(func() (err error) { p, err = afpacket.Open(dev, afpacket.Options{RcvBuf: 8 << 20}); return err }); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Close() })
		return p
	}
	tx, rx := open(tp.Gen, tp.GenDev), open(tp.Switch, tp.SwGenDev)
	tmpl := mustTemplate(t, 64)
	fl, err := NewFlows(tmpl, 100000, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSender(tx, tmpl, fl, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s, NewSink(rx, func(int, time.Duration) { time.Sleep(time.Millisecond) })
}

// TestVethAllocs proves the generator's send loop and the sink's receive
// loop allocate nothing per batch on real AF_PACKET sockets.
func TestVethAllocs(t *testing.T) {
	s, k := vethPair(t)
	if a := testing.AllocsPerRun(200, func() { _, _ = s.SendBatch() }); a != 0 {
		t.Errorf("SendBatch over AF_PACKET: %v allocs per batch", a)
	}
	if a := testing.AllocsPerRun(200, func() { _, _ = k.ReceiveBatch() }); a != 0 {
		t.Errorf("ReceiveBatch over AF_PACKET: %v allocs per batch", a)
	}
	deadline := time.Now().Add(5 * time.Second)
	for k.Received() == 0 && time.Now().Before(deadline) {
		s.SendBatch()
		k.ReceiveBatch()
	}
	if k.Received() == 0 || s.Sent() == 0 {
		t.Fatalf("sent %d, received %d", s.Sent(), k.Received())
	}
}

// BenchmarkVethSend measures the generator alone: sendmmsg of one batch
// of 60-byte frames into a veth whose peer nobody reads.
func BenchmarkVethSend(b *testing.B) {
	s, _ := vethPair(b)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = s.SendBatch()
	}
	b.ReportMetric(float64(s.Sent())/b.Elapsed().Seconds(), "accepted-frames/s")
}
