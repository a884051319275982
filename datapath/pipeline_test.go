package datapath

import (
	"bytes"
	"encoding/binary"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"defaults", Config{}, false},
		{"workers", Config{Workers: 3}, false},
		{"emc off", Config{EMCInsertInvProb: EMCDisabled}, false},
		{"negative workers", Config{Workers: -1}, true},
		{"negative limit", Config{FlowLimit: -1}, true},
		{"bad emc", Config{EMCInsertInvProb: -2}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dp, err := New(newUpcaller(outputTo(2)), tt.cfg)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if dp != nil {
				dp.Close()
			}
		})
	}
	if _, err := New(nil, Config{}); err == nil {
		t.Fatal("nil upcaller accepted")
	}
}

func TestPortTable(t *testing.T) {
	dp, s2, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{})
	if err := dp.AddPort(2, s2); err == nil {
		t.Fatal("duplicate port accepted")
	}
	if err := dp.AddPort(5, nil); err == nil {
		t.Fatal("nil port accepted")
	}
	if got := dp.PortName(2); got != "p2" {
		t.Fatalf("PortName(2) = %q", got)
	}
	if err := dp.RemovePort(9); err == nil {
		t.Fatal("removing unknown port succeeded")
	}
	if err := dp.RemovePort(2); err != nil {
		t.Fatal(err)
	}
	// Output to the removed port is counted as unknown.
	b := ports.NewBatch()
	fillBatch(b, udpFrame(2, 1, 1, 2, 1, 2))
	dp.Worker(0).ProcessBatch(1, b)
	if got := dp.Stats()[0].Drops[DropUnknownPort]; got != 1 {
		t.Fatalf("unknown-port drops = %d, want 1", got)
	}
}

// TestPipelineBasics covers miss/install, megaflow and EMC hits, stats
// per batch, duplicate misses in one batch, short frames and upcall errors.
func TestPipelineBasics(t *testing.T) {
	f := udpFrame(2, 1, 0x0a000001, 0x0a000002, 1000, 2000)
	tests := []struct {
		name       string
		cfg        Config
		upcall     func(k, mask *flow.Key, acts *Actions) error
		batches    [][][]byte
		wantSink2  int64
		wantFlows  int
		wantUp     int64
		wantStats  WorkerStats
		checkDrops map[DropReason]uint64
	}{
		{
			name:      "duplicate misses in one batch install once",
			upcall:    outputTo(2),
			batches:   [][][]byte{{f, f, f, f}},
			wantSink2: 4, wantFlows: 1, wantUp: 1,
			wantStats: WorkerStats{RxPackets: 4, MegaflowHits: 3, MissUpcallOK: 1},
		},
		{
			name:      "emc always: second batch hits the emc",
			cfg:       Config{EMCInsertInvProb: 1},
			upcall:    outputTo(2),
			batches:   [][][]byte{{f}, {f, f}},
			wantSink2: 3, wantFlows: 1, wantUp: 1,
			wantStats: WorkerStats{RxPackets: 3, EMCHits: 2, MissUpcallOK: 1},
		},
		{
			name:      "emc off: megaflow hits only",
			cfg:       Config{EMCInsertInvProb: EMCDisabled},
			upcall:    outputTo(2),
			batches:   [][][]byte{{f}, {f, f}},
			wantSink2: 3, wantFlows: 1, wantUp: 1,
			wantStats: WorkerStats{RxPackets: 3, MegaflowHits: 2, MissUpcallOK: 1},
		},
		{
			name:      "upcall error drops and installs nothing",
			upcall:    func(k, mask *flow.Key, acts *Actions) error { return errTestUpcall },
			batches:   [][][]byte{{f, f}},
			wantSink2: 0, wantFlows: 0, wantUp: 2,
			wantStats:  WorkerStats{RxPackets: 2, MissUpcallFailed: 2},
			checkDrops: map[DropReason]uint64{DropUpcallError: 2},
		},
		{
			name:      "short frame dropped before extract",
			upcall:    outputTo(2),
			batches:   [][][]byte{{f[:13], f}},
			wantSink2: 1, wantFlows: 1, wantUp: 1,
			wantStats:  WorkerStats{RxPackets: 2, MissUpcallOK: 1},
			checkDrops: map[DropReason]uint64{DropShortFrame: 1},
		},
		{
			name: "drop action",
			upcall: func(k, mask *flow.Key, acts *Actions) error {
				maskEthDst(mask)
				return nil
			},
			batches:   [][][]byte{{f, f}},
			wantFlows: 1, wantUp: 1,
			wantStats:  WorkerStats{RxPackets: 2, MegaflowHits: 1, MissUpcallOK: 1},
			checkDrops: map[DropReason]uint64{DropAction: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpcaller(tt.upcall)
			dp, s2, _ := newTestDP(t, up, tt.cfg)
			b := ports.NewBatch()
			for _, frames := range tt.batches {
				fillBatch(b, frames...)
				dp.Worker(0).ProcessBatch(1, b)
			}
			if got := s2.packets.Load(); got != tt.wantSink2 {
				t.Errorf("sink got %d packets, want %d", got, tt.wantSink2)
			}
			if got := s2.writes.Load(); tt.wantSink2 > 0 && got != int64(len(tt.batches)) {
				t.Errorf("sink got %d writes, want one per batch (%d)", got, len(tt.batches))
			}
			if got := dp.FlowCount(); got != tt.wantFlows {
				t.Errorf("flows = %d, want %d", got, tt.wantFlows)
			}
			if got := up.calls.Load(); got != tt.wantUp {
				t.Errorf("upcalls = %d, want %d", got, tt.wantUp)
			}
			s := dp.Stats()[0]
			got := WorkerStats{RxPackets: s.RxPackets, EMCHits: s.EMCHits, MegaflowHits: s.MegaflowHits,
				MissUpcallOK: s.MissUpcallOK, MissUpcallFailed: s.MissUpcallFailed}
			if got != tt.wantStats {
				t.Errorf("stats = %+v, want %+v", got, tt.wantStats)
			}
			for r, want := range tt.checkDrops {
				if s.Drops[r] != want {
					t.Errorf("drops[%v] = %d, want %d", r, s.Drops[r], want)
				}
			}
		})
	}
}

// TestFlowStats: one update per flow per batch; the upcalled packet is not
// counted (OVS); TCP flags are ORed.
func TestFlowStats(t *testing.T) {
	clk := &fakeClock{}
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{Clock: clk.now})
	f := udpFrame(2, 1, 1, 2, 3, 4)
	b := ports.NewBatch()
	fillBatch(b, f, f, f)
	w := dp.Worker(0)
	w.ProcessBatch(1, b)
	var fl *megaflow
	for _, x := range w.allFlows() {
		fl = x
	}
	if fl == nil || fl.packets != 2 || fl.bytes != uint64(2*len(f)) || !fl.everUsed {
		t.Fatalf("flow stats = %+v", fl)
	}
}

func TestFlowLimit(t *testing.T) {
	up := newUpcaller(outputTo(2))
	dp, s2, _ := newTestDP(t, up, Config{FlowLimit: 2})
	b := ports.NewBatch()
	fillBatch(b, udpFrame(10, 1, 1, 2, 3, 4), udpFrame(11, 1, 1, 2, 3, 4),
		udpFrame(12, 1, 1, 2, 3, 4), udpFrame(12, 1, 1, 2, 3, 4))
	dp.Worker(0).ProcessBatch(1, b)
	if got := dp.FlowCount(); got != 2 {
		t.Fatalf("flows = %d, want 2", got)
	}
	if got := s2.packets.Load(); got != 4 {
		t.Fatalf("sink got %d, want 4 (limit-hit packets are still executed)", got)
	}
	s := dp.Stats()[0]
	if s.Lost != 2 || s.MissUpcallOK != 4 {
		t.Fatalf("lost = %d, missOK = %d; want 2, 4", s.Lost, s.MissUpcallOK)
	}
	if err := dp.SetFlowLimit(0); err == nil {
		t.Fatal("SetFlowLimit(0) accepted")
	}
	if err := dp.SetFlowLimit(3); err != nil {
		t.Fatal(err)
	}
	dp.Worker(0).ProcessBatch(1, b)
	if got := dp.FlowCount(); got != 3 {
		t.Fatalf("flows after raising limit = %d, want 3", got)
	}
}

func TestIdleExpiry(t *testing.T) {
	clk := &fakeClock{}
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{Clock: clk.now, MaxIdle: 10 * secNsDuration})
	w := dp.Worker(0)
	b := ports.NewBatch()
	busy, idle := udpFrame(20, 1, 1, 2, 3, 4), udpFrame(21, 1, 1, 2, 3, 4)
	fillBatch(b, busy, idle)
	w.ProcessBatch(1, b)
	steps := []struct {
		at        int64 // clock time
		traffic   bool  // the busy flow gets a packet
		wantFlows int
	}{
		{5 * secNs, true, 2},            // both younger than 10 s
		{10 * secNs, true, 1},           // idle flow created at 0: 10 s idle, removed
		{11 * secNs, false, 1},          // busy flow used at 10 s
		{20*secNs - 200*msNs, false, 1}, // 9.8 s idle
		{20 * secNs, false, 0},          // 10 s idle
	}
	for i, s := range steps {
		clk.ns.Store(s.at)
		if s.traffic {
			fillBatch(b, busy)
		} else {
			b.N = 0
		}
		w.ProcessBatch(1, b)
		if got := dp.FlowCount(); got != s.wantFlows {
			t.Fatalf("step %d: flows = %d, want %d", i, got, s.wantFlows)
		}
	}
	// Expiry runs at most every 100 ms of loop time.
	fillBatch(b, busy)
	w.ProcessBatch(1, b)
	clk.ns.Store(40 * secNs)
	w.nextExpire = 40*secNs + 50*msNs
	b.N = 0
	w.ProcessBatch(1, b)
	if dp.FlowCount() != 1 {
		t.Fatal("expiry ran before its interval")
	}
	clk.ns.Store(40*secNs + 50*msNs)
	w.ProcessBatch(1, b)
	if dp.FlowCount() != 0 {
		t.Fatal("expiry did not run at its interval")
	}
}

const secNsDuration = 1e9

func TestRevalidate(t *testing.T) {
	for _, emc := range []int{1, EMCDisabled} {
		up := newUpcaller(outputTo(2))
		dp, s2, s3 := newTestDP(t, up, Config{EMCInsertInvProb: emc})
		w := dp.Worker(0)
		b := ports.NewBatch()
		f := udpFrame(2, 1, 1, 2, 3, 4)
		fillBatch(b, f)
		w.ProcessBatch(1, b)
		w.ProcessBatch(1, b) // cached (EMC when emc=1)
		if s2.packets.Load() != 2 {
			t.Fatalf("emc=%d: sink2 = %d", emc, s2.packets.Load())
		}
		// Actions change only: updated in place, next batch uses them.
		up.set(outputTo(3))
		dp.Revalidate()
		if dp.FlowCount() != 1 {
			t.Fatalf("emc=%d: flow deleted on action change", emc)
		}
		calls := up.calls.Load()
		w.ProcessBatch(1, b)
		if s3.packets.Load() != 1 || s2.packets.Load() != 2 || up.calls.Load() != calls {
			t.Fatalf("emc=%d: after revalidate sink2=%d sink3=%d", emc, s2.packets.Load(), s3.packets.Load())
		}
		// Narrower mask: deleted.
		up.set(func(k, mask *flow.Key, acts *Actions) error {
			maskEthDst(mask)
			mask.SetEthSrc([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			*acts = append(*acts, Output(2))
			return nil
		})
		dp.Revalidate()
		if dp.FlowCount() != 0 {
			t.Fatalf("emc=%d: narrower mask kept the flow", emc)
		}
		w.ProcessBatch(1, b)
		if dp.FlowCount() != 1 || s2.packets.Load() != 3 {
			t.Fatalf("emc=%d: reinstall failed", emc)
		}
		// Error: deleted; Flush: all deleted.
		up.set(func(k, mask *flow.Key, acts *Actions) error { return errTestUpcall })
		dp.Revalidate()
		if dp.FlowCount() != 0 {
			t.Fatalf("emc=%d: failing translation kept the flow", emc)
		}
		up.set(outputTo(2))
		w.ProcessBatch(1, b)
		dp.Flush()
		if dp.FlowCount() != 0 || dp.Stats()[0].Subtables != 0 {
			t.Fatalf("emc=%d: flush left flows", emc)
		}
		calls = up.calls.Load()
		w.ProcessBatch(1, b)
		if up.calls.Load() != calls+1 {
			t.Fatalf("emc=%d: packet after flush did not miss", emc)
		}
	}
}

func TestVLANPushPop(t *testing.T) {
	const vid = 10
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		mask.SetVLAN(0, 0xffff, 0xffff)
		if _, tci := k.VLAN(0); tci != 0 {
			*acts = append(*acts, PopVLAN(), Output(2))
		} else {
			*acts = append(*acts, PushVLAN(ethTypeVLAN, vid), Output(3))
		}
		return nil
	})
	dp, s2, s3 := newTestDP(t, up, Config{})
	b := ports.NewBatch()
	plain := udpFrame(2, 1, 1, 2, 3, 4)
	tagged := vlanFrame(plain, vid)
	fillBatch(b, plain, tagged)
	dp.Worker(0).ProcessBatch(1, b)
	if got := s3.last(); len(got) != 1 || !bytes.Equal(got[0], tagged) {
		t.Fatalf("push_vlan output = %x\nwant %x", got, tagged)
	}
	if got := s2.last(); len(got) != 1 || !bytes.Equal(got[0], plain) {
		t.Fatalf("pop_vlan output = %x\nwant %x", got, plain)
	}
}

// TestOutputCopy: output, modify, output sends the unmodified frame first.
func TestOutputCopy(t *testing.T) {
	newSrc := mac(0x55)
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = append(*acts, Output(2), SetEthSrc(newSrc), Output(3), Output(2))
		return nil
	})
	dp, s2, s3 := newTestDP(t, up, Config{})
	b := ports.NewBatch()
	f := udpFrame(2, 1, 1, 2, 3, 4)
	fillBatch(b, f)
	dp.Worker(0).ProcessBatch(1, b)
	mod := append([]byte(nil), f...)
	copy(mod[6:12], newSrc[:])
	got2, got3 := s2.last(), s3.last()
	if len(got2) != 2 || !bytes.Equal(got2[0], f) || !bytes.Equal(got2[1], mod) {
		t.Fatalf("port 2 got %x", got2)
	}
	if len(got3) != 1 || !bytes.Equal(got3[0], mod) {
		t.Fatalf("port 3 got %x", got3)
	}
	if s2.writes.Load() != 1 {
		t.Fatalf("port 2 written %d times, want 1", s2.writes.Load())
	}
}

// TestExecuteActions runs each action kind on a frame.
func TestExecuteActions(t *testing.T) {
	base := udpFrame(2, 1, 0x0a000001, 0x0a000002, 1000, 2000)
	tests := []struct {
		name  string
		act   Action
		check func(f []byte) bool
		drop  DropReason
	}{
		{"set eth src", SetEthSrc(mac(9)), func(f []byte) bool { return f[11] == 9 }, 0},
		{"set eth dst", SetEthDst(mac(8)), func(f []byte) bool { return f[5] == 8 }, 0},
		{"set ipv4 src", SetIPv4Src(0x0b000001), func(f []byte) bool {
			return binary.BigEndian.Uint32(f[26:]) == 0x0b000001 && ipChecksum(f[14:34]) == binary.BigEndian.Uint16(f[24:])
		}, 0},
		{"set ipv4 dst", SetIPv4Dst(0x0b000002), func(f []byte) bool { return binary.BigEndian.Uint32(f[30:]) == 0x0b000002 }, 0},
		{"set tos", SetIPv4Tos(0x10), func(f []byte) bool { return f[15] == 0x10 }, 0},
		{"set ttl", SetIPv4TTL(5), func(f []byte) bool { return f[22] == 5 }, 0},
		{"dec ttl", DecTTL(), func(f []byte) bool { return f[22] == testTTL-1 }, 0},
		{"set tp src", SetTpSrc(ipProtoUDP, 7), func(f []byte) bool { return binary.BigEndian.Uint16(f[34:]) == 7 }, 0},
		{"set tp dst", SetTpDst(ipProtoUDP, 8), func(f []byte) bool { return binary.BigEndian.Uint16(f[36:]) == 8 }, 0},
		{"push vlan", PushVLAN(ethTypeVLAN, 5), func(f []byte) bool { return binary.BigEndian.Uint16(f[14:]) == 5 }, 0},
		{"pop vlan (none)", PopVLAN(), func(f []byte) bool { return bytes.Equal(f, base) }, 0},
		{"userspace without hook", Userspace(1), func(f []byte) bool { return bytes.Equal(f, base) }, DropNoController},
		{"tunnel push without hook", TunnelPush(7, 3, 1), nil, DropNoTunnelHook},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
				maskEthDst(mask)
				*acts = append(*acts, tt.act, Output(2))
				return nil
			})
			dp, s2, _ := newTestDP(t, up, Config{})
			b := ports.NewBatch()
			fillBatch(b, base)
			dp.Worker(0).ProcessBatch(1, b)
			if tt.check != nil {
				got := s2.last()
				if len(got) != 1 || !tt.check(got[0]) {
					t.Fatalf("frame = %x", got)
				}
			}
			if tt.drop != 0 && dp.Stats()[0].Drops[tt.drop] != 1 {
				t.Fatalf("drop %v not counted", tt.drop)
			}
		})
	}
}

// TestExecuteARPActions turns an ARP request into the reply an ARP
// responder flow makes, and leaves a non-ARP frame alone.
func TestExecuteARPActions(t *testing.T) {
	acts := Actions{SetARPOp(2), SetARPSha(mac(0xfe)), SetARPSpa(0x0a0000fe), SetARPTha(mac(1)), SetARPTpa(0x0a000001), Output(2)}
	up := newUpcaller(func(k, mask *flow.Key, a *Actions) error {
		maskEthDst(mask)
		*a = append(*a, acts...)
		return nil
	})
	dp, s2, _ := newTestDP(t, up, Config{})
	b := ports.NewBatch()
	fillBatch(b, arpFrame(1, 0x0a000001, 0x0a0000fe))
	dp.Worker(0).ProcessBatch(1, b)
	got := s2.last()
	if len(got) != 1 {
		t.Fatalf("%d frames out", len(got))
	}
	want := arpFrame(1, 0x0a000001, 0x0a0000fe)
	a := want[testEthLen:]
	binary.BigEndian.PutUint16(a[6:], 2)
	m := mac(0xfe)
	copy(a[8:14], m[:])
	binary.BigEndian.PutUint32(a[14:], 0x0a0000fe)
	m = mac(1)
	copy(a[18:24], m[:])
	binary.BigEndian.PutUint32(a[24:], 0x0a000001)
	if !bytes.Equal(got[0], want) {
		t.Fatalf("frame\n%x, want\n%x", got[0], want)
	}

	// A UDP frame is not ARP: unchanged.
	up2 := newUpcaller(func(k, mask *flow.Key, a *Actions) error {
		maskEthDst(mask)
		*a = append(*a, acts...)
		return nil
	})
	dp2, s3, _ := newTestDP(t, up2, Config{})
	udp := udpFrame(2, 1, 1, 2, 3, 4)
	fillBatch(b, udp)
	dp2.Worker(0).ProcessBatch(1, b)
	if got := s3.last(); len(got) != 1 || !bytes.Equal(got[0], udp) {
		t.Fatalf("non-ARP frame changed: %x", got)
	}
}

func TestDecTTLExpired(t *testing.T) {
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = append(*acts, DecTTL(), Output(2))
		return nil
	})
	dp, s2, _ := newTestDP(t, up, Config{})
	f := udpFrame(2, 1, 1, 2, 3, 4)
	f[22] = 1
	b := ports.NewBatch()
	fillBatch(b, f)
	dp.Worker(0).ProcessBatch(1, b)
	if s2.packets.Load() != 0 || dp.Stats()[0].Drops[DropTTL] != 1 {
		t.Fatalf("ttl=1 packet forwarded (%d) or not counted", s2.packets.Load())
	}
}

type recordingController struct {
	frames [][]byte
	cookie uint64
}

func (c *recordingController) Controller(frame []byte, k *flow.Key, cookie uint64) {
	c.frames = append(c.frames, append([]byte(nil), frame...))
	c.cookie = cookie
}

// fakeTunnel "encapsulates" by prepending an 8-byte marker carrying the
// hook data and decapsulates by stripping it into tun_id.
type fakeTunnel struct{}

const fakeTunHdr = 8

func (fakeTunnel) Push(p *flow.Packet, tnlPort flow.PortNo, data uint64) bool {
	if p.Off < fakeTunHdr {
		return false
	}
	p.Off -= fakeTunHdr
	p.Len += fakeTunHdr
	binary.BigEndian.PutUint64(p.Buf[p.Off:], data)
	return true
}

func (fakeTunnel) Pop(p *flow.Packet, port flow.PortNo, tun *flow.Key) bool {
	if p.Len < fakeTunHdr+ethHeaderLen {
		return false
	}
	tun.SetTunID(binary.BigEndian.Uint64(p.Buf[p.Off:]))
	p.Off += fakeTunHdr
	p.Len -= fakeTunHdr
	return true
}

func TestHooks(t *testing.T) {
	const tnlPort, cookie, vni = 7, 0xc0ffee, 42
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		mask.SetTunID(^uint64(0))
		switch {
		case k.InPort() == tnlPort && k.TunID() == vni:
			*acts = append(*acts, Output(2))
		case k.InPort() == tnlPort:
			*acts = append(*acts, TunnelPop(tnlPort)) // would recirculate twice
		case k.EthDst() == mac(2):
			*acts = append(*acts, Userspace(cookie), TunnelPush(tnlPort, 3, vni), Output(2))
		default:
			*acts = append(*acts, TunnelPop(tnlPort))
		}
		return nil
	})
	dp, s2, s3 := newTestDP(t, up, Config{})
	ctrl := &recordingController{}
	dp.SetControllerHook(ctrl)
	dp.SetTunnelHook(fakeTunnel{})
	inner := udpFrame(2, 1, 1, 2, 3, 4)
	b := ports.NewBatch()
	fillBatch(b, inner)
	dp.Worker(0).ProcessBatch(1, b)
	if len(ctrl.frames) != 1 || ctrl.cookie != cookie || !bytes.Equal(ctrl.frames[0], inner) {
		t.Fatalf("controller got %d frames, cookie %x", len(ctrl.frames), ctrl.cookie)
	}
	enc := s3.last()
	if len(enc) != 1 || binary.BigEndian.Uint64(enc[0]) != vni || !bytes.Equal(enc[0][fakeTunHdr:], inner) {
		t.Fatalf("tunnel push output = %x", enc)
	}
	if got := s2.last(); len(got) != 1 || !bytes.Equal(got[0], inner) {
		t.Fatalf("output after tunnel push = %x (push must work on a copy)", got)
	}
	// Tunnel pop: the encapsulated frame from an "underlay" port 4
	// recirculates as in_port 7 with tun_id 42 and reaches port 2.
	encap := append(binary.BigEndian.AppendUint64(nil, vni), udpFrame(9, 1, 1, 2, 3, 4)...)
	fillBatch(b, encap)
	dp.Worker(0).ProcessBatch(4, b)
	if got := s2.last(); len(got) != 1 || !bytes.Equal(got[0], encap[fakeTunHdr:]) {
		t.Fatalf("after tunnel pop port 2 got %x", got)
	}
	if dp.Stats()[0].Recirculations != 1 {
		t.Fatalf("recirculations = %d", dp.Stats()[0].Recirculations)
	}
	// Without hooks: counted drops.
	dp.SetTunnelHook(nil)
	dp.SetControllerHook(nil)
	dp.Flush()
	fillBatch(b, inner)
	dp.Worker(0).ProcessBatch(1, b)
	s := dp.Stats()[0]
	if s.Drops[DropNoController] != 1 || s.Drops[DropNoTunnelHook] != 1 {
		t.Fatalf("no-hook drops = %d, %d", s.Drops[DropNoController], s.Drops[DropNoTunnelHook])
	}
}

// TestUpcallerSliceNotReused: an Upcaller that hands out its own slice
// does not see it overwritten by later misses.
func TestUpcallerSliceNotReused(t *testing.T) {
	shared := make(Actions, 1, 4)
	shared[0] = Output(2)
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = shared[:1]
		return nil
	})
	other := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = append(*acts, Output(3))
		return nil
	})
	dp, _, _ := newTestDP(t, up, Config{FlowLimit: 1})
	w := dp.Worker(0)
	w.ProcessBatch(1, newBatchOf(udpFrame(2, 1, 1, 2, 3, 4), udpFrame(5, 1, 1, 2, 3, 4)))
	dp.up = other
	w.ProcessBatch(1, newBatchOf(udpFrame(6, 1, 1, 2, 3, 4), udpFrame(7, 1, 1, 2, 3, 4)))
	if shared[0] != Output(2) {
		t.Fatalf("upcaller's slice overwritten: %v", shared)
	}
}
