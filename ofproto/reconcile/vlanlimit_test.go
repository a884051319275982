package reconcile

import (
	"testing"

	"govs/datapath/flow"
)

// TestOVSVLANLimit: Open_vSwitch other_config:vlan-limit read as OVS's
// bridge.c (smap_get_int, default 1; 0 and negative mean unlimited).
func TestOVSVLANLimit(t *testing.T) {
	for _, c := range []struct {
		oc   map[string]string
		want int
	}{
		{nil, flow.DefaultVLANLimit},
		{map[string]string{"vlan-limit": "1"}, 1},
		{map[string]string{"vlan-limit": "2"}, 2},
		{map[string]string{"vlan-limit": "0"}, 0},
		{map[string]string{"vlan-limit": "-3"}, 0},
		{map[string]string{"vlan-limit": "x"}, flow.DefaultVLANLimit},
	} {
		if got := ovsVLANLimit(c.oc); got != c.want {
			t.Errorf("ovsVLANLimit(%v) = %d, want %d", c.oc, got, c.want)
		}
	}
}
