//go:build linux

package afpacket

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// recv is the RawConn.Read callback: one non-blocking recvmmsg over all
// prepared messages. It always returns true (never wait in the netpoller:
// Read does not block).
//
// recv and send use RawSyscall: the calls cannot block (MSG_DONTWAIT on a
// non-blocking socket), and a Syscall lasting more than ~20 µs (a
// sendmmsg of 32 frames into a veth pays for the peer's receive softirq)
// lets the runtime take the poll loop's P away, which costs thread
// wake-ups to get it back.
func (r *rxState) recv(fd uintptr) bool {
	n, _, e := unix.RawSyscall6(unix.SYS_RECVMMSG, fd,
		uintptr(unsafe.Pointer(&r.msgs[0])), uintptr(len(r.msgs)),
		unix.MSG_TRUNC|unix.MSG_DONTWAIT, 0, 0)
	r.n, r.errno = 0, e
	if e == 0 {
		r.n = int(n)
	}
	return true
}

// send is the RawConn.Write callback: one non-blocking sendmmsg of
// messages start..count-1.
func (t *txState) send(fd uintptr) bool {
	n, _, e := unix.RawSyscall6(unix.SYS_SENDMMSG, fd,
		uintptr(unsafe.Pointer(&t.msgs[t.start])), uintptr(t.count-t.start),
		unix.MSG_DONTWAIT, 0, 0)
	t.n, t.errno = 0, e
	if e == 0 {
		t.n = int(n)
	}
	return true
}

// setName points h at the destination sockaddr_ll: the transmit socket
// is not bound, so every message names the device.
func (t *txState) setName(h *unix.Msghdr) {
	h.Name = (*byte)(unsafe.Pointer(&t.sll))
	h.Namelen = unix.SizeofSockaddrLinklayer
}
