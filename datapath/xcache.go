package datapath

import (
	"time"

	"govs/datapath/flow"
)

// CookieUpcaller is an Upcaller that also attaches an opaque cookie to
// each megaflow it translates: OVS's per-ukey xlate cache. The datapath
// calls UpcallCookie instead of Upcall when its Upcaller implements it
// (a bridge that delegates to a pipeline forwards it), keeps the cookie
// with the installed megaflow and hands it back with the flow's traffic
// in PullStats, so the slow path can credit OpenFlow rule counters.
//
// frameLen is the length of the packet being upcalled, or 0 when the
// call re-translates an installed flow (Revalidate; that call may come
// from the flow's worker after Revalidate returned, so a re-translation
// must have no side effects such as MAC learning): the upcaller
// accounts the upcalled packet itself, which is never counted in the
// megaflow's own stats (as OVS). On revalidation the returned cookie
// replaces the flow's, after the traffic not yet pulled has been queued
// for the old cookie. A nil cookie is allowed (nothing to credit).
type CookieUpcaller interface {
	Upcaller
	UpcallCookie(k, mask *flow.Key, acts *Actions, frameLen int) (cookie any, err error)
}

// StatsDelta is the traffic one megaflow received since the previous
// PullStats, reported to the PullStats callback.
type StatsDelta struct {
	// Cookie is what the CookieUpcaller returned for the flow.
	Cookie any
	// Packets and Bytes are the counts since the previous pull.
	Packets, Bytes uint64
	// Idle is how long ago the flow last saw a packet (at pull time).
	Idle time.Duration
}

// maxRetired bounds the retired traffic a worker keeps between pulls
// (when nobody calls PullStats, the oldest deltas are all that is kept).
const maxRetired = 1 << 16

// retired is the unpulled traffic of a megaflow that was deleted or whose
// cookie was replaced, kept for the next PullStats.
type retired struct {
	cookie         any
	packets, bytes uint64
	used           int64
}

// callUpcall runs the Upcaller, through UpcallCookie when it has one.
func (dp *Datapath) callUpcall(k, mask *flow.Key, acts *Actions, frameLen int) (any, error) {
	if cu, ok := dp.up.(CookieUpcaller); ok {
		return cu.UpcallCookie(k, mask, acts, frameLen)
	}
	return nil, dp.up.Upcall(k, mask, acts)
}

// setCookie gives f a new cookie; traffic not yet pulled stays with the
// old one.
func (w *Worker) setCookie(f *megaflow, c any) {
	w.retire(f)
	f.cookie = c
}

// retire queues f's unpulled traffic for the next pull (f is going away
// or changing cookie) and marks it pulled.
func (w *Worker) retire(f *megaflow) {
	if f.cookie != nil && f.packets > f.pulledPkts && len(w.retired) < maxRetired {
		w.retired = append(w.retired, retired{cookie: f.cookie,
			packets: f.packets - f.pulledPkts, bytes: f.bytes - f.pulledBytes, used: f.used})
	}
	f.pulledPkts, f.pulledBytes = f.packets, f.bytes
}

// pullStats reports every flow's new traffic, and the retired traffic,
// to fn. It allocates nothing per flow.
func (w *Worker) pullStats(fn func(*StatsDelta)) {
	now := w.dp.clock()
	var d StatsDelta
	for i := range w.retired {
		r := &w.retired[i]
		d = StatsDelta{Cookie: r.cookie, Packets: r.packets, Bytes: r.bytes, Idle: time.Duration(max(0, now-r.used))}
		fn(&d)
		w.retired[i] = retired{}
	}
	w.retired = w.retired[:0]
	for _, c := range w.cls {
		c.each(func(f *megaflow) {
			if f.cookie == nil || f.packets == f.pulledPkts {
				return
			}
			d = StatsDelta{Cookie: f.cookie, Packets: f.packets - f.pulledPkts,
				Bytes: f.bytes - f.pulledBytes, Idle: time.Duration(max(0, now-f.used))}
			f.pulledPkts, f.pulledBytes = f.packets, f.bytes
			fn(&d)
		})
	}
}

// PullStats calls fn once per megaflow that received packets since the
// previous pull (and once per deleted or re-translated megaflow whose
// last packets were not pulled yet), with the flow's cookie and traffic
// delta. Only flows with a non-nil cookie are reported. fn runs on the
// worker goroutines between batches, concurrently for different
// workers: it must be safe for concurrent use, must not block and must
// not call the Datapath's control methods; d is valid only during the
// call. PullStats allocates nothing per flow.
func (dp *Datapath) PullStats(fn func(d *StatsDelta)) {
	dp.mu.Lock()
	defer dp.mu.Unlock()
	dp.doAll(func(w *Worker) { w.pullStats(fn) })
}
