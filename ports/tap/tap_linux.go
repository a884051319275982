package tap

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/songgao/water"
	"golang.org/x/sys/unix"

	"govs/ports"
	"govs/ports/internal/ifctl"
)

// ethHeaderLen is the shortest frame Write sends.
const ethHeaderLen = 14

// tunDriver is the ethtool driver name of TUN/TAP devices.
const tunDriver = "tun"

// Port is a TAP port. See the package doc for the contract.
type Port struct {
	name   string
	ctl    int // AF_INET socket in the device's namespace, for ioctls
	ifce   *water.Interface
	file   *os.File
	rc     syscall.RawConn
	fd     int
	feat   features
	closed atomic.Bool
	c      ports.Counters

	rx rxState // owned by the goroutine calling Read

	tx struct {
		sync.Mutex
		txState // guarded by the mutex
	}
}

var _ ports.Port = (*Port)(nil)

// rxState is the state of the read loop, preallocated so Read does not
// allocate. batch is set only during Read.
type rxState struct {
	iov      [2]unix.Iovec // frame buffer, then overflow: a byte there means the frame was cut
	overflow [1]byte
	batch    *ports.Batch
	n, bytes int
	bad      int
	errno    unix.Errno
	shortBuf bool // a batch buffer cannot hold Headroom plus a header
	fn       func(uintptr) bool
}

// txState is the state of the write loop; batch is set only during Write.
type txState struct {
	batch            *ports.Batch
	sent, bytes, bad int
	next             int // next frame index to write
	errno            unix.Errno
	fn               func(uintptr) bool
}

// OpenInternal opens the bridge's LOCAL port: a TAP named like the
// bridge, brought up.
func OpenInternal(name string) (*Port, error) { return Open(name, Options{Up: true}) }

// Open creates the TAP device called name, or attaches to an existing
// persistent one. Errors are *ports.OpenError values worded as OVS's.
func Open(name string, opts Options) (*Port, error) {
	openErr := func(err error) error { return &ports.OpenError{Device: name, Err: err} }
	if name == "" || len(name) >= unix.IFNAMSIZ {
		return nil, openErr(unix.EINVAL)
	}
	// ctl answers interface ioctls in the namespace Open runs in, the
	// device's, for the port's whole life.
	ctl, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, openErr(err)
	}
	existed, err := deviceExists(ctl, name)
	if err != nil {
		unix.Close(ctl)
		return nil, openErr(err)
	}
	// water leaks its /dev/net/tun descriptor when TUNSETIFF fails, so
	// refuse an existing device that is not a TUN/TAP before calling it.
	if existed {
		if info, err := unix.IoctlGetEthtoolDrvinfo(ctl, name); err == nil && unix.ByteSliceToString(info.Driver[:]) != tunDriver {
			unix.Close(ctl)
			return nil, openErr(unix.EINVAL)
		}
	}
	// Persist is the device's current state: water sets TUNSETPERSIST to
	// it, so an existing persistent TAP stays persistent and one we
	// create dies with its descriptor.
	ifce, err := water.New(water.Config{
		DeviceType:             water.TAP,
		PlatformSpecificParams: water.PlatformSpecificParams{Name: name, Persist: existed},
	})
	if err != nil {
		unix.Close(ctl)
		return nil, openErr(unwrapErrno(err))
	}
	p := &Port{name: name, ifce: ifce, ctl: ctl, feat: features{created: !existed}}
	f, ok := ifce.ReadWriteCloser.(*os.File)
	if !ok {
		p.closeDevice()
		return nil, openErr(fmt.Errorf("tap: water returned %T, not *os.File", ifce.ReadWriteCloser))
	}
	p.file = f
	if p.rc, err = f.SyscallConn(); err != nil {
		p.closeDevice()
		return nil, openErr(err)
	}
	var nbErr error
	if err := p.rc.Control(func(fd uintptr) {
		p.fd = int(fd)
		nbErr = unix.SetNonblock(int(fd), true)
	}); err != nil || nbErr != nil {
		p.closeDevice()
		return nil, openErr(errors.Join(err, nbErr))
	}
	if opts.Up {
		if err := setUp(ctl, name); err != nil {
			p.closeDevice()
			return nil, openErr(err)
		}
		p.feat.up = true
	}
	p.rx.fn = p.rx.read
	p.tx.fn = p.tx.txState.write
	return p, nil
}

// unwrapErrno digs the errno out of water's *os.SyscallError so the
// OpenError reads like OVS's.
func unwrapErrno(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}

// deviceExists reports whether a netdev called name exists.
func deviceExists(s int, name string) (bool, error) {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return false, err
	}
	switch err := unix.IoctlIfreq(s, unix.SIOCGIFINDEX, ifr); {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.ENODEV):
		return false, nil
	default:
		return false, err
	}
}

// setUp sets IFF_UP on the device called name.
func setUp(s int, name string) error {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(s, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCGIFFLAGS: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(s, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("SIOCSIFFLAGS: %w", err)
	}
	return nil
}

// Name returns the device name.
func (p *Port) Name() string { return p.name }

// HardwareAddr returns the device's current MAC address (for
// Interface.mac_in_use), asked in the device's namespace.
func (p *Port) HardwareAddr() (net.HardwareAddr, error) {
	if p.closed.Load() {
		return nil, ports.ErrClosed
	}
	return ifctl.HardwareAddr(p.ctl, p.name)
}

// SetHardwareAddr changes the device's MAC address (OVS sets the LOCAL
// port's to the bridge's Ethernet address).
func (p *Port) SetHardwareAddr(mac net.HardwareAddr) error {
	if p.closed.Load() {
		return ports.ErrClosed
	}
	return ifctl.SetHardwareAddr(p.ctl, p.name, mac)
}

// MTU returns the device's current MTU (for Interface.mtu).
func (p *Port) MTU() (int, error) {
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	return ifctl.MTU(p.ctl, p.name)
}

// Features describes how the port works; see the package doc.
func (p *Port) Features() string { return p.feat.String() }

// Created reports whether Open created the device (and Close deletes it).
func (p *Port) Created() bool { return p.feat.created }

// PollFD returns the TAP descriptor, readable while frames are queued.
func (p *Port) PollFD() int { return p.fd }

// read is the RawConn.Read callback: readv(2) frames into the batch until
// EAGAIN or the batch is full. It always returns true (Read never blocks).
func (r *rxState) read(fd uintptr) bool {
	b := r.batch
	for r.n < ports.BatchSize {
		buf := b.Bufs[r.n]
		if len(buf) < ports.Headroom+ethHeaderLen {
			r.shortBuf = true
			return true
		}
		avail := len(buf) - ports.Headroom
		n, err := r.readv(fd, &buf[ports.Headroom], avail)
		switch {
		case err == nil:
			if n < ethHeaderLen || n > avail {
				r.bad++
				continue
			}
			b.Off[r.n], b.Len[r.n] = ports.Headroom, n
			r.n++
			r.bytes += n
		case err == unix.EINTR:
		default:
			if errno, ok := err.(unix.Errno); ok && errno != unix.EAGAIN {
				r.errno = errno
			}
			return true
		}
	}
	return true
}

// Read receives up to ports.BatchSize frames into b at ports.Headroom. It
// never blocks: with nothing queued it returns 0, nil. It does not
// allocate.
func (p *Port) Read(b *ports.Batch) (int, error) {
	b.N = 0
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	r := &p.rx
	r.batch, r.n, r.bytes, r.bad, r.errno, r.shortBuf = b, 0, 0, 0, 0, false
	err := p.rc.Read(r.fn)
	r.batch = nil
	if err != nil {
		return 0, ports.ErrClosed
	}
	b.N = r.n
	if r.n > 0 {
		p.c.RxPackets.Add(uint64(r.n))
		p.c.RxBytes.Add(uint64(r.bytes))
	}
	if r.bad > 0 {
		p.c.RxErrors.Add(uint64(r.bad))
	}
	if r.shortBuf {
		return r.n, errShortBuffer
	}
	if r.errno != 0 {
		p.c.RxErrors.Add(1)
		return r.n, &os.SyscallError{Syscall: "read", Err: r.errno}
	}
	return r.n, nil
}

// write is the RawConn.Write callback: one write(2) per frame until the
// batch is done or the device refuses more.
func (t *txState) write(fd uintptr) bool {
	b := t.batch
	for ; t.next < min(max(b.N, 0), ports.BatchSize); t.next++ {
		off, l, buf := b.Off[t.next], b.Len[t.next], b.Bufs[t.next]
		if l < ethHeaderLen || l > ports.MaxFrameLen || off < 0 || off > len(buf)-l {
			t.bad++
			continue
		}
		for {
			_, err := unix.Write(int(fd), buf[off:off+l])
			if err == unix.EINTR {
				continue
			}
			if err != nil {
				t.errno, _ = err.(unix.Errno)
				if t.errno == 0 {
					t.errno = unix.EIO
				}
				return true
			}
			break
		}
		t.sent++
		t.bytes += l
	}
	return true
}

// Write sends frames 0..b.N-1 of b, one write(2) each, and returns how
// many were sent. Frames shorter than an Ethernet header, longer than
// ports.MaxFrameLen or out of their buffer's bounds count as TxErrors;
// frames the device refused count as TxDropped. It never blocks and does
// not allocate.
func (p *Port) Write(b *ports.Batch) (int, error) {
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	t := &p.tx
	t.Lock()
	defer t.Unlock()
	t.batch, t.sent, t.bytes, t.bad, t.next, t.errno = b, 0, 0, 0, 0, 0
	err := p.rc.Write(t.fn)
	t.batch = nil
	if err != nil {
		return 0, ports.ErrClosed
	}
	total := min(max(b.N, 0), ports.BatchSize)
	if t.sent > 0 {
		p.c.TxPackets.Add(uint64(t.sent))
		p.c.TxBytes.Add(uint64(t.bytes))
	}
	if t.bad > 0 {
		p.c.TxErrors.Add(uint64(t.bad))
	}
	if dropped := total - t.sent - t.bad; dropped > 0 {
		p.c.TxDropped.Add(uint64(dropped))
	}
	if t.errno != 0 && t.errno != unix.EAGAIN && t.errno != unix.ENOBUFS {
		return t.sent, &os.SyscallError{Syscall: "write", Err: t.errno}
	}
	return t.sent, nil
}

// Stats returns the port's counters.
func (p *Port) Stats() ports.Stats { return p.c.Snapshot() }

// Close closes the TAP descriptor; a device Open created disappears with
// it. Read and Write return ports.ErrClosed after it. Close is idempotent.
func (p *Port) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	return p.closeDevice()
}

func (p *Port) closeDevice() error {
	if p.feat.created && p.rc != nil {
		p.rc.Control(func(fd uintptr) {
			unix.IoctlSetInt(int(fd), unix.TUNSETPERSIST, 0)
		})
	}
	return errors.Join(p.ifce.Close(), unix.Close(p.ctl))
}

var errShortBuffer = errors.New("tap: batch buffer shorter than Headroom plus an Ethernet header")
