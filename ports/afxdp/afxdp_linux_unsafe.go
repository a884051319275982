//go:build linux

package afxdp

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The mmap'd rings and the UMEM are shared with the kernel: this file
// turns them into typed views. The producer and consumer words are then
// read and written with sync/atomic (load-acquire/store-release, as
// libxdp's smp_load_acquire/smp_store_release) in afxdp_linux.go.

// mapRing maps one ring of size entries of entSize bytes at page offset
// pgoff and points r's producer, consumer, flags and entries into it.
// desc selects the entry type: unix.XDPDesc (rx, tx) or uint64 (fill,
// completion).
func mapRing(fd int, pgoff int64, off unix.XDPRingOffset, size uint32, desc bool) (*ring, error) {
	entSize := uintptr(8)
	if desc {
		entSize = unsafe.Sizeof(unix.XDPDesc{})
	}
	mem, err := unix.Mmap(fd, pgoff, int(off.Desc)+int(size)*int(entSize),
		unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		return nil, err
	}
	r := &ring{
		mem:   mem,
		prod:  (*uint32)(unsafe.Pointer(&mem[off.Producer])),
		cons:  (*uint32)(unsafe.Pointer(&mem[off.Consumer])),
		flags: (*uint32)(unsafe.Pointer(&mem[off.Flags])),
		size:  size,
		mask:  size - 1,
	}
	if desc {
		r.descs = unsafe.Slice((*unix.XDPDesc)(unsafe.Pointer(&mem[off.Desc])), size)
	} else {
		r.addrs = unsafe.Slice((*uint64)(unsafe.Pointer(&mem[off.Desc])), size)
	}
	return r, nil
}

// registerUMEM registers umem (chunks of frameSize bytes, no headroom)
// with the socket (XDP_UMEM_REG).
func registerUMEM(fd int, umem []byte) error {
	reg := unix.XDPUmemReg{Addr: uint64(uintptr(unsafe.Pointer(&umem[0]))), Len: uint64(len(umem)), Size: frameSize}
	return sockopt(unix.SYS_SETSOCKOPT, fd, unix.XDP_UMEM_REG, unsafe.Pointer(&reg), unsafe.Sizeof(reg))
}

// mmapOffsets reads XDP_MMAP_OFFSETS.
func mmapOffsets(fd int) (unix.XDPMmapOffsets, error) {
	var off unix.XDPMmapOffsets
	err := sockopt(unix.SYS_GETSOCKOPT, fd, unix.XDP_MMAP_OFFSETS, unsafe.Pointer(&off), unsafe.Sizeof(off))
	return off, err
}

// xdpStatistics reads XDP_STATISTICS (cumulative counters; reading does
// not reset them).
func xdpStatistics(fd int) (unix.XDPStatistics, error) {
	var st unix.XDPStatistics
	err := sockopt(unix.SYS_GETSOCKOPT, fd, unix.XDP_STATISTICS, unsafe.Pointer(&st), unsafe.Sizeof(st))
	return st, err
}

// xdpOptions reads XDP_OPTIONS (XDP_OPTIONS_ZEROCOPY).
func xdpOptions(fd int) (uint32, error) {
	var o uint32
	err := sockopt(unix.SYS_GETSOCKOPT, fd, unix.XDP_OPTIONS, unsafe.Pointer(&o), unsafe.Sizeof(o))
	return o, err
}

// sockopt is setsockopt/getsockopt(fd, SOL_XDP, opt) of the struct at p.
func sockopt(call uintptr, fd, opt int, p unsafe.Pointer, size uintptr) error {
	l := uint32(size)
	last := size
	if call == unix.SYS_GETSOCKOPT {
		last = uintptr(unsafe.Pointer(&l))
	}
	_, _, e := unix.Syscall6(call, uintptr(fd), unix.SOL_XDP, uintptr(opt), uintptr(p), last, 0)
	if e != 0 {
		return e
	}
	return nil
}
