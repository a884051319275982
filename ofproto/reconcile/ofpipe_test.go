package reconcile

import (
	"testing"

	"govs/ofproto/bridge"
	"govs/ofproto/tables"
)

func TestOFPipelineFailMode(t *testing.T) {
	br, err := bridge.New(bridge.Config{Name: "br-of", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = br.Close() })
	p := NewOFPipeline(br)
	ports := 0
	p.SetOnPortsChanged(func() { ports++ })
	br.SetPipeline(p)
	if br.MACTable() != p.MACTable() {
		t.Fatal("bridge MACTable is not the pipeline's")
	}
	tests := []struct {
		name  string
		mode  bridge.FailMode
		flush bool // delete every flow before switching
		want  int
	}{
		{"installed standalone: default NORMAL flow", bridge.FailStandalone, false, 1},
		{"secure flushes", bridge.FailSecure, false, 0},
		{"back to standalone re-adds it", bridge.FailStandalone, false, 1},
		{"del-flows removes it for good", bridge.FailStandalone, true, 0},
	}
	for _, tc := range tests {
		if tc.flush {
			p.Tables().Flush()
		}
		br.SetFailMode(tc.mode)
		if n := p.Tables().Len(); n != tc.want {
			t.Fatalf("%s: %d flows, want %d", tc.name, n, tc.want)
		}
	}
	if ports == 0 {
		t.Fatal("PortsChanged hook not called at install")
	}
	var got int
	p.SetOnRemoved(func(rs []tables.Removed) { got += len(rs) })
	p.removed(make([]tables.Removed, 2))
	p.SetOnRemoved(nil)
	p.removed(make([]tables.Removed, 1))
	if got != 2 {
		t.Fatalf("OnRemoved saw %d rules, want 2", got)
	}
}
