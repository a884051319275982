package tables

import (
	"time"

	"govs/flowtable/classifier"
)

// secondNs is one second, the unit of OpenFlow timeouts.
const secondNs = int64(time.Second)

// Expire removes the rules whose hard timeout (counted from their last
// modification) or idle timeout (counted from their last packet, as
// credited) has passed at now, and returns them with ReasonHardTimeout
// or ReasonIdleTimeout (OVS rule_expire: hard first). The caller sends
// FLOW_REMOVED for those with SendFlowRem. Idle expiry is as exact as
// the counters: credit datapath stats (the pipeline's Tick) first.
func (t *Tables) Expire(now time.Time) []Removed {
	if t.nTimed.Load() == 0 {
		// Written under mu only; a rule added concurrently is at most
		// one tick late, as it would be had Expire run first.
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var hard, idle []*classifier.Rule[*Rule]
	n := now.UnixNano()
	for _, c := range t.cls {
		if c.Len() == 0 {
			continue
		}
		for cr := range c.Rules() {
			r := cr.Value
			switch {
			case r.HardTimeout != 0 && n > r.Modified.UnixNano()+int64(r.HardTimeout)*secondNs:
				hard = append(hard, cr)
			case r.IdleTimeout != 0 && n > r.stats.used.Load()+int64(r.IdleTimeout)*secondNs:
				idle = append(idle, cr)
			}
		}
	}
	out := t.removeLocked(hard, ReasonHardTimeout)
	return append(out, t.removeLocked(idle, ReasonIdleTimeout)...)
}

// HasTimeouts reports whether any rule has a timeout (a server may skip
// calling Expire otherwise).
func (t *Tables) HasTimeouts() bool { return t.nTimed.Load() != 0 }
