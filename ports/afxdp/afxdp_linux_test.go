package afxdp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cilium/ebpf"

	"govs/internal/netnstest"
	"govs/ports"
	"govs/ports/afpacket"
	"govs/ports/internal/porttest"
)

const waitTimeout = 3 * time.Second

// lab is a veth pair: swDev in nsS carries the port under test, peerDev
// in nsP an AF_PACKET port that plays the far end.
type lab struct {
	nsS, nsP       *netnstest.NS
	swDev, peerDev string
}

func newLab(tb testing.TB) *lab {
	tb.Helper()
	l := &lab{nsS: netnstest.New(tb, "gxs"), nsP: netnstest.New(tb, "gxp")}
	l.swDev, l.peerDev = netnstest.UniqueName("gxs"), netnstest.UniqueName("gxp")
	netnstest.Veth(tb, l.nsS, l.swDev, l.nsP, l.peerDev)
	return l
}

func (l *lab) open(tb testing.TB, opts Options) *Port {
	tb.Helper()
	p, err := l.tryOpen(opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", l.swDev, err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

func (l *lab) tryOpen(opts Options) (p *Port, err error) {
	err = l.nsS.Do(func() (err error) {
		p, err = Open(l.swDev, opts)
		return err
	})
	return p, err
}

func (l *lab) peer(tb testing.TB) *afpacket.Port {
	tb.Helper()
	var p *afpacket.Port
	err := l.nsP.Do(func() (err error) {
		p, err = afpacket.Open(l.peerDev, afpacket.Options{})
		return err
	})
	if err != nil {
		tb.Fatalf("afpacket.Open(%s): %v", l.peerDev, err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// xdpShown reports whether `ip link show` lists an XDP program on swDev.
func (l *lab) xdpShown(tb testing.TB) bool {
	tb.Helper()
	return strings.Contains(l.nsS.Exec(tb, "ip", "link", "show", "dev", l.swDev), "xdp")
}

// testFrame is a broadcast frame of an experimental EtherType carrying
// marker and a sequence number, padded to size bytes.
func testFrame(marker string, seq, size int) []byte {
	f := make([]byte, size)
	copy(f, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x67, 0x78, 0, 0, 1})
	binary.BigEndian.PutUint16(f[12:], 0x88b5)
	copy(f[14:], fmt.Sprintf("%s-%d", marker, seq))
	return f
}

// readMatching reads from p until want frames containing marker arrived
// or the timeout passes.
func readMatching(tb testing.TB, p ports.Port, marker string, want int) [][]byte {
	tb.Helper()
	return porttest.ReadMatching(tb, p, ports.NewBatch(), []byte(marker), want, waitTimeout)
}

func TestOpenMissingDevice(t *testing.T) {
	netnstest.Require(t)
	for _, dev := range []string{"gxnodev0", "a-name-longer-than-ifnamsiz"} {
		p, err := Open(dev, Options{})
		if err == nil {
			p.Close()
			t.Fatalf("Open(%s) succeeded", dev)
		}
		var oe *ports.OpenError
		want := "could not open network device " + dev + " (No such device)"
		if !errors.As(err, &oe) || err.Error() != want || !errors.Is(err, syscall.ENODEV) {
			t.Fatalf("Open(%s): %v, want %q", dev, err, want)
		}
	}
}

// TestProgramPassesWithoutSocket runs the redirect program with an empty
// XSKMAP: frames of queues without a socket must go to the kernel stack.
func TestProgramPassesWithoutSocket(t *testing.T) {
	netnstest.Require(t)
	x, err := newXDPProg()
	if err != nil {
		t.Fatal(err)
	}
	defer x.close()
	ret, err := x.prog.Run(&ebpf.RunOptions{Data: testFrame("pass", 0, 64)})
	if err != nil {
		t.Fatalf("BPF_PROG_TEST_RUN: %v", err)
	}
	if ret != xdpPass {
		t.Fatalf("program returned %d with no socket, want XDP_PASS (%d)", ret, xdpPass)
	}
}

// TestTraffic sends frames both ways through a veth in each mode and
// checks that Close leaves no XDP program on the device.
func TestTraffic(t *testing.T) {
	tests := []struct {
		opts       Options
		wantAttach string
	}{
		{Options{}, "native"}, // best-effort: veth has native XDP
		{Options{Mode: ModeNative}, "native"},
		{Options{Mode: ModeGeneric}, "generic"},
		{Options{Mode: ModeGeneric, NoNeedWakeup: true}, "generic"},
		{Options{NoNeedWakeup: true}, "native"},
	}
	for _, tt := range tests {
		t.Run(tt.opts.Mode.String()+fmt.Sprintf("-nowakeup=%v", tt.opts.NoNeedWakeup), func(t *testing.T) {
			l := newLab(t)
			peer := l.peer(t)
			sw := l.open(t, tt.opts)
			if sw.Mode() != tt.wantAttach || sw.ModeInUse() != tt.wantAttach || !strings.Contains(sw.Features(), "attach="+tt.wantAttach) {
				t.Fatalf("attach mode %q (features %q), want %q", sw.Mode(), sw.Features(), tt.wantAttach)
			}
			if !l.xdpShown(t) {
				t.Fatalf("no XDP program on %s while the port is open", l.swDev)
			}
			// Peer -> port: more than one batch, and more than the
			// rx ring, so that chunks are recycled through the fill ring.
			const n = rxRingSize + 100
			b := ports.NewBatch()
			sent := 0
			got := 0
			for sent < n {
				var frames [][]byte
				for i := 0; i < ports.BatchSize && sent+i < n; i++ {
					frames = append(frames, testFrame("to-port", sent+i, 60))
				}
				porttest.SetFrames(b, frames...)
				w, err := peer.Write(b)
				if err != nil || w != len(frames) {
					t.Fatalf("peer Write = %d, %v", w, err)
				}
				sent += w
				got += len(readMatching(t, sw, "to-port", len(frames)))
			}
			if got != n {
				t.Fatalf("port read %d/%d frames", got, n)
			}
			// Port -> peer, several batches: completion chunks are reused.
			total := 0
			for round := range 3 * txFrames / ports.BatchSize {
				var frames [][]byte
				for i := range ports.BatchSize {
					frames = append(frames, testFrame(fmt.Sprintf("from-port-%d", round), i, 60+i))
				}
				porttest.SetFrames(b, frames...)
				w, err := sw.Write(b)
				if err != nil {
					t.Fatalf("Write: %v", err)
				}
				got := readMatching(t, peer, fmt.Sprintf("from-port-%d-", round), w)
				if len(got) != w || w == 0 {
					t.Fatalf("round %d: wrote %d, peer read %d", round, w, len(got))
				}
				for i, f := range got {
					if !bytes.Equal(f[:len(frames[i])], frames[i]) {
						t.Fatalf("round %d: frame %d differs:\n got %x\nwant %x", round, i, f, frames[i])
					}
				}
				total += w
			}
			st := sw.Stats()
			if st.RxPackets != n || st.TxPackets != uint64(total) || st.RxErrors != 0 || st.TxErrors != 0 {
				t.Fatalf("stats %+v, want %d rx and %d tx packets", st, n, total)
			}
			if err := sw.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			if l.xdpShown(t) {
				t.Fatalf("XDP program left on %s after Close:\n%s", l.swDev, l.nsS.Exec(t, "ip", "link", "show", "dev", l.swDev))
			}
			if _, err := sw.Read(b); err != ports.ErrClosed {
				t.Fatalf("Read after Close: %v", err)
			}
			if _, err := sw.Write(b); err != ports.ErrClosed {
				t.Fatalf("Write after Close: %v", err)
			}
			if st2 := sw.Stats(); st2.RxPackets != st.RxPackets {
				t.Fatalf("stats after Close %+v", st2)
			}
		})
	}
}

// TestStackWithoutPort checks that the device works as before once the
// port is closed: frames reach the kernel stack (a packet socket sees
// them) and no program is left.
func TestPassAfterClose(t *testing.T) {
	l := newLab(t)
	peer := l.peer(t)
	sw := l.open(t, Options{})
	sw.Close()
	var ps *afpacket.Port
	if err := l.nsS.Do(func() (err error) {
		ps, err = afpacket.Open(l.swDev, afpacket.Options{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	b := ports.NewBatch()
	porttest.SetFrames(b, testFrame("after-close", 0, 60))
	if _, err := peer.Write(b); err != nil {
		t.Fatal(err)
	}
	if got := readMatching(t, ps, "after-close", 1); len(got) != 1 {
		t.Fatalf("stack did not see the frame after Close")
	}
}

// TestBusy opens a second port on the same device: it must fail clearly
// and leave the first one working and attached.
func TestBusy(t *testing.T) {
	l := newLab(t)
	peer := l.peer(t)
	sw := l.open(t, Options{})
	p2, err := l.tryOpen(Options{})
	if err == nil {
		p2.Close()
		t.Fatal("second Open on the same queue succeeded")
	}
	if !strings.HasPrefix(err.Error(), "could not open network device "+l.swDev+" (") {
		t.Fatalf("error %q", err)
	}
	if !l.xdpShown(t) {
		t.Fatal("the failed Open detached the first port's program")
	}
	b := ports.NewBatch()
	porttest.SetFrames(b, testFrame("busy", 0, 60))
	peer.Write(b)
	if got := readMatching(t, sw, "busy", 1); len(got) != 1 {
		t.Fatal("first port no longer receives")
	}
}

// TestZeroCopyRefusedOnVeth: veth has no zero-copy AF_XDP support, so
// native-with-zerocopy fails with an error naming it.
func TestZeroCopyRefusedOnVeth(t *testing.T) {
	l := newLab(t)
	p, err := l.tryOpen(Options{Mode: ModeNativeZeroCopy})
	if err == nil {
		defer p.Close()
		if !strings.Contains(p.Features(), "bind=zero-copy") {
			t.Fatalf("zero-copy port not in zero-copy mode: %s", p.Features())
		}
		return // a future veth with zero-copy support
	}
	if !strings.Contains(err.Error(), "zero-copy") {
		t.Fatalf("error %q does not name zero-copy", err)
	}
	if l.xdpShown(t) {
		t.Fatal("failed Open left an XDP program")
	}
}

func TestMTUTooLarge(t *testing.T) {
	l := newLab(t)
	l.nsS.Exec(t, "ip", "link", "set", "dev", l.swDev, "mtu", "9000")
	_, err := l.tryOpen(Options{})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("MTU 9000 is larger than %d", MaxMTU)) {
		t.Fatalf("Open with MTU 9000: %v", err)
	}
}

func TestAllocs(t *testing.T) {
	l := newLab(t)
	peer := l.peer(t)
	sw := l.open(t, Options{})
	in, out := ports.NewBatch(), ports.NewBatch()
	var frames [][]byte
	for i := range ports.BatchSize {
		frames = append(frames, testFrame("alloc", i, 60))
	}
	porttest.SetFrames(in, frames...)
	got := 0
	if a := testing.AllocsPerRun(50, func() {
		peer.Write(in)
		sw.Write(in)
		n, _ := sw.Read(out)
		got += n
	}); a != 0 {
		// peer.Write is AF_PACKET's, tested allocation-free in its package.
		t.Fatalf("Write+Read allocs per batch = %v, want 0", a)
	}
	if got == 0 {
		t.Fatal("no frames read during the allocation test")
	}
	if a := testing.AllocsPerRun(50, func() {
		for n, _ := sw.Read(out); n > 0; n, _ = sw.Read(out) {
		}
	}); a != 0 {
		t.Fatalf("empty Read allocs = %v, want 0", a)
	}
}

// TestConcurrentClose runs Read and Write loops while the port closes
// (for the race detector, and to check that Close waits for them).
func TestConcurrentClose(t *testing.T) {
	l := newLab(t)
	peer := l.peer(t)
	sw := l.open(t, Options{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	loop := func(f func(*ports.Batch) (int, error)) {
		defer wg.Done()
		b := ports.NewBatch()
		porttest.SetFrames(b, testFrame("race", 0, 60))
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := f(b); err == ports.ErrClosed {
				return
			}
		}
	}
	wg.Add(3)
	go loop(sw.Read)
	go loop(sw.Write)
	go loop(peer.Write)
	go func() { sw.Stats() }()
	time.Sleep(20 * time.Millisecond)
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if l.xdpShown(t) {
		t.Fatal("program left after Close")
	}
}

// TestKilledProcessDetaches opens a port in a child process and kills
// it: the kernel closes the BPF link with the process, so no program is
// left on the device.
func TestKilledProcessDetaches(t *testing.T) {
	if os.Getenv("GOVS_AFXDP_CHILD") != "" {
		p, err := Open(os.Getenv("GOVS_AFXDP_DEV"), Options{})
		if err != nil {
			fmt.Println("open failed:", err)
			os.Exit(1)
		}
		fmt.Println("open", p.Features())
		select {} // until killed
	}
	l := newLab(t)
	cmd := exec.Command("ip", "netns", "exec", l.nsS.Name, os.Args[0], "-test.run=^TestKilledProcessDetaches$")
	cmd.Env = append(os.Environ(), "GOVS_AFXDP_CHILD=1", "GOVS_AFXDP_DEV="+l.swDev)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	line := make([]byte, 256)
	n, _ := out.Read(line)
	if !bytes.HasPrefix(line[:n], []byte("open ")) {
		cmd.Process.Kill()
		t.Fatalf("child: %s", line[:n])
	}
	if !l.xdpShown(t) {
		cmd.Process.Kill()
		t.Fatal("no program while the child holds the port")
	}
	cmd.Process.Kill() // SIGKILL: no Close
	cmd.Wait()
	for deadline := time.Now().Add(waitTimeout); l.xdpShown(t) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if l.xdpShown(t) {
		t.Fatal("XDP program left on the device after the process was killed")
	}
}

// TestDeviceDownUp: with the device down, Write queues (the kick's
// ENETDOWN is not an error) and Read finds nothing; once it is up again
// frames flow both ways.
func TestDeviceDownUp(t *testing.T) {
	for _, m := range []Mode{ModeNative, ModeGeneric} {
		t.Run(m.String(), func(t *testing.T) {
			l := newLab(t)
			peer := l.peer(t)
			sw := l.open(t, Options{Mode: m})
			b := ports.NewBatch()
			l.nsS.Exec(t, "ip", "link", "set", l.swDev, "down")
			porttest.SetFrames(b, testFrame("while-down", 0, 60))
			if _, err := sw.Write(b); err != nil {
				t.Fatalf("Write with the device down: %v", err)
			}
			l.nsS.Exec(t, "ip", "link", "set", l.swDev, "up")
			for deadline := time.Now().Add(waitTimeout); time.Now().Before(deadline); {
				if strings.Contains(l.nsS.Exec(t, "ip", "link", "show", "dev", l.swDev), "LOWER_UP") {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			porttest.SetFrames(b, testFrame("after-up", 0, 60))
			if _, err := sw.Write(b); err != nil {
				t.Fatalf("Write after up: %v", err)
			}
			if got := readMatching(t, peer, "after-up", 1); len(got) != 1 {
				t.Fatal("peer did not receive after up")
			}
			porttest.SetFrames(b, testFrame("to-port-after-up", 0, 60))
			peer.Write(b)
			if got := readMatching(t, sw, "to-port-after-up", 1); len(got) != 1 {
				t.Fatal("port did not receive after up")
			}
		})
	}
}

// BenchmarkVethWrite is Write alone into a veth whose peer has no socket
// (the peer's stack drops the frames at once): the copy into UMEM, the
// sendto kick and the kernel's per-frame skb through veth_xmit.
func BenchmarkVethWrite(b *testing.B) {
	l := newLab(b)
	sw := l.open(b, Options{})
	in := ports.NewBatch()
	var frames [][]byte
	for i := range ports.BatchSize {
		frames = append(frames, testFrame("bench", i, 60))
	}
	porttest.SetFrames(in, frames...)
	sent := 0
	b.ReportAllocs()
	for b.Loop() {
		n, _ := sw.Write(in)
		sent += n
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(sent, 1)), "ns/frame")
}

// BenchmarkVeth writes a batch on the AF_PACKET peer and reads it on the
// port: ns/frame covers the peer's sendmmsg share, the veth crossing with
// the XDP redirect and the port's Read.
func BenchmarkVeth(b *testing.B) {
	l := newLab(b)
	peer := l.peer(b)
	sw := l.open(b, Options{})
	in, out := ports.NewBatch(), ports.NewBatch()
	var frames [][]byte
	for i := range ports.BatchSize {
		frames = append(frames, testFrame("bench", i, 60))
	}
	porttest.SetFrames(in, frames...)
	received := 0
	b.ReportAllocs()
	for b.Loop() {
		peer.Write(in)
		for range 3 {
			n, _ := sw.Read(out)
			received += n
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(received, 1)), "ns/frame")
	b.ReportMetric(float64(received)/float64(b.N*ports.BatchSize), "delivered")
}

// TestOverrun floods the port without reading: the rx ring overflows and
// the kernel's drops show in KernelDrops and RxDropped. Afterwards every
// receive chunk is back in circulation: more than a ring's worth of
// frames, read as they come, all arrive.
func TestOverrun(t *testing.T) {
	l := newLab(t)
	peer := l.peer(t)
	sw := l.open(t, Options{Mode: ModeGeneric})
	b := ports.NewBatch()
	var frames [][]byte
	for i := range ports.BatchSize {
		frames = append(frames, testFrame("flood", i, 60))
	}
	porttest.SetFrames(b, frames...)
	for range 3 * rxRingSize / ports.BatchSize {
		peer.Write(b)
	}
	for deadline := time.Now().Add(waitTimeout); sw.Stats().KernelDrops == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	st := sw.Stats()
	if st.KernelDrops == 0 || st.RxDropped < st.KernelDrops {
		t.Fatalf("no kernel drops counted after a flood: %+v", st)
	}
	for n, _ := sw.Read(b); n > 0; n, _ = sw.Read(b) {
	}
	if got := sw.Stats().RxPackets; got > rxRingSize || got == 0 {
		t.Fatalf("read %d frames after the flood, want 1..%d", got, rxRingSize)
	}
	const n = 2*rxRingSize + 64
	got := 0
	for sent := 0; sent < n; sent += ports.BatchSize {
		frames = frames[:0]
		for i := range ports.BatchSize {
			frames = append(frames, testFrame("after-flood", sent+i, 60))
		}
		porttest.SetFrames(b, frames...)
		peer.Write(b)
		got += len(readMatching(t, sw, "after-flood", ports.BatchSize))
	}
	if got != n {
		t.Fatalf("after the flood the port read %d/%d frames", got, n)
	}
}
