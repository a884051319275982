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

// run is the worker's poll loop.
func (w *Worker) run() {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(w.loop.exited)
	var drain [eventfdLen]byte
	for !w.loop.stop {
		if w.ctlPending.Load() {
			w.runRequests()
			continue
		}
		busy := false
		for i := range w.rx {
			r := &w.rx[i]
			w.rxb.Reset()
			n, _ := r.port.Read(w.rxb)
			if n > 0 {
				w.rxb.N = min(n, ports.BatchSize)
				w.ProcessBatch(r.no, w.rxb)
				busy = true
			}
		}
		if busy {
			continue
		}
		w.maintain(w.dp.clock())
		if w.dp.busyPoll {
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
		for _, ev := range w.loop.events[:n] {
			if int(ev.Fd) == w.loop.evfd {
				_, _ = unix.Read(w.loop.evfd, drain[:])
			}
		}
	}
}
