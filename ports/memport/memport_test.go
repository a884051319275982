package memport

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"govs/ports"
)

func frame(n int, tag byte) []byte {
	f := make([]byte, n)
	for i := range f {
		f[i] = tag ^ byte(i)
	}
	return f
}

func newPort(t testing.TB, capacity int) *Port {
	t.Helper()
	p, err := New("mem0", capacity)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestInjectRead(t *testing.T) {
	tests := []struct {
		name      string
		cap       int
		inject    []int
		wantRead  int
		wantStats ports.Stats
	}{
		{"none", 4, nil, 0, ports.Stats{}},
		{"two", 4, []int{60, 1514}, 2, ports.Stats{RxPackets: 2, RxBytes: 1574}},
		{"overflow", 2, []int{60, 60, 60}, 2, ports.Stats{RxPackets: 2, RxBytes: 120, RxDropped: 1}},
		{"runt and giant", 4, []int{5, ports.MaxFrameLen + 1, 64}, 1, ports.Stats{RxPackets: 1, RxBytes: 64, RxErrors: 2}},
		{"jumbo", 4, []int{ports.MaxFrameLen}, 1, ports.Stats{RxPackets: 1, RxBytes: ports.MaxFrameLen}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPort(t, tt.cap)
			var ok []int
			for i, l := range tt.inject {
				if p.Inject(frame(l, byte(i))) {
					ok = append(ok, i)
				}
			}
			b := ports.NewBatch()
			n, err := p.Read(b)
			if err != nil || n != tt.wantRead {
				t.Fatalf("Read = %d, %v; want %d", n, err, tt.wantRead)
			}
			for j := range n {
				i := ok[j]
				if !bytes.Equal(b.Frame(j), frame(tt.inject[i], byte(i))) || b.Off[j] != ports.Headroom {
					t.Fatalf("frame %d differs", j)
				}
			}
			if got := p.Stats(); got != tt.wantStats {
				t.Fatalf("Stats = %+v, want %+v", got, tt.wantStats)
			}
		})
	}
}

func TestWriteDrain(t *testing.T) {
	p := newPort(t, 3)
	b := ports.NewBatch()
	lens := []int{60, 100, 3, 200, 300}
	for i, l := range lens {
		copy(b.Bufs[i][ports.Headroom:], frame(l, byte(i)))
		b.Len[i] = l
	}
	b.Off[1] = ports.Headroom - 4 // a pushed header: frame starts earlier
	copy(b.Bufs[1][b.Off[1]:], frame(100, 1))
	b.N = len(lens)
	n, err := p.Write(b)
	if err != nil || n != 3 {
		t.Fatalf("Write = %d, %v", n, err)
	}
	want := ports.Stats{TxPackets: 3, TxBytes: 360, TxErrors: 1, TxDropped: 1}
	if got := p.Stats(); got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
	got := p.DrainFrames()
	wantIdx := []int{0, 1, 3}
	if len(got) != len(wantIdx) {
		t.Fatalf("drained %d frames", len(got))
	}
	for j, i := range wantIdx {
		if !bytes.Equal(got[j], frame(lens[i], byte(i))) {
			t.Fatalf("drained frame %d differs", j)
		}
	}
}

func TestClosed(t *testing.T) {
	p := newPort(t, 2)
	p.Inject(frame(60, 0))
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	b := ports.NewBatch()
	if _, err := p.Read(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("Read: %v", err)
	}
	if _, err := p.Write(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("Write: %v", err)
	}
	if _, err := p.Drain(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("Drain: %v", err)
	}
	if p.Inject(frame(60, 0)) {
		t.Fatal("Inject after Close succeeded")
	}
}

func TestConcurrent(t *testing.T) {
	const total = 2000
	p := newPort(t, 64)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f := frame(60, 7)
		for range total {
			for !p.Inject(f) {
			}
		}
	}()
	b := ports.NewBatch()
	got := 0
	for got < total {
		n, err := p.Read(b)
		if err != nil {
			t.Fatal(err)
		}
		got += n
		p.Stats()
	}
	wg.Wait()
	if s := p.Stats(); s.RxPackets != total {
		t.Fatalf("RxPackets %d", s.RxPackets)
	}
}

func fullBatch(l int) *ports.Batch {
	b := ports.NewBatch()
	b.N = ports.BatchSize
	for i := range b.N {
		b.Len[i] = l
	}
	return b
}

func TestAllocs(t *testing.T) {
	p := newPort(t, 64)
	in, out := fullBatch(64), ports.NewBatch()
	tests := []struct {
		name string
		f    func()
	}{
		{"InjectBatch+Read", func() { p.InjectBatch(in); p.Read(out) }},
		{"Write+Drain", func() { p.Write(in); p.Drain(out) }},
		{"Read empty", func() { p.Read(out) }},
		{"Inject", func() { p.Inject(in.Frame(0)); p.Read(out) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a := testing.AllocsPerRun(100, tt.f); a != 0 {
				t.Fatalf("allocs = %v, want 0", a)
			}
		})
	}
}

func BenchmarkRead(b *testing.B) {
	for _, size := range []int{64, 1500} {
		b.Run(sizeName(size), func(b *testing.B) {
			p := newPort(b, 64)
			in, out := fullBatch(size), ports.NewBatch()
			b.ReportAllocs()
			b.SetBytes(int64(size * ports.BatchSize))
			for b.Loop() {
				p.InjectBatch(in)
				p.Read(out)
			}
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	for _, size := range []int{64, 1500} {
		b.Run(sizeName(size), func(b *testing.B) {
			p := newPort(b, 64)
			in, out := fullBatch(size), ports.NewBatch()
			b.ReportAllocs()
			b.SetBytes(int64(size * ports.BatchSize))
			for b.Loop() {
				p.Write(in)
				p.Drain(out)
			}
		})
	}
}

func sizeName(n int) string {
	if n == 64 {
		return "64B"
	}
	return "1500B"
}
