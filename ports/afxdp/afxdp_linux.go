package afxdp

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cilium/ebpf/link"
	"golang.org/x/sys/unix"

	"govs/ports"
	"govs/ports/internal/ifctl"
)

// ring is one of the four mmap'd AF_XDP rings (see afxdp_linux_unsafe.go).
// User space owns the producer of the fill and tx rings and the consumer
// of the rx and completion rings; the kernel owns the other index.
type ring struct {
	mem   []byte
	prod  *uint32
	cons  *uint32
	flags *uint32
	descs []unix.XDPDesc // rx, tx
	addrs []uint64       // fill, completion
	size  uint32
	mask  uint32
}

func (r *ring) unmap() {
	if r != nil && r.mem != nil {
		unix.Munmap(r.mem)
		r.mem, r.descs, r.addrs = nil, nil, nil
	}
}

// Port is an AF_XDP port on queue 0 of one netdev. See the package doc.
type Port struct {
	name       string
	ifindex    int
	fd         int
	opts       Options
	attachMode string // "native" or "generic"
	zeroCopy   bool
	needWakeup bool // bound with XDP_USE_NEED_WAKEUP
	umem       []byte
	prog       *xdpProg
	link       link.Link
	closed     atomic.Bool
	c          ports.Counters

	rx struct {
		sync.Mutex // held by Read; taken by Close before unmapping
		ring, fill *ring
		// pending holds receive chunks the fill ring had no room for
		// (see Read); they go back first on the next Read.
		pending  [rxFrames]uint64
		npending int
	}
	tx struct {
		sync.Mutex // serialises Write; taken by Close before unmapping
		ring, comp *ring
		free       [txFrames]uint64 // free transmit chunks (a stack)
		nfree      int
	}

	statsMu sync.Mutex         // serialises XDP_STATISTICS with Close
	lastKS  unix.XDPStatistics // kernel counters read by Close
}

var _ ports.Port = (*Port)(nil)

// Open opens an AF_XDP port on rx/tx queue 0 of the netdev called name
// and attaches the redirect program to the device (see the package doc).
// Errors that concern the device are *ports.OpenError values worded as
// OVS's ("could not open network device veth0 (No such device)").
func Open(name string, opts Options) (*Port, error) {
	openErr := func(err error) error { return &ports.OpenError{Device: name, Err: err} }
	if int(opts.Mode) >= len(modeNames) {
		return nil, &ConfigError{Device: name, Msg: "invalid xdp-mode " + opts.Mode.String()}
	}
	ifindex, mtu, err := devInfo(name)
	if err != nil {
		return nil, openErr(err)
	}
	if mtu > MaxMTU {
		return nil, openErr(fmt.Errorf("MTU %d is larger than %d, the largest an afxdp port receives", mtu, MaxMTU))
	}
	fd, err := unix.Socket(unix.AF_XDP, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, openErr(fmt.Errorf("socket(AF_XDP): %v", err))
	}
	p := &Port{name: name, ifindex: ifindex, fd: fd, opts: opts}
	if err := p.setup(); err != nil {
		p.release()
		return nil, openErr(err)
	}
	return p, nil
}

// devInfo returns the ifindex and MTU of the device called name.
func devInfo(name string) (ifindex, mtu int, err error) {
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, 0, err
	}
	defer unix.Close(s)
	ifr, err := unix.NewIfreq(name)
	if err != nil { // name too long or with a NUL: no such device can exist
		return 0, 0, unix.ENODEV
	}
	if err := unix.IoctlIfreq(s, unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, 0, err
	}
	mtu, err = ifctl.MTU(s, name)
	return int(ifr.Uint32()), mtu, err
}

// setup builds the UMEM and rings, binds the socket and attaches the
// program, in that order (so that no frame is redirected before the
// socket is ready).
func (p *Port) setup() error {
	var err error
	p.umem, err = unix.Mmap(-1, 0, umemSize, unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_POPULATE)
	if err != nil {
		return fmt.Errorf("mmap UMEM: %v", err)
	}
	if err := registerUMEM(p.fd, p.umem); err != nil {
		return fmt.Errorf("XDP_UMEM_REG: %v", err)
	}
	for _, r := range []struct {
		opt  int
		size int
	}{
		{unix.XDP_UMEM_FILL_RING, rxRingSize}, {unix.XDP_UMEM_COMPLETION_RING, txRingSize},
		{unix.XDP_RX_RING, rxRingSize}, {unix.XDP_TX_RING, txRingSize},
	} {
		if err := unix.SetsockoptInt(p.fd, unix.SOL_XDP, r.opt, r.size); err != nil {
			return fmt.Errorf("ring setsockopt %d: %v", r.opt, err)
		}
	}
	off, err := mmapOffsets(p.fd)
	if err != nil {
		return fmt.Errorf("XDP_MMAP_OFFSETS: %v", err)
	}
	if p.rx.fill, err = mapRing(p.fd, unix.XDP_UMEM_PGOFF_FILL_RING, off.Fr, rxRingSize, false); err != nil {
		return fmt.Errorf("mmap fill ring: %v", err)
	}
	if p.tx.comp, err = mapRing(p.fd, unix.XDP_UMEM_PGOFF_COMPLETION_RING, off.Cr, txRingSize, false); err != nil {
		return fmt.Errorf("mmap completion ring: %v", err)
	}
	if p.rx.ring, err = mapRing(p.fd, unix.XDP_PGOFF_RX_RING, off.Rx, rxRingSize, true); err != nil {
		return fmt.Errorf("mmap rx ring: %v", err)
	}
	if p.tx.ring, err = mapRing(p.fd, unix.XDP_PGOFF_TX_RING, off.Tx, txRingSize, true); err != nil {
		return fmt.Errorf("mmap tx ring: %v", err)
	}
	// Every receive chunk starts in the fill ring; every transmit chunk
	// in the free list.
	f := p.rx.fill
	for i := range uint32(rxFrames) {
		f.addrs[i&f.mask] = uint64(i) * frameSize
	}
	atomic.StoreUint32(f.prod, rxFrames)
	for i := range txFrames {
		p.tx.free[i] = uint64(rxFrames+txFrames-1-i) * frameSize
	}
	p.tx.nfree = txFrames

	flags := uint16(unix.XDP_COPY)
	if p.opts.Mode == ModeNativeZeroCopy {
		flags = unix.XDP_ZEROCOPY
	}
	if !p.opts.NoNeedWakeup {
		flags |= unix.XDP_USE_NEED_WAKEUP
		p.needWakeup = true
	}
	if err := unix.Bind(p.fd, &unix.SockaddrXDP{Flags: flags, Ifindex: uint32(p.ifindex), QueueID: 0}); err != nil {
		if flags&unix.XDP_ZEROCOPY != 0 {
			return fmt.Errorf("bind AF_XDP socket to queue 0 in zero-copy mode: %v", err)
		}
		return fmt.Errorf("bind AF_XDP socket to queue 0: %v", err)
	}
	if o, err := xdpOptions(p.fd); err == nil {
		p.zeroCopy = o&unix.XDP_OPTIONS_ZEROCOPY != 0
	}
	if p.prog, err = newXDPProg(); err != nil {
		return err
	}
	if err := p.prog.bind(p.fd); err != nil {
		return err
	}
	p.link, p.attachMode, err = p.prog.attach(p.ifindex, p.opts.Mode)
	return err
}

// release undoes what setup did: detach the program (closing the link),
// close the socket, unmap rings and UMEM.
func (p *Port) release() error {
	var err error
	if p.link != nil {
		err = p.link.Close()
		p.link = nil
	}
	if p.prog != nil {
		p.prog.close()
		p.prog = nil
	}
	if p.fd >= 0 {
		if e := unix.Close(p.fd); e != nil && err == nil {
			err = e
		}
		p.fd = -1
	}
	p.rx.ring.unmap()
	p.rx.fill.unmap()
	p.tx.ring.unmap()
	p.tx.comp.unmap()
	if p.umem != nil {
		unix.Munmap(p.umem)
		p.umem = nil
	}
	return err
}

// Name returns the device name.
func (p *Port) Name() string { return p.name }

// Ifindex returns the device's ifindex.
func (p *Port) Ifindex() int { return p.ifindex }

// Mode returns the XDP attach mode in use: "native" or "generic".
func (p *Port) Mode() string { return p.attachMode }

// ModeInUse names the mode in use as OVS's xdp-mode-in-use does:
// "native-with-zerocopy", "native" or "generic".
func (p *Port) ModeInUse() string {
	if p.zeroCopy {
		return ModeNativeZeroCopy.String()
	}
	return p.attachMode
}

// Features describes the choices Open made, e.g.
// "xdp-mode=best-effort attach=native bind=copy need-wakeup=on queue=0".
func (p *Port) Features() string {
	bind := "copy"
	if p.zeroCopy {
		bind = "zero-copy"
	}
	nw := "on"
	if !p.needWakeup {
		nw = "off"
	}
	return "xdp-mode=" + p.opts.Mode.String() + " attach=" + p.attachMode + " bind=" + bind + " need-wakeup=" + nw + " queue=0"
}

// PollFD returns the AF_XDP socket: readable while the rx ring has
// entries.
func (p *Port) PollFD() int { return p.fd }

// Read copies up to ports.BatchSize frames from the rx ring into b at
// ports.Headroom and gives their chunks back to the fill ring. It never
// blocks and does not allocate.
func (p *Port) Read(b *ports.Batch) (int, error) {
	b.N = 0
	p.rx.Lock()
	defer p.rx.Unlock()
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	rx, fill := p.rx.ring, p.rx.fill
	if p.rx.npending > 0 {
		p.givePending()
	}
	cons := *rx.cons // ours: only this goroutine (under the mutex) writes it
	n := min(ringCount(atomic.LoadUint32(rx.prod), cons), ports.BatchSize)
	if n == 0 {
		return 0, nil
	}
	fprod := *fill.prod // ours as well
	room := ringFree(fill.size, fprod, atomic.LoadUint32(fill.cons))
	var nb, bytes, errs uint64
	for i := range n {
		d := rx.descs[(cons+i)&rx.mask]
		chunk, chunkOK, frameOK := rxFrameOf(d.Addr, d.Len)
		if frameOK {
			buf := b.Bufs[nb]
			if int(d.Len) <= len(buf)-ports.Headroom {
				copy(buf[ports.Headroom:], p.umem[d.Addr:d.Addr+uint64(d.Len)])
				b.Off[nb] = ports.Headroom
				b.Len[nb] = int(d.Len)
				nb++
				bytes += uint64(d.Len)
			} else {
				errs++
			}
		} else {
			errs++
		}
		switch {
		case !chunkOK:
		case room > 0:
			fill.addrs[fprod&fill.mask] = chunk
			fprod++
			room--
		case p.rx.npending < rxFrames:
			// The kernel publishes its fill consumer index lazily (at
			// each flush), so the published room can lag behind the
			// chunks it has taken: keep the chunk for the next Read.
			p.rx.pending[p.rx.npending] = chunk
			p.rx.npending++
		}
	}
	atomic.StoreUint32(fill.prod, fprod) // publish the chunks after writing them
	atomic.StoreUint32(rx.cons, cons+n)  // release the rx slots after reading them
	if p.needWakeup && atomic.LoadUint32(fill.flags)&unix.XDP_RING_NEED_WAKEUP != 0 {
		// Zero-copy drivers ask to be woken up to refill their queue.
		unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(p.fd), 0, 0, unix.MSG_DONTWAIT, 0, 0)
	}
	b.N = int(nb)
	if nb > 0 {
		p.c.RxPackets.Add(nb)
		p.c.RxBytes.Add(bytes)
	}
	if errs > 0 {
		p.c.RxErrors.Add(errs)
	}
	return b.N, nil
}

// givePending moves pending receive chunks to the fill ring as far as it
// has room. Called by Read with the rx mutex held.
func (p *Port) givePending() {
	fill := p.rx.fill
	fprod := *fill.prod
	room := ringFree(fill.size, fprod, atomic.LoadUint32(fill.cons))
	for ; room > 0 && p.rx.npending > 0; room-- {
		p.rx.npending--
		fill.addrs[fprod&fill.mask] = p.rx.pending[p.rx.npending]
		fprod++
	}
	atomic.StoreUint32(fill.prod, fprod)
}

// Write copies frames 0..b.N-1 of b into free transmit chunks, queues
// them on the tx ring and kicks the kernel when it asks (always, in copy
// mode). Frames that find no free chunk are dropped and counted in
// TxDropped; frames longer than a chunk in TxErrors. It never blocks and
// does not allocate.
func (p *Port) Write(b *ports.Batch) (int, error) {
	p.tx.Lock()
	defer p.tx.Unlock()
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	tx := p.tx.ring
	errs := p.reap()
	prod := *tx.prod // ours
	var sent, bytes, toolong uint64
	for i := range b.N {
		f := b.Frame(i)
		if len(f) > frameSize || len(f) == 0 {
			toolong++
			continue
		}
		if p.tx.nfree == 0 {
			break
		}
		p.tx.nfree--
		addr := p.tx.free[p.tx.nfree]
		copy(p.umem[addr:addr+frameSize], f)
		tx.descs[prod&tx.mask] = unix.XDPDesc{Addr: addr, Len: uint32(len(f))}
		prod++
		sent++
		bytes += uint64(len(f))
	}
	var err error
	if sent > 0 {
		atomic.StoreUint32(tx.prod, prod) // publish the descriptors after writing them
		if !p.needWakeup || atomic.LoadUint32(tx.flags)&unix.XDP_RING_NEED_WAKEUP != 0 {
			err = p.kick()
		}
		p.c.TxPackets.Add(sent)
		p.c.TxBytes.Add(bytes)
	}
	if d := uint64(b.N) - sent - toolong; d > 0 {
		p.c.TxDropped.Add(d)
	}
	if errs+toolong > 0 {
		p.c.TxErrors.Add(errs + toolong)
	}
	return int(sent), err
}

// reap moves the chunks of the completion ring back to the free list. It
// returns the number of invalid addresses (none from a sane kernel).
// Called with the tx mutex held.
func (p *Port) reap() uint64 {
	comp := p.tx.comp
	cons := *comp.cons // ours
	prod := atomic.LoadUint32(comp.prod)
	var bad uint64
	for ; cons != prod; cons++ {
		addr := comp.addrs[cons&comp.mask]
		if !txChunkOK(addr) || p.tx.nfree == txFrames {
			bad++
			continue
		}
		p.tx.free[p.tx.nfree] = addr
		p.tx.nfree++
	}
	atomic.StoreUint32(comp.cons, cons)
	return bad
}

// kickRetries bounds the extra sendto calls of one kick while the kernel
// answers EAGAIN with descriptors left in the tx ring.
const kickRetries = 3

// kick asks the kernel to transmit the tx ring: sendto(MSG_DONTWAIT), which
// in copy mode sends the queued frames (up to 32 per call) before it
// returns. EAGAIN with descriptors left (more than 32 queued, or the
// device was busy) is retried a few times, so that frames do not wait
// for the next Write. Transient refusals leave the descriptors in the
// ring for the next kick; they are not errors.
func (p *Port) kick() error {
	tx := p.tx.ring
	for try := 0; ; try++ {
		_, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(p.fd), 0, 0, unix.MSG_DONTWAIT, 0, 0)
		switch e {
		case unix.EAGAIN:
			if try < kickRetries && atomic.LoadUint32(tx.cons) != *tx.prod {
				continue
			}
			return nil
		case 0, unix.EBUSY, unix.ENOBUFS, unix.ENETDOWN:
			return nil
		}
		return fmt.Errorf("afxdp %s: sendto: %w", p.name, e)
	}
}

// Stats returns the port's counters with the socket's XDP_STATISTICS:
// frames the kernel dropped (rx_dropped: no fill chunk or frame too long;
// rx_ring_full: the rx ring was full) in KernelDrops and RxDropped, and
// invalid descriptors in RxErrors/TxErrors.
func (p *Port) Stats() ports.Stats {
	s := p.c.Snapshot()
	p.statsMu.Lock()
	ks := p.lastKS
	if !p.closed.Load() {
		if k, err := xdpStatistics(p.fd); err == nil {
			ks = k
		}
	}
	p.statsMu.Unlock()
	kd := ks.Rx_dropped + ks.Rx_ring_full
	s.KernelDrops += kd
	s.RxDropped += kd
	s.RxErrors += ks.Rx_invalid_descs
	s.TxErrors += ks.Tx_invalid_descs
	return s
}

// Close detaches the XDP program (the device is left as it was before
// Open), closes the socket and unmaps the rings and the UMEM. Read and
// Write return ports.ErrClosed afterwards. Closing twice is a no-op.
func (p *Port) Close() error {
	p.rx.Lock()
	defer p.rx.Unlock()
	p.tx.Lock()
	defer p.tx.Unlock()
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	if p.closed.Swap(true) {
		return nil
	}
	if k, err := xdpStatistics(p.fd); err == nil {
		p.lastKS = k
	}
	if err := p.release(); err != nil {
		return fmt.Errorf("afxdp %s: close: %w", p.name, err)
	}
	return nil
}
