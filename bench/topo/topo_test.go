package topo

import (
	"bytes"
	"strings"
	"testing"
)

func TestUniqueName(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range []string{"gbw", "gbwg", "averyveryverylongprefix"} {
		for range 3 {
			n := UniqueName(p)
			if len(n) > ifNameMax || n == "" {
				t.Fatalf("UniqueName(%q) = %q (%d bytes)", p, n, len(n))
			}
			if seen[n] {
				t.Fatalf("duplicate %q", n)
			}
			seen[n] = true
		}
	}
	if n := UniqueName("gbw"); !strings.HasPrefix(n, "gbw") {
		t.Fatalf("prefix lost: %q", n)
	}
}

// The sink veth must not own the generated frames' destination, or the
// sink's kernel routes every measured frame (PACKET_HOST).
func TestSinkDevMAC(t *testing.T) {
	if bytes.Equal(SinkDevMAC, SinkMAC) || bytes.Equal(SinkDevMAC, GenMAC) {
		t.Fatalf("SinkDevMAC %v collides with SinkMAC %v or GenMAC %v", SinkDevMAC, SinkMAC, GenMAC)
	}
	if SinkDevMAC[0]&1 != 0 || SinkDevMAC[0]&2 == 0 {
		t.Fatalf("SinkDevMAC %v is not a locally administered unicast address", SinkDevMAC)
	}
}
