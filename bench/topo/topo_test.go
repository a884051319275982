package topo

import (
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
