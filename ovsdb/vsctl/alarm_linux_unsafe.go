//go:build linux

package vsctl

import (
	"os"
	"syscall"
	"time"
	"unsafe"
)

// kernelSigaction is struct sigaction as rt_sigaction(2) takes it on
// Linux (handler, flags, restorer, mask).
type kernelSigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

const (
	sigDfl        = 0
	sigsetSize    = 8
	alarmDeathLag = time.Second
)

// DieOfAlarm terminates the process by SIGALRM with the default action,
// as ovs-vsctl does when --timeout expires (shell status 142). If the
// signal cannot be delivered it exits with ExitTimeout.
func DieOfAlarm() {
	act := kernelSigaction{handler: sigDfl}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(syscall.SIGALRM),
		uintptr(unsafe.Pointer(&act)), 0, sigsetSize, 0, 0)
	if errno == 0 {
		_ = syscall.Kill(os.Getpid(), syscall.SIGALRM)
		time.Sleep(alarmDeathLag)
	}
	os.Exit(ExitTimeout)
}
