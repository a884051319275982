package run

import (
	"os"
	"testing"
	"time"
)

func TestProcessCPU(t *testing.T) {
	before, ok := processCPU([]int{os.Getpid()})
	if !ok {
		t.Fatal("processCPU of this process not ok")
	}
	// Burn CPU until the tick-granular counter moves (bounded).
	deadline := time.Now().Add(10 * time.Second)
	after := before
	for after == before && time.Now().Before(deadline) {
		for i := 0; i < 1e6; i++ {
			_ = time.Now()
		}
		after, ok = processCPU([]int{os.Getpid()})
		if !ok {
			t.Fatal("second processCPU not ok")
		}
	}
	if after <= before {
		t.Errorf("CPU time did not increase: %v then %v", before, after)
	}
	if _, ok := processCPU(nil); ok {
		t.Error("processCPU(nil) ok, want not ok")
	}
	if _, ok := processCPU([]int{1 << 30}); ok {
		t.Error("processCPU of a missing pid ok, want not ok")
	}
}
