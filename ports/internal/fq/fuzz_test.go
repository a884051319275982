package fq

import (
	"encoding/binary"
	"testing"

	"govs/ports"
)

// FuzzPushBatch feeds batches with arbitrary N, Off and Len (from the
// fuzz input, 8 bytes per frame) and checks PushBatch never panics, counts
// every frame exactly once, and PopBatch returns only in-bounds frames.
func FuzzPushBatch(f *testing.F) {
	f.Add(int8(2), []byte{0, 128, 0, 60, 0, 128, 0, 14})
	f.Add(int8(40), []byte{0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff})
	f.Add(int8(-3), []byte{})
	f.Fuzz(func(t *testing.T, n int8, spec []byte) {
		q, err := New(4)
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		b := ports.NewBatch()
		b.N = int(n)
		for i := 0; i < ports.BatchSize && len(spec) >= 8; i++ {
			b.Off[i] = int(int32(binary.BigEndian.Uint32(spec)))
			b.Len[i] = int(int32(binary.BigEndian.Uint32(spec[4:])))
			spec = spec[8:]
		}
		r, err := q.PushBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(max(int(n), 0), ports.BatchSize); r.Frames+r.Dropped+r.Errors != want {
			t.Fatalf("result %+v does not account for %d frames", r, want)
		}
		out := ports.NewBatch()
		got, bytes, _, err := q.PopBatch(out)
		if err != nil || got != r.Frames || bytes != r.Bytes {
			t.Fatalf("popped %d frames %d bytes, pushed %+v", got, bytes, r)
		}
		for i := range got {
			_ = out.Frame(i) // must not panic
		}
	})
}
