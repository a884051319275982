package tables

import (
	"time"

	"govs/flowtable"
	"govs/flowtable/classifier"
	"govs/flowtable/flowsyntax"
)

// Selection chooses rules as OVS's rule_criteria: used by MODIFY,
// DELETE and flow/aggregate stats requests.
type Selection struct {
	// Table is the table to search, or TableAll for every table.
	Table uint8
	// Match selects loosely (every field Match specifies, the rule
	// specifies too with the same value; priority ignored), or strictly
	// when Strict (equal match and equal Priority).
	Match    flowtable.Match
	Priority uint16
	Strict   bool
	// Cookie/CookieMask keep rules with (rule.Cookie^Cookie)&CookieMask == 0.
	Cookie, CookieMask uint64
	// OutPort (flowtable.PortNone: any) keeps rules that output to it.
	OutPort flowtable.PortNo
	// OutGroup (flowsyntax.GroupAny: any) keeps rules that output to the
	// group. govs has no group actions, so any other value selects none.
	OutGroup uint32
}

// SelectAll is the selection of every rule of every table.
func SelectAll() Selection {
	return Selection{Table: TableAll, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}
}

// SelectionOf returns the selection a stats or delete request fm makes.
func SelectionOf(fm *flowsyntax.FlowMod) Selection {
	return Selection{Table: fm.Table, Match: fm.Match, Priority: fm.Priority,
		Strict: fm.Command == flowsyntax.CmdDeleteStrict || fm.Command == flowsyntax.CmdModifyStrict,
		Cookie: fm.Cookie, CookieMask: fm.CookieMask, OutPort: fm.OutPort, OutGroup: fm.OutGroup}
}

// keep applies the non-match criteria (OVS collect_rule).
func (s *Selection) keep(r *Rule) bool {
	if (r.Cookie^s.Cookie)&s.CookieMask != 0 {
		return false
	}
	if s.OutPort != flowtable.PortNone && !outputsTo(r.Actions, s.OutPort) {
		return false
	}
	return s.OutGroup == flowsyntax.GroupAny
}

// selectLocked returns the classifier rules s selects, table by table.
// Reads published versions only, so it may run without t.mu for stats.
func (t *Tables) selectLocked(s *Selection) []*classifier.Rule[*Rule] {
	var out []*classifier.Rule[*Rule]
	from, to := int(s.Table), int(s.Table)+1
	if s.Table == TableAll {
		from, to = 0, NumTables
	}
	if from >= NumTables {
		return nil
	}
	m := s.Match
	m.Normalize()
	for id := from; id < to; id++ {
		c := t.cls[id]
		if c.Len() == 0 {
			continue
		}
		if s.Strict {
			if r := c.FindExactly(&m, s.Priority); r != nil && s.keep(r.Value) {
				out = append(out, r)
			}
			continue
		}
		for r := range c.Loose(&m) {
			if s.keep(r.Value) {
				out = append(out, r)
			}
		}
	}
	return out
}

// Select returns the rules s selects (flow stats), grouped by table and
// within a table in classifier order (as OVS: not sorted by priority).
// It takes no lock: it reads one published version per table.
func (t *Tables) Select(s *Selection) []*Rule {
	rs := t.selectLocked(s)
	out := make([]*Rule, len(rs))
	for i, r := range rs {
		out[i] = r.Value
	}
	return out
}

// FlowStats returns the dump-flows entries of the rules s selects,
// ready for flowsyntax.AppendFlowStatsReply: duration, idle_age and
// hard_age at the tables' clock, counters as last credited.
func (t *Tables) FlowStats(s *Selection) []flowsyntax.FlowStats {
	now := t.clock()
	rs := t.Select(s)
	out := make([]flowsyntax.FlowStats, 0, len(rs))
	for _, r := range rs {
		d := now.Sub(r.Created)
		if d < 0 {
			d = 0
		}
		out = append(out, flowsyntax.FlowStats{
			Cookie: r.Cookie, DurationSec: uint32(d / 1e9), DurationNsec: uint32(d % 1e9),
			Table: r.Table, NPackets: r.stats.Packets(), NBytes: r.stats.Bytes(),
			IdleTimeout: r.IdleTimeout, HardTimeout: r.HardTimeout, Flags: r.Flags,
			Importance: r.Importance, IdleAge: ageSecs(now.Sub(r.stats.Used())),
			HardAge: ageSecs(now.Sub(r.Modified)), Priority: r.Priority, Match: r.Match,
			Actions: r.Actions})
	}
	return out
}

// maxAge is the largest age a flow stats reply carries (uint16 seconds).
const maxAge = 0xffff

// ageSecs is OVS's age_secs: whole seconds, clamped to 0..65535.
func ageSecs(d time.Duration) int {
	s := int64(d) / 1e9
	switch {
	case s < 0:
		return 0
	case s > maxAge:
		return maxAge
	}
	return int(s)
}

// Aggregate is an aggregate stats reply.
type Aggregate struct {
	Packets, Bytes uint64
	Flows          uint32
}

// Aggregate sums the counters of the rules s selects.
func (t *Tables) Aggregate(s *Selection) Aggregate {
	var a Aggregate
	for _, r := range t.Select(s) {
		a.Packets += r.stats.Packets()
		a.Bytes += r.stats.Bytes()
		a.Flows++
	}
	return a
}
