package datapath

import (
	"encoding/binary"
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"

	"govs/ports"
)

// Poll loop tuning.
const (
	// maxEpollEvents is how many readiness events one epoll_wait returns.
	maxEpollEvents = 64
	// spinWaitMs bounds epoll_wait when some port has no PollFD.
	spinWaitMs = 1
	// expireWaitMs bounds epoll_wait while the worker holds flows, so
	// that idle expiry runs even without traffic.
	expireWaitMs = expireInterval / 1000 / 1000
	// eventfdLen is the size of an eventfd counter.
	eventfdLen = 8
	// idleSpin is how long (clock ns) a worker keeps polling without
	// blocking after its last frame: blocking and being woken per few
	// frames costs two context switches and a cross-CPU wake-up each time.
	idleSpin = 50 * 1000
	// readyCheckRounds: a busy worker asks epoll about its drained ports
	// every this many rounds (a cold port waits at most that many batches
	// of the busy ones).
	readyCheckRounds = 4
)

// loopState is a worker's poll loop: an epoll set holding its rx ports'
// PollFDs and an eventfd that control requests use to wake it.
type loopState struct {
	running bool // guarded by Datapath.mu
	open    bool // epfd/evfd exist; worker-owned once running
	stop    bool // worker-owned
	exited  chan struct{}
	epfd    int
	evfd    int
	noPoll  int // rx ports without a PollFD (force a bounded wait)
	events  [maxEpollEvents]unix.EpollEvent
	evbuf   [eventfdLen]byte
	drain   [eventfdLen]byte
	rounds  uint // poll rounds, for readyCheckRounds
}

func (w *Worker) start() error {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("datapath: epoll_create1: %w", err)
	}
	evfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return fmt.Errorf("datapath: eventfd: %w", err)
	}
	w.loop.epfd, w.loop.evfd, w.loop.open = epfd, evfd, true
	if err := w.epollAdd(evfd); err != nil {
		w.closeLoop()
		return err
	}
	w.loop.noPoll = 0
	for _, r := range w.rx {
		if err := w.pollAdd(r.port); err != nil {
			w.closeLoop()
			return err
		}
	}
	w.loop.stop = false
	w.loop.exited = make(chan struct{})
	w.loop.running = true
	go w.run()
	return nil
}

func (w *Worker) epollAdd(fd int) error {
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
	if err := unix.EpollCtl(w.loop.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return fmt.Errorf("datapath: epoll_ctl add fd %d: %w", fd, err)
	}
	return nil
}

// pollAdd adds p's PollFD to the epoll set (no-op before start).
func (w *Worker) pollAdd(p ports.Port) error {
	if !w.loop.open {
		return nil
	}
	fd := p.PollFD()
	if fd < 0 {
		w.loop.noPoll++
		return nil
	}
	return w.epollAdd(fd)
}

// pollDel removes p's PollFD from the epoll set.
func (w *Worker) pollDel(p ports.Port) {
	if !w.loop.open {
		return
	}
	fd := p.PollFD()
	if fd < 0 {
		w.loop.noPoll--
		return
	}
	_ = unix.EpollCtl(w.loop.epfd, unix.EPOLL_CTL_DEL, fd, nil)
}

func (w *Worker) closeLoop() {
	unix.Close(w.loop.epfd)
	unix.Close(w.loop.evfd)
	w.loop.open = false
}

// wakeup makes a blocked epoll_wait return.
func (w *Worker) wakeup() {
	binary.NativeEndian.PutUint64(w.loop.evbuf[:], 1)
	_, _ = unix.Write(w.loop.evfd, w.loop.evbuf[:])
}

// run is the worker's poll loop. Each round reads every port marked
// ready; a port whose Read returns less than a full batch is drained and
// stays unread until epoll reports it readable again. A round that leaves
// a port unready asks epoll which fds are readable with a non-blocking,
// raw epoll_wait (cheaper than an empty recvmmsg or TAP read per idle
// port). When nothing arrived for idleSpin the worker blocks in
// epoll_wait.
//
// Every system call of a busy round is non-blocking and made with
// RawSyscall (here and in the ports): a blocking-style Syscall lets the
// runtime's sysmon take the worker's P away whenever the call lasts more
// than ~20 µs (a sendmmsg of 32 frames into a veth often does), and
// getting it back wakes other threads; on a small host that storm of
// thread switches costs more than the forwarding itself.
func (w *Worker) run() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(w.loop.exited)
	lastWork := w.dp.clock()
	for !w.loop.stop {
		if w.ctlPending.Load() {
			w.runRequests()
			w.markAllReady() // ports may have been added
			continue
		}
		busy, cold := false, false
		for i := range w.rx {
			r := &w.rx[i]
			if !r.ready {
				cold = true
				continue
			}
			w.rxb.Reset()
			n, _ := r.port.Read(w.rxb)
			if n > 0 {
				w.rxb.N = min(n, ports.BatchSize)
				w.ProcessBatch(r.no, w.rxb)
				busy = true
			}
			if n < ports.BatchSize && r.fd >= 0 {
				r.ready, cold = false, true
			}
		}
		// While busy, drained ports are checked every readyCheckRounds
		// rounds only (the check is a system call per round; perf put
		// it at 6 % of a busy loop's samples).
		if cold && (!busy || w.loop.rounds%readyCheckRounds == 0) &&
			w.markReady(epollPoll(w.loop.epfd, w.loop.events[:])) {
			busy = true
		}
		w.loop.rounds++
		now := w.dp.clock()
		if busy {
			lastWork = now
			continue
		}
		w.maintain(now)
		// A request may have been queued after the check at the top of
		// the round, its eventfd wake-up consumed by markReady above:
		// never block with one pending.
		if w.dp.busyPoll || now-lastWork < idleSpin || w.ctlPending.Load() {
			continue
		}
		timeout := -1
		switch {
		case w.loop.noPoll > 0:
			timeout = spinWaitMs
		case w.nflows > 0:
			timeout = expireWaitMs
		}
		n, err := unix.EpollWait(w.loop.epfd, w.loop.events[:], timeout)
		if err != nil {
			continue // EINTR
		}
		w.markReady(n)
		lastWork = w.dp.clock()
	}
}

// markReady marks the rx ports of the first n epoll events ready and
// drains the control eventfd if it is among them. It reports whether a
// port became ready.
func (w *Worker) markReady(n int) bool {
	found := false
	for _, ev := range w.loop.events[:n] {
		fd := int(ev.Fd)
		if fd == w.loop.evfd {
			_, _ = unix.Read(w.loop.evfd, w.loop.drain[:])
			continue
		}
		for i := range w.rx {
			if w.rx[i].fd == fd {
				w.rx[i].ready, found = true, true
			}
		}
	}
	return found
}

// markAllReady makes the next round read every port.
func (w *Worker) markAllReady() {
	for i := range w.rx {
		w.rx[i].ready = true
	}
}
