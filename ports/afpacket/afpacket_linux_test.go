package afpacket

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"govs/ports"
	"govs/ports/internal/porttest"
)

func TestABIConstants(t *testing.T) {
	tests := []struct {
		name      string
		got, want int
	}{
		{"SOL_PACKET", solPacket, unix.SOL_PACKET},
		{"PACKET_AUXDATA", packetAuxdata, unix.PACKET_AUXDATA},
		{"TP_STATUS_VLAN_VALID", tpStatusVLANValid, unix.TP_STATUS_VLAN_VALID},
		{"TP_STATUS_VLAN_TPID_VALID", tpStatusVLANTPIDValid, unix.TP_STATUS_VLAN_TPID_VALID},
		{"sizeof tpacket_auxdata", sizeofTpacketAuxdata, binary.Size(unix.TpacketAuxdata{})},
		{"sizeof cmsghdr", cmsgHdrLen, unix.SizeofCmsghdr},
		{"CMSG_SPACE(auxdata)", auxdataCmsgSpace, unix.CmsgSpace(sizeofTpacketAuxdata)},
		{"PACKET_OUTGOING", packetOutgoing, unix.PACKET_OUTGOING},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestOpenMissingDevice(t *testing.T) {
	tests := []struct{ name, dev string }{
		{"absent", "gvnodev0"},
		{"too long", "a-name-longer-than-ifnamsiz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Open(tt.dev, Options{})
			if err == nil {
				p.Close()
				t.Fatal("Open succeeded")
			}
			var oe *ports.OpenError
			if !errors.As(err, &oe) {
				t.Fatalf("error %T %v is not *ports.OpenError", err, err)
			}
			if os.Geteuid() != 0 {
				t.Skipf("not root: %v", err)
			}
			want := "could not open network device " + tt.dev + " (No such device)"
			if err.Error() != want || !errors.Is(err, syscall.ENODEV) {
				t.Fatalf("error %q, want %q", err, want)
			}
		})
	}
}

func TestFeatures(t *testing.T) {
	l := newLab(t)
	tests := []struct {
		opts Options
		want []string
	}{
		{Options{}, []string{"outgoing=" + OutgoingIgnoreSockopt, "promisc=on", "rx=tpacket-v2-ring"}},
		{Options{RecvMmsg: true, NoPromisc: true}, []string{"rx=recvmmsg", "vlan=auxdata", "promisc=off"}},
		{Options{ForceBPFInbound: true, NoPromisc: true}, []string{"outgoing=" + OutgoingBPFFilter, "promisc=off"}},
	}
	for _, tt := range tests {
		p := l.open(t, tt.opts)
		for _, w := range tt.want {
			if !strings.Contains(p.Features(), w) {
				t.Errorf("Features() = %q, want %q in it", p.Features(), w)
			}
		}
		if p.Ifindex() <= 0 || p.Name() != l.swDev {
			t.Errorf("Ifindex %d Name %q", p.Ifindex(), p.Name())
		}
		// Asked from this (host namespace) thread: the port's socket
		// must answer for its own namespace.
		mac, err := p.HardwareAddr()
		want := strings.TrimSpace(l.nsS.Exec(t, "cat", "/sys/class/net/"+l.swDev+"/address"))
		if err != nil || mac.String() != want {
			t.Errorf("HardwareAddr = %v, %v; want %s", mac, err, want)
		}
		if mtu, err := p.MTU(); err != nil || mtu != 1500 {
			t.Errorf("MTU = %d, %v", mtu, err)
		}
	}
	out := l.nsS.Exec(t, "ip", "-d", "link", "show", l.swDev)
	if !strings.Contains(out, "promiscuity 1") {
		t.Errorf("device not promiscuous while the port is open: %s", out)
	}
}

// TestReceive checks frames sent by the peer kernel, untagged and through
// a VLAN subinterface, arrive whole at Headroom with the tag restored.
func TestReceive(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		p := l.open(t, Options{})
		b := ports.NewBatch()
		tests := []struct {
			name    string
			dst     string
			vid     int // -1: untagged
			payload int
		}{
			{"untagged", "untagged", -1, 32},
			{"vlan 10", "vlan", testVID, 32},
			{"untagged mtu", "untagged", -1, 1500 - ipv4HdrLen - udpHdrLen},
			{"vlan 10 mtu", "vlan", testVID, 1500 - ipv4HdrLen - udpHdrLen},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.vid >= 0 && l.noVLAN != "" {
					t.Skip(l.noVLAN)
				}
				const count = 5
				marker := []byte(fmt.Sprintf("govs-rx-%d-", i))
				payload := bytes.Repeat([]byte{'z'}, tt.payload)
				copy(payload, marker)
				dst := switchIP
				if tt.vid >= 0 {
					dst = switchIP10
				}
				before := p.Stats()
				var ps [][]byte
				for range count {
					ps = append(ps, payload)
				}
				l.sendUDP(t, dst, ps...)
				got := porttest.ReadMatching(t, p, b, marker, count, waitTimeout)
				if len(got) != count {
					t.Fatalf("read %d frames with marker, want %d", len(got), count)
				}
				hdr := ethHeaderLen
				if tt.vid >= 0 {
					hdr += vlanTagLen
				}
				for _, f := range got {
					if !bytes.Equal(f[:6], switchMAC) || !bytes.Equal(f[6:12], peerMAC) {
						t.Fatalf("MACs %x", f[:12])
					}
					if want := hdr + ipv4HdrLen + udpHdrLen + tt.payload; len(f) != want {
						t.Fatalf("frame length %d, want %d", len(f), want)
					}
					if tt.vid >= 0 {
						if tpid, tci := binary.BigEndian.Uint16(f[12:]), binary.BigEndian.Uint16(f[14:]); tpid != ethTypeVLAN || tci&0xfff != uint16(tt.vid) {
							t.Fatalf("tag tpid %#x tci %#x, want 0x8100 vid %d", tpid, tci, tt.vid)
						}
					}
					if et := binary.BigEndian.Uint16(f[hdr-2:]); et != ethTypeIPv4 {
						t.Fatalf("ethertype %#x", et)
					}
				}
				s := p.Stats()
				if s.RxPackets-before.RxPackets < count || s.RxBytes <= before.RxBytes {
					t.Fatalf("stats before %+v after %+v", before, s)
				}
			})
		}
	})
}

// TestTransmit writes frames and checks that the peer's UDP sockets get
// them: untagged on the veth, tagged VID 10 on the VLAN subinterface.
func TestTransmit(t *testing.T) {
	l := newLab(t)
	for _, opts := range []Options{{}, {ForceBPFInbound: true}} {
		p := l.open(t, opts)
		tests := []struct {
			name    string
			vid     int
			src     string
			payload int
		}{
			{"untagged", -1, "", 16},
			{"vlan 10", testVID, "", 16},
			{"untagged mtu", -1, "", 1500 - ipv4HdrLen - udpHdrLen},
		}
		for i, tt := range tests {
			t.Run(p.Features()+"/"+tt.name, func(t *testing.T) {
				if tt.vid >= 0 && l.noVLAN != "" {
					t.Skip(l.noVLAN)
				}
				src, dst := switchIP, peerIP
				if tt.vid >= 0 {
					src, dst = switchIP10, peerIP10
				}
				port := uint16(40000 + i)
				c := l.listenUDP(t, dst, port)
				payload := bytes.Repeat([]byte{'t'}, tt.payload)
				copy(payload, fmt.Sprintf("govs-tx-%d", i))
				f := udpFrame(peerMAC, switchMAC, tt.vid, src, dst, 5555, port, payload)
				b := ports.NewBatch()
				porttest.SetFrames(b, f, f, f)
				before := p.Stats()
				if n, err := p.Write(b); n != 3 || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				c.SetReadDeadline(time.Now().Add(waitTimeout))
				buf := make([]byte, 2048)
				for range 3 {
					n, _, err := c.ReadFromUDP(buf)
					if err != nil {
						t.Fatalf("peer did not receive: %v", err)
					}
					if !bytes.Equal(buf[:n], payload) {
						t.Fatalf("payload mismatch")
					}
				}
				s := p.Stats()
				if s.TxPackets-before.TxPackets != 3 || s.TxBytes-before.TxBytes != uint64(3*len(f)) {
					t.Fatalf("tx stats before %+v after %+v", before, s)
				}
				// Our own frames must not come back to Read.
				if got := porttest.ReadMatching(t, p, b, payload[:10], 1, 200*time.Millisecond); len(got) != 0 {
					t.Fatalf("read back %d of our own frames", len(got))
				}
			})
		}
	}
}

// TestIgnoresOutgoing has the switch-side kernel send frames out of the
// port's device: Read must not return them (PACKET_OUTGOING), with the
// socket option and with the cBPF fallback. (The port's own sendmmsg
// frames never loop back to its socket anyway: the kernel skips the
// originating socket, and qdisc bypass skips the taps.)
func TestIgnoresOutgoing(t *testing.T) {
	l := newLab(t)
	l.nsS.Exec(t, "ip", "addr", "add", switchIP.String()+"/24", "dev", l.swDev)
	l.nsS.Exec(t, "ip", "neigh", "add", peerIP.String(), "lladdr", peerMAC.String(), "dev", l.swDev)
	for i, opts := range []Options{{}, {ForceBPFInbound: true}} {
		p := l.open(t, opts)
		t.Run(p.Features(), func(t *testing.T) {
			marker := []byte(fmt.Sprintf("govs-out-%d", i))
			sendUDPIn(t, l.nsS, peerIP, marker, marker)
			b := ports.NewBatch()
			// The peer's ICMP port unreachable quotes the marker: it is
			// inbound and fine. Only the UDP frames are outgoing.
			for _, f := range porttest.ReadMatching(t, p, b, marker, 4, 300*time.Millisecond) {
				if f[ethHeaderLen+ipProtoOff] == ipProtoUDP {
					t.Fatalf("read an outgoing frame: %x", f[:min(len(f), 42)])
				}
			}
		})
		p.Close()
	}
}

func TestWriteInvalidFrames(t *testing.T) {
	l := newLab(t)
	p := l.open(t, Options{})
	b := ports.NewBatch()
	good := udpFrame(peerMAC, switchMAC, -1, switchIP, peerIP, 1, discardPort, []byte("x"))
	porttest.SetFrames(b, good, good[:10], good)
	b.Off[2] = len(b.Bufs[2]) // out of bounds
	n, err := p.Write(b)
	if n != 1 || err != nil {
		t.Fatalf("Write = %d, %v", n, err)
	}
	if s := p.Stats(); s.TxErrors != 2 || s.TxPackets != 1 {
		t.Fatalf("stats %+v", s)
	}
}

// TestReceiveTooLong reads into buffers too short for the frames: they are
// counted as errors, never returned truncated.
func TestReceiveTooLong(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		p := l.open(t, Options{})
		b := ports.NewBatch()
		for i := range b.Bufs {
			b.Bufs[i] = b.Bufs[i][:ports.Headroom+200]
		}
		l.sendUDP(t, switchIP, bytes.Repeat([]byte{'L'}, 500), []byte("govs-short"))
		got := porttest.ReadMatching(t, p, b, []byte("govs-short"), 1, waitTimeout)
		if len(got) != 1 {
			t.Fatal("short frame not received")
		}
		if s := p.Stats(); s.RxErrors < 1 {
			t.Fatalf("RxErrors = %d, want >= 1", s.RxErrors)
		}
		for i := range b.N {
			if b.Len[i] > 200 {
				t.Fatalf("frame of %d bytes returned", b.Len[i])
			}
		}
	})
}

func TestJumbo(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		const mtu = 9000
		l.nsS.Exec(t, "ip", "link", "set", l.swDev, "mtu", fmt.Sprint(mtu))
		l.nsP.Exec(t, "ip", "link", "set", l.peerDev, "mtu", fmt.Sprint(mtu))
		p := l.open(t, Options{})
		b := ports.NewBatch()
		payload := bytes.Repeat([]byte{'j'}, mtu-ipv4HdrLen-udpHdrLen)
		copy(payload, "govs-jumbo")
		l.sendUDP(t, switchIP, payload)
		got := porttest.ReadMatching(t, p, b, []byte("govs-jumbo"), 1, waitTimeout)
		if len(got) != 1 || len(got[0]) != ethHeaderLen+mtu {
			t.Fatalf("jumbo: got %d frames", len(got))
		}
		c := l.listenUDP(t, peerIP, 40100)
		porttest.SetFrames(b, udpFrame(peerMAC, switchMAC, -1, switchIP, peerIP, 1, 40100, payload))
		if n, err := p.Write(b); n != 1 || err != nil {
			t.Fatalf("Write jumbo = %d, %v", n, err)
		}
		c.SetReadDeadline(time.Now().Add(waitTimeout))
		buf := make([]byte, mtu)
		if n, _, err := c.ReadFromUDP(buf); err != nil || n != len(payload) {
			t.Fatalf("peer read %d, %v", n, err)
		}
	})
}

// TestKernelDrops overflows a tiny receive buffer and checks the kernel's
// drop count reaches Stats.
func TestKernelDrops(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		p := l.open(t, Options{RcvBuf: 1, RingFrames: 1})
		var ps [][]byte
		for range 500 {
			ps = append(ps, bytes.Repeat([]byte{'d'}, 1000))
		}
		l.sendUDP(t, switchIP, ps...)
		s := p.Stats()
		if s.KernelDrops == 0 || s.RxDropped < s.KernelDrops {
			t.Fatalf("stats %+v: want kernel drops", s)
		}
	})
}

func TestPollFD(t *testing.T) {
	l := newLab(t)
	p := l.open(t, Options{})
	b := ports.NewBatch()
	for n, _ := p.Read(b); n > 0; n, _ = p.Read(b) {
	}
	l.sendUDP(t, switchIP, []byte("govs-poll"))
	fds := []unix.PollFd{{Fd: int32(p.PollFD()), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(waitTimeout/time.Millisecond))
	if err != nil || n != 1 {
		t.Fatalf("poll = %d, %v", n, err)
	}
	if got := porttest.ReadMatching(t, p, b, []byte("govs-poll"), 1, waitTimeout); len(got) != 1 {
		t.Fatal("frame not read after poll")
	}
}

// TestNotInNetpoller checks that the socket is non-blocking but kept out
// of the Go runtime's netpoller (whose threads would wake for every
// frame): os.File refuses deadlines exactly on descriptors it does not poll.
func TestNotInNetpoller(t *testing.T) {
	l := newLab(t)
	p := l.open(t, Options{})
	if fl, err := unix.FcntlInt(uintptr(p.PollFD()), unix.F_GETFL, 0); err != nil || fl&unix.O_NONBLOCK == 0 {
		t.Fatalf("F_GETFL = %#x, %v; want O_NONBLOCK", fl, err)
	}
	if err := p.file.SetReadDeadline(time.Now().Add(time.Hour)); !errors.Is(err, os.ErrNoDeadline) {
		t.Fatalf("SetReadDeadline = %v, want os.ErrNoDeadline (fd registered with the netpoller)", err)
	}
}

func TestClose(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		p := l.open(t, Options{})
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		if err := p.Close(); err != nil {
			t.Fatal("second Close:", err)
		}
		b := ports.NewBatch()
		if _, err := p.Read(b); !errors.Is(err, ports.ErrClosed) {
			t.Fatalf("Read: %v", err)
		}
		if _, err := p.Write(b); !errors.Is(err, ports.ErrClosed) {
			t.Fatalf("Write: %v", err)
		}
		p.Stats()
		out := l.nsS.Exec(t, "ip", "-d", "link", "show", l.swDev)
		if !strings.Contains(out, "promiscuity 0") {
			t.Errorf("device still promiscuous after Close: %s", out)
		}
	})
}

// TestVLANRaw sends tagged frames between two ports, one per veth end.
// The receiving kernel strips the tag (skb_vlan_untag in the core stack,
// no 8021q module needed) into PACKET_AUXDATA, and Read must put it back,
// with the right TPID, at Off = Headroom.
func TestVLANRaw(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		sw, peer := l.pair(t)
		tests := []struct {
			name     string
			from, to *Port
			tpid     uint16
			tci      uint16
		}{
			{"peer to switch 802.1Q vid 10", peer, sw, ethTypeVLAN, testVID},
			{"switch to peer 802.1Q vid 10", sw, peer, ethTypeVLAN, testVID},
			{"pcp and vid 4094", peer, sw, ethTypeVLAN, 5<<13 | 4094},
			{"priority tag vid 0", peer, sw, ethTypeVLAN, 3 << 13},
			{"802.1ad vid 20", peer, sw, 0x88a8, 20},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				marker := []byte(fmt.Sprintf("govs-vlan-%d", i))
				f := udpFrame(switchMAC, peerMAC, int(tt.tci), peerIP10, switchIP10, 1, discardPort, marker)
				binary.BigEndian.PutUint16(f[12:], tt.tpid)
				b := ports.NewBatch()
				porttest.SetFrames(b, f, f)
				restored := tt.to.rx.vlanRestored
				if n, err := tt.from.Write(b); n != 2 || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				got := porttest.ReadMatching(t, tt.to, b, marker, 2, waitTimeout)
				if len(got) != 2 {
					t.Fatalf("read %d tagged frames, want 2", len(got))
				}
				for _, g := range got {
					if !bytes.Equal(g, f) {
						t.Fatalf("frame\n got %x\nwant %x", g, f)
					}
				}
				if tt.to.rx.vlanRestored-restored < 2 {
					t.Fatalf("%d tags restored from auxdata, want 2 (kernel did not strip?)", tt.to.rx.vlanRestored-restored)
				}
			})
		}
	})
}

// pair opens the port under test on the switch end and a second port on
// the peer end, for Write→Read loops.
func (l *lab) pair(tb testing.TB) (sw, peer *Port) {
	return l.open(tb, Options{}), openIn(tb, l.nsP, l.peerDev, Options{})
}

// TestAllocs proves Read and Write allocate nothing per batch on a real
// socket.
func TestAllocs(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		sw, peer := l.pair(t)
		in, out := ports.NewBatch(), ports.NewBatch()
		f := udpFrame(peerMAC, switchMAC, testVID, switchIP10, peerIP10, 1, discardPort, make([]byte, 18))
		frames := make([][]byte, ports.BatchSize)
		for i := range frames {
			frames[i] = f
		}
		porttest.SetFrames(in, frames...)
		got := 0
		a := testing.AllocsPerRun(50, func() {
			sw.Write(in)
			n, _ := peer.Read(out)
			got += n
		})
		if a != 0 {
			t.Fatalf("Write+Read allocs per batch = %v, want 0", a)
		}
		if got == 0 {
			t.Fatal("no frames read during the allocation test")
		}
		for n, _ := peer.Read(out); n > 0; n, _ = peer.Read(out) {
		}
		if a := testing.AllocsPerRun(50, func() { peer.Read(out) }); a != 0 {
			t.Fatalf("empty Read allocs = %v, want 0", a)
		}
	})
}

// BenchmarkVeth writes a batch on one end of a veth and reads it on the
// other; ns/frame covers one sendmmsg share, the veth crossing and one
// recvmmsg share.
func BenchmarkVeth(b *testing.B) {
	for _, size := range []int{60, 1514} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			l := newLab(b)
			sw, peer := l.pair(b)
			in, out := ports.NewBatch(), ports.NewBatch()
			f := udpFrame(otherMAC, switchMAC, -1, switchIP, peerIP, 1, discardPort, make([]byte, size-ethHeaderLen-ipv4HdrLen-udpHdrLen))
			frames := make([][]byte, ports.BatchSize)
			for i := range frames {
				frames[i] = f
			}
			porttest.SetFrames(in, frames...)
			received := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sent, _ := sw.Write(in)
				for want := received + sent; received < want; {
					n, _ := peer.Read(out)
					if n == 0 {
						break
					}
					received += n
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(max(received, 1)), "ns/frame")
			b.ReportMetric(float64(received)/float64(b.N*ports.BatchSize), "delivered")
		})
	}
}

// TestConcurrent runs writers on two goroutines, a reader, Stats and a
// final Close together, for the race detector.
func TestConcurrent(t *testing.T) {
	l := newLab(t)
	sw, peer := l.pair(t)
	f := udpFrame(otherMAC, switchMAC, -1, switchIP, peerIP, 1, discardPort, make([]byte, 18))
	done := make(chan struct{})
	for range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			b := ports.NewBatch()
			frames := make([][]byte, 8)
			for i := range frames {
				frames[i] = f
			}
			porttest.SetFrames(b, frames...)
			for range 50 {
				if _, err := sw.Write(b); err != nil {
					t.Errorf("Write: %v", err)
					return
				}
				sw.Stats()
			}
		}()
	}
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		b := ports.NewBatch()
		for {
			if _, err := peer.Read(b); errors.Is(err, ports.ErrClosed) {
				return
			}
			peer.Stats()
		}
	}()
	<-done
	<-done
	if err := peer.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-readerDone:
	case <-time.After(waitTimeout):
		t.Fatal("reader did not see ErrClosed")
	}
	if s := sw.Stats(); s.TxPackets+s.TxDropped != 2*50*8 {
		t.Fatalf("tx stats %+v", s)
	}
}

// BenchmarkVethWrite measures sendmmsg alone: batches of 60-byte frames
// into a veth whose peer stack drops them at L2.
func BenchmarkVethWrite(b *testing.B) {
	l := newLab(b)
	sw := l.open(b, Options{})
	in := ports.NewBatch()
	f := udpFrame(otherMAC, switchMAC, -1, switchIP, peerIP, 1, discardPort, make([]byte, 18))
	frames := make([][]byte, ports.BatchSize)
	for i := range frames {
		frames[i] = f
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

func TestReadShortBuffer(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		p := l.open(t, Options{})
		b := ports.NewBatch()
		b.Bufs[5] = nil
		if _, err := p.Read(b); !errors.Is(err, errShortBuffer) {
			t.Fatalf("Read with a short buffer: %v", err)
		}
	})
}

// TestDeviceDownUp: taking the device down leaves ENETDOWN pending on the
// socket. Read must report and clear it (with the ring as with recvmmsg),
// so that the first Write after the device is up again is not failed by
// it, and epoll does not keep reporting the socket.
func TestDeviceDownUp(t *testing.T) {
	rxModes(t, func(t *testing.T, recvMmsg bool) {
		l := newLab(t)
		l.recvMmsg = recvMmsg
		p := l.open(t, Options{})
		l.nsS.Exec(t, "ip", "link", "set", l.swDev, "down")
		l.nsS.Exec(t, "ip", "link", "set", l.swDev, "up")
		b := ports.NewBatch()
		if _, err := p.Read(b); !errors.Is(err, unix.ENETDOWN) {
			t.Fatalf("Read after down/up = %v, want ENETDOWN", err)
		}
		if _, err := p.Read(b); err != nil {
			t.Fatalf("second Read = %v, want the error cleared", err)
		}
		fds := []unix.PollFd{{Fd: int32(p.PollFD()), Events: unix.POLLIN}}
		if n, _ := unix.Poll(fds, 0); n != 0 {
			t.Fatalf("socket still reported by poll (revents %#x)", fds[0].Revents)
		}
		// Wait for the veth to carry again, then one frame must go out.
		deadline := time.Now().Add(waitTimeout)
		for !strings.Contains(l.nsS.Exec(t, "ip", "link", "show", l.swDev), "LOWER_UP") {
			if time.Now().After(deadline) {
				t.Fatal("veth not up again")
			}
			time.Sleep(10 * time.Millisecond)
		}
		porttest.SetFrames(b, udpFrame(peerMAC, switchMAC, -1, switchIP, peerIP, 1, discardPort, []byte("govs-up")))
		if n, err := p.Write(b); n != 1 || err != nil {
			t.Fatalf("Write after down/up = %d, %v", n, err)
		}
	})
}
