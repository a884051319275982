package classifier

import "govs/flowtable"

// Rule is one OpenFlow flow in a Classifier: a match, a priority and the
// caller's value (actions, counters, cookie...). The classifier keeps the
// *Rule it was given: Match and Priority must not change while the rule
// is in a Classifier (Value is the caller's business). Insert normalises
// Match (values masked) before publishing it.
type Rule[V any] struct {
	Match    flowtable.Match
	Priority uint16
	Value    V
}

// entry holds the rules of one subtable that share a masked match, by
// decreasing priority (distinct priorities: equal match and priority
// replace). Published entries are immutable; writers replace them.
type entry[V any] struct {
	hash  uint64
	val   units
	rules []*Rule[V]
}

// with returns a copy of e with r added (or replacing the rule of equal
// priority, returned as old).
func (e *entry[V]) with(r *Rule[V]) (ne *entry[V], old *Rule[V]) {
	ne = &entry[V]{hash: e.hash, val: e.val, rules: make([]*Rule[V], 0, len(e.rules)+1)}
	added := false
	for _, x := range e.rules {
		switch {
		case added:
		case x.Priority == r.Priority:
			old, added = x, true
			ne.rules = append(ne.rules, r)
			continue
		case x.Priority < r.Priority:
			added = true
			ne.rules = append(ne.rules, r)
		}
		ne.rules = append(ne.rules, x)
	}
	if !added {
		ne.rules = append(ne.rules, r)
	}
	return ne, old
}

// without returns a copy of e without r (nil when it becomes empty) and
// whether r was there.
func (e *entry[V]) without(r *Rule[V]) (*entry[V], bool) {
	for i, x := range e.rules {
		if x != r {
			continue
		}
		if len(e.rules) == 1 {
			return nil, true
		}
		ne := &entry[V]{hash: e.hash, val: e.val, rules: make([]*Rule[V], 0, len(e.rules)-1)}
		ne.rules = append(append(ne.rules, e.rules[:i]...), e.rules[i+1:]...)
		return ne, true
	}
	return e, false
}
