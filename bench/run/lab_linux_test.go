package run

import (
	"bytes"
	"testing"

	"govs/bench/gen"
	"govs/bench/topo"
)

func TestLabTemplate(t *testing.T) {
	for _, size := range []int{64, 512, 1500} {
		f, err := template(size)
		if err != nil {
			t.Fatal(err)
		}
		if len(f) != size-gen.FCSLen || !bytes.Equal(f[offEthDst:offEthSrc], topo.SinkMAC) || !bytes.Equal(f[offEthSrc:offEthType], topo.GenMAC) {
			t.Fatalf("size %d: frame %x", size, f[:offEthType])
		}
		gen.PutStamp(f, 1, 2)
		if _, _, ok := gen.ParseStamp(f); !ok {
			t.Fatalf("size %d: stamp not parsed", size)
		}
	}
}
