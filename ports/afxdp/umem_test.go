package afxdp

import (
	"math"
	"testing"
)

func TestRingArithmetic(t *testing.T) {
	tests := []struct {
		size, prod, cons  uint32
		wantCnt, wantFree uint32
	}{
		{8, 0, 0, 0, 8},
		{8, 5, 2, 3, 5},
		{8, 8, 0, 8, 0},
		{8, 3, math.MaxUint32 - 1, 5, 3}, // producer wrapped past 2^32
		{2048, 2048, 0, 2048, 0},
		{2048, 1, math.MaxUint32, 2, 2046},
	}
	for _, tt := range tests {
		if got := ringCount(tt.prod, tt.cons); got != tt.wantCnt {
			t.Errorf("ringCount(%d, %d) = %d, want %d", tt.prod, tt.cons, got, tt.wantCnt)
		}
		if got := ringFree(tt.size, tt.prod, tt.cons); got != tt.wantFree {
			t.Errorf("ringFree(%d, %d, %d) = %d, want %d", tt.size, tt.prod, tt.cons, got, tt.wantFree)
		}
	}
}

func TestLayout(t *testing.T) {
	if 1<<frameShift != frameSize {
		t.Fatalf("frameShift %d does not match frameSize %d", frameShift, frameSize)
	}
	for _, n := range []int{rxRingSize, txRingSize} {
		if n&(n-1) != 0 {
			t.Errorf("ring size %d is not a power of two", n)
		}
	}
	if rxFrames > rxRingSize || txFrames > txRingSize {
		t.Errorf("more chunks than ring slots: the fill/completion rings could overflow")
	}
	if MaxMTU != 4096-256-22 {
		t.Errorf("MaxMTU = %d", MaxMTU)
	}
}

func TestRxFrameOf(t *testing.T) {
	rxEnd := uint64(rxFrames * frameSize)
	tests := []struct {
		name             string
		addr             uint64
		length           uint32
		chunk            uint64
		chunkOK, frameOK bool
	}{
		{"first chunk", 256, 60, 0, true, true},
		{"chunk 3 at headroom", 3*frameSize + 256, 1514, 3 * frameSize, true, true},
		{"fills the chunk", 5*frameSize + 256, frameSize - 256, 5 * frameSize, true, true},
		{"crosses into next chunk", 5*frameSize + 256, frameSize - 255, 5 * frameSize, true, false},
		{"runt", 256, 13, 0, true, false},
		{"empty", 256, 0, 0, true, false},
		{"last rx chunk", rxEnd - frameSize + 256, 64, rxEnd - frameSize, true, true},
		{"tx side", rxEnd + 256, 64, 0, false, false},
		{"beyond umem", umemSize + 256, 64, 0, false, false},
		{"huge length", 256, math.MaxUint32, 0, true, false},
		{"max addr", math.MaxUint64, 64, 0, false, false},
	}
	for _, tt := range tests {
		c, cok, fok := rxFrameOf(tt.addr, tt.length)
		if c != tt.chunk || cok != tt.chunkOK || fok != tt.frameOK {
			t.Errorf("%s: rxFrameOf(%d, %d) = %d, %v, %v; want %d, %v, %v", tt.name, tt.addr, tt.length, c, cok, fok, tt.chunk, tt.chunkOK, tt.frameOK)
		}
	}
}

func TestTxChunkOK(t *testing.T) {
	rxEnd := uint64(rxFrames * frameSize)
	tests := []struct {
		addr uint64
		want bool
	}{
		{rxEnd, true},
		{umemSize - frameSize, true},
		{umemSize, false},
		{rxEnd - frameSize, false}, // a receive chunk
		{rxEnd + 1, false},         // not a chunk start
		{0, false},
		{math.MaxUint64 &^ (frameSize - 1), false},
	}
	for _, tt := range tests {
		if got := txChunkOK(tt.addr); got != tt.want {
			t.Errorf("txChunkOK(%d) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

// FuzzRxFrameOf checks that whatever descriptor the kernel hands back, an
// accepted frame lies inside one receive chunk of the UMEM (so Read's
// slice expression cannot panic) and a recycled chunk is a receive chunk.
func FuzzRxFrameOf(f *testing.F) {
	f.Add(uint64(256), uint32(60))
	f.Add(uint64(rxFrames*frameSize-1), uint32(1))
	f.Add(uint64(math.MaxUint64), uint32(math.MaxUint32))
	f.Fuzz(func(t *testing.T, addr uint64, length uint32) {
		chunk, cok, fok := rxFrameOf(addr, length)
		if fok && !cok {
			t.Fatal("frame valid in an invalid chunk")
		}
		if cok {
			if chunk%frameSize != 0 || chunk >= rxFrames*frameSize || addr < chunk || addr >= chunk+frameSize {
				t.Fatalf("addr %d: chunk %d", addr, chunk)
			}
		}
		if fok {
			if addr+uint64(length) > chunk+frameSize || addr+uint64(length) > umemSize || length < ethHeaderLen {
				t.Fatalf("accepted frame [%d, +%d) outside its chunk %d", addr, length, chunk)
			}
		}
		if txChunkOK(addr) && cok {
			t.Fatalf("addr %d is both a receive and a transmit chunk", addr)
		}
	})
}
