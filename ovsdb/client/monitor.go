package client

import (
	"context"
	"encoding/json"
	"fmt"

	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
)

// MonitorRequest is one table's <monitor-request>. A nil Where monitors
// every row; nil Columns monitors every column.
type MonitorRequest struct {
	Columns []string `json:"columns,omitempty"`
	Where   []any    `json:"where,omitempty"`
}

// Row update kinds as delivered to callbacks.
const (
	KindInitial = "initial"
	KindInsert  = "insert"
	KindDelete  = "delete"
	KindModify  = "modify"
)

// RowUpdate is one row's change. For KindModify, Row holds update2 diffs
// (apply them with schema.ApplyDiff or let a Cache do it); for delete Row
// is nil.
type RowUpdate struct {
	Kind string
	Row  map[string]schema.Datum
}

// Updates maps table name → row UUID → update.
type Updates map[string]map[schema.UUID]RowUpdate

// Monitor is an active monitor.
type Monitor struct {
	c      *Client
	id     string
	s      *schema.Schema
	cb     func(Updates, schema.UUID)
	LastID schema.UUID // set by MonitorCondSince
}

// MonitorCond starts a monitor_cond (update2) monitor on db. cb receives
// every later update on the client's reader goroutine. The initial
// contents are returned.
func (c *Client) MonitorCond(ctx context.Context, db, id string, reqs map[string]MonitorRequest, cb func(Updates)) (*Monitor, Updates, error) {
	m, up, _, err := c.monitor(ctx, "monitor_cond", db, id, reqs, nil, func(u Updates, _ schema.UUID) { cb(u) })
	return m, up, err
}

// MonitorCondSince starts a monitor_cond_since (update3) monitor. found
// reports whether the server could send only changes since lastID.
func (c *Client) MonitorCondSince(ctx context.Context, db, id string, reqs map[string]MonitorRequest, lastID schema.UUID, cb func(Updates, schema.UUID)) (m *Monitor, initial Updates, found bool, err error) {
	if lastID == "" {
		lastID = schema.ZeroUUID
	}
	return c.monitor(ctx, "monitor_cond_since", db, id, reqs, &lastID, cb)
}

func (c *Client) monitor(ctx context.Context, method, db, id string, reqs map[string]MonitorRequest, since *schema.UUID, cb func(Updates, schema.UUID)) (*Monitor, Updates, bool, error) {
	s, err := c.GetSchema(ctx, db)
	if err != nil {
		return nil, nil, false, err
	}
	for name := range reqs {
		if s.Tables[name] == nil {
			return nil, nil, false, fmt.Errorf("ovsdb monitor: no table %s in %s", name, db)
		}
	}
	idb, _ := jsonrpc.Marshal(id)
	m := &Monitor{c: c, id: string(idb), s: s, cb: cb}
	c.mu.Lock()
	if c.mu.monitors[m.id] != nil {
		c.mu.Unlock()
		return nil, nil, false, fmt.Errorf("ovsdb monitor: duplicate id %q", id)
	}
	c.mu.monitors[m.id] = m
	c.mu.Unlock()
	params := []any{db, id, reqs}
	if since != nil {
		params = append(params, string(*since))
	}
	raw, err := c.Call(ctx, method, params)
	if err != nil {
		c.mu.Lock()
		delete(c.mu.monitors, m.id)
		c.mu.Unlock()
		return nil, nil, false, err
	}
	found := false
	if since != nil {
		var r []json.RawMessage
		if err := json.Unmarshal(raw, &r); err != nil || len(r) != 3 {
			return nil, nil, false, fmt.Errorf("ovsdb monitor_cond_since: bad reply")
		}
		_ = json.Unmarshal(r[0], &found)
		var last string
		_ = json.Unmarshal(r[1], &last)
		m.LastID = schema.UUID(last)
		raw = r[2]
	}
	up, err := m.decode(raw)
	return m, up, found, err
}

// Cancel stops the monitor.
func (m *Monitor) Cancel(ctx context.Context) error {
	var id any
	_ = json.Unmarshal([]byte(m.id), &id)
	_, err := m.c.Call(ctx, "monitor_cancel", []any{id})
	m.c.mu.Lock()
	delete(m.c.mu.monitors, m.id)
	m.c.mu.Unlock()
	return err
}

// ChangeConditions sends monitor_cond_change with new where clauses per
// table.
func (m *Monitor) ChangeConditions(ctx context.Context, where map[string][]any) error {
	var id any
	_ = json.Unmarshal([]byte(m.id), &id)
	ch := map[string]any{}
	for t, w := range where {
		ch[t] = []any{map[string]any{"where": w}}
	}
	_, err := m.c.Call(ctx, "monitor_cond_change", []any{id, id, ch})
	return err
}

func (m *Monitor) deliver(method string, params []json.RawMessage) {
	var raw json.RawMessage
	txn := schema.ZeroUUID
	switch {
	case method == "update3" && len(params) == 3:
		var s string
		_ = json.Unmarshal(params[1], &s)
		txn = schema.UUID(s)
		raw = params[2]
	case len(params) == 2:
		raw = params[1]
	default:
		return
	}
	up, err := m.decode(raw)
	if err != nil {
		return
	}
	m.LastID = txn
	m.cb(up, txn)
}

// decode parses <table-updates2> (update2 and update3 notifications and
// the initial replies of monitor_cond and monitor_cond_since).
func (m *Monitor) decode(raw json.RawMessage) (Updates, error) {
	var obj map[string]map[string]map[string]any
	if err := decode(raw, &obj); err != nil {
		return nil, fmt.Errorf("ovsdb monitor: bad update: %w", err)
	}
	out := Updates{}
	for tname, rows := range obj {
		tbl := m.s.Tables[tname]
		if tbl == nil {
			return nil, fmt.Errorf("ovsdb monitor: unknown table %s", tname)
		}
		tu := map[schema.UUID]RowUpdate{}
		for us, ru := range rows {
			u, err := schema.ParseUUID(us)
			if err != nil {
				return nil, err
			}
			for kind, rv := range ru {
				if kind == KindDelete {
					tu[u] = RowUpdate{Kind: KindDelete}
					continue
				}
				ro, ok := rv.(map[string]any)
				if !ok {
					continue
				}
				row, err := DecodeRow(tbl, ro)
				if err != nil {
					return nil, err
				}
				tu[u] = RowUpdate{Kind: kind, Row: row}
			}
		}
		out[tname] = tu
	}
	return out, nil
}

// Cache is a client-side replica of monitored tables built from update2
// / update3 updates. It is not safe for concurrent use.
type Cache struct {
	s      *schema.Schema
	Tables map[string]map[schema.UUID]map[string]schema.Datum
}

// NewCache returns an empty cache for schema s.
func NewCache(s *schema.Schema) *Cache {
	return &Cache{s: s, Tables: map[string]map[schema.UUID]map[string]schema.Datum{}}
}

// Apply applies one batch of updates.
func (c *Cache) Apply(up Updates) {
	for tname, rows := range up {
		tbl := c.s.Tables[tname]
		t := c.Tables[tname]
		if t == nil {
			t = map[schema.UUID]map[string]schema.Datum{}
			c.Tables[tname] = t
		}
		for u, ru := range rows {
			switch ru.Kind {
			case KindDelete:
				delete(t, u)
			case KindModify:
				row := t[u]
				if row == nil {
					continue
				}
				for col, diff := range ru.Row {
					c := tbl.Column(col)
					old, ok := row[col]
					if !ok {
						old = schema.DefaultDatum(&c.Type)
					}
					row[col] = schema.ApplyDiff(old, diff, &c.Type)
				}
			default:
				row := map[string]schema.Datum{}
				for col, d := range ru.Row {
					row[col] = d
				}
				t[u] = row
			}
		}
	}
}

// Get returns a column of a cached row, or the column's default if the
// row lacks it (update2 omits default values).
func (c *Cache) Get(table string, u schema.UUID, col string) (schema.Datum, bool) {
	row := c.Tables[table][u]
	if row == nil {
		return schema.Datum{}, false
	}
	if d, ok := row[col]; ok {
		return d, true
	}
	cc := c.s.Tables[table].Column(col)
	if cc == nil {
		return schema.Datum{}, false
	}
	return schema.DefaultDatum(&cc.Type), true
}
