package db

import (
	"context"
	"sort"
	"sync"
	"time"

	"govs/ovsdb/schema"
)

// Row is one committed row. Committed rows are immutable.
type Row struct {
	UUID    schema.UUID
	Version schema.UUID
	Cols    map[string]schema.Datum
}

// Get returns a column's value (including _uuid and _version).
func (r *Row) Get(col string) schema.Datum {
	switch col {
	case schema.ColUUID:
		return schema.NewScalar(r.UUID)
	case schema.ColVersion:
		return schema.NewScalar(r.Version)
	}
	return r.Cols[col]
}

func (r *Row) clone() *Row {
	n := &Row{UUID: r.UUID, Version: r.Version, Cols: make(map[string]schema.Datum, len(r.Cols))}
	for k, v := range r.Cols {
		n.Cols[k] = v
	}
	return n
}

// Log is durable storage for committed transactions (see package storage).
// Append is called with DB.mu held, in commit order; the returned function
// blocks until the record is durable.
type Log interface {
	Append(record []byte) (wait func() error)
}

// Session is the client context a transaction runs in (for "assert").
type Session interface {
	HoldsLock(name string) bool
}

// DB is one database.
type DB struct {
	schema *schema.Schema
	// refs caches each table's reference columns (immutable after New).
	refs map[string][]refColumn

	mu       sync.Mutex
	tables   map[string]map[schema.UUID]*Row // guarded by mu
	monitors []*Monitor                      // guarded by mu; registration order
	log      Log                             // guarded by mu
	lastTxn  schema.UUID                     // guarded by mu
	changed  chan struct{}                   // guarded by mu; closed at each commit
	failed   error                           // guarded by mu; sticky storage failure
}

// New returns an empty database for s.
func New(s *schema.Schema) *DB {
	db := &DB{
		schema:  s,
		tables:  map[string]map[schema.UUID]*Row{},
		lastTxn: schema.ZeroUUID,
		changed: make(chan struct{}),
		refs:    map[string][]refColumn{},
	}
	for name, t := range s.Tables {
		db.tables[name] = map[schema.UUID]*Row{}
		db.refs[name] = refColumns(t)
	}
	return db
}

// Schema returns the database schema.
func (db *DB) Schema() *schema.Schema { return db.schema }

// Name returns the database name.
func (db *DB) Name() string { return db.schema.Name }

// SetLog attaches durable storage; call before serving.
func (db *DB) SetLog(l Log) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.log = l
}

// LastTxnID returns the id of the last committed transaction.
func (db *DB) LastTxnID() schema.UUID {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.lastTxn
}

// Rows returns a snapshot of a table's rows sorted by UUID (nil for an
// unknown table). The rows are immutable.
func (db *DB) Rows(table string) []*Row {
	db.mu.Lock()
	defer db.mu.Unlock()
	t, ok := db.tables[table]
	if !ok {
		return nil
	}
	out := make([]*Row, 0, len(t))
	for _, r := range t {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UUID < out[j].UUID })
	return out
}

// Transact runs one transaction (ops as decoded JSON values, e.g. from
// json.Unmarshal with UseNumber) and returns the RFC 7047 result array.
// It blocks while a "wait" op with a timeout is unsatisfied and until the
// commit is durable. sess may be nil (no locks held).
func (db *DB) Transact(ctx context.Context, sess Session, ops []any) []any {
	var retryAt time.Time
	for {
		db.mu.Lock()
		if db.failed != nil {
			db.mu.Unlock()
			return []any{schema.NewError(schema.ErrIO, "%v", db.failed)}
		}
		t := newTxn(db, sess, &retryAt)
		res, retry := t.run(ops)
		if retry != nil {
			ch := db.changed
			db.mu.Unlock()
			select {
			case <-ch:
			case <-retry.C:
			case <-ctx.Done():
			}
			retry.Stop()
			if ctx.Err() != nil {
				return []any{schema.NewError(schema.ErrTimedOut, "%v", ctx.Err())}
			}
			continue
		}
		wait := t.waitDurable
		db.mu.Unlock()
		if wait != nil {
			if err := wait(); err != nil {
				db.mu.Lock()
				db.failed = err
				db.mu.Unlock()
				return append(res, schema.NewError(schema.ErrIO, "%v", err))
			}
		}
		return res
	}
}

// Query runs fn with the committed tables under the lock, for in-process
// readers. fn must not retain the map (rows themselves are immutable).
func (db *DB) Query(fn func(tables map[string]map[schema.UUID]*Row)) {
	db.mu.Lock()
	defer db.mu.Unlock()
	fn(db.tables)
}

func (db *DB) table(name string) (*schema.Table, error) {
	t := db.schema.Tables[name]
	if t == nil {
		return nil, schema.NewError(schema.ErrUnknownTable, "No table named %s.", name)
	}
	return t, nil
}

func errorf(kind, format string, args ...any) *schema.Error {
	return schema.NewError(kind, format, args...)
}
