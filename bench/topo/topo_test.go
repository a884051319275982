package topo

import (
	"bytes"
	"testing"
)

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
