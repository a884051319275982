// Package porttest holds the batch helpers that the tests of the port
// implementations (afpacket, afxdp, tap) share: filling a ports.Batch with
// frames to write, and reading a port until the frames a test sent arrive.
// Only tests import it; it allocates freely.
package porttest

import (
	"bytes"
	"testing"
	"time"

	"govs/ports"
)

// SetFrames empties b and puts frames into it at ports.Headroom.
func SetFrames(b *ports.Batch, frames ...[]byte) {
	b.Reset()
	for i, f := range frames {
		b.Len[i] = copy(b.Bufs[i][ports.Headroom:], f)
	}
	b.N = len(frames)
}

// ReadMatching reads p into b until want frames containing marker arrived
// or timeout passes, and returns copies of those frames. Every frame read
// must sit at Off = ports.Headroom (the ports.Port contract).
func ReadMatching(tb testing.TB, p ports.Port, b *ports.Batch, marker []byte, want int, timeout time.Duration) [][]byte {
	tb.Helper()
	var got [][]byte
	for deadline := time.Now().Add(timeout); len(got) < want && time.Now().Before(deadline); {
		n, err := p.Read(b)
		if err != nil {
			tb.Fatalf("Read: %v", err)
		}
		if n == 0 {
			time.Sleep(time.Millisecond)
			continue
		}
		for i := range n {
			if b.Off[i] != ports.Headroom {
				tb.Fatalf("frame %d at Off %d, want Headroom", i, b.Off[i])
			}
			if bytes.Contains(b.Frame(i), marker) {
				got = append(got, append([]byte(nil), b.Frame(i)...))
			}
		}
	}
	return got
}
