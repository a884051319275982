package fq

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"govs/ports"
)

func frame(n int, tag byte) []byte {
	f := make([]byte, n)
	for i := range f {
		f[i] = tag + byte(i)
	}
	return f
}

func readable(t *testing.T, q *Queue) bool {
	t.Helper()
	if runtime.GOOS == "windows" || q.FD() < 0 {
		return q.Len() > 0
	}
	return pollReadable(t, q.FD())
}

func TestQueuePushPop(t *testing.T) {
	tests := []struct {
		name      string
		cap       int
		push      []int // frame lengths pushed one by one
		wantErrs  []error
		wantPop   []int // lengths popped
		wantLeft  int
		rounds    int // push/pop rounds, to exercise wraparound
		wantReady bool
	}{
		{name: "empty", cap: 4, wantReady: false},
		{name: "one", cap: 4, push: []int{60}, wantErrs: []error{nil}, wantPop: []int{60}},
		{name: "full drops", cap: 2, push: []int{60, 61, 62}, wantErrs: []error{nil, nil, ErrFull}, wantPop: []int{60, 61}},
		{name: "bad lengths", cap: 4, push: []int{13, 14, ports.MaxFrameLen, ports.MaxFrameLen + 1, 0},
			wantErrs: []error{ErrBadLength, nil, nil, ErrBadLength, ErrBadLength}, wantPop: []int{14, ports.MaxFrameLen}},
		{name: "more than a batch", cap: 64, push: make40(), wantErrs: make([]error, 40), wantPop: make40()[:ports.BatchSize], wantLeft: 8, wantReady: true},
		{name: "wraparound", cap: 3, push: []int{60, 61}, wantErrs: []error{nil, nil}, wantPop: []int{60, 61}, rounds: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := New(tt.cap)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { q.Close() })
			b := ports.NewBatch()
			for round := 0; round <= tt.rounds; round++ {
				for i, l := range tt.push {
					if err := q.Push(frame(l, byte(i))); !errors.Is(err, tt.wantErrs[i]) {
						t.Fatalf("push %d (len %d): err %v, want %v", i, l, err, tt.wantErrs[i])
					}
				}
				if len(tt.wantPop) > 0 && !readable(t, q) {
					t.Fatal("FD not readable with frames queued")
				}
				n, _, tooLong, err := q.PopBatch(b)
				if err != nil || tooLong != 0 {
					t.Fatalf("PopBatch: err %v tooLong %d", err, tooLong)
				}
				if n != len(tt.wantPop) || b.N != n {
					t.Fatalf("popped %d (b.N %d), want %d", n, b.N, len(tt.wantPop))
				}
				j := 0
				for i, l := range tt.push {
					if j < n && l == tt.wantPop[j] && tt.wantErrs[i] == nil {
						if b.Off[j] != ports.Headroom || !bytes.Equal(b.Frame(j), frame(l, byte(i))) {
							t.Fatalf("frame %d: off %d, content mismatch", j, b.Off[j])
						}
						j++
					}
				}
				if q.Len() != tt.wantLeft {
					t.Fatalf("Len %d, want %d", q.Len(), tt.wantLeft)
				}
				if got := readable(t, q); got != tt.wantReady {
					t.Fatalf("readable after pop = %v, want %v", got, tt.wantReady)
				}
				if tt.wantLeft > 0 {
					break
				}
			}
		})
	}
}

func make40() []int {
	l := make([]int, 40)
	for i := range l {
		l[i] = 60 + i
	}
	return l
}

func TestQueuePushBatch(t *testing.T) {
	q, err := New(3)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	b := ports.NewBatch()
	lens := []int{60, 10, 70, 80, 90}
	for i, l := range lens {
		copy(b.Bufs[i][ports.Headroom:], frame(l, byte(i)))
		b.Len[i] = l
	}
	b.Off[4] = len(b.Bufs[4]) // out of range: an error, not a panic
	b.N = len(lens)
	r, err := q.PushBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	want := PushResult{Frames: 3, Bytes: 210, Errors: 2}
	if r != want {
		t.Fatalf("PushBatch = %+v, want %+v", r, want)
	}
	b.N = 1
	r, _ = q.PushBatch(b)
	if r != (PushResult{Dropped: 1}) {
		t.Fatalf("full PushBatch = %+v", r)
	}
}

func TestQueuePopTooLong(t *testing.T) {
	q, _ := New(2)
	defer q.Close()
	q.Push(frame(100, 0))
	q.Push(frame(20, 1))
	b := ports.NewBatch()
	b.Bufs[0] = make([]byte, ports.Headroom+50)
	n, _, tooLong, _ := q.PopBatch(b)
	if n != 1 || tooLong != 1 || b.Len[0] != 20 {
		t.Fatalf("n %d tooLong %d len %d", n, tooLong, b.Len[0])
	}
}

func TestQueueClosed(t *testing.T) {
	q, _ := New(2)
	q.Push(frame(60, 0))
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	if err := q.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	b := ports.NewBatch()
	if _, _, _, err := q.PopBatch(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("PopBatch after Close: %v", err)
	}
	if err := q.Push(frame(60, 0)); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("Push after Close: %v", err)
	}
	if _, err := q.PushBatch(b); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("PushBatch after Close: %v", err)
	}
}

func TestNewBadCap(t *testing.T) {
	for _, c := range []int{-1, 0, MaxCap + 1} {
		if _, err := New(c); err == nil {
			t.Errorf("New(%d) succeeded", c)
		}
	}
}

func TestQueueAllocs(t *testing.T) {
	q, _ := New(64)
	defer q.Close()
	in, out := ports.NewBatch(), ports.NewBatch()
	in.N = ports.BatchSize
	for i := range in.N {
		in.Len[i] = 64
	}
	if a := testing.AllocsPerRun(100, func() {
		q.PushBatch(in)
		q.PopBatch(out)
	}); a != 0 {
		t.Fatalf("PushBatch+PopBatch allocs = %v, want 0", a)
	}
}
