package classifier

import (
	"math/rand/v2"
	"testing"
)

// FuzzClassifier drives random insert/remove/lookup sequences (decoded
// from the input) against the brute-force reference, checking results,
// Len and wildcard soundness.
func FuzzClassifier(f *testing.F) {
	seeds := [][]byte{
		nil,
		{0},
		[]byte("insert remove lookup"),
		make([]byte, 64),
	}
	for i := range 6 {
		b := make([]byte, 512)
		r := rand.New(rand.NewPCG(uint64(i), 3))
		for j := range b {
			b[j] = byte(r.Uint64())
		}
		seeds = append(seeds, b)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	const maxOps = 200
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &byteSource{b: data}
		r := rand.New(src)
		checkOps(t, r, maxOps, func() bool { return !src.empty() })
	})
}
