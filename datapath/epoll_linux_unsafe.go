//go:build linux

package datapath

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// epollPoll is epoll_wait with a zero timeout as a raw system call: it
// never blocks, so it does not go through the runtime's entersyscall /
// exitsyscall, and the worker's P cannot be retaken by sysmon while it
// runs (see loop_linux.go). It returns the number of events, 0 on error.
func epollPoll(epfd int, events []unix.EpollEvent) int {
	if len(events) == 0 {
		return 0
	}
	n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(epfd),
		uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	if e != 0 {
		return 0
	}
	return int(n)
}
