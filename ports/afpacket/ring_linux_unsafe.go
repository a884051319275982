//go:build linux

package afpacket

import (
	"sync/atomic"
	"unsafe"
)

// loadStatus reads a ring slot's tp_status with acquire ordering: the
// kernel writes the frame, then (after a write barrier) the status.
func loadStatus(slot []byte) uint32 {
	return atomic.LoadUint32((*uint32)(unsafe.Pointer(&slot[tp2StatusOff])))
}

// storeStatus hands a slot back to the kernel (release ordering: our
// reads of the frame come before it).
func storeStatus(slot []byte, status uint32) {
	atomic.StoreUint32((*uint32)(unsafe.Pointer(&slot[tp2StatusOff])), status)
}
