package db

import (
	"sort"
	"time"

	"govs/ovsdb/schema"
)

// txn is one transaction in progress; it runs with DB.mu held.
type txn struct {
	db       *DB
	sess     Session
	changes  map[string]map[schema.UUID]*Row // nil value = deleted
	inserted map[schema.UUID]bool
	names    map[string]schema.UUID
	defined  map[string]bool
	// retryAt is the deadline of an unsatisfied wait op with a timeout;
	// it is shared by the retries of one Transact call.
	retryAt     *time.Time
	waitDurable func() error
}

func newTxn(db *DB, sess Session, retryAt *time.Time) *txn {
	return &txn{
		db:       db,
		sess:     sess,
		retryAt:  retryAt,
		changes:  map[string]map[schema.UUID]*Row{},
		inserted: map[schema.UUID]bool{},
		names:    map[string]schema.UUID{},
		defined:  map[string]bool{},
	}
}

// get returns the row as seen by the transaction (nil if absent).
func (t *txn) get(table string, u schema.UUID) *Row {
	if ch, ok := t.changes[table]; ok {
		if r, ok := ch[u]; ok {
			return r
		}
	}
	return t.db.tables[table][u]
}

// put records a new version of a row (nil deletes it).
func (t *txn) put(table string, u schema.UUID, r *Row) {
	ch := t.changes[table]
	if ch == nil {
		ch = map[schema.UUID]*Row{}
		t.changes[table] = ch
	}
	ch[u] = r
}

// each calls fn for every row visible to the transaction, in UUID order
// so results are deterministic.
func (t *txn) each(table string, fn func(*Row) error) error {
	base := t.db.tables[table]
	ch := t.changes[table]
	ids := make([]schema.UUID, 0, len(base)+len(ch))
	for u := range base {
		if _, ok := ch[u]; !ok {
			ids = append(ids, u)
		}
	}
	for u, r := range ch {
		if r != nil {
			ids = append(ids, u)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, u := range ids {
		if err := fn(t.get(table, u)); err != nil {
			return err
		}
	}
	return nil
}

// resolve implements schema.NameResolver: named-uuids may be used before
// the insert that defines them.
func (t *txn) resolve(name string) (schema.UUID, error) {
	if u, ok := t.names[name]; ok {
		return u, nil
	}
	u := schema.NewUUID()
	t.names[name] = u
	return u, nil
}

// run executes ops. It returns the results, or a non-nil timer when a wait
// must be retried after the next commit or the timer fires.
func (t *txn) run(ops []any) ([]any, *time.Timer) {
	results := make([]any, 0, len(ops))
	var failed bool
	durable := false
	for i, op := range ops {
		res, err := t.exec(op, &durable)
		if pe, ok := err.(*parseError); ok {
			err = schema.NewError(schema.ErrSyntax, "Parsing ovsdb operation %d of %d failed: %s", i+1, len(ops), pe.msg).WithSyntax(op)
		}
		if err == errRetry {
			d := time.Until(*t.retryAt)
			if d < 0 {
				d = 0
			}
			return nil, time.NewTimer(d)
		}
		if err != nil {
			results = append(results, toErrorObject(err))
			failed = true
			break
		}
		results = append(results, res)
	}
	if failed {
		for len(results) < len(ops) {
			results = append(results, nil)
		}
		return results, nil
	}
	if err := t.commit(durable); err != nil {
		results = append(results, toErrorObject(err))
	}
	return results, nil
}

func toErrorObject(err error) any {
	if e, ok := err.(*schema.Error); ok {
		return e
	}
	return schema.NewError(schema.ErrSyntax, "%v", err)
}

// commit runs the commit-time checks and applies the overlay.
func (t *txn) commit(durable bool) error {
	// A named-uuid referenced but never inserted is a dangling reference:
	// checkReferences reports it (strong) or removes it (weak).
	if err := t.garbageCollect(); err != nil {
		return err
	}
	if err := t.checkReferences(); err != nil {
		return err
	}
	if err := t.checkIndexesAndLimits(); err != nil {
		return err
	}
	changes := t.finalChanges()
	if len(changes) == 0 && !durable {
		return nil
	}
	db := t.db
	if db.log != nil && len(changes) > 0 {
		rec, err := encodeChanges(changes)
		if err != nil {
			return errorf(schema.ErrIO, "%v", err)
		}
		t.waitDurable = db.log.Append(rec)
	}
	for _, c := range changes {
		if c.New == nil {
			delete(db.tables[c.Table], c.UUID)
		} else {
			db.tables[c.Table][c.UUID] = c.New
		}
	}
	if len(changes) > 0 {
		db.lastTxn = schema.NewUUID()
		for _, m := range db.monitors {
			m.dispatch(changes, db.lastTxn)
		}
		close(db.changed)
		db.changed = make(chan struct{})
	}
	return nil
}

// Change is one committed row change (Old nil = insert, New nil = delete).
type Change struct {
	Table string
	UUID  schema.UUID
	Old   *Row
	New   *Row
}

// finalChanges lists the real changes in table/UUID order, assigning new
// _version values to modified rows and dropping no-op updates.
func (t *txn) finalChanges() []Change {
	var out []Change
	tables := make([]string, 0, len(t.changes))
	for name := range t.changes {
		tables = append(tables, name)
	}
	sort.Strings(tables)
	for _, name := range tables {
		ch := t.changes[name]
		ids := make([]schema.UUID, 0, len(ch))
		for u := range ch {
			ids = append(ids, u)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, u := range ids {
			old := t.db.tables[name][u]
			nw := ch[u]
			if old == nil && nw == nil {
				continue
			}
			if old != nil && nw != nil {
				if rowsEqual(old, nw) {
					continue
				}
				nw.Version = schema.NewUUID()
			}
			out = append(out, Change{Table: name, UUID: u, Old: old, New: nw})
		}
	}
	return out
}

func rowsEqual(a, b *Row) bool {
	if len(a.Cols) != len(b.Cols) {
		return false
	}
	for k, v := range a.Cols {
		if !v.Equal(b.Cols[k]) {
			return false
		}
	}
	return true
}
