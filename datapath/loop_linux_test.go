package datapath

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"govs/datapath/flow"
)

const waitTimeout = 10 * time.Second

// waitFor polls cond until it holds or waitTimeout passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestRunningWorkers drives started workers through fake ports while
// Revalidate, Flush, DumpFlows, PMDStats and scrapes run concurrently.
func TestRunningWorkers(t *testing.T) {
	up := newUpcaller(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		if k.InPort() == 1 {
			*acts = append(*acts, Output(2))
		} else {
			*acts = append(*acts, PushVLAN(ethTypeVLAN, 3), Output(3))
		}
		return nil
	})
	dp, s2, s3 := newTestDP(t, up, Config{Workers: 2, EMCInsertInvProb: 1})
	src1 := newSource(t, "p1", distinctFrames(8)...)
	src4 := newSource(t, "p4", distinctFrames(5)...)
	if err := dp.AddPort(1, src1); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err == nil {
		t.Fatal("second Start succeeded")
	}
	if err := dp.AddPort(4, src4); err != nil { // added while running
		t.Fatal(err)
	}
	const rounds, perRound = 200, 40
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		reg := prometheus.NewRegistry()
		reg.MustRegister(dp)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			switch i % 5 {
			case 0:
				dp.Revalidate()
			case 1:
				dp.Flush()
			case 2:
				_ = dp.DumpFlows(io.Discard, dp.PortName)
			case 3:
				_ = dp.PMDStats(io.Discard)
				dp.SetEMCInsertInvProb(uint32(i % 3))
			case 4:
				if _, err := reg.Gather(); err != nil {
					t.Error(err)
				}
			}
		}
	}()
	for range rounds {
		src1.inject(perRound)
		src4.inject(perRound)
		time.Sleep(100 * time.Microsecond)
	}
	want := int64(rounds * perRound)
	waitFor(t, "all frames forwarded", func() bool {
		return s2.packets.Load() == want && s3.packets.Load() == want
	})
	close(stop)
	wg.Wait()

	// The revalidation guarantee: after Revalidate returns, no packet uses
	// the old actions.
	up.set(func(k, mask *flow.Key, acts *Actions) error {
		maskEthDst(mask)
		*acts = append(*acts, Output(3))
		return nil
	})
	dp.Revalidate()
	before2, before3 := s2.packets.Load(), s3.packets.Load()
	src1.inject(perRound)
	waitFor(t, "frames after revalidate", func() bool { return s3.packets.Load() == before3+perRound })
	if s2.packets.Load() != before2 {
		t.Fatalf("%d packets used stale actions", s2.packets.Load()-before2)
	}

	// RemovePort while running: no more reads from the port.
	if err := dp.RemovePort(4); err != nil {
		t.Fatal(err)
	}
	rx := src4.rx.Load()
	src4.inject(perRound)
	src1.inject(perRound)
	waitFor(t, "frames after remove", func() bool { return s3.packets.Load() == before3+2*perRound })
	if src4.rx.Load() != rx {
		t.Fatal("removed port still read")
	}
	var total uint64
	for _, s := range dp.Stats() {
		total += s.RxPackets
	}
	if total != uint64(2*want+2*perRound) {
		t.Fatalf("workers received %d, want %d", total, 2*want+2*perRound)
	}
	if err := dp.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed: control calls run inline, AddPort fails.
	dp.Flush()
	if err := dp.AddPort(9, src4); err == nil {
		t.Fatal("AddPort after Close succeeded")
	}
}

// TestIdleWorkerWakes: a started worker with no traffic blocks in
// epoll_wait and still serves control requests promptly.
func TestIdleWorkerWakes(t *testing.T) {
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{})
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // let it block
	done := make(chan struct{})
	go func() {
		dp.Revalidate()
		_ = dp.DumpFlows(io.Discard, nil)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatal("control request not served by an idle worker")
	}
}

// noPollSource is a source without a PollFD: the worker must fall back to
// bounded waits.
type noPollSource struct{ *sourcePort }

func (noPollSource) PollFD() int { return -1 }

func TestLoopModes(t *testing.T) {
	tests := []struct {
		name     string
		busyPoll bool
		noPoll   bool
	}{
		{"epoll", false, false},
		{"busy poll", true, false},
		{"port without PollFD", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dp, s2, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{BusyPoll: tt.busyPoll})
			src := newSource(t, "p1", distinctFrames(3)...)
			if tt.noPoll {
				if err := dp.AddPort(1, noPollSource{src}); err != nil {
					t.Fatal(err)
				}
			} else if err := dp.AddPort(1, src); err != nil {
				t.Fatal(err)
			}
			if err := dp.Start(); err != nil {
				t.Fatal(err)
			}
			if err := dp.SetMaxIdle(time.Hour); err != nil {
				t.Fatal(err)
			}
			if err := dp.SetMaxIdle(0); err == nil {
				t.Fatal("SetMaxIdle(0) accepted")
			}
			src.inject(100)
			waitFor(t, "frames", func() bool { return s2.packets.Load() == 100 })
			if dp.FlowCount() != 1 {
				t.Fatalf("flows = %d", dp.FlowCount())
			}
			if err := dp.RemovePort(1); err != nil {
				t.Fatal(err)
			}
			if err := dp.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestControlRequestsNearBlocking sends control requests back to back
// and at every delay around the idle spin, to a worker whose ports are
// idle: a request queued just before the worker decides to block must
// still be served (its eventfd wake-up may be consumed by the round's
// non-blocking epoll check).
func TestControlRequestsNearBlocking(t *testing.T) {
	dp, _, _ := newTestDP(t, newUpcaller(outputTo(2)), Config{})
	if err := dp.AddPort(1, newSource(t, "p1")); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	defer dp.Close()
	const requests = 3000
	done := make(chan error, 1)
	go func() {
		for i := range requests {
			if d := time.Duration(i%100) * time.Microsecond; d > 0 {
				time.Sleep(d)
			}
			if err := dp.SetMaxIdle(time.Hour); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(6 * waitTimeout):
		t.Fatal("a control request was never served (worker blocked with a request pending)")
	}
}
