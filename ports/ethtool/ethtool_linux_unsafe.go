//go:build linux

package ethtool

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ifreqData is struct ifreq with ifr_data: the name, a pointer, padding
// to sizeof(struct ifreq).
type ifreqData struct {
	name [unix.IFNAMSIZ]byte
	data uintptr
	_    [16]byte
}

// ioctlData issues SIOCETHTOOL on fd for name, pointing ifr_data at data.
func ioctlData(fd int, name string, data []byte) error {
	var req ifreqData
	copy(req.name[:], name)
	req.data = uintptr(unsafe.Pointer(&data[0]))
	_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&req)))
	runtime.KeepAlive(data)
	if e != 0 {
		return e
	}
	return nil
}
