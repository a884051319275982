package tap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"govs/internal/netnstest"
	"govs/ports"
	"govs/ports/internal/porttest"
)

var (
	switchMAC = net.HardwareAddr{0x02, 0x67, 0x76, 0, 1, 2}
	otherMAC  = net.HardwareAddr{0x02, 0x67, 0x76, 0, 1, 3} // nobody: the stack drops it
	hostIP    = netip.MustParseAddr("10.78.0.1")            // the TAP's address in the namespace
	switchIP  = netip.MustParseAddr("10.78.0.2")            // a neighbour behind the port
)

const (
	waitTimeout = 3 * time.Second
	ethTypeIPv4 = 0x0800
	ipv4HdrLen  = 20
	udpHdrLen   = 8
	ipProtoUDP  = 17
	defaultTTL  = 64
	discardPort = 9
)

func openIn(tb testing.TB, ns *netnstest.NS, name string, opts Options) (*Port, error) {
	tb.Helper()
	var p *Port
	err := ns.Do(func() (err error) {
		p, err = Open(name, opts)
		return err
	})
	if err == nil {
		tb.Cleanup(func() { p.Close() })
	}
	return p, err
}

func linkExists(ns *netnstest.NS, dev string) bool {
	return exec.Command("ip", "netns", "exec", ns.Name, "ip", "link", "show", dev).Run() == nil
}

func TestOpenErrors(t *testing.T) {
	ns := netnstest.New(t, "gvt")
	veth := netnstest.UniqueName("gvt")
	ns.Exec(t, "ip", "link", "add", veth, "type", "veth", "peer", "name", veth+"p")
	tests := []struct {
		name, dev string
		errno     syscall.Errno
	}{
		{"empty", "", syscall.EINVAL},
		{"too long", "a-name-longer-than-ifnamsiz", syscall.EINVAL},
		{"not a tap", veth, syscall.EINVAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openIn(t, ns, tt.dev, Options{})
			var oe *ports.OpenError
			if !errors.As(err, &oe) || !errors.Is(err, tt.errno) {
				t.Fatalf("Open(%q) error %v, want OpenError with %v", tt.dev, err, tt.errno)
			}
			if want := "could not open network device " + tt.dev + " ("; !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("error %q", err)
			}
		})
	}
}

// TestLifetime checks an internal port creates an up device that
// disappears on Close, and that a pre-existing persistent TAP survives.
func TestLifetime(t *testing.T) {
	ns := netnstest.New(t, "gvt")
	t.Run("internal created", func(t *testing.T) {
		dev := netnstest.UniqueName("gvt")
		var p *Port
		err := ns.Do(func() (err error) { p, err = OpenInternal(dev); return err })
		if err != nil {
			t.Fatal(err)
		}
		out := ns.Exec(t, "ip", "link", "show", dev)
		if !strings.Contains(out, ",UP") && !strings.Contains(out, "<UP") {
			t.Fatalf("device not up: %s", out)
		}
		if !p.Created() || !strings.Contains(p.Features(), "created=yes up=yes") {
			t.Fatalf("Features() = %q", p.Features())
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if linkExists(ns, dev) {
			t.Fatal("device still exists after Close")
		}
		if err := p.Close(); err != nil {
			t.Fatal("second Close:", err)
		}
	})
	t.Run("persistent kept", func(t *testing.T) {
		dev := netnstest.UniqueName("gvt")
		ns.Exec(t, "ip", "tuntap", "add", "dev", dev, "mode", "tap")
		p, err := openIn(t, ns, dev, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Created() || !strings.Contains(p.Features(), "created=no up=no") {
			t.Fatalf("Features() = %q", p.Features())
		}
		p.Close()
		if !linkExists(ns, dev) {
			t.Fatal("pre-existing persistent device deleted")
		}
		p2, err := openIn(t, ns, dev, Options{})
		if err != nil {
			t.Fatalf("reattach: %v", err)
		}
		p2.Close()
	})
}

type tapLab struct {
	ns     *netnstest.NS
	dev    string
	p      *Port
	tapMAC net.HardwareAddr
}

// newTapLab opens an internal port in a fresh namespace, gives the TAP an
// address and a static neighbour (switchIP at switchMAC) behind the port.
func newTapLab(tb testing.TB) *tapLab {
	tb.Helper()
	l := &tapLab{ns: netnstest.New(tb, "gvt"), dev: netnstest.UniqueName("gvt")}
	var err error
	err = l.ns.Do(func() (err error) {
		l.p, err = OpenInternal(l.dev)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { l.p.Close() })
	l.ns.Exec(tb, "ip", "addr", "add", hostIP.String()+"/24", "dev", l.dev)
	l.ns.Exec(tb, "ip", "neigh", "add", switchIP.String(), "lladdr", switchMAC.String(), "dev", l.dev)
	mac := strings.TrimSpace(l.ns.Exec(tb, "cat", "/sys/class/net/"+l.dev+"/address"))
	if l.tapMAC, err = net.ParseMAC(mac); err != nil {
		tb.Fatal(err)
	}
	// Asked from a host-namespace thread: the port answers for its own.
	if got, err := l.p.HardwareAddr(); err != nil || got.String() != l.tapMAC.String() {
		tb.Fatalf("HardwareAddr = %v, %v; want %v", got, err, l.tapMAC)
	}
	if mtu, err := l.p.MTU(); err != nil || mtu != 1500 {
		tb.Fatalf("MTU = %d, %v", mtu, err)
	}
	return l
}

func (l *tapLab) sendUDP(tb testing.TB, payloads ...[]byte) {
	tb.Helper()
	err := l.ns.Do(func() error {
		c, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(switchIP, discardPort)))
		if err != nil {
			return err
		}
		defer c.Close()
		for _, p := range payloads {
			if _, err := c.Write(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func TestReceive(t *testing.T) {
	l := newTapLab(t)
	b := ports.NewBatch()
	tests := []struct {
		name    string
		payload int
		count   int
	}{
		{"small", 16, 3},
		{"mtu", 1500 - ipv4HdrLen - udpHdrLen, 2},
		{"more than a batch", 16, ports.BatchSize + 8},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marker := []byte(fmt.Sprintf("govs-tap-%d-", i))
			payload := bytes.Repeat([]byte{'p'}, tt.payload)
			copy(payload, marker)
			var ps [][]byte
			for range tt.count {
				ps = append(ps, payload)
			}
			before := l.p.Stats()
			l.sendUDP(t, ps...)
			got := porttest.ReadMatching(t, l.p, b, marker, tt.count, waitTimeout)
			if len(got) != tt.count {
				t.Fatalf("read %d frames, want %d", len(got), tt.count)
			}
			for _, f := range got {
				if !bytes.Equal(f[:6], switchMAC) || binary.BigEndian.Uint16(f[12:]) != ethTypeIPv4 ||
					len(f) != 14+ipv4HdrLen+udpHdrLen+tt.payload {
					t.Fatalf("bad frame %x", f[:min(len(f), 34)])
				}
			}
			if s := l.p.Stats(); s.RxPackets-before.RxPackets < uint64(tt.count) {
				t.Fatalf("stats %+v", s)
			}
		})
	}
}

func TestReceiveTooLong(t *testing.T) {
	l := newTapLab(t)
	b := ports.NewBatch()
	for i := range b.Bufs {
		b.Bufs[i] = b.Bufs[i][:ports.Headroom+200]
	}
	l.sendUDP(t, bytes.Repeat([]byte{'L'}, 500), []byte("govs-short"))
	if got := porttest.ReadMatching(t, l.p, b, []byte("govs-short"), 1, waitTimeout); len(got) != 1 {
		t.Fatal("short frame not read after the long one")
	}
	if s := l.p.Stats(); s.RxErrors < 1 {
		t.Fatalf("RxErrors = %d", s.RxErrors)
	}
}

func udpFrame(dstMAC, srcMAC net.HardwareAddr, src, dst netip.Addr, sport, dport uint16, payload []byte) []byte {
	var f []byte
	f = append(f, dstMAC...)
	f = append(f, srcMAC...)
	f = binary.BigEndian.AppendUint16(f, ethTypeIPv4)
	total := ipv4HdrLen + udpHdrLen + len(payload)
	ip := len(f)
	f = append(f, 0x45, 0)
	f = binary.BigEndian.AppendUint16(f, uint16(total))
	f = append(f, 0, 0, 0x40, 0, defaultTTL, ipProtoUDP, 0, 0)
	s4, d4 := src.As4(), dst.As4()
	f = append(f, s4[:]...)
	f = append(f, d4[:]...)
	var sum uint32
	for i := ip; i < ip+ipv4HdrLen; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(f[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(f[ip+10:], ^uint16(sum))
	f = binary.BigEndian.AppendUint16(f, sport)
	f = binary.BigEndian.AppendUint16(f, dport)
	f = binary.BigEndian.AppendUint16(f, uint16(udpHdrLen+len(payload)))
	f = append(f, 0, 0)
	return append(f, payload...)
}

func TestTransmit(t *testing.T) {
	l := newTapLab(t)
	var c *net.UDPConn
	const port = 40200
	if err := l.ns.Do(func() (err error) {
		c, err = net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(hostIP, port)))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	payload := bytes.Repeat([]byte{'w'}, 1472)
	copy(payload, "govs-tap-tx")
	f := udpFrame(l.tapMAC, switchMAC, switchIP, hostIP, 5555, port, payload)
	b := ports.NewBatch()
	porttest.SetFrames(b, f, f[:10], f)
	n, err := l.p.Write(b)
	if n != 2 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	c.SetReadDeadline(time.Now().Add(waitTimeout))
	buf := make([]byte, 2048)
	for range 2 {
		n, _, err := c.ReadFromUDP(buf)
		if err != nil || !bytes.Equal(buf[:n], payload) {
			t.Fatalf("host stack read %d, %v", n, err)
		}
	}
	if s := l.p.Stats(); s.TxPackets != 2 || s.TxErrors != 1 || s.TxBytes != uint64(2*len(f)) {
		t.Fatalf("stats %+v", s)
	}
	if got := porttest.ReadMatching(t, l.p, b, []byte("govs-tap-tx"), 1, 200*time.Millisecond); len(got) != 0 {
		t.Fatal("own frame read back")
	}
}

func TestPollFDAndClose(t *testing.T) {
	l := newTapLab(t)
	b := ports.NewBatch()
	l.sendUDP(t, []byte("govs-poll"))
	fds := []syscallPollFd{{fd: int32(l.p.PollFD()), events: pollIn}}
	if n := poll(t, fds, waitTimeout); n != 1 {
		t.Fatalf("poll = %d", n)
	}
	if got := porttest.ReadMatching(t, l.p, b, []byte("govs-poll"), 1, waitTimeout); len(got) != 1 {
		t.Fatal("frame not read")
	}
	l.p.Close()
	if _, err := l.p.Read(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("Read after Close: %v", err)
	}
	if _, err := l.p.Write(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("Write after Close: %v", err)
	}
}

// TestAllocs proves Read and Write allocate nothing per batch.
func TestAllocs(t *testing.T) {
	l := newTapLab(t)
	const runs = 5
	// Queue (runs+1) full batches (AllocsPerRun warms up once) so every
	// measured Read returns frames.
	var ps [][]byte
	for range (runs + 1) * ports.BatchSize {
		ps = append(ps, []byte("govs-allocs"))
	}
	l.sendUDP(t, ps...)
	time.Sleep(50 * time.Millisecond)
	in, out := ports.NewBatch(), ports.NewBatch()
	f := udpFrame(otherMAC, switchMAC, switchIP, hostIP, 1, discardPort, make([]byte, 18))
	frames := make([][]byte, ports.BatchSize)
	for i := range frames {
		frames[i] = f
	}
	porttest.SetFrames(in, frames...)
	got := 0
	a := testing.AllocsPerRun(runs, func() {
		l.p.Write(in)
		n, _ := l.p.Read(out)
		got += n
	})
	if a != 0 {
		t.Fatalf("allocs per batch = %v, want 0", a)
	}
	if got < runs*ports.BatchSize {
		t.Fatalf("read %d frames, want full batches", got)
	}
}

// BenchmarkWrite writes batches into the TAP (one write(2) per frame); the
// host stack drops them at L2.
func BenchmarkWrite(b *testing.B) {
	l := newTapLab(b)
	in := ports.NewBatch()
	f := udpFrame(otherMAC, switchMAC, switchIP, hostIP, 1, discardPort, make([]byte, 18))
	frames := make([][]byte, ports.BatchSize)
	for i := range frames {
		frames[i] = f
	}
	porttest.SetFrames(in, frames...)
	sent := 0
	b.ReportAllocs()
	for b.Loop() {
		n, _ := l.p.Write(in)
		sent += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(sent, 1)), "ns/frame")
}

func TestReadShortBuffer(t *testing.T) {
	l := newTapLab(t)
	b := ports.NewBatch()
	b.Bufs[0] = b.Bufs[0][:ports.Headroom]
	if _, err := l.p.Read(b); !errors.Is(err, errShortBuffer) {
		t.Fatalf("Read with a short buffer: %v", err)
	}
}
