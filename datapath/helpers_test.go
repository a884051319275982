package datapath

import (
	"encoding/binary"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

// Frame construction for tests.
const (
	testEthLen  = 14
	testIPv4Len = 20
	testUDPLen  = 8
	testPayload = 18 // 14+20+8+18 = 60 bytes, a minimum-size frame
	testTTL     = 64
	ethTypeIPv4 = 0x0800
	ethTypeVLAN = 0x8100
)

func mac(b byte) [6]byte { return [6]byte{0, 0, 0, 0, 0, b} }

// udpFrame builds an Ethernet/IPv4/UDP frame with valid checksums.
func udpFrame(dst, src byte, sip, dip uint32, sport, dport uint16) []byte {
	f := make([]byte, testEthLen+testIPv4Len+testUDPLen+testPayload)
	d, s := mac(dst), mac(src)
	copy(f[0:6], d[:])
	copy(f[6:12], s[:])
	binary.BigEndian.PutUint16(f[12:], ethTypeIPv4)
	ip := f[testEthLen:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(testIPv4Len+testUDPLen+testPayload))
	ip[8] = testTTL
	ip[9] = ipProtoUDP
	binary.BigEndian.PutUint32(ip[12:], sip)
	binary.BigEndian.PutUint32(ip[16:], dip)
	binary.BigEndian.PutUint16(ip[10:], ipChecksum(ip[:testIPv4Len]))
	udp := ip[testIPv4Len:]
	binary.BigEndian.PutUint16(udp[0:], sport)
	binary.BigEndian.PutUint16(udp[2:], dport)
	binary.BigEndian.PutUint16(udp[4:], uint16(testUDPLen+testPayload))
	return f
}

// vlanFrame inserts an 802.1Q tag with vid into f.
func vlanFrame(f []byte, vid uint16) []byte {
	out := make([]byte, 0, len(f)+4)
	out = append(out, f[:12]...)
	out = binary.BigEndian.AppendUint16(out, ethTypeVLAN)
	out = binary.BigEndian.AppendUint16(out, vid)
	return append(out, f[12:]...)
}

func ipChecksum(h []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(h); i += 2 {
		if i == 10 {
			continue
		}
		sum += uint32(binary.BigEndian.Uint16(h[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// fillBatch copies frames into b (Headroom offset).
func fillBatch(b *ports.Batch, frames ...[]byte) {
	b.Reset()
	for i, f := range frames {
		b.Len[i] = copy(b.Bufs[i][ports.Headroom:], f)
	}
	b.N = len(frames)
}

// --- Upcaller ---------------------------------------------------------------

// testUpcaller translates with fn (swappable) and counts calls.
type testUpcaller struct {
	mu    sync.Mutex
	fn    func(k, mask *flow.Key, acts *Actions) error // guarded by mu
	calls atomic.Int64
}

func newUpcaller(fn func(k, mask *flow.Key, acts *Actions) error) *testUpcaller {
	return &testUpcaller{fn: fn}
}

func (u *testUpcaller) Upcall(k, mask *flow.Key, acts *Actions) error {
	u.calls.Add(1)
	u.mu.Lock()
	fn := u.fn
	u.mu.Unlock()
	return fn(k, mask, acts)
}

func (u *testUpcaller) set(fn func(k, mask *flow.Key, acts *Actions) error) {
	u.mu.Lock()
	u.fn = fn
	u.mu.Unlock()
}

var errTestUpcall = errors.New("test upcall failure")

// maskEthDst un-wildcards eth_dst (in_port is forced by the datapath).
func maskEthDst(m *flow.Key) { m.SetEthDst([6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) }

// outputTo returns an upcall that matches on eth_dst and outputs to port.
func outputTo(port flow.PortNo) func(k, mask *flow.Key, acts *Actions) error {
	return func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = append(*acts, Output(port))
		return nil
	}
}

// --- Ports ------------------------------------------------------------------

// sinkPort counts what is written and keeps a copy of the last frames
// written (bounded; no allocation after creation).
type sinkPort struct {
	name    string
	noCopy  bool // benchmarks: count only
	pr, pw  *os.File
	mu      sync.Mutex
	frames  [ports.BatchSize][ports.BufLen]byte // guarded by mu
	lens    [ports.BatchSize]int                // guarded by mu
	nlast   int                                 // guarded by mu
	writes  atomic.Int64
	packets atomic.Int64
	bytes   atomic.Int64
}

func newSink(t testing.TB, name string) *sinkPort {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &sinkPort{name: name, pr: pr, pw: pw}
	t.Cleanup(func() { pr.Close(); pw.Close() })
	return s
}

func (s *sinkPort) Name() string                     { return s.name }
func (s *sinkPort) Read(b *ports.Batch) (int, error) { b.N = 0; return 0, nil }
func (s *sinkPort) PollFD() int                      { return int(s.pr.Fd()) }
func (s *sinkPort) Close() error                     { return nil }
func (s *sinkPort) Stats() ports.Stats {
	return ports.Stats{TxPackets: uint64(s.packets.Load()), TxBytes: uint64(s.bytes.Load())}
}

func (s *sinkPort) Write(b *ports.Batch) (int, error) {
	if s.noCopy {
		s.writes.Add(1)
		s.packets.Add(int64(b.N))
		return b.N, nil
	}
	s.mu.Lock()
	s.nlast = b.N
	var n int64
	for i := 0; i < b.N; i++ {
		s.lens[i] = copy(s.frames[i][:], b.Frame(i))
		n += int64(b.Len[i])
	}
	s.mu.Unlock()
	s.writes.Add(1)
	s.packets.Add(int64(b.N))
	s.bytes.Add(n)
	return b.N, nil
}

// last returns copies of the frames of the last Write.
func (s *sinkPort) last() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, s.nlast)
	for i := range out {
		out[i] = append([]byte(nil), s.frames[i][:s.lens[i]]...)
	}
	return out
}

// sourcePort replays frames (cycling over a list) as many times as
// injected; its PollFD (a pipe) is readable while frames are pending.
type sourcePort struct {
	name    string
	frames  [][]byte
	pr, pw  *os.File
	mu      sync.Mutex
	pending int // guarded by mu
	next    int // guarded by mu
	rx      atomic.Int64
	one     [1]byte
}

func newSource(t testing.TB, name string, frames ...[]byte) *sourcePort {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &sourcePort{name: name, frames: frames, pr: pr, pw: pw}
	t.Cleanup(func() { pr.Close(); pw.Close() })
	return s
}

// inject makes n more frames available.
func (s *sourcePort) inject(n int) {
	s.mu.Lock()
	if s.pending == 0 && n > 0 {
		_, _ = s.pw.Write(s.one[:])
	}
	s.pending += n
	s.mu.Unlock()
}

func (s *sourcePort) Name() string                      { return s.name }
func (s *sourcePort) Write(b *ports.Batch) (int, error) { return b.N, nil }
func (s *sourcePort) PollFD() int                       { return int(s.pr.Fd()) }
func (s *sourcePort) Close() error                      { return nil }
func (s *sourcePort) Stats() ports.Stats                { return ports.Stats{RxPackets: uint64(s.rx.Load())} }

func (s *sourcePort) Read(b *ports.Batch) (int, error) {
	s.mu.Lock()
	n := min(s.pending, ports.BatchSize)
	for i := 0; i < n; i++ {
		f := s.frames[s.next]
		s.next = (s.next + 1) % len(s.frames)
		b.Off[i] = ports.Headroom
		b.Len[i] = copy(b.Bufs[i][ports.Headroom:], f)
	}
	s.pending -= n
	if n > 0 && s.pending == 0 {
		_, _ = s.pr.Read(s.one[:])
	}
	s.mu.Unlock()
	b.N = n
	s.rx.Add(int64(n))
	return n, nil
}

// fakeClock is an injectable monotonic clock (ns).
type fakeClock struct{ ns atomic.Int64 }

func (c *fakeClock) now() int64       { return c.ns.Load() }
func (c *fakeClock) advance(ns int64) { c.ns.Add(ns) }

const (
	msNs  = int64(1000 * 1000)
	secNs = 1000 * msNs
)

// newTestDP returns a not-started Datapath with sinks on ports 2 and 3.
func newTestDP(t testing.TB, up Upcaller, cfg Config) (*Datapath, *sinkPort, *sinkPort) {
	t.Helper()
	dp, err := New(up, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s2, s3 := newSink(t, "p2"), newSink(t, "p3")
	if err := dp.AddPort(2, s2); err != nil {
		t.Fatal(err)
	}
	if err := dp.AddPort(3, s3); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dp.Close() })
	return dp, s2, s3
}

func newBatchOf(frames ...[]byte) *ports.Batch {
	b := ports.NewBatch()
	fillBatch(b, frames...)
	return b
}

// arpFrame builds an Ethernet/ARP request from mac(src)/sip for tip.
func arpFrame(src byte, sip, tip uint32) []byte {
	f := make([]byte, testEthLen+28)
	for i := range 6 {
		f[i] = 0xff
	}
	s := mac(src)
	copy(f[6:12], s[:])
	binary.BigEndian.PutUint16(f[12:], 0x0806)
	a := f[testEthLen:]
	binary.BigEndian.PutUint16(a[0:], 1)      // Ethernet
	binary.BigEndian.PutUint16(a[2:], 0x0800) // IPv4
	a[4], a[5] = 6, 4
	binary.BigEndian.PutUint16(a[6:], 1) // request
	copy(a[8:14], s[:])
	binary.BigEndian.PutUint32(a[14:], sip)
	binary.BigEndian.PutUint32(a[24:], tip)
	return f
}
