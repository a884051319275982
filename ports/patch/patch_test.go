package patch

import (
	"bytes"
	"errors"
	"testing"

	"govs/ports"
)

func pair(t testing.TB, capacity int) (*Port, *Port) {
	t.Helper()
	a, b, err := Pair("patch-a", "patch-b", capacity)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func batchOf(lens ...int) *ports.Batch {
	b := ports.NewBatch()
	for i, l := range lens {
		for j := range l {
			b.Bufs[i][ports.Headroom+j] = byte(i + j)
		}
		b.Len[i] = l
	}
	b.N = len(lens)
	return b
}

func TestPairForwards(t *testing.T) {
	tests := []struct {
		name       string
		cap        int
		lens       []int
		wantRead   int
		wantWriter ports.Stats
		wantReader ports.Stats
	}{
		{"one", 4, []int{60}, 1, ports.Stats{TxPackets: 1, TxBytes: 60}, ports.Stats{RxPackets: 1, RxBytes: 60}},
		{"full", 2, []int{60, 70, 80}, 2, ports.Stats{TxPackets: 2, TxBytes: 130, TxDropped: 1}, ports.Stats{RxPackets: 2, RxBytes: 130}},
		{"runt", 4, []int{6, 64}, 1, ports.Stats{TxPackets: 1, TxBytes: 64, TxErrors: 1}, ports.Stats{RxPackets: 1, RxBytes: 64}},
	}
	for _, tt := range tests {
		for _, dir := range []string{"a->b", "b->a"} {
			t.Run(tt.name+"/"+dir, func(t *testing.T) {
				a, b := pair(t, tt.cap)
				w, r := a, b
				if dir == "b->a" {
					w, r = b, a
				}
				in := batchOf(tt.lens...)
				w.Write(in)
				out := ports.NewBatch()
				n, err := r.Read(out)
				if err != nil || n != tt.wantRead {
					t.Fatalf("Read = %d, %v", n, err)
				}
				if !bytes.Equal(out.Frame(0), in.Frame(len(tt.lens)-n)) && !bytes.Equal(out.Frame(0), in.Frame(0)) {
					t.Fatal("frame content differs")
				}
				if n2, _ := w.Read(out); n2 != 0 {
					t.Fatal("writer read its own frames")
				}
				if s := w.Stats(); s != tt.wantWriter {
					t.Fatalf("writer stats %+v, want %+v", s, tt.wantWriter)
				}
				if s := r.Stats(); s != tt.wantReader {
					t.Fatalf("reader stats %+v, want %+v", s, tt.wantReader)
				}
			})
		}
	}
}

func TestPairNames(t *testing.T) {
	a, b := pair(t, 1)
	if a.Name() != "patch-a" || a.Peer() != "patch-b" || b.Peer() != "patch-a" {
		t.Fatal("names")
	}
	if _, _, err := Pair("x", "x", 1); err == nil {
		t.Fatal("self peer accepted")
	}
	if _, _, err := Pair("x", "y", -1); err == nil {
		t.Fatal("bad capacity accepted")
	}
}

func TestPeerClosed(t *testing.T) {
	a, b := pair(t, 4)
	b.Close()
	n, err := a.Write(batchOf(60, 60))
	if n != 0 || err != nil {
		t.Fatalf("Write to closed peer = %d, %v", n, err)
	}
	if s := a.Stats(); s.TxDropped != 2 {
		t.Fatalf("TxDropped = %d", s.TxDropped)
	}
	if _, err := b.Write(batchOf(60)); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("closed Write: %v", err)
	}
	if _, err := b.Read(ports.NewBatch()); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("closed Read: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestAllocs(t *testing.T) {
	a, b := pair(t, 64)
	in, out := batchOf(make([]int, ports.BatchSize)...), ports.NewBatch()
	for i := range in.N {
		in.Len[i] = 64
	}
	if n := testing.AllocsPerRun(100, func() { a.Write(in); b.Read(out) }); n != 0 {
		t.Fatalf("Write+Read allocs = %v", n)
	}
}

func BenchmarkWriteRead(b *testing.B) {
	pa, pb := pair(b, 64)
	in, out := ports.NewBatch(), ports.NewBatch()
	in.N = ports.BatchSize
	for i := range in.N {
		in.Len[i] = 64
	}
	b.ReportAllocs()
	for b.Loop() {
		pa.Write(in)
		pb.Read(out)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*ports.BatchSize), "ns/frame")
}
