package datapath

import (
	"slices"

	"govs/datapath/flow"
)

// install adds the megaflow (k&mask, mask, acts) to in's classifier; an
// identical megaflow already there is returned instead.
func (w *Worker) install(in flow.PortNo, k, mask *flow.Key, acts Actions) *megaflow {
	cls := w.cls[in]
	if cls == nil {
		cls = &classifier{in: in}
		w.cls[in] = cls
	}
	masked := k.Masked(mask)
	if f := cls.find(&masked, mask); f != nil {
		return f
	}
	f := &megaflow{key: masked, mask: *mask, orig: *k, acts: slices.Clone(acts), created: w.now}
	before := len(cls.subtables)
	cls.insert(f)
	w.nsub += len(cls.subtables) - before
	w.nflows++
	w.dp.nflows.Add(1)
	w.publishGauges()
	return f
}

// removeFlow deletes f from its classifier (and the classifier when it
// becomes empty). EMC entries pointing at f miss from now on.
func (w *Worker) removeFlow(f *megaflow) {
	w.retire(f)
	cls := f.cls
	before := len(cls.subtables)
	cls.remove(f)
	w.nsub -= before - len(cls.subtables)
	if cls.nflows == 0 {
		delete(w.cls, cls.in)
	}
	w.nflows--
	w.dp.nflows.Add(-1)
	w.publishGauges()
}

func (w *Worker) publishGauges() {
	w.c.flows.Store(int64(w.nflows))
	w.c.subtables.Store(int64(w.nsub))
}

// allFlows returns every flow of the worker in w.scratch (in_port order,
// then rank order).
func (w *Worker) allFlows() []*megaflow {
	fs := w.scratch[:0]
	ins := make([]flow.PortNo, 0, len(w.cls))
	for in := range w.cls {
		ins = append(ins, in)
	}
	slices.Sort(ins)
	for _, in := range ins {
		w.cls[in].each(func(f *megaflow) { fs = append(fs, f) })
	}
	w.scratch = fs
	return fs
}

// maintain runs the periodic work: idle expiry every expireInterval and
// subtable re-ranking every rerankInterval of loop time.
func (w *Worker) maintain(now int64) {
	if now >= w.nextExpire {
		w.nextExpire = now + expireInterval
		w.expire(now)
	}
	if now >= w.nextRerank {
		w.nextRerank = now + rerankInterval
		for _, c := range w.cls {
			c.rerank()
		}
	}
}

// expire removes flows idle for at least maxIdle.
func (w *Worker) expire(now int64) {
	if w.nflows == 0 {
		return
	}
	for _, f := range w.allFlows() {
		if now-f.lastActive() >= w.maxIdle {
			w.removeFlow(f)
		}
	}
	clear(w.scratch)
}

// catchUp revalidates the worker's flows if Revalidate was called since
// they last were. The worker calls it at the start of every batch and of
// every run of control requests, with active set: Revalidate bumps the
// generation and then reads active, the worker sets active and then
// reads the generation (both sequentially consistent atomics), so either
// Revalidate sees the worker active and waits for it, or the worker sees
// the new generation before it classifies a frame. Upcalls after that
// read the tables the caller changed before Revalidate.
func (w *Worker) catchUp() {
	g := w.dp.revalGen.Load()
	if g == w.revalSeen {
		return
	}
	w.revalSeen = g
	start := w.dp.clock()
	w.revalidate()
	w.dp.revalCost.Store(w.dp.clock() - start)
}

// revalidate re-translates every flow: delete on error or when the new
// mask needs bits the installed one lacks; replace the actions in place
// when only they changed.
func (w *Worker) revalidate() {
	for _, f := range w.allFlows() {
		w.mask.Reset()
		a := w.revalActs[:0]
		cookie, err := w.dp.callUpcall(&f.orig, &w.mask, &a, 0)
		w.revalActs = append(w.revalActs[:0], a...) // see upcall
		a = w.revalActs
		forceExact(&w.mask)
		switch {
		case err != nil || hasExtra(&w.mask, &f.mask):
			w.removeFlow(f)
		case !f.acts.Equal(a):
			f.acts = slices.Clone(a)
			w.setCookie(f, cookie)
		default:
			w.setCookie(f, cookie)
		}
	}
	clear(w.scratch)
}

// flush removes every flow and empties the EMC.
func (w *Worker) flush() {
	for _, f := range w.allFlows() {
		w.removeFlow(f)
	}
	clear(w.scratch)
	w.emc.clear()
}
