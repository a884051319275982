package datapathtest

import (
	"testing"
	"time"

	"govs/ports"
)

// pollInterval is how long Capture and WaitFor sleep between attempts.
const pollInterval = 200 * time.Microsecond

// WaitFor polls cond until it holds; it fails tb after timeout.
func WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(pollInterval)
	}
}

// Capture reads p until want frames for which match is true arrived or
// timeout passed, and returns copies of them in arrival order (frames that
// do not match are read and discarded). It may return fewer than want.
func Capture(tb testing.TB, p ports.Port, match func([]byte) bool, want int, timeout time.Duration) [][]byte {
	tb.Helper()
	b := ports.NewBatch()
	var got [][]byte
	deadline := time.Now().Add(timeout)
	for len(got) < want && time.Now().Before(deadline) {
		b.Reset()
		n, err := p.Read(b)
		if err != nil {
			tb.Fatalf("%s: Read: %v", p.Name(), err)
		}
		if n == 0 {
			time.Sleep(pollInterval)
			continue
		}
		for i := range n {
			if f := b.Frame(i); match(f) {
				got = append(got, append([]byte(nil), f...))
			}
		}
	}
	return got
}

// Send writes frames to p in batches of ports.BatchSize and fails tb
// unless every frame was accepted.
func Send(tb testing.TB, p ports.Port, frames ...[]byte) {
	tb.Helper()
	b := ports.NewBatch()
	for len(frames) > 0 {
		n := min(len(frames), ports.BatchSize)
		b.Reset()
		for i, f := range frames[:n] {
			b.Len[i] = copy(b.Bufs[i][ports.Headroom:], f)
		}
		b.N = n
		sent, err := p.Write(b)
		if err != nil || sent != n {
			tb.Fatalf("%s: Write sent %d of %d: %v", p.Name(), sent, n, err)
		}
		frames = frames[n:]
	}
}
