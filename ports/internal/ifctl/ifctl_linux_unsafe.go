//go:build linux

package ifctl

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioctlHW issues SIOCGIFHWADDR on sock with req.
func ioctlHW(sock int, req *ifreqHW) error { return ioctlHWReq(sock, unix.SIOCGIFHWADDR, req) }

// ioctlHWReq issues the hardware-address ioctl req (SIOCGIFHWADDR or
// SIOCSIFHWADDR) on sock with r.
func ioctlHWReq(sock int, req uintptr, r *ifreqHW) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(sock), req, uintptr(unsafe.Pointer(r)))
	if e != 0 {
		return e
	}
	return nil
}
