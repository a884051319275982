//go:build linux

package tunnel

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/unix"
)

func namePtr(sa *unix.RawSockaddrInet4) *byte { return (*byte)(unsafe.Pointer(sa)) }

// recv is the RawConn.Read callback: one non-blocking recvmmsg.
func (r *underlayRx) recv(fd uintptr) bool {
	n, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&r.msgs[0])), uintptr(len(r.msgs)),
		unix.MSG_DONTWAIT, 0, 0)
	r.n, r.errno = 0, e
	if e == 0 {
		r.n = int(n)
	}
	return true
}

// send is the RawConn.Write callback: one non-blocking sendmmsg of
// messages start..count-1.
func (t *underlayTx) send(fd uintptr) bool {
	n, _, e := unix.Syscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&t.msgs[t.start])), uintptr(t.count-t.start),
		unix.MSG_DONTWAIT, 0, 0)
	t.n, t.errno = 0, e
	if e == 0 {
		t.n = int(n)
	}
	return true
}

// parseRxControl reads the destination address (IP_PKTINFO), TOS and TTL
// of a received datagram from its control messages (allocation-free).
func parseRxControl(b []byte) (dst uint32, tos, ttl uint8) {
	ttl = 64
	for len(b) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
		l := int(h.Len)
		if l < unix.SizeofCmsghdr || l > len(b) {
			return
		}
		data := b[unix.SizeofCmsghdr:l]
		if h.Level == unix.IPPROTO_IP {
			switch h.Type {
			case unix.IP_PKTINFO:
				if len(data) >= unix.SizeofInet4Pktinfo {
					pi := (*unix.Inet4Pktinfo)(unsafe.Pointer(&data[0]))
					dst = binary.BigEndian.Uint32(pi.Addr[:])
				}
			case unix.IP_TOS:
				if len(data) >= 1 {
					tos = data[0]
				}
			case unix.IP_TTL:
				if len(data) >= 4 {
					ttl = uint8(*(*int32)(unsafe.Pointer(&data[0])))
				}
			}
		}
		sp := unix.CmsgSpace(l - unix.SizeofCmsghdr)
		if sp > len(b) {
			return
		}
		b = b[sp:]
	}
	return
}
