package afxdp

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"govs/ports"
	"govs/ports/internal/porttest"
)

// fakeRing is a ring in ordinary memory, for driving Read and Write
// without a kernel: the test plays the kernel's side.
func fakeRing(size uint32, desc bool) *ring {
	var idx [3]uint32
	r := &ring{prod: &idx[0], cons: &idx[1], flags: &idx[2], size: size, mask: size - 1}
	if desc {
		r.descs = make([]unix.XDPDesc, size)
	} else {
		r.addrs = make([]uint64, size)
	}
	return r
}

// fakePort is a Port over fake rings, in the state Open leaves it: every
// receive chunk in the fill ring, every transmit chunk free.
func fakePort() *Port {
	p := &Port{fd: -1, needWakeup: true, umem: make([]byte, umemSize)}
	p.rx.ring, p.rx.fill = fakeRing(rxRingSize, true), fakeRing(rxRingSize, false)
	p.tx.ring, p.tx.comp = fakeRing(txRingSize, true), fakeRing(txRingSize, false)
	for i := range uint32(rxFrames) {
		p.rx.fill.addrs[i] = uint64(i) * frameSize
	}
	*p.rx.fill.prod = rxFrames
	for i := range txFrames {
		p.tx.free[i] = uint64(rxFrames+i) * frameSize
	}
	p.tx.nfree = txFrames
	return p
}

// kernelRx plays the kernel receiving frame f: it takes the next fill
// chunk (without publishing the fill consumer, as the kernel does until
// it flushes) and publishes an rx descriptor.
func kernelRx(p *Port, fillCons *uint32, f []byte) {
	fill, rx := p.rx.fill, p.rx.ring
	chunk := fill.addrs[*fillCons&fill.mask]
	*fillCons++
	addr := chunk + xdpPacketHeadroom
	copy(p.umem[addr:], f)
	rx.descs[*rx.prod&rx.mask] = unix.XDPDesc{Addr: addr, Len: uint32(len(f))}
	*rx.prod++
}

// TestReadLazyFillConsumer: while the kernel has not published its fill
// consumer, Read finds no room for the chunks it recycles; they must be
// kept and given back later, so that no chunk is lost.
func TestReadLazyFillConsumer(t *testing.T) {
	p := fakePort()
	b := ports.NewBatch()
	var kcons uint32 // the kernel's private fill consumer
	seen := map[uint64]bool{}
	for round := range 3 * rxFrames / ports.BatchSize {
		for i := range ports.BatchSize {
			kernelRx(p, &kcons, testFrame("lazy", round*ports.BatchSize+i, 60))
		}
		if round%5 == 4 { // the kernel flushes now and then
			*p.rx.fill.cons = kcons
		}
		n, err := p.Read(b)
		if err != nil || n != ports.BatchSize {
			t.Fatalf("round %d: Read = %d, %v", round, n, err)
		}
		for i := range n {
			if want := testFrame("lazy", round*ports.BatchSize+i, 60); !bytes.Equal(b.Frame(i), want) {
				t.Fatalf("round %d frame %d: %x", round, i, b.Frame(i))
			}
		}
		if c := ringCount(*p.rx.fill.prod, kcons) + uint32(p.rx.npending); c != rxFrames {
			// Every chunk is either in the fill ring (by the kernel's
			// own consumer) or pending.
			t.Fatalf("round %d: %d chunks in circulation, want %d", round, c, rxFrames)
		}
		for j := kcons; j != *p.rx.fill.prod; j++ {
			seen[p.rx.fill.addrs[j&p.rx.fill.mask]] = true
		}
	}
	if p.rx.npending == 0 {
		t.Fatal("the lazy consumer never left chunks pending: the test does not test the pending list")
	}
	*p.rx.fill.cons = kcons
	p.Read(b) // gives the pending chunks back
	if p.rx.npending != 0 || ringCount(*p.rx.fill.prod, kcons) != rxFrames {
		t.Fatalf("after the flush: %d pending, %d in the fill ring", p.rx.npending, ringCount(*p.rx.fill.prod, kcons))
	}
}

// TestReadBadDescriptors: descriptors outside the receive chunks, runts
// and frames crossing a chunk end are counted in RxErrors and skipped;
// valid chunks are recycled, invalid ones never.
func TestReadBadDescriptors(t *testing.T) {
	p := fakePort()
	rx := p.rx.ring
	good := testFrame("good", 0, 60)
	copy(p.umem[3*frameSize+256:], good)
	for _, d := range []unix.XDPDesc{
		{Addr: 3*frameSize + 256, Len: uint32(len(good))}, // good
		{Addr: rxFrames*frameSize + 256, Len: 60},         // a transmit chunk
		{Addr: 1<<63 + 5, Len: 60},                        // beyond the UMEM
		{Addr: 4*frameSize + 256, Len: 10},                // runt, chunk recycled
		{Addr: 5*frameSize + 256, Len: frameSize},         // crosses the chunk end, chunk recycled
	} {
		rx.descs[*rx.prod&rx.mask] = d
		*rx.prod++
	}
	*p.rx.fill.cons = 5 // the kernel took (and published) five chunks
	prodBefore := *p.rx.fill.prod
	b := ports.NewBatch()
	n, err := p.Read(b)
	if err != nil || n != 1 || !bytes.Equal(b.Frame(0), good) {
		t.Fatalf("Read = %d, %v, frame %x", n, err, b.Frame(0))
	}
	if st := p.c.Snapshot(); st.RxErrors != 4 || st.RxPackets != 1 {
		t.Fatalf("stats %+v", st)
	}
	if got := *p.rx.fill.prod - prodBefore; got != 3 {
		t.Fatalf("%d chunks recycled, want 3", got)
	}
	for j := prodBefore; j != *p.rx.fill.prod; j++ {
		if a := p.rx.fill.addrs[j&p.rx.fill.mask]; a != 3*frameSize && a != 4*frameSize && a != 5*frameSize {
			t.Fatalf("recycled chunk %d", a)
		}
	}
}

// TestWriteChunks: Write takes transmit chunks, queues descriptors and
// drops what finds no chunk; completions give chunks back (invalid ones
// are counted and ignored). With need_wakeup and the flag clear there is
// no kick (the fake port has no socket).
func TestWriteChunks(t *testing.T) {
	p := fakePort()
	tx, comp := p.tx.ring, p.tx.comp
	b := ports.NewBatch()
	var frames [][]byte
	for i := range ports.BatchSize {
		frames = append(frames, testFrame("tx", i, 60+i))
	}
	porttest.SetFrames(b, frames...)
	total := 0
	for range txFrames/ports.BatchSize + 1 {
		n, err := p.Write(b)
		if err != nil {
			t.Fatalf("Write: %v", err)
		}
		total += n
	}
	if total != txFrames || p.tx.nfree != 0 {
		t.Fatalf("queued %d frames with %d chunks free, want %d and 0", total, p.tx.nfree, txFrames)
	}
	if st := p.c.Snapshot(); st.TxPackets != txFrames || st.TxDropped != ports.BatchSize {
		t.Fatalf("stats %+v", st)
	}
	for i := range uint32(txFrames) {
		d := tx.descs[i&tx.mask]
		if !txChunkOK(d.Addr) || !bytes.Equal(p.umem[d.Addr:d.Addr+uint64(d.Len)], frames[i%ports.BatchSize]) {
			t.Fatalf("descriptor %d: %+v", i, d)
		}
	}
	// The kernel completes 40 frames, plus two bogus addresses.
	*tx.cons = *tx.prod
	for i := range uint32(40) {
		comp.addrs[*comp.prod&comp.mask] = tx.descs[i].Addr
		*comp.prod++
	}
	for _, a := range []uint64{0, rxFrames*frameSize + 1} {
		comp.addrs[*comp.prod&comp.mask] = a
		*comp.prod++
	}
	porttest.SetFrames(b, frames[:8]...)
	if n, _ := p.Write(b); n != 8 {
		t.Fatalf("Write after completions = %d, want 8", n)
	}
	if p.tx.nfree != 32 || *comp.cons != *comp.prod {
		t.Fatalf("%d chunks free after 40 completions and 8 frames; completion ring %d/%d", p.tx.nfree, *comp.cons, *comp.prod)
	}
	if st := p.c.Snapshot(); st.TxErrors != 2 {
		t.Fatalf("bogus completions not counted: %+v", st)
	}
	// A frame longer than a chunk is an error, not a drop.
	b.Reset()
	b.Len[0] = frameSize + 1
	b.Off[0] = 0
	b.Bufs[0] = make([]byte, frameSize+1)
	b.N = 1
	if n, _ := p.Write(b); n != 0 {
		t.Fatalf("oversized frame written")
	}
	if st := p.c.Snapshot(); st.TxErrors != 3 || st.TxDropped != ports.BatchSize {
		t.Fatalf("oversized frame: stats %+v", st)
	}
}
