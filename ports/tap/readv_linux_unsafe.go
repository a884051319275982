//go:build linux

package tap

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// readv reads one frame into the avail bytes at buf, with the overflow
// byte as a second iovec: a TAP read cuts frames silently, so a result
// larger than avail is how a frame too long for its buffer shows. It
// keeps no reference to buf after returning. The descriptor is
// non-blocking, so readv is a raw system call (see afpacket's recv: a
// Syscall lets the runtime retake the poll loop's P).
func (r *rxState) readv(fd uintptr, buf *byte, avail int) (int, error) {
	r.iov[0].Base = buf
	r.iov[0].SetLen(avail)
	r.iov[1].Base = &r.overflow[0]
	r.iov[1].SetLen(len(r.overflow))
	n, _, e := unix.RawSyscall(unix.SYS_READV, fd, uintptr(unsafe.Pointer(&r.iov[0])), uintptr(len(r.iov)))
	r.iov[0].Base = nil
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
