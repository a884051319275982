package afxdp

// UMEM layout and ring sizes. The UMEM is one anonymous mapping of
// numFrames frames of frameSize bytes: the first rxFrames belong to the
// receive side (they cycle fill ring -> kernel -> rx ring -> fill ring),
// the others to the transmit side (free list -> tx ring -> kernel ->
// completion ring -> free list). A frame never changes side, so each side
// can check what the kernel hands back.
const (
	frameSize  = 4096 // one page: the largest aligned-mode chunk
	frameShift = 12
	rxRingSize = 2048 // fill and rx rings
	txRingSize = 512  // tx and completion rings
	rxFrames   = rxRingSize
	txFrames   = txRingSize
	numFrames  = rxFrames + txFrames
	umemSize   = numFrames * frameSize

	// xdpPacketHeadroom is XDP_PACKET_HEADROOM: the kernel writes a
	// received frame this far into its chunk.
	xdpPacketHeadroom = 256
	// maxRxFrame is the longest frame the kernel can place in a chunk.
	maxRxFrame = frameSize - xdpPacketHeadroom
	// ethHeaderLen is the shortest frame Read accepts.
	ethHeaderLen = 14
	// vlanEthOverhead is what a frame adds to the MTU (Ethernet header and
	// two VLAN tags), for the MTU check of Open.
	vlanEthOverhead = 14 + 2*4
	// MaxMTU is the largest device MTU Open accepts: a longer frame would
	// not fit in a UMEM chunk and the kernel would drop it.
	MaxMTU = maxRxFrame - vlanEthOverhead
)

// ringCount returns the number of entries a ring holds between the
// consumer index cons and the producer index prod. Indexes are free
// running uint32 counters, so the subtraction wraps correctly.
func ringCount(prod, cons uint32) uint32 { return prod - cons }

// ringFree returns the number of free slots of a ring of size entries.
func ringFree(size, prod, cons uint32) uint32 { return size - (prod - cons) }

// rxFrameOf checks a descriptor the kernel put in the rx ring: the frame
// [addr, addr+length) must lie within one chunk of the receive side and
// be at least an Ethernet header long. It returns the chunk's address (to
// give back to the fill ring) and whether the chunk is valid, and whether
// the frame is. A chunk outside the receive side is never recycled.
func rxFrameOf(addr uint64, length uint32) (chunk uint64, chunkOK, frameOK bool) {
	if addr >= rxFrames*frameSize {
		return 0, false, false
	}
	chunk = addr &^ (frameSize - 1)
	end := addr + uint64(length)
	return chunk, true, length >= ethHeaderLen && end <= chunk+frameSize
}

// txChunkOK checks an address the kernel put in the completion ring: a
// chunk start on the transmit side.
func txChunkOK(addr uint64) bool {
	return addr >= rxFrames*frameSize && addr < umemSize && addr&(frameSize-1) == 0
}
