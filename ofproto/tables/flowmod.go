package tables

import (
	"errors"

	"govs/flowtable"
	"govs/flowtable/classifier"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// Apply executes one flow mod as OVS 3.1's ofproto does (ovs-facts §5)
// and returns the rules it deleted (DELETE/DELETE_STRICT; reason
// ReasonDelete; the server sends FLOW_REMOVED for those with
// SendFlowRem). v is the OpenFlow version of the requesting connection:
// the actions are stored as ofpact.Encode(actions, v), and MODIFY may add
// a flow only in OpenFlow 1.0/1.1 without a cookie mask (OVS's
// modify_may_add_flow; 1.2+ decoders set new_cookie to "no change").
//
//   - ADD: replaces a rule with the same match and priority (new cookie,
//     timeouts, flags, created time; counters kept unless reset_counts);
//     with check_overlap, fails with OFPFMFC_OVERLAP if a rule of the
//     same priority could match a packet the new one matches. Table 255
//     means table 0.
//   - MODIFY / MODIFY_STRICT: loose / strict selection (see Select),
//     cookie/mask filter; each selected rule gets the new actions (and
//     the new cookie when the request carries one), keeping its match,
//     timeouts, flags, importance, created time and, unless reset_counts,
//     counters.
//   - DELETE / DELETE_STRICT: loose / strict selection with the cookie
//     mask and the out_port/out_group filters, across every table when
//     the table is 255.
//
// Errors are *Error with OpenFlow codes (OFPBRC_BAD_TABLE_ID,
// OFPBRC_EPERM for table 254, OFPFMFC_OVERLAP, OFPFMFC_BAD_COMMAND) or the
// *ofpact.CheckError of the actions (OFPBAC_BAD_OUT_PORT,
// OFPBAC_MATCH_INCONSISTENT, OFPBIC_BAD_TABLE_ID...). A failed Apply
// changes nothing. fm is not retained; its Actions are not modified.
func (t *Tables) Apply(fm *flowsyntax.FlowMod, v ofpact.FormatVersion) ([]Removed, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.applyLocked(fm, v)
}

// applyLocked is Apply with t.mu held.
func (t *Tables) applyLocked(fm *flowsyntax.FlowMod, v ofpact.FormatVersion) ([]Removed, error) {
	if fm == nil {
		return nil, errors.New("tables: nil flow mod")
	}
	if fm.Table == TableInternal {
		return nil, errorf(CodeEPerm, "table %d is read-only", fm.Table)
	}
	if int(fm.Table) >= NumTables && fm.Table != TableAll {
		return nil, errorf(CodeBadTableID, "table %d does not exist", fm.Table)
	}
	switch fm.Command {
	case flowsyntax.CmdAdd:
		r, err := t.newRule(fm, v)
		if err != nil {
			return nil, err
		}
		return nil, t.addLocked(r, fm.Flags&flowsyntax.FlagCheckOverlap != 0)
	case flowsyntax.CmdModify, flowsyntax.CmdModifyStrict:
		tmpl, err := t.newRule(fm, v)
		if err != nil {
			return nil, err
		}
		return nil, t.modifyLocked(fm, v, tmpl)
	case flowsyntax.CmdDelete, flowsyntax.CmdDeleteStrict:
		return t.deleteLocked(fm), nil
	}
	return nil, errorf(CodeBadCommand, "command %d", int(fm.Command))
}

// newRule validates fm's actions and builds the rule it would add.
func (t *Tables) newRule(fm *flowsyntax.FlowMod, v ofpact.FormatVersion) (*Rule, error) {
	table := fm.Table
	if table == TableAll {
		table = 0
	}
	if _, err := ofpact.Check(fm.Actions, &fm.Match, table); err != nil {
		return nil, err
	}
	acts := fm.Actions
	if v != ofpact.AsParsed {
		acts = ofpact.Encode(fm.Actions, v)
	}
	if err := checkTables(acts); err != nil {
		return nil, err
	}
	now := t.clock()
	m := fm.Match
	m.Normalize()
	r := &Rule{Table: table, Priority: fm.Priority, Match: m, Cookie: fm.NewCookie,
		IdleTimeout: fm.IdleTimeout, HardTimeout: fm.HardTimeout, Importance: fm.Importance,
		Flags: fm.Flags & stateFlags, Actions: acts, Created: now, Modified: now, stats: &Counters{}}
	if r.Cookie == flowsyntax.CookieNoChange {
		r.Cookie = 0
	}
	r.stats.used.Store(now.UnixNano())
	return r, nil
}

// checkTables refuses goto_table / resubmit to tables that do not exist
// (OFPBIC_BAD_TABLE_ID), including inside write_actions.
func checkTables(acts []ofpact.Action) error {
	for _, a := range acts {
		switch a := a.(type) {
		case *ofpact.GotoTable:
			if int(a.Table) >= NumTables {
				return errorf(CodeBadInstTable, "goto_table:%d", a.Table)
			}
		case *ofpact.WriteActions:
			if err := checkTables(a.Actions); err != nil {
				return err
			}
		}
	}
	return nil
}

// addLocked inserts r (ADD semantics). t.mu is held.
func (t *Tables) addLocked(r *Rule, checkOverlap bool) error {
	c := t.cls[r.Table]
	old := c.FindExactly(&r.Match, r.Priority)
	if old == nil && checkOverlap && overlaps(c, &r.Match, r.Priority) {
		return &Error{Code: CodeOverlap}
	}
	if old != nil && r.Flags&flowsyntax.FlagResetCounts == 0 {
		// OVS rule_insert(forward_counts): the replacement continues
		// the old rule's counters (and its last-used time).
		r.stats = old.Value.stats
	}
	c.Insert(&classifier.Rule[*Rule]{Match: r.Match, Priority: r.Priority, Value: r})
	t.countTimed(r, 1)
	if old != nil {
		old.Value.removed.Store(true)
		t.countTimed(old.Value, -1)
	} else {
		t.nRules++
	}
	t.gen.Add(1)
	return nil
}

// modifyLocked implements MODIFY and MODIFY_STRICT. t.mu is held.
func (t *Tables) modifyLocked(fm *flowsyntax.FlowMod, v ofpact.FormatVersion, tmpl *Rule) error {
	sel := Selection{Table: fm.Table, Match: fm.Match, Priority: fm.Priority,
		Strict: fm.Command == flowsyntax.CmdModifyStrict, Cookie: fm.Cookie, CookieMask: fm.CookieMask,
		OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}
	olds := t.selectLocked(&sel)
	// OpenFlow 1.2+ decoders give MODIFY new_cookie "no change" (OVS
	// ofputil_decode_flow_mod), so only 1.0/1.1 may add or set cookies.
	of10 := v < ofpact.OF13
	newCookie := fm.NewCookie
	if !of10 {
		newCookie = flowsyntax.CookieNoChange
	}
	if len(olds) == 0 {
		if newCookie == flowsyntax.CookieNoChange || fm.CookieMask != 0 {
			return nil
		}
		return t.addLocked(tmpl, false)
	}
	now := t.clock()
	changed := false
	for _, old := range olds {
		o := old.Value
		nr := &Rule{Table: o.Table, Priority: o.Priority, Match: o.Match, Cookie: o.Cookie,
			IdleTimeout: o.IdleTimeout, HardTimeout: o.HardTimeout, Importance: o.Importance,
			Flags: o.Flags, Actions: tmpl.Actions, Created: o.Created, Modified: now, stats: o.stats}
		if newCookie != flowsyntax.CookieNoChange {
			nr.Cookie = newCookie
		}
		if fm.Flags&flowsyntax.FlagResetCounts != 0 {
			nr.stats = &Counters{}
			nr.stats.used.Store(now.UnixNano())
		}
		t.cls[o.Table].Insert(&classifier.Rule[*Rule]{Match: nr.Match, Priority: nr.Priority, Value: nr})
		o.removed.Store(true)
		changed = true
	}
	if changed {
		t.gen.Add(1)
	}
	return nil
}

// deleteLocked implements DELETE and DELETE_STRICT. t.mu is held.
func (t *Tables) deleteLocked(fm *flowsyntax.FlowMod) []Removed {
	sel := Selection{Table: fm.Table, Match: fm.Match, Priority: fm.Priority,
		Strict: fm.Command == flowsyntax.CmdDeleteStrict, Cookie: fm.Cookie, CookieMask: fm.CookieMask,
		OutPort: fm.OutPort, OutGroup: fm.OutGroup}
	return t.removeLocked(t.selectLocked(&sel), ReasonDelete)
}

// removeLocked takes rules out of their tables. t.mu is held.
func (t *Tables) removeLocked(rs []*classifier.Rule[*Rule], why Reason) []Removed {
	if len(rs) == 0 {
		return nil
	}
	now := t.clock()
	out := make([]Removed, 0, len(rs))
	var txs [NumTables]*classifier.Txn[*Rule]
	for _, cr := range rs {
		r := cr.Value
		tx := txs[r.Table]
		if tx == nil {
			tx = t.cls[r.Table].Begin()
			txs[r.Table] = tx
		}
		if tx.Remove(cr) {
			r.removed.Store(true)
			t.nRules--
			t.countTimed(r, -1)
			out = append(out, removedOf(r, why, now))
		}
	}
	for _, tx := range txs {
		if tx != nil {
			tx.Commit()
		}
	}
	t.gen.Add(1)
	return out
}

// overlaps reports whether c has a rule of priority p that some packet
// could match together with m (OVS classifier_rule_overlaps).
func overlaps(c *classifier.Classifier[*Rule], m *flowtable.Match, p uint16) bool {
	for r := range c.Rules() {
		if r.Priority == p && matchesOverlap(&r.Match, m) {
			return true
		}
	}
	return false
}

// matchesOverlap reports whether a and b agree on every bit both match.
func matchesOverlap(a, b *flowtable.Match) bool {
	for i := range a.Key.W {
		if (a.Key.W[i]^b.Key.W[i])&a.Mask.W[i]&b.Mask.W[i] != 0 {
			return false
		}
	}
	if (a.InPort^b.InPort)&a.InPortMask&b.InPortMask != 0 ||
		(a.Metadata^b.Metadata)&a.MetadataMask&b.MetadataMask != 0 {
		return false
	}
	for i := range a.Regs {
		if (a.Regs[i]^b.Regs[i])&a.RegMasks[i]&b.RegMasks[i] != 0 {
			return false
		}
	}
	for i := range a.NDTarget {
		if (a.NDTarget[i]^b.NDTarget[i])&a.NDTargetMask[i]&b.NDTargetMask[i] != 0 {
			return false
		}
	}
	return true
}
