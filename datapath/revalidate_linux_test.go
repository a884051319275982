package datapath

import (
	"bytes"
	"strings"
	"testing"
)

// TestRevalidateIdleWorker: Revalidate does not wait for a started worker
// that is not processing anything, yet the guarantee holds: the worker
// re-translates its flows before it forwards its next frame and before
// it serves its next request (a dump shows the new actions).
func TestRevalidateIdleWorker(t *testing.T) {
	up := newUpcaller(outputTo(2))
	dp, s2, s3 := newTestDP(t, up, Config{})
	const frames = 4
	var fs [][]byte
	for i := range frames {
		fs = append(fs, udpFrame(byte(10+i), 1, 0x0a000001, 0x0a000002, 1000, 2000)) // one flow each
	}
	src := newSource(t, "p1", fs...)
	if err := dp.AddPort(1, src); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	w := dp.workers[0]
	idle := func() bool { return !w.active.Load() }

	src.inject(frames)
	waitFor(t, "frames to port 2", func() bool { return s2.packets.Load() == frames })
	waitFor(t, "idle worker", idle)
	if dp.FlowCount() != frames {
		t.Fatalf("%d flows, want %d", dp.FlowCount(), frames)
	}

	// Revalidate, then traffic: the batch re-translates first.
	up.set(outputTo(3))
	calls := up.calls.Load()
	dp.Revalidate()
	if n := up.calls.Load() - calls; n != 0 {
		t.Errorf("Revalidate waited for an idle worker's %d re-translations", n)
	}
	src.inject(frames)
	waitFor(t, "frames to port 3", func() bool { return s3.packets.Load() == frames })
	if n := s2.packets.Load() - frames; n != 0 {
		t.Fatalf("%d frames used stale actions after Revalidate", n)
	}
	if n := up.calls.Load() - calls; n != frames {
		t.Errorf("%d upcalls after Revalidate, want %d re-translations and no misses", n, frames)
	}
	waitFor(t, "idle worker", idle)

	// Revalidate, then a dump: the request re-translates first.
	up.set(outputTo(2))
	dp.Revalidate()
	var dump bytes.Buffer
	if err := dp.DumpFlows(&dump, nil); err != nil {
		t.Fatal(err)
	}
	if d := dump.String(); strings.Count(d, ", actions:2\n") != frames {
		t.Fatalf("dump after Revalidate:\n%swant %d flows with actions:2", d, frames)
	}
}
