package tunnel

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"govs/datapath/flow"
	"govs/ports"
)

// inNetns runs f on a thread inside a new network namespace (loopback
// up), removed at the end. It skips unless root.
func inNetns(t *testing.T, f func(ns string)) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	name := fmt.Sprintf("tnlu%d", os.Getpid()%100000)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Skipf("ip netns add: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	if out, err := exec.Command("ip", "-n", name, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread() // never unlocked: the thread dies in the namespace
		fd, err := unix.Open("/run/netns/"+name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			t.Error(err)
			return
		}
		f(name)
	}()
	<-done
}

// TestUnderlayPort sends a Geneve datagram to the underlay port's UDP
// socket and reads it back as a frame Decap accepts, then writes an
// encapsulated frame through the raw socket to a plain UDP socket; both
// directions allocate nothing per batch.
func TestUnderlayPort(t *testing.T) {
	inNetns(t, func(ns string) {
		up, err := OpenUnderlay(TypeGeneve, 16081, nil)
		if err != nil {
			t.Error(err)
			return
		}
		defer up.Close()
		peer, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 16082})
		if err != nil {
			t.Error(err)
			return
		}
		defer peer.Close()

		// Receive.
		inner := innerFrame(t, 40)
		payload := make([]byte, GeneveBaseSize+len(inner))
		Geneve(payload).Init(0x42, false, nil)
		copy(payload[GeneveBaseSize:], inner)
		if _, err := peer.WriteToUDP(payload, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 16081}); err != nil {
			t.Error(err)
			return
		}
		b := ports.NewBatch()
		var n int
		for i := 0; i < 1000 && n == 0; i++ {
			if n, err = up.Read(b); err != nil {
				t.Error(err)
				return
			}
			if n == 0 {
				var pfd = []unix.PollFd{{Fd: int32(up.PollFD()), Events: unix.POLLIN}}
				_, _ = unix.Poll(pfd, 10)
			}
		}
		if n != 1 {
			t.Errorf("read %d frames", n)
			return
		}
		var k flow.Key
		start, end, e := Decap(b.Frame(0), TypeGeneve, nil, &k)
		if e != DecapOK || !bytes.Equal(b.Frame(0)[start:end], inner) {
			t.Errorf("decap of a received frame: %v", e)
			return
		}
		if k.TunID() != 0x42 || k.TunSrc() != 0x7f000001 || k.TunDst() != 0x7f000001 || k.TunTpSrc() != 16082 || k.TunTpDst() != 16081 || k.TunTTL() != 64 {
			t.Errorf("tunnel key %x", k.W[13:16])
		}

		// Transmit to the plain socket (port 16082) through the raw socket.
		h := Header{Type: TypeGeneve, Src: 0x7f000001, Dst: 0x7f000001, DstPort: 16082, VNI: 9, TTL: 64, DF: true, Csum: true}
		tmpl := make([]byte, h.Len())
		h.template(tmpl)
		p := packetOf(inner)
		if Encap(p, &h, tmpl) != EncapOK {
			t.Error("encap")
			return
		}
		tx := ports.NewBatch()
		tx.Bufs[0], tx.Off[0], tx.Len[0], tx.N = p.Buf, p.Off, p.Len, 1
		if sent, err := up.Write(tx); sent != 1 || err != nil {
			t.Errorf("write: %d %v", sent, err)
			return
		}
		buf := make([]byte, 2048)
		m, from, err := peer.ReadFromUDP(buf)
		if err != nil || !bytes.Equal(buf[:m], p.Frame()[OuterLen:]) || from.Port < srcPortMin {
			t.Errorf("peer got %d bytes from %v: %v", m, from, err)
			return
		}

		// Non-blocking, but not in the Go netpoller (os.File refuses
		// deadlines exactly on descriptors it does not poll).
		if fl, err := unix.FcntlInt(uintptr(up.PollFD()), unix.F_GETFL, 0); err != nil || fl&unix.O_NONBLOCK == 0 {
			t.Errorf("F_GETFL = %#x, %v; want O_NONBLOCK", fl, err)
		}
		if err := up.rxFile.SetReadDeadline(time.Now()); !errors.Is(err, os.ErrNoDeadline) {
			t.Errorf("rx socket in the netpoller: %v", err)
		}
		if err := up.txFile.SetWriteDeadline(time.Now()); !errors.Is(err, os.ErrNoDeadline) {
			t.Errorf("tx socket in the netpoller: %v", err)
		}

		// Allocations per batch on both paths.
		allocs := testing.AllocsPerRun(50, func() {
			tx.Bufs[0], tx.Off[0], tx.Len[0], tx.N = p.Buf, p.Off, p.Len, 1
			_, _ = up.Write(tx)
			_, _ = up.Read(b)
		})
		if allocs != 0 {
			t.Errorf("%v allocations per Write+Read", allocs)
		}

		// Oversize: the loopback MTU is 65536; lower it to check EMSGSIZE.
		if out, err := exec.Command("ip", "-n", ns, "link", "set", "lo", "mtu", "1280").CombinedOutput(); err != nil {
			t.Errorf("%v %s", err, out)
			return
		}
		big := packetOf(make([]byte, 1400))
		if Encap(big, &h, tmpl) != EncapOK {
			t.Error("encap big")
			return
		}
		tx.Bufs[0], tx.Off[0], tx.Len[0], tx.N = big.Buf, big.Off, big.Len, 1
		if sent, _ := up.Write(tx); sent != 0 || up.Oversize() != 1 || up.Stats().TxDropped != 1 {
			t.Errorf("oversize: sent %d, oversize %d, stats %+v", sent, up.Oversize(), up.Stats())
		}
	})
}
