package datapath

import (
	"encoding/binary"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

// countingController counts without allocating.
type countingController struct{ n int }

func (c *countingController) Controller(frame []byte, k *flow.Key, cookie uint64) { c.n++ }

func requireNoAllocs(t *testing.T, name string, fn func()) {
	t.Helper()
	if n := testing.AllocsPerRun(200, fn); n != 0 {
		t.Errorf("%s: %v allocs per run, want 0", name, n)
	}
}

func distinctFrames(n int) [][]byte {
	fs := make([][]byte, n)
	for i := range fs {
		fs[i] = udpFrame(2, 1, 0x0a000000|uint32(i), 0x0a0000ff, uint16(1000+i), 2000)
	}
	return fs
}

func TestAllocsEMCHit(t *testing.T) {
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{EMCInsertInvProb: 1})
	w := dp.Worker(0)
	b := newBatchOf(distinctFrames(ports.BatchSize)...)
	w.ProcessBatch(1, b)
	w.ProcessBatch(1, b)
	k := w.keys[0]
	h := emcHash(&k)
	if w.emc.lookup(&k, h) == nil {
		t.Fatal("not in EMC")
	}
	requireNoAllocs(t, "emc lookup", func() { w.emc.lookup(&k, emcHash(&k)) })
	before := dp.Stats()[0].EMCHits
	requireNoAllocs(t, "pipeline (emc hits)", func() { w.ProcessBatch(1, b) })
	if dp.Stats()[0].EMCHits == before {
		t.Fatal("no EMC hits")
	}
}

func TestAllocsMegaflowHit(t *testing.T) {
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{EMCInsertInvProb: EMCDisabled})
	w := dp.Worker(0)
	b := newBatchOf(distinctFrames(ports.BatchSize)...)
	w.ProcessBatch(1, b)
	k := w.keys[0]
	c := w.cls[1]
	if f, _ := c.lookup(&k); f == nil {
		t.Fatal("no megaflow")
	}
	requireNoAllocs(t, "dpcls lookup", func() { c.lookup(&k) })
	requireNoAllocs(t, "pipeline (megaflow hits)", func() { w.ProcessBatch(1, b) })
}

// TestAllocsActions executes every action kind (hooks installed) on a
// packet and flushes the tx batches.
func TestAllocsActions(t *testing.T) {
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{})
	dp.SetControllerHook(&countingController{})
	dp.SetTunnelHook(fakeTunnel{})
	w := dp.Worker(0)
	frame := udpFrame(2, 1, 1, 2, 3, 4)
	tagged := vlanFrame(frame, 7)
	encap := append(binary.BigEndian.AppendUint64(nil, 42), frame...)
	rx := ports.NewBatch()
	tests := []struct {
		name  string
		frame []byte
		acts  Actions
	}{
		{"output", frame, Actions{Output(2)}},
		{"output twice", frame, Actions{Output(2), Output(3)}},
		{"output copy", frame, Actions{Output(2), SetEthSrc(mac(9)), Output(3)}},
		{"drop", frame, nil},
		{"push vlan", frame, Actions{PushVLAN(ethTypeVLAN, 10), Output(2)}},
		{"pop vlan", tagged, Actions{PopVLAN(), Output(2)}},
		{"set eth", frame, Actions{SetEthSrc(mac(5)), SetEthDst(mac(6)), Output(2)}},
		{"set ipv4", frame, Actions{SetIPv4Src(7), SetIPv4Dst(8), SetIPv4Tos(4), SetIPv4TTL(9), Output(2)}},
		{"set tp", frame, Actions{SetTpSrc(ipProtoUDP, 1), SetTpDst(ipProtoUDP, 2), Output(2)}},
		{"dec ttl", frame, Actions{DecTTL(), Output(2)}},
		{"set arp", arpFrame(1, 1, 2), Actions{SetARPOp(2), SetARPSha(mac(3)), SetARPTha(mac(1)), SetARPSpa(2), SetARPTpa(1), Output(2)}},
		{"userspace", frame, Actions{Userspace(1), Output(2)}},
		{"tunnel push", frame, Actions{TunnelPush(7, 3, 42), Output(2)}},
		{"tunnel pop", encap, Actions{TunnelPop(7)}},
		{"unknown port", frame, Actions{Output(99)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fillBatch(rx, tt.frame)
			requireNoAllocs(t, tt.name, func() {
				p := &w.pkts[0]
				p.Buf, p.Off, p.Len = rx.Bufs[0], ports.Headroom, len(tt.frame)
				copy(p.Buf[ports.Headroom:], tt.frame)
				flow.Extract(p.Frame(), 1, &w.keys[0], &p.L)
				w.copyNext = 0
				w.execute(p, &w.keys[0], tt.acts, 0)
				w.recirc.N = 0
				w.flushTx()
			})
		})
	}
}

// TestAllocsFullBatch: fake source Read -> ProcessBatch -> sink Write.
func TestAllocsFullBatch(t *testing.T) {
	for _, emc := range []int{1, EMCDisabled} {
		dp, s2, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{EMCInsertInvProb: emc})
		src := newSource(t, "p1", distinctFrames(ports.BatchSize)...)
		w := dp.Worker(0)
		b := ports.NewBatch()
		run := func() {
			src.inject(ports.BatchSize)
			b.Reset()
			src.Read(b)
			w.ProcessBatch(1, b)
		}
		run()
		requireNoAllocs(t, "full batch", run)
		if s2.packets.Load() < 200*ports.BatchSize {
			t.Fatalf("sink got %d", s2.packets.Load())
		}
	}
}

// TestAllocsRecirculation: tunnel pop and the recirculated pass through
// the full pipeline allocate nothing once the flows are installed.
func TestAllocsRecirculation(t *testing.T) {
	const tnlPort = 7
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		mask.SetTunID(^uint64(0))
		if k.InPort() == tnlPort {
			*acts = append(*acts, Output(2))
		} else {
			*acts = append(*acts, TunnelPop(tnlPort))
		}
		return nil
	})
	dp, s2, _ := newTestDP(t, up, Config{})
	dp.SetTunnelHook(fakeTunnel{})
	frames := make([][]byte, ports.BatchSize)
	for i := range frames {
		frames[i] = append(binary.BigEndian.AppendUint64(nil, uint64(i%4)), udpFrame(2, 1, 1, 2, 3, 4)...)
	}
	rx := ports.NewBatch()
	w := dp.Worker(0)
	run := func() {
		fillBatch(rx, frames...)
		w.ProcessBatch(4, rx)
	}
	run()
	requireNoAllocs(t, "recirculation", run)
	if s2.packets.Load() < 201*ports.BatchSize || dp.FlowCount() != 5 {
		t.Fatalf("sink %d, flows %d", s2.packets.Load(), dp.FlowCount())
	}
}
