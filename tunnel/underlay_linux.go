package tunnel

import (
	"encoding/binary"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"govs/datapath/header"
	"govs/ports"
)

// ctrlLen is the control buffer of one received message: IP_PKTINFO,
// IP_TOS and IP_TTL.
const ctrlLen = 128

// UnderlayPort is the datapath port shared by the tunnel ports of one
// (type, UDP port) on a bridge, OVS's genev_sys_6081 / vxlan_sys_4789.
//
// Receive: a UDP socket bound to the port on every local address (so the
// kernel sends no ICMP port unreachable and does the IP reassembly and
// checksum checks), read with recvmmsg; the outer IPv4/UDP headers are
// rebuilt in the headroom in front of each payload (source from the
// sender's address, destination from IP_PKTINFO, TOS and TTL from
// IP_RECVTOS/IP_RECVTTL, UDP checksum 0 because the kernel verified it)
// so that the frame goes through Extract and translation like any other
// and translation decapsulates it with tnl_pop.
//
// Transmit: a raw IPv4 socket (IPPROTO_RAW, i.e. IP_HDRINCL) written with
// sendmmsg: the frame's Ethernet header is skipped, the IPv4/UDP/tunnel
// headers govs built are sent as they are, and the kernel routes the
// packet and resolves the next hop. A packet longer than the route's MTU
// is refused by the kernel (EMSGSIZE): it is counted as a tx drop and
// logged at most once a second (see doc.go, "Oversize packets").
type UnderlayPort struct {
	name    string
	typ     Type
	dstPort uint16
	log     *slog.Logger

	rxFile, txFile *os.File
	rxRC, txRC     syscall.RawConn
	rxFD           int
	closed         atomic.Bool
	c              ports.Counters
	oversize       atomic.Uint64
	lastLog        atomic.Int64

	rx underlayRx // owned by the reader

	tx struct {
		sync.Mutex
		underlayTx // guarded by the mutex
	}
}

type underlayRx struct {
	msgs  [ports.BatchSize]unix.Mmsghdr
	iovs  [ports.BatchSize]unix.Iovec
	names [ports.BatchSize]unix.RawSockaddrInet4
	ctrl  [ports.BatchSize][ctrlLen]byte
	n     int
	errno unix.Errno
	fn    func(uintptr) bool
}

type underlayTx struct {
	msgs  [ports.BatchSize]unix.Mmsghdr
	iovs  [ports.BatchSize]unix.Iovec
	names [ports.BatchSize]unix.RawSockaddrInet4
	lens  [ports.BatchSize]int
	start int
	count int
	n     int
	errno unix.Errno
	fn    func(uintptr) bool
}

var _ ports.Port = (*UnderlayPort)(nil)

// OpenUnderlay opens the underlay port of (t, dstPort) in the calling
// thread's network namespace.
func OpenUnderlay(t Type, dstPort uint16, log *slog.Logger) (*UnderlayPort, error) {
	if log == nil {
		log = slog.Default()
	}
	p := &UnderlayPort{name: t.SysName(dstPort), typ: t, dstPort: dstPort, log: log}
	rx, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_UDP)
	if err != nil {
		return nil, err
	}
	for _, o := range []int{unix.IP_PKTINFO, unix.IP_RECVTOS, unix.IP_RECVTTL} {
		if err := unix.SetsockoptInt(rx, unix.IPPROTO_IP, o, 1); err != nil {
			unix.Close(rx)
			return nil, fmt.Errorf("setsockopt: %w", err)
		}
	}
	_ = unix.SetsockoptInt(rx, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20)
	if err := unix.Bind(rx, &unix.SockaddrInet4{Port: int(dstPort)}); err != nil {
		unix.Close(rx)
		return nil, err
	}
	tx, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_RAW)
	if err != nil {
		unix.Close(rx)
		return nil, err
	}
	_ = unix.SetsockoptInt(tx, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
	p.rxFD = rx
	p.rxFile = os.NewFile(uintptr(rx), "underlay-rx:"+p.name)
	p.txFile = os.NewFile(uintptr(tx), "underlay-tx:"+p.name)
	if p.rxRC, err = p.rxFile.SyscallConn(); err == nil {
		p.txRC, err = p.txFile.SyscallConn()
	}
	if err != nil {
		p.rxFile.Close()
		p.txFile.Close()
		return nil, err
	}
	for i := range p.rx.msgs {
		h := &p.rx.msgs[i].Hdr
		h.Iov = &p.rx.iovs[i]
		h.SetIovlen(1)
		h.Name = namePtr(&p.rx.names[i])
		h.Control = &p.rx.ctrl[i][0]
		th := &p.tx.msgs[i].Hdr
		th.Iov = &p.tx.iovs[i]
		th.SetIovlen(1)
		th.Name = namePtr(&p.tx.names[i])
		th.Namelen = unix.SizeofSockaddrInet4
	}
	p.rx.fn = p.rx.recv
	p.tx.fn = p.tx.underlayTx.send
	return p, nil
}

// Name is genev_sys_PORT or vxlan_sys_PORT.
func (p *UnderlayPort) Name() string { return p.name }

// PollFD is the UDP socket.
func (p *UnderlayPort) PollFD() int { return p.rxFD }

// Stats returns the port counters (TxDropped includes oversize packets).
func (p *UnderlayPort) Stats() ports.Stats { return p.c.Snapshot() }

// Oversize is the number of packets dropped for exceeding the MTU.
func (p *UnderlayPort) Oversize() uint64 { return p.oversize.Load() }

// Close closes both sockets.
func (p *UnderlayPort) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	p.txFile.Close()
	return p.rxFile.Close()
}

// Read receives up to BatchSize datagrams and rebuilds their outer
// Ethernet/IPv4/UDP headers in front of them (see the type comment).
func (p *UnderlayPort) Read(b *ports.Batch) (int, error) {
	b.N = 0
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	r := &p.rx
	const at = ports.Headroom + OuterLen
	for i := range r.msgs {
		buf := b.Bufs[i]
		if len(buf) < at+ethLen {
			return 0, fmt.Errorf("underlay: batch buffer too short")
		}
		r.iovs[i].Base = &buf[at]
		r.iovs[i].SetLen(len(buf) - at)
		r.msgs[i].Hdr.Namelen = unix.SizeofSockaddrInet4
		r.msgs[i].Hdr.SetControllen(ctrlLen)
		r.msgs[i].Hdr.Flags = 0
		r.msgs[i].Len = 0
	}
	err := p.rxRC.Read(r.fn)
	for i := range r.iovs {
		r.iovs[i].Base = nil
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
		if m.Hdr.Flags&(unix.MSG_TRUNC|unix.MSG_CTRUNC) != 0 || l+OuterLen-ethLen > maxIPv4Len {
			bad++
			continue
		}
		src := binary.BigEndian.Uint32(r.names[i].Addr[:])
		sport := uint16(r.names[i].Port>>8 | r.names[i].Port<<8)
		dst, tos, ttl := parseRxControl(r.ctrl[i][:min(int(m.Hdr.Controllen), ctrlLen)])
		buf := b.Bufs[i]
		if n != i {
			copy(b.Bufs[n][at:at+l], buf[at:at+l])
			buf = b.Bufs[n]
		}
		writeOuter(buf[ports.Headroom:at], src, dst, sport, p.dstPort, tos, ttl, l)
		b.Off[n], b.Len[n] = ports.Headroom, OuterLen+l
		bytes += OuterLen + l
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

// writeOuter writes Ethernet/IPv4/UDP headers (len OuterLen) for a UDP
// payload of l bytes.
func writeOuter(b []byte, src, dst uint32, sport, dport uint16, tos, ttl uint8, l int) {
	clear(b[:ethLen])
	binary.BigEndian.PutUint16(b[12:], etherTypeIPv4)
	ip := header.IPv4(b[ethLen:])
	ip[0] = 0x45
	ip[1] = tos
	binary.BigEndian.PutUint16(ip[2:], uint16(ipv4Len+udpLen+l))
	binary.BigEndian.PutUint32(ip[4:], 0)
	ip[8] = ttl
	ip[9] = ipProtoUDP
	binary.BigEndian.PutUint16(ip[10:], 0)
	binary.BigEndian.PutUint32(ip[12:], src)
	binary.BigEndian.PutUint32(ip[16:], dst)
	ip.SetChecksum(^header.Checksum(ip[:ipv4Len], 0))
	u := ip[ipv4Len:]
	binary.BigEndian.PutUint16(u[0:], sport)
	binary.BigEndian.PutUint16(u[2:], dport)
	binary.BigEndian.PutUint16(u[4:], uint16(udpLen+l))
	binary.BigEndian.PutUint16(u[6:], 0)
}

// Write sends the frames' IPv4 packets (the Ethernet header is skipped)
// through the raw socket with one sendmmsg per batch.
func (p *UnderlayPort) Write(b *ports.Batch) (int, error) {
	if p.closed.Load() {
		return 0, ports.ErrClosed
	}
	t := &p.tx
	t.Lock()
	defer t.Unlock()
	k, bad := 0, 0
	for i := range min(max(b.N, 0), ports.BatchSize) {
		off, l, buf := b.Off[i], b.Len[i], b.Bufs[i]
		if l < ethLen+ipv4Len || off < 0 || off > len(buf)-l ||
			binary.BigEndian.Uint16(buf[off+12:]) != etherTypeIPv4 {
			bad++
			continue
		}
		ip := buf[off+ethLen : off+l]
		t.iovs[k].Base = &ip[0]
		t.iovs[k].SetLen(len(ip))
		t.names[k].Family = unix.AF_INET
		copy(t.names[k].Addr[:], ip[16:20])
		t.lens[k] = len(ip)
		k++
	}
	t.start, t.count = 0, k
	sent, bytes, dropped := 0, 0, 0
	var err error
	for t.start < t.count {
		if rerr := p.txRC.Write(t.fn); rerr != nil {
			err = ports.ErrClosed
			break
		}
		switch t.errno {
		case 0:
			for j := t.start; j < t.start+t.n; j++ {
				bytes += t.lens[j]
			}
			sent += t.n
			t.start += t.n
			continue
		case unix.EINTR:
			continue
		case unix.EMSGSIZE:
			p.oversize.Add(1)
			p.rateLog("tunnel packet larger than the underlay MTU dropped", t.lens[t.start])
		case unix.EAGAIN, unix.ENOBUFS:
			dropped += t.count - t.start
			t.start = t.count
			continue
		}
		// A per-packet error (EMSGSIZE, no route...): drop it, go on.
		dropped++
		t.start++
	}
	for i := range k {
		t.iovs[i].Base = nil
	}
	if sent > 0 {
		p.c.TxPackets.Add(uint64(sent))
		p.c.TxBytes.Add(uint64(bytes))
	}
	if dropped > 0 {
		p.c.TxDropped.Add(uint64(dropped))
	}
	if bad > 0 {
		p.c.TxErrors.Add(uint64(bad))
	}
	return sent, err
}

func (p *UnderlayPort) rateLog(msg string, n int) {
	now := time.Now().UnixNano()
	last := p.lastLog.Load()
	if now-last < int64(time.Second) || !p.lastLog.CompareAndSwap(last, now) {
		return
	}
	p.log.Warn(msg, "port", p.name, "ip_len", n, "dropped_total", p.oversize.Load())
}

// OpenUnderlayPort is OpenUnderlay as an UnderlayOpener-friendly
// ports.Port.
func OpenUnderlayPort(t Type, dstPort uint16, log *slog.Logger) (ports.Port, error) {
	p, err := OpenUnderlay(t, dstPort, log)
	if err != nil {
		return nil, err
	}
	return p, nil
}
