package tunnel

import (
	"golang.org/x/sys/unix"
)

// kernelSourceFor asks the kernel's routing table for the source address
// towards dst: a connected UDP socket sends nothing, but getsockname
// returns the address the route selected.
func kernelSourceFor(dst uint32) (uint32, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(fd)
	sa := &unix.SockaddrInet4{Port: 9, Addr: addr4(dst).As4()}
	if err := unix.Connect(fd, sa); err != nil {
		return 0, err
	}
	la, err := unix.Getsockname(fd)
	if err != nil {
		return 0, err
	}
	if a, ok := la.(*unix.SockaddrInet4); ok {
		return ip4(addrFrom(a.Addr)), nil
	}
	return 0, unix.EAFNOSUPPORT
}
