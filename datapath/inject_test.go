package datapath

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

// TestExecute runs PACKET_OUT-style executions on a datapath that is not
// started: outputs, rewrites, the controller hook, unknown ports and
// bad frames; no megaflow is installed and the upcaller is not called.
func TestExecute(t *testing.T) {
	up := newUpcaller(outputTo(3))
	dp, s2, s3 := newTestDP(t, up, Config{})
	ctrl := &recordingController{}
	dp.SetControllerHook(ctrl)
	f := udpFrame(2, 1, 0x0a000001, 0x0a000002, 1000, 2000)
	const ctlCookie = 77
	acts := Actions{Output(2), SetEthDst(mac(9)), PushVLAN(ethTypeVLAN, 10), Output(3), Userspace(ctlCookie), Output(99)}
	if err := dp.Execute(flow.PortNo(0xfffd), f, acts); err != nil {
		t.Fatal(err)
	}
	if got := s2.last(); len(got) != 1 || !bytes.Equal(got[0], f) {
		t.Fatalf("port 2 got %x, want the unmodified frame", got)
	}
	want := vlanFrame(append([]byte(nil), f...), 10)
	want[5] = 9
	if got := s3.last(); len(got) != 1 || !bytes.Equal(got[0], want) {
		t.Fatalf("port 3 got %x\nwant %x", got, want)
	}
	if len(ctrl.frames) != 1 || ctrl.cookie != ctlCookie || !bytes.Equal(ctrl.frames[0], want) {
		t.Fatalf("controller got %d frames cookie %d", len(ctrl.frames), ctrl.cookie)
	}
	s := dp.Stats()[0]
	if s.Drops[DropUnknownPort] != 1 || s.RxPackets != 1 || s.TxPackets != 2 {
		t.Fatalf("stats %+v", s)
	}
	if up.calls.Load() != 0 || dp.FlowCount() != 0 {
		t.Fatalf("execute upcalled (%d) or installed flows (%d)", up.calls.Load(), dp.FlowCount())
	}
	if err := dp.Execute(1, f[:13], acts); !errors.Is(err, ErrShortFrame) {
		t.Fatalf("short frame: %v", err)
	}
	if err := dp.Execute(1, make([]byte, ports.MaxFrameLen+1), acts); !errors.Is(err, ErrLongFrame) {
		t.Fatalf("long frame: %v", err)
	}
	// The caller's frame is not modified, its actions not retained.
	if !bytes.Equal(f, udpFrame(2, 1, 0x0a000001, 0x0a000002, 1000, 2000)) {
		t.Fatal("Execute modified the caller's frame")
	}
	dp.Close()
	if err := dp.Execute(1, f, acts); !errors.Is(err, ports.ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
}

// TestExecuteRunning executes frames from several goroutines while the
// started workers forward traffic and revalidate (run with -race).
func TestExecuteRunning(t *testing.T) {
	up := newUpcaller(outputTo(2))
	dp, s2, s3 := newTestDP(t, up, Config{Workers: 2})
	src := newSource(t, "p1", distinctFrames(8)...)
	if err := dp.AddPort(1, src); err != nil {
		t.Fatal(err)
	}
	if err := dp.Start(); err != nil {
		t.Fatal(err)
	}
	const execs, goroutines, traffic = 50, 3, 400
	f := udpFrame(7, 1, 1, 2, 3, 4)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range execs {
				if err := dp.Execute(1, f, Actions{Output(3)}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for range traffic / ports.BatchSize {
		src.inject(ports.BatchSize)
		dp.Revalidate()
	}
	wg.Wait()
	waitFor(t, "traffic", func() bool { return s2.packets.Load() == traffic/ports.BatchSize*ports.BatchSize })
	if got := s3.packets.Load(); got != execs*goroutines {
		t.Fatalf("port 3 got %d executed frames, want %d", got, execs*goroutines)
	}
}
