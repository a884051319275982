package datapath

import (
	"testing"

	"govs/datapath/flow"
)

// TestVLANLimit: the worker extracts with the configured vlan-limit, and
// SetVLANLimit takes effect on the next batch.
func TestVLANLimit(t *testing.T) {
	var seen []flow.Key
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		seen = append(seen, *k)
		*mask = flow.Key{}
		for i := range mask.W {
			mask.W[i] = ^uint64(0)
		}
		*acts = append(*acts, Output(2))
		return nil
	})
	dp, _, _ := newTestDP(t, up, Config{VLANLimit: 1})
	if got := dp.VLANLimit(); got != 1 {
		t.Fatalf("VLANLimit() = %d, want 1", got)
	}
	qinq := vlanFrame(vlanFrame(udpFrame(2, 1, 1, 2, 3, 4), 20), 10) // outer 10, inner 20
	w := dp.Worker(0)
	w.ProcessBatch(1, newBatchOf(qinq))
	dp.SetVLANLimit(0) // unlimited: flow.MaxVLANs
	if got := dp.VLANLimit(); got != flow.MaxVLANs {
		t.Fatalf("VLANLimit() after SetVLANLimit(0) = %d, want %d", got, flow.MaxVLANs)
	}
	w.ProcessBatch(1, newBatchOf(qinq))
	if len(seen) != 2 {
		t.Fatalf("%d upcalls, want 2 (the keys differ)", len(seen))
	}
	if _, tci := seen[0].VLAN(1); tci != 0 || seen[0].EthType() != ethTypeVLAN {
		t.Errorf("limit 1: inner tci %#x, eth_type %#x; want 0, 0x8100", tci, seen[0].EthType())
	}
	if _, tci := seen[1].VLAN(1); tci&0xfff != 20 || seen[1].EthType() != ethTypeIPv4 {
		t.Errorf("unlimited: inner tci %#x, eth_type %#x; want vid 20, 0x0800", tci, seen[1].EthType())
	}
	if _, err := New(up, Config{VLANLimit: -1}); err == nil {
		t.Error("New accepted VLANLimit -1")
	}
}
