package datapath

import "sync"

// request is a control operation executed by the worker between batches.
type request struct {
	fn   func(*Worker)
	done chan struct{}
}

// do runs fn on w: queued to a running worker and executed between two of
// its batches (do waits for it), or directly when w is not running.
// dp.mu must be held.
func (dp *Datapath) do(w *Worker, fn func(*Worker)) {
	if !w.loop.running {
		fn(w)
		return
	}
	done := make(chan struct{})
	w.ctl.Lock()
	w.ctl.q = append(w.ctl.q, request{fn: fn, done: done})
	w.ctlPending.Store(true)
	w.ctl.Unlock()
	w.wakeup()
	<-done
}

// doAll runs fn on every worker, all queued before waiting for any.
func (dp *Datapath) doAll(fn func(*Worker)) {
	var wg sync.WaitGroup
	for _, w := range dp.workers {
		if !w.loop.running {
			fn(w)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			dp.do(w, fn)
		}()
	}
	wg.Wait()
}

// runRequests executes queued control requests (worker goroutine),
// after catching up with Revalidate.
func (w *Worker) runRequests() {
	w.active.Store(true)
	defer w.active.Store(false)
	w.catchUp()
	w.ctl.Lock()
	q := w.ctl.q
	w.ctl.q = nil
	w.ctlPending.Store(false)
	w.ctl.Unlock()
	for _, r := range q {
		r.fn(w)
		close(r.done)
	}
}
