package afpacket

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"sync"

	"golang.org/x/sys/unix"

	"govs/ports"
	"govs/ports/internal/ifctl"
)

// tpacket2_hdr, the header in front of every frame of a TPACKET_V2 ring
// (linux/if_packet.h). Offsets are the kernel's; the status word is read
// and written atomically (ring_linux_unsafe.go).
const (
	tp2StatusOff   = 0  // tp_status (u32)
	tp2LenOff      = 4  // tp_len (u32): the frame's length on the wire
	tp2SnaplenOff  = 8  // tp_snaplen (u32): the bytes stored in the slot
	tp2MacOff      = 12 // tp_mac (u16): offset of the frame in the slot
	tp2VLANTCIOff  = 24 // tp_vlan_tci (u16)
	tp2VLANTPIDOff = 26 // tp_vlan_tpid (u16)
	tp2HdrLen      = 32 // sizeof(struct tpacket2_hdr)
)

// Ring sizing.
const (
	// ringBytes is the ring's size: about the 4 MiB a large SO_RCVBUF
	// would hold, as 2048 slots of 2 KiB for a 1500-byte MTU.
	ringBytes = 4 << 20
	// minRingSlot is the smallest slot: a 1500-byte MTU frame with its
	// VLAN tags after the header and the kernel's alignment padding.
	minRingSlot = 2048
	// slotOverhead is what a slot needs besides the MTU: the header,
	// sockaddr_ll, alignment (the kernel puts the frame at offset 66) and
	// an Ethernet header with two VLAN tags, rounded up.
	slotOverhead = 128
	// ringBlockBytes is the size of one block (contiguous kernel
	// allocation) when a slot is smaller.
	ringBlockBytes = 64 << 10
	// minRingFrames keeps a jumbo-MTU ring useful.
	minRingFrames = 64
)

// ringRx is a TPACKET_V2 receive ring: the kernel copies each frame into
// the next free slot (status TP_STATUS_KERNEL), sets the slot to
// TP_STATUS_USER, and Read copies it into the caller's batch and hands
// the slot back. Read consumes slots in ring order.
type ringRx struct {
	mu     sync.Mutex // held by Read while it touches mem, and by Close to unmap it
	mem    []byte     // the mapping; nil once unmapped
	slot   int        // bytes per slot (tp_frame_size)
	frames int        // slots in the ring
	head   int        // next slot to read
}

// ringGeometry returns the TPACKET_V2 request for a device with this MTU.
func ringGeometry(mtu, frames int) unix.TpacketReq {
	slot := max(minRingSlot, 1<<bits.Len(uint(mtu+slotOverhead-1)))
	block := max(slot, ringBlockBytes)
	if frames <= 0 {
		frames = max(ringBytes/slot, minRingFrames)
	}
	perBlock := block / slot
	nblocks := (frames + perBlock - 1) / perBlock
	return unix.TpacketReq{
		Block_size: uint32(block),
		Block_nr:   uint32(nblocks),
		Frame_size: uint32(slot),
		Frame_nr:   uint32(nblocks * perBlock),
	}
}

// setupRing switches the socket to TPACKET_V2 and maps an rx ring sized
// for the device's MTU (frames slots, 0 for the default).
func (p *Port) setupRing(frames int) error {
	mtu, err := ifctl.MTU(p.fd, p.name)
	if err != nil {
		return fmt.Errorf("MTU: %w", err)
	}
	if err := unix.SetsockoptInt(p.fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V2); err != nil {
		return fmt.Errorf("PACKET_VERSION: %w", err)
	}
	req := ringGeometry(mtu, frames)
	if err := unix.SetsockoptTpacketReq(p.fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
		return fmt.Errorf("PACKET_RX_RING: %w", err)
	}
	mem, err := unix.Mmap(p.fd, 0, int(req.Block_size*req.Block_nr), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		// Without the mapping the ring would swallow every frame: take
		// it down so that recvmmsg works.
		_ = unix.SetsockoptTpacketReq(p.fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &unix.TpacketReq{})
		return fmt.Errorf("mmap rx ring: %w", err)
	}
	p.ring = &ringRx{mem: mem, slot: int(req.Frame_size), frames: int(req.Frame_nr)}
	p.feat.ring = true
	return nil
}

// read copies up to ports.BatchSize ready frames into b at
// ports.Headroom, restoring stripped VLAN tags, and returns the frames
// stored, their bytes, the frames dropped as malformed (truncated by
// the slot or the batch buffer, shorter than an Ethernet header) and the
// VLAN tags put back. It does not allocate.
func (r *ringRx) read(b *ports.Batch) (n, bytes, bad, tags int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mem == nil {
		return 0, 0, 0, 0
	}
	for n+bad < ports.BatchSize {
		f := r.mem[r.head*r.slot : (r.head+1)*r.slot]
		status := loadStatus(f)
		if status&unix.TP_STATUS_USER == 0 {
			break
		}
		r.head++
		if r.head == r.frames {
			r.head = 0
		}
		switch tagged, ok := r.copyFrame(f, status, b, n); {
		case !ok:
			bad++
		default:
			if tagged {
				tags++
			}
			bytes += b.Len[n]
			n++
		}
		storeStatus(f, unix.TP_STATUS_KERNEL)
	}
	return n, bytes, bad, tags
}

// copyFrame copies the frame in slot f into b's buffer i and reports
// whether a VLAN tag was put back; ok is false when the frame is
// malformed or does not fit.
func (r *ringRx) copyFrame(f []byte, status uint32, b *ports.Batch, i int) (tagged, ok bool) {
	l := int(binary.NativeEndian.Uint32(f[tp2LenOff:]))
	snap := int(binary.NativeEndian.Uint32(f[tp2SnaplenOff:]))
	mac := int(binary.NativeEndian.Uint16(f[tp2MacOff:]))
	buf := b.Bufs[i]
	if snap != l || l < ethHeaderLen || mac < tp2HdrLen || mac > len(f)-l || l > len(buf)-ports.Headroom {
		return false, false
	}
	off := ports.Headroom
	copy(buf[off:off+l], f[mac:mac+l])
	tag, tagged := statusVLAN(status, binary.NativeEndian.Uint16(f[tp2VLANTCIOff:]), binary.NativeEndian.Uint16(f[tp2VLANTPIDOff:]))
	if tagged {
		if off, l, ok = insertVLAN(buf, off, l, tag); !ok {
			return false, false
		}
	}
	b.Off[i], b.Len[i] = off, l
	return tagged, true
}

// unmap releases the ring once no read is running.
func (r *ringRx) unmap() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mem == nil {
		return nil
	}
	err := unix.Munmap(r.mem)
	r.mem = nil
	return err
}
