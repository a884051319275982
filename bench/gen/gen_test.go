package gen

import (
	"encoding/binary"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"govs/ports"
	"govs/ports/memport"
)

var testSpec = Spec{
	SrcMAC: net.HardwareAddr{2, 0x67, 0x62, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0x67, 0x62, 0, 0, 2},
	SrcIP: netip.MustParseAddr("10.203.0.1"), DstIP: netip.MustParseAddr("10.204.0.2"),
	SrcPort: PortBase, DstPort: 9,
}

func spec(size int) Spec { s := testSpec; s.Size = size; return s }

func mustTemplate(t testing.TB, size int) []byte {
	t.Helper()
	f, err := Template(spec(size))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// decode parses f with gopacket and fails on any decoding error.
func decode(t *testing.T, f []byte) (*layers.Ethernet, *layers.IPv4, *layers.UDP) {
	t.Helper()
	p := gopacket.NewPacket(f, layers.LayerTypeEthernet, gopacket.Default)
	if el := p.ErrorLayer(); el != nil {
		t.Fatalf("decode: %v", el.Error())
	}
	eth, _ := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	udp, _ := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if eth == nil || ip == nil || udp == nil {
		t.Fatalf("missing layers in %x", f)
	}
	return eth, ip, udp
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		name string
		size int
		ok   bool
	}{
		{"64", 64, true}, {"512", 512, true}, {"1500", 1500, true}, {"1518", 1518, true},
		{"too small", 63, false}, {"too big", 1519, false}, {"zero", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Template(spec(tt.size))
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok {
				return
			}
			if len(f) != tt.size-FCSLen {
				t.Fatalf("len = %d, want %d", len(f), tt.size-FCSLen)
			}
			eth, ip, udp := decode(t, f)
			if eth.SrcMAC.String() != testSpec.SrcMAC.String() || eth.DstMAC.String() != testSpec.DstMAC.String() {
				t.Errorf("macs %v %v", eth.SrcMAC, eth.DstMAC)
			}
			if ip.SrcIP.String() != "10.203.0.1" || ip.DstIP.String() != "10.204.0.2" || ip.TTL != ipTTL {
				t.Errorf("ip %v -> %v ttl %d", ip.SrcIP, ip.DstIP, ip.TTL)
			}
			if int(ip.Length) != len(f)-ethLen || IPv4Checksum(f[offIP:offIP+ipv4Len]) != 0 {
				t.Errorf("ip length %d / checksum invalid", ip.Length)
			}
			if udp.SrcPort != PortBase || udp.DstPort != 9 || int(udp.Length) != len(f)-offUDP {
				t.Errorf("udp %d -> %d len %d", udp.SrcPort, udp.DstPort, udp.Length)
			}
		})
	}
	bad := spec(64)
	bad.SrcIP = netip.MustParseAddr("::1")
	if _, err := Template(bad); err == nil {
		t.Error("IPv6 source accepted")
	}
}

func TestFlows(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		varyMAC bool
	}{
		{"1 flow", 1, false}, {"1000 flows", 1000, false}, {"100000 flows", 100000, false},
		{"1000 flows new MACs", 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustTemplate(t, 64)
			fl, err := NewFlows(f, tt.n, tt.varyMAC)
			if err != nil {
				t.Fatal(err)
			}
			type tuple struct {
				src  [4]byte
				port uint16
				mac  [6]byte
			}
			seen := make(map[tuple]bool)
			for i := range uint64(2 * tt.n) {
				fl.Apply(f, i)
				var k tuple
				copy(k.src[:], f[offIPSrc:])
				k.port = binary.BigEndian.Uint16(f[offUDPSport:])
				copy(k.mac[:], f[offSrcMAC:])
				seen[k] = true
				if IPv4Checksum(f[offIP:offIP+ipv4Len]) != 0 {
					t.Fatalf("flow %d: bad IPv4 checksum", i)
				}
				if i%997 == 0 { // spot-check with gopacket
					_, ip, udp := decode(t, f)
					if want := netip.AddrFrom4(k.src); ip.SrcIP.String() != want.String() || uint16(udp.SrcPort) != k.port {
						t.Fatalf("flow %d decoded as %v:%d", i, ip.SrcIP, udp.SrcPort)
					}
				}
			}
			if len(seen) != tt.n {
				t.Fatalf("%d distinct flows, want %d", len(seen), tt.n)
			}
		})
	}
	for _, n := range []int{0, -1, MaxFlows + 1} {
		if _, err := NewFlows(mustTemplate(t, 64), n, false); err == nil {
			t.Errorf("NewFlows(%d) accepted", n)
		}
	}
}

func TestStamp(t *testing.T) {
	f := mustTemplate(t, 64)
	PutStamp(f, 42, 123456789)
	seq, ns, ok := ParseStamp(f)
	if !ok || seq != 42 || ns != 123456789 {
		t.Fatalf("ParseStamp = %d %d %v", seq, ns, ok)
	}
	tests := []struct {
		name string
		mut  func([]byte) []byte
	}{
		{"short", func(b []byte) []byte { return b[:OffPayload+StampLen-1] }},
		{"not IPv4", func(b []byte) []byte { b[offEthType] = 0x86; return b }},
		{"IP options", func(b []byte) []byte { b[offIP] = 0x46; return b }},
		{"TCP", func(b []byte) []byte { b[offIPProto] = 6; return b }},
		{"bad magic", func(b []byte) []byte { b[OffPayload] ^= 1; return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.mut(append([]byte(nil), f...))
			if _, _, ok := ParseStamp(g); ok {
				t.Fatal("accepted")
			}
		})
	}
}

func FuzzParseStamp(f *testing.F) {
	tmpl := mustTemplate(f, 64)
	PutStamp(tmpl, 7, 99)
	f.Add(tmpl)
	f.Add([]byte{})
	f.Add(tmpl[:OffPayload])
	f.Fuzz(func(t *testing.T, b []byte) {
		seq, ns, ok := ParseStamp(b)
		if !ok {
			return
		}
		c := append([]byte(nil), b...)
		PutStamp(c, seq, ns)
		if s2, n2, ok2 := ParseStamp(c); !ok2 || s2 != seq || n2 != ns {
			t.Fatalf("round trip: %d %d %v", s2, n2, ok2)
		}
	})
}

func TestHistogram(t *testing.T) {
	tests := []struct {
		name   string
		values []int64
		q      float64
		want   int64
	}{
		{"empty", nil, 0.5, 0},
		{"small exact", []int64{1, 2, 3, 4, 5}, 0.5, 3},
		{"negative is 0", []int64{-5}, 0.99, 0},
		{"p99 of 1..1000us", seqUs(1000), 0.99, 990_000},
		{"p50 of 1..1000us", seqUs(1000), 0.5, 500_000},
		{"huge clamped", []int64{1 << 50}, 1, histMax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h Histogram
			for _, v := range tt.values {
				h.Record(v)
			}
			got := h.Quantile(tt.q)
			// 1/histSub relative error of the log-linear buckets.
			tol := tt.want/histSub + 1
			if got < tt.want-tol || got > tt.want+tol {
				t.Fatalf("Quantile(%v) = %d, want %d ± %d", tt.q, got, tt.want, tol)
			}
		})
	}
	var a, b Histogram
	a.Record(10)
	b.Record(20)
	a.Merge(&b)
	if a.Count() != 2 {
		t.Fatalf("merged count %d", a.Count())
	}
	for v := uint64(0); v < 1<<20; v = v*3/2 + 1 {
		if i := bucketOf(v); i < 0 || i >= histBuckets {
			t.Fatalf("bucketOf(%d) = %d", v, i)
		}
	}
	if bucketOf(histMax) != histBuckets-1 {
		t.Fatalf("bucketOf(max) = %d, want %d", bucketOf(histMax), histBuckets-1)
	}
}

func seqUs(n int) []int64 {
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(i+1) * int64(time.Microsecond)
	}
	return v
}

// memPair is a sender and a sink over one memport: the sender's writes are
// drained and re-injected for the sink.
func memLoop(t testing.TB, flows int) (*Sender, *Sink, *memport.Port, *memport.Port) {
	tx, err := memport.New("tx", 0)
	if err != nil {
		t.Fatal(err)
	}
	rx, err := memport.New("rx", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Close(); rx.Close() })
	tmpl := mustTemplate(t, 64)
	fl, err := NewFlows(tmpl, flows, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSender(tx, tmpl, fl, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s, NewSink(rx, func(int, time.Duration) {}), tx, rx
}

func TestSenderSink(t *testing.T) {
	s, k, tx, rx := memLoop(t, 1000)
	b := ports.NewBatch()
	const batches = 10
	for range batches {
		if n, err := s.SendBatch(); n != ports.BatchSize || err != nil {
			t.Fatalf("SendBatch = %d, %v", n, err)
		}
		b.Reset()
		n, _ := tx.Drain(b)
		b.N = n
		rx.InjectBatch(b)
		if _, err := k.ReceiveBatch(); err != nil {
			t.Fatal(err)
		}
	}
	rx.Inject([]byte("not a stamped frame, long enough to be one...."))
	k.ReceiveBatch()
	if s.Sent() != batches*ports.BatchSize || k.Received() != batches*ports.BatchSize || k.Other() != 1 {
		t.Fatalf("sent %d received %d other %d", s.Sent(), k.Received(), k.Other())
	}
	if k.Histogram().Count() != k.Received() {
		t.Fatalf("histogram count %d", k.Histogram().Count())
	}
	// Stragglers below the minimum sequence are ignored.
	k.SetMinSeq(1 << 40)
	s.SendBatch()
	b.Reset()
	b.N, _ = tx.Drain(b)
	rx.InjectBatch(b)
	k.ReceiveBatch()
	if k.Received() != batches*ports.BatchSize {
		t.Fatalf("stragglers counted: %d", k.Received())
	}
}

func TestRunStops(t *testing.T) {
	s, k, _, _ := memLoop(t, 1)
	done := make(chan error, 1)
	go func() { done <- k.Run() }()
	if err := s.Run(50 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	k.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sink did not stop")
	}
	if s.Offered() == 0 {
		t.Fatal("nothing offered")
	}
}

func TestPacedRate(t *testing.T) {
	s, _, _, _ := memLoop(t, 1)
	s.rate = 1000 // frames/s: about 31 batches/s
	if err := s.Run(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// Loose bound: pacing must keep it far from the memport's capacity.
	if s.Offered() > 20*ports.BatchSize {
		t.Fatalf("offered %d frames in 100ms at 1000 frames/s", s.Offered())
	}
}

func TestAllocs(t *testing.T) {
	s, k, tx, rx := memLoop(t, 100000)
	b := ports.NewBatch()
	if a := testing.AllocsPerRun(100, func() {
		s.SendBatch()
		b.Reset()
		b.N, _ = tx.Drain(b)
		rx.InjectBatch(b)
	}); a != 0 {
		t.Errorf("send loop: %v allocs per batch", a)
	}
	if a := testing.AllocsPerRun(100, func() {
		rx.InjectBatch(b)
		k.ReceiveBatch()
	}); a != 0 {
		t.Errorf("receive loop: %v allocs per batch", a)
	}
	f := mustTemplate(t, 64)
	fl, _ := NewFlows(f, 1000, true)
	var h Histogram
	if a := testing.AllocsPerRun(100, func() {
		fl.Apply(f, 77)
		PutStamp(f, 1, Now())
		ParseStamp(f)
		h.Record(1234)
	}); a != 0 {
		t.Errorf("per-frame helpers: %v allocs", a)
	}
}

func BenchmarkSendBatch(b *testing.B) {
	s, _, tx, _ := memLoop(b, 100000)
	d := ports.NewBatch()
	b.ReportAllocs()
	for b.Loop() {
		s.SendBatch()
		d.Reset()
		tx.Drain(d)
	}
}

func BenchmarkReceiveBatch(b *testing.B) {
	s, k, tx, rx := memLoop(b, 1000)
	d := ports.NewBatch()
	s.SendBatch()
	d.N, _ = tx.Drain(d)
	b.ReportAllocs()
	for b.Loop() {
		rx.InjectBatch(d)
		k.ReceiveBatch()
	}
}

func TestWindow(t *testing.T) {
	s, _, _, _ := memLoop(t, 1)
	var got atomic.Uint64
	s.SetWindow(ports.BatchSize, got.Load)
	done := make(chan error, 1)
	go func() { done <- s.Run(300 * time.Millisecond) }()
	time.Sleep(100 * time.Millisecond)
	// Nothing was counted: the sender stops after one window, then
	// reopens it only once per windowStall.
	if n := s.Sent(); n > 2*ports.BatchSize*uint64(100*time.Millisecond/windowStall+2) {
		t.Fatalf("sent %d frames with a closed window", n)
	}
	got.Store(1 << 40) // everything arrived: the window opens
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.SetWindow(5, nil)
	if s.window != 0 {
		t.Fatal("window without a counter")
	}
}
