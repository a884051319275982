package tables

import (
	"govs/flowtable/classifier"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// Batch applies a run of flow mods with the effect of calling Apply on
// each in order, but publishes consecutive plain ADDs (no check_overlap)
// to each classifier in one transaction instead of one per rule. A
// classifier transaction copies every subtable it changes, so loading n
// rules of one shape with one transaction each costs O(n²); a Batch
// makes "ovs-ofctl add-flows" of n rules O(n) (as OVS, which also groups
// the flow mods it reads in one go).
//
// Begin takes the tables' writer lock and Commit releases it: other
// writers (Apply, Expire, other connections' batches) wait, lock-free
// readers (Lookup, Select, FlowStats) keep seeing the last published
// version. Pending ADDs are published before any other command of the
// batch runs (so MODIFY, DELETE and check_overlap see them, exactly as
// with Apply) and by Commit. Each Apply still returns its own error; a
// failed flow mod changes nothing. A Batch must be committed, by the
// goroutine that began it, and not used afterwards.
type Batch struct {
	t   *Tables
	txs [NumTables]*classifier.Txn[*Rule]
	// replaced are the rules pending ADDs replaced: marked removed once
	// the replacement is published.
	replaced []*Rule
	pending  bool
}

// Begin starts a batch; see Batch.
func (t *Tables) Begin() *Batch {
	t.mu.Lock()
	return &Batch{t: t}
}

// Apply executes fm as Tables.Apply does.
func (b *Batch) Apply(fm *flowsyntax.FlowMod, v ofpact.FormatVersion) ([]Removed, error) {
	if fm == nil || fm.Command != flowsyntax.CmdAdd || fm.Flags&flowsyntax.FlagCheckOverlap != 0 ||
		fm.Table == TableInternal || (int(fm.Table) >= NumTables && fm.Table != TableAll) {
		b.publish()
		return b.t.applyLocked(fm, v)
	}
	r, err := b.t.newRule(fm, v)
	if err != nil {
		return nil, err
	}
	tx := b.txs[r.Table]
	if tx == nil {
		tx = b.t.cls[r.Table].Begin()
		b.txs[r.Table] = tx
	}
	// As addLocked, but the rule is not visible until publish: it can
	// still take the replaced rule's counters after the insertion.
	old := tx.Insert(&classifier.Rule[*Rule]{Match: r.Match, Priority: r.Priority, Value: r})
	b.t.countTimed(r, 1)
	if old != nil {
		b.t.countTimed(old.Value, -1)
		if r.Flags&flowsyntax.FlagResetCounts == 0 {
			r.stats = old.Value.stats
		}
		b.replaced = append(b.replaced, old.Value)
	} else {
		b.t.nRules++
	}
	b.pending = true
	return nil, nil
}

// publish commits the pending ADDs, one atomic store per table.
func (b *Batch) publish() {
	if !b.pending {
		return
	}
	for i, tx := range b.txs {
		if tx != nil {
			tx.Commit()
			b.txs[i] = nil
		}
	}
	for _, r := range b.replaced {
		r.removed.Store(true)
	}
	b.replaced = b.replaced[:0]
	b.pending = false
	b.t.gen.Add(1)
}

// Commit publishes what is pending and ends the batch.
func (b *Batch) Commit() {
	if b.t == nil {
		return
	}
	b.publish()
	b.t.mu.Unlock()
	b.t = nil
}
