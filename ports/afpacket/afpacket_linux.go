package afpacket

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"

	"govs/ports"
	"govs/ports/internal/ifctl"
)

// Port is an AF_PACKET port bound to one netdev. See the package doc.
type Port struct {
	name    string
	ifindex int
	fd      int
	file    *os.File
	rc      syscall.RawConn
	// txFile/txRC is the transmit socket: unbound, protocol 0 (it
	// receives nothing) and in no epoll set. See the package doc.
	txFile *os.File
	txRC   syscall.RawConn
	feat   features
	closed atomic.Bool
	c      ports.Counters

	rx   rxState // owned by the goroutine calling Read
	ring *ringRx // the TPACKET_V2 rx ring; nil when reading with recvmmsg

	tx struct {
		sync.Mutex
		txState // guarded by the mutex
	}

	statsMu sync.Mutex // serialises PACKET_STATISTICS reads (they reset the kernel counters)
}

var _ ports.Port = (*Port)(nil)

// rxState is the preallocated recvmmsg state. The iovecs point into the
// caller's batch only during Read.
type rxState struct {
	msgs  [ports.BatchSize]unix.Mmsghdr
	iovs  [ports.BatchSize]unix.Iovec
	ctrl  [ports.BatchSize][ctrlBufLen]byte
	n     int        // frames received by the last call
	errno unix.Errno // error of the last call
	fn    func(uintptr) bool

	soErr   int           // SO_ERROR read by soErrFn
	soErrFn func(uintptr) // r.readSoErr, bound once

	vlanRestored uint64 // tags put back from auxdata, read by tests
}

// txState is the preallocated sendmmsg state.
type txState struct {
	msgs  [ports.BatchSize]unix.Mmsghdr
	iovs  [ports.BatchSize]unix.Iovec
	lens  [ports.BatchSize]int
	start int // first message for the next call
	count int // messages prepared
	n     int // messages sent by the last call
	errno unix.Errno
	fn    func(uintptr) bool
	sll   unix.RawSockaddrLinklayer // the destination device of every message
}

// Open opens an AF_PACKET port on the netdev called name. Errors that
// concern the device are *ports.OpenError values worded as OVS's.
func Open(name string, opts Options) (*Port, error) {
	// The socket is created blocking and made non-blocking only after
	// os.NewFile: a descriptor that is non-blocking when wrapped is
	// registered with the Go runtime's (edge-triggered) netpoller, whose
	// idle threads would then wake up for every frame that arrives and
	// every transmitted frame freed, for nothing: Read and Write never
	// wait in the netpoller, and the poll loop has its own epoll set.
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, &ports.OpenError{Device: name, Err: err}
	}
	p := &Port{name: name, fd: fd}
	if err := p.setup(opts); err != nil {
		unix.Close(fd)
		return nil, err
	}
	p.file = os.NewFile(uintptr(fd), "afpacket:"+name)
	if err := unix.SetNonblock(fd, true); err != nil {
		p.file.Close()
		return nil, &ports.OpenError{Device: name, Err: err}
	}
	rc, err := p.file.SyscallConn()
	if err != nil {
		p.file.Close()
		return nil, &ports.OpenError{Device: name, Err: err}
	}
	p.rc = rc
	if err := p.openTx(); err != nil {
		p.file.Close()
		return nil, &ports.OpenError{Device: name, Err: err}
	}
	p.initRings()
	return p, nil
}

// openTx opens the transmit socket, made non-blocking after os.NewFile as
// the receive socket is.
func (p *Port) openTx() error {
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("transmit socket: %w", err)
	}
	p.feat.qdiscBypass = unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, 1) == nil
	p.txFile = os.NewFile(uintptr(fd), "afpacket-tx:"+p.name)
	if err := unix.SetNonblock(fd, true); err != nil {
		p.txFile.Close()
		return err
	}
	rc, err := p.txFile.SyscallConn()
	if err != nil {
		p.txFile.Close()
		return err
	}
	p.txRC = rc
	p.tx.sll = unix.RawSockaddrLinklayer{Family: unix.AF_PACKET, Protocol: htons(unix.ETH_P_ALL), Ifindex: int32(p.ifindex)}
	return nil
}

// setup configures the socket; see the package doc for the order.
func (p *Port) setup(opts Options) error {
	openErr := func(err error) error { return &ports.OpenError{Device: p.name, Err: err} }
	ifindex, err := ifIndex(p.fd, p.name)
	if err != nil {
		return openErr(err)
	}
	p.ifindex = ifindex
	if err := unix.SetsockoptInt(p.fd, unix.SOL_PACKET, unix.PACKET_AUXDATA, 1); err != nil {
		return openErr(fmt.Errorf("PACKET_AUXDATA: %w", err))
	}
	p.feat.outgoing = OutgoingIgnoreSockopt
	if opts.ForceBPFInbound || unix.SetsockoptInt(p.fd, unix.SOL_PACKET, unix.PACKET_IGNORE_OUTGOING, 1) != nil {
		if err := attachInboundFilter(p.fd); err != nil {
			return openErr(fmt.Errorf("inbound filter: %w", err))
		}
		p.feat.outgoing = OutgoingBPFFilter
	}
	if !opts.RecvMmsg {
		// Before bind, so that every frame goes to the ring. A kernel
		// or memory limit that refuses the ring leaves recvmmsg.
		if err := p.setupRing(opts.RingFrames); err != nil {
			p.feat.ringErr = err.Error()
		}
	}
	if opts.RcvBuf > 0 {
		if unix.SetsockoptInt(p.fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, opts.RcvBuf) != nil {
			if err := unix.SetsockoptInt(p.fd, unix.SOL_SOCKET, unix.SO_RCVBUF, opts.RcvBuf); err != nil {
				return openErr(fmt.Errorf("SO_RCVBUF: %w", err))
			}
		}
		p.feat.rcvBuf, _ = unix.GetsockoptInt(p.fd, unix.SOL_SOCKET, unix.SO_RCVBUF)
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifindex}
	if err := unix.Bind(p.fd, sa); err != nil {
		return openErr(err)
	}
	if !opts.NoPromisc {
		mreq := &unix.PacketMreq{Ifindex: int32(ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(p.fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, mreq); err != nil {
			return openErr(fmt.Errorf("promiscuous mode: %w", err))
		}
		p.feat.promisc = true
	}
	return nil
}

// ifIndex returns the ifindex of the device called name (SIOCGIFINDEX).
func ifIndex(fd int, name string) (int, error) {
	ifr, err := unix.NewIfreq(name)
	if err != nil { // name too long or with a NUL: no such device can exist
		return 0, unix.ENODEV
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, err
	}
	return int(ifr.Uint32()), nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// initRings links each message to its iovec and control buffer once, and
// binds the syscall callbacks, so that Read and Write allocate nothing.
func (p *Port) initRings() {
	for i := range p.rx.msgs {
		h := &p.rx.msgs[i].Hdr
		h.Iov = &p.rx.iovs[i]
		h.SetIovlen(1)
		h.Control = &p.rx.ctrl[i][0]
	}
	for i := range p.tx.msgs {
		h := &p.tx.msgs[i].Hdr
		h.Iov = &p.tx.iovs[i]
		h.SetIovlen(1)
		p.tx.setName(h)
	}
	p.rx.fn = p.rx.recv
	p.rx.soErrFn = p.rx.readSoErr
	p.tx.fn = p.tx.txState.send
}

// Name returns the device name.
func (p *Port) Name() string { return p.name }

// Ifindex returns the device's ifindex.
func (p *Port) Ifindex() int { return p.ifindex }

// HardwareAddr returns the device's current MAC address (for
// Interface.mac_in_use). It asks through the port's socket, so it works
// from any thread whatever its network namespace.
func (p *Port) HardwareAddr() (net.HardwareAddr, error) {
	var mac net.HardwareAddr
	var err error
	if cerr := p.rc.Control(func(fd uintptr) { mac, err = ifctl.HardwareAddr(int(fd), p.name) }); cerr != nil {
		return nil, ports.ErrClosed
	}
	return mac, err
}

// MTU returns the device's current MTU (for Interface.mtu).
func (p *Port) MTU() (int, error) {
	var mtu int
	var err error
	if cerr := p.rc.Control(func(fd uintptr) { mtu, err = ifctl.MTU(int(fd), p.name) }); cerr != nil {
		return 0, ports.ErrClosed
	}
	return mtu, err
}

// Features describes the kernel features in use, e.g.
// "rx=tpacket-v2-ring tx=sendmmsg vlan=tpacket-hdr outgoing=PACKET_IGNORE_OUTGOING qdisc-bypass=on promisc=on".
func (p *Port) Features() string { return p.feat.String() }

// PollFD returns the socket, readable while frames are queued.
func (p *Port) PollFD() int { return p.fd }

// Read receives up to ports.BatchSize frames into b at ports.Headroom with
// one recvmmsg, restoring VLAN tags the kernel stripped. It never blocks:
// with nothing queued it returns 0, nil. It does not allocate.
func (p *Port) Read(b *ports.Batch) (int, error) {
	b.N = 0
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	if p.ring != nil {
		return p.readRing(b)
	}
	r := &p.rx
	for i := range r.msgs {
		buf := b.Bufs[i]
		if len(buf) < ports.Headroom+ethHeaderLen {
			return 0, errShortBuffer
		}
		r.iovs[i].Base = &buf[ports.Headroom]
		r.iovs[i].SetLen(len(buf) - ports.Headroom)
		r.msgs[i].Hdr.SetControllen(ctrlBufLen)
		r.msgs[i].Hdr.Flags = 0
		r.msgs[i].Len = 0
	}
	err := p.rc.Read(r.fn)
	for i := range r.iovs {
		r.iovs[i].Base = nil // keep no reference to b
	}
	if err != nil {
		return 0, ports.ErrClosed
	}
	switch r.errno {
	case 0:
	case unix.EAGAIN, unix.EINTR:
		return 0, nil
	default:
		p.c.RxErrors.Add(1)
		return 0, &os.SyscallError{Syscall: "recvmmsg", Err: r.errno}
	}
	n, bytes, bad := 0, 0, 0
	for i := range r.n {
		m := &r.msgs[i]
		l := int(m.Len)
		buf := b.Bufs[i]
		if m.Hdr.Flags&unix.MSG_TRUNC != 0 || l > len(buf)-ports.Headroom || l < ethHeaderLen {
			bad++
			continue
		}
		off := ports.Headroom
		ctrl := r.ctrl[i][:min(int(m.Hdr.Controllen), ctrlBufLen)]
		if tag, ok := parseAuxdata(ctrl); ok {
			if off, l, ok = insertVLAN(buf, off, l, tag); !ok {
				bad++
				continue
			}
			r.vlanRestored++
		}
		if n != i { // an earlier frame was dropped: close the gap
			dst := b.Bufs[n]
			if off+l > len(dst) {
				bad++
				continue
			}
			copy(dst[off:off+l], buf[off:off+l])
		}
		b.Off[n], b.Len[n] = off, l
		bytes += l
		n++
	}
	b.N = n
	if n > 0 {
		p.c.RxPackets.Add(uint64(n))
		p.c.RxBytes.Add(uint64(bytes))
	}
	if bad > 0 {
		p.c.RxErrors.Add(uint64(bad))
	}
	return n, nil
}

// readRing is Read from the TPACKET_V2 ring.
func (p *Port) readRing(b *ports.Batch) (int, error) {
	for i := range b.Bufs {
		if len(b.Bufs[i]) < ports.Headroom+ethHeaderLen {
			return 0, errShortBuffer
		}
	}
	n, bytes, bad, tags := p.ring.read(b)
	p.rx.vlanRestored += uint64(tags)
	b.N = n
	if n > 0 {
		p.c.RxPackets.Add(uint64(n))
		p.c.RxBytes.Add(uint64(bytes))
	}
	if bad > 0 {
		p.c.RxErrors.Add(uint64(bad))
	}
	if p.closed.Load() {
		return n, ports.ErrClosed
	}
	if n == 0 && bad == 0 {
		// Nothing in the ring: the socket may hold an error instead
		// (ENETDOWN after the device went down). recvmmsg would have
		// returned and cleared it; left pending it keeps epoll
		// reporting the socket and fails the next sendmmsg.
		return 0, p.takeSocketError()
	}
	return n, nil
}

// takeSocketError reads and clears the socket's pending error (SO_ERROR),
// counting it in RxErrors.
// It does not allocate unless there is an error to return.
func (p *Port) takeSocketError() error {
	r := &p.rx
	r.soErr = 0
	if cerr := p.rc.Control(r.soErrFn); cerr != nil {
		return ports.ErrClosed
	}
	if r.soErr == 0 {
		return nil
	}
	p.c.RxErrors.Add(1)
	return &os.SyscallError{Syscall: "recv", Err: unix.Errno(r.soErr)}
}

// readSoErr is the RawConn.Control callback of takeSocketError.
func (r *rxState) readSoErr(fd uintptr) {
	v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR)
	if err == nil {
		r.soErr = v
	}
}

// Write sends frames 0..b.N-1 of b with sendmmsg, looped until all are
// sent or the socket refuses more. Frames shorter than an Ethernet header,
// longer than ports.MaxFrameLen or out of their buffer's bounds are not
// sent and count as TxErrors; frames the kernel refused count as
// TxDropped. It never blocks and does not allocate.
func (p *Port) Write(b *ports.Batch) (int, error) {
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	t := &p.tx
	t.Lock()
	defer t.Unlock()
	k, bad := 0, 0
	for i := range min(max(b.N, 0), ports.BatchSize) {
		off, l, buf := b.Off[i], b.Len[i], b.Bufs[i]
		if l < ethHeaderLen || l > ports.MaxFrameLen || off < 0 || off > len(buf)-l {
			bad++
			continue
		}
		t.iovs[k].Base = &buf[off]
		t.iovs[k].SetLen(l)
		t.lens[k] = l
		k++
	}
	t.start, t.count = 0, k
	var err error
	for t.start < t.count {
		if rerr := p.txRC.Write(t.fn); rerr != nil {
			err = ports.ErrClosed
			break
		}
		if t.errno == unix.EINTR {
			continue
		}
		if t.errno != 0 {
			if t.errno != unix.EAGAIN && t.errno != unix.ENOBUFS {
				err = &os.SyscallError{Syscall: "sendmmsg", Err: t.errno}
			}
			break
		}
		t.start += t.n
	}
	sent, bytes := t.start, 0
	for i := range k {
		t.iovs[i].Base = nil
		if i < sent {
			bytes += t.lens[i]
		}
	}
	if sent > 0 {
		p.c.TxPackets.Add(uint64(sent))
		p.c.TxBytes.Add(uint64(bytes))
	}
	if k > sent {
		p.c.TxDropped.Add(uint64(k - sent))
	}
	if bad > 0 {
		p.c.TxErrors.Add(uint64(bad))
	}
	return sent, err
}

// Stats returns the port's counters, first folding in the kernel's
// PACKET_STATISTICS drop count.
func (p *Port) Stats() ports.Stats {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	if !p.closed.Load() {
		var st *unix.TpacketStats
		cerr := p.rc.Control(func(fd uintptr) {
			st, _ = unix.GetsockoptTpacketStats(int(fd), unix.SOL_PACKET, unix.PACKET_STATISTICS)
		})
		if cerr == nil && st != nil && st.Drops > 0 {
			p.c.KernelDrops.Add(uint64(st.Drops))
			p.c.RxDropped.Add(uint64(st.Drops))
		}
	}
	return p.c.Snapshot()
}

// Close closes the socket. Read and Write return ports.ErrClosed after it;
// a Read or Write in progress finishes first. Close is idempotent.
func (p *Port) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	err := errors.Join(p.file.Close(), p.txFile.Close())
	if p.ring != nil {
		err = errors.Join(err, p.ring.unmap())
	}
	return err
}

var errShortBuffer = errors.New("afpacket: batch buffer shorter than Headroom plus an Ethernet header")
