package datapath

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"govs/datapath/datapathtest"
	"govs/ports"
	"govs/ports/afpacket"
)

const (
	// netnsForwardFrames is how many frames one iteration of
	// BenchmarkNetnsForward offers.
	netnsForwardFrames = 100000
	// forwardQuiet ends an iteration: no frame arrived at B for this long.
	forwardQuiet = 200 * time.Millisecond
	// forwardMaxWait bounds one iteration's wait for stragglers.
	forwardMaxWait = 10 * time.Second
	// counterPollMs bounds the counter's poll(2) so that it sees stop.
	counterPollMs = 10
	// benchRcvBuf is the counter socket's receive buffer.
	benchRcvBuf = 32 << 20
)

// frameCounter counts the frames a port receives, on its own goroutine,
// and remembers when the last one arrived.
type frameCounter struct {
	n    atomic.Int64
	last atomic.Int64 // UnixNano of the last read that returned frames
	stop atomic.Bool
	wg   sync.WaitGroup
}

func startCounter(p *afpacket.Port) *frameCounter {
	c := &frameCounter{}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		b := ports.NewBatch()
		pfd := []unix.PollFd{{Fd: int32(p.PollFD()), Events: unix.POLLIN}}
		for !c.stop.Load() {
			b.Reset()
			n, err := p.Read(b)
			if err != nil {
				return
			}
			if n > 0 {
				c.n.Add(int64(n))
				c.last.Store(time.Now().UnixNano())
				continue
			}
			_, _ = unix.Poll(pfd, counterPollMs)
		}
	}()
	return c
}

func (c *frameCounter) close() { c.stop.Store(true); c.wg.Wait() }

// BenchmarkNetnsForward offers netnsForwardFrames 60-byte frames per
// iteration from a raw AF_PACKET sender in namespace A (sendmmsg, 32 per
// call) through a started Datapath (one worker, two AF_PACKET ports in the
// switch namespace, cross-connect slow path, default EMC) to a counting
// AF_PACKET socket in namespace B. Sub-benchmarks:
//
//   - open-loop: the sender offers as fast as its socket takes frames; the
//     excess is dropped by the kernel queues on the way (overload).
//   - window=N: the sender keeps at most N frames in flight (sent but not
//     yet counted at B): the rate the path sustains without overload.
//
// fwd-frames/s is frames counted at B over the time from the first send to
// the last arrival; offered-frames/s is the sender's rate; delivered is the
// fraction that arrived. Skipped when not root.
func BenchmarkNetnsForward(b *testing.B) {
	lab := datapathtest.NewLab(b)
	sw := startSwitch(b, lab, crossConnect{}, Config{})
	sender := datapathtest.OpenPort(b, lab.A, lab.HostA, afpacket.Options{NoPromisc: true})
	sink := datapathtest.OpenPort(b, lab.B, lab.HostB, afpacket.Options{RcvBuf: benchRcvBuf})
	cnt := startCounter(sink)
	defer cnt.close()
	tests := []struct {
		name   string
		window int64 // 0: open loop
	}{
		{"open-loop", 0},
		{"window=256", forwardWindow},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			benchForward(b, sw, sender, cnt, tt.window)
		})
	}
}

// Windowed run: at most forwardWindow frames in flight, which fits the
// default receive buffer of the switch's AF_PACKET sockets (about 270
// small frames), so the switch is not overrun.
const (
	forwardWindow = 256
	windowStall   = 20 * time.Millisecond
	windowPoll    = 50 * time.Microsecond
)

func benchForward(b *testing.B, sw *e2eSwitch, sender *afpacket.Port, cnt *frameCounter, window int64) {
	tx := ports.NewBatch()
	frames := e2eFrames(ports.BatchSize, []byte("govs-bench"), false, 0)
	for i, f := range frames {
		tx.Len[i] = copy(tx.Bufs[i][ports.Headroom:], f)
	}
	tx.N = len(frames)
	drops0 := sw.pa.Stats().KernelDrops

	var offered, received int64
	var sendTime, fwdTime time.Duration
	b.ReportAllocs()
	for b.Loop() {
		before := cnt.n.Load()
		start := time.Now()
		var sent, seen int64
		progress := start
		for sent < netnsForwardFrames {
			// Lost frames never arrive: a window that made no progress
			// for windowStall is reopened rather than waited on.
			if got := cnt.n.Load() - before; window > 0 && sent-got > window {
				if got != seen {
					seen, progress = got, time.Now()
				}
				if time.Since(progress) < windowStall {
					time.Sleep(windowPoll) // leave the CPU to the switch
					continue
				}
				progress = time.Now()
			}
			n, _ := sender.Write(tx) // frames the socket refused count as dropped
			sent += int64(n)
			if n == 0 {
				time.Sleep(time.Microsecond) // let the queues drain
			}
		}
		sendTime += time.Since(start)
		offered += sent
		deadline := start.Add(forwardMaxWait)
		for {
			got := cnt.n.Load() - before
			lastAt := time.Unix(0, cnt.last.Load())
			if got >= sent || time.Now().After(deadline) ||
				(time.Since(lastAt) > forwardQuiet && time.Since(start) > forwardQuiet) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		got := cnt.n.Load() - before
		received += got
		if got > 0 {
			fwdTime += time.Unix(0, cnt.last.Load()).Sub(start)
		}
	}
	b.ReportMetric(float64(received)/fwdTime.Seconds(), "fwd-frames/s")
	b.ReportMetric(float64(offered)/sendTime.Seconds(), "offered-frames/s")
	b.ReportMetric(float64(received)/float64(max(offered, 1)), "delivered")
	b.Logf("switch port A kernel drops during the run: %d", sw.pa.Stats().KernelDrops-drops0)
}
