//go:build linux

package ifctl

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ioctlHW issues SIOCGIFHWADDR on sock with req.
func ioctlHW(sock int, req *ifreqHW) error {
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(sock), unix.SIOCGIFHWADDR, uintptr(unsafe.Pointer(req)))
	if e != 0 {
		return e
	}
	return nil
}
