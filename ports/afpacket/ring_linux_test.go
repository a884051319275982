package afpacket

import (
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"

	"govs/ports"
)

func TestRingGeometry(t *testing.T) {
	tests := []struct {
		mtu, frames             int
		slot, block, nr, blocks uint32
	}{
		{1500, 0, 2048, 64 << 10, 2048, 64},
		{576, 0, 2048, 64 << 10, 2048, 64},
		{1921, 0, 4096, 64 << 10, 1024, 64},
		{9000, 0, 16384, 64 << 10, 256, 64},
		{65535, 0, 128 << 10, 128 << 10, 64, 64},
		{1500, 1, 2048, 64 << 10, 32, 1},
		{1500, 33, 2048, 64 << 10, 64, 2},
	}
	for _, tt := range tests {
		r := ringGeometry(tt.mtu, tt.frames)
		if r.Frame_size != tt.slot || r.Block_size != tt.block || r.Frame_nr != tt.nr || r.Block_nr != tt.blocks {
			t.Errorf("ringGeometry(%d, %d) = %+v, want slot %d block %d frames %d blocks %d",
				tt.mtu, tt.frames, r, tt.slot, tt.block, tt.nr, tt.blocks)
		}
		if r.Block_size%uint32(unix.Getpagesize()) != 0 || r.Frame_size%unix.TPACKET_ALIGNMENT != 0 ||
			r.Frame_nr != r.Block_nr*(r.Block_size/r.Frame_size) || int(r.Frame_size) < tt.mtu+ethHeaderLen+2*vlanTagLen+66 {
			t.Errorf("ringGeometry(%d, %d) = %+v breaks a kernel rule or cannot hold the MTU", tt.mtu, tt.frames, r)
		}
	}
}

// FuzzRingFrame feeds arbitrary slot contents (a tpacket2_hdr the kernel
// would have written) to the ring's frame copy: it must never panic, and
// an accepted frame must lie inside the batch buffer.
func FuzzRingFrame(f *testing.F) {
	slot := make([]byte, 2048)
	binary.NativeEndian.PutUint32(slot[tp2LenOff:], 60)
	binary.NativeEndian.PutUint32(slot[tp2SnaplenOff:], 60)
	binary.NativeEndian.PutUint16(slot[tp2MacOff:], 66)
	f.Add(slot, uint32(unix.TP_STATUS_USER))
	binary.NativeEndian.PutUint16(slot[tp2VLANTCIOff:], 10)
	f.Add(slot, uint32(unix.TP_STATUS_USER|tpStatusVLANValid))
	f.Add(slot[:40], uint32(0))
	b := ports.NewBatch()
	r := &ringRx{}
	f.Fuzz(func(t *testing.T, slot []byte, status uint32) {
		if len(slot) < tp2HdrLen {
			return
		}
		if _, ok := r.copyFrame(slot, status, b, 0); ok {
			if b.Off[0] < 0 || b.Len[0] < ethHeaderLen || b.Off[0]+b.Len[0] > len(b.Bufs[0]) {
				t.Fatalf("frame at %d+%d outside a %d-byte buffer", b.Off[0], b.Len[0], len(b.Bufs[0]))
			}
		}
	})
}
