package db

import (
	"sort"

	"govs/ovsdb/schema"
)

// Monitor protocol versions: "update" (monitor), "update2" (monitor_cond)
// and "update3" (monitor_cond_since).
const (
	MonitorV1 = 1
	MonitorV2 = 2
	MonitorV3 = 3
)

// Row update kinds for update2/update3.
const (
	kindInitial = "initial"
	kindInsert  = "insert"
	kindDelete  = "delete"
	kindModify  = "modify"
	kindOld     = "old"
	kindNew     = "new"
)

// TableMonitor is the parsed <monitor-request>s for one table.
type TableMonitor struct {
	table *schema.Table
	cols  []string
	// conds is a disjunction of the requests' conditions; a nil entry
	// matches every row.
	conds                          []Conditions
	initial, insert, delete, modif bool
}

// UpdateFunc receives a monitor's updates: a JSON-ready
// <table-updates> / <table-updates2> object. It is called with DB.mu held
// and must not block or call into the DB.
type UpdateFunc func(updates map[string]any, txnID schema.UUID)

// Monitor is a registered monitor.
type Monitor struct {
	db      *DB
	version int
	tables  map[string]*TableMonitor
	cb      UpdateFunc
	raw     func([]Change, schema.UUID)
}

// ParseMonitorRequests parses the <monitor-requests> object of a monitor,
// monitor_cond or monitor_cond_since request.
func ParseMonitorRequests(s *schema.Schema, v any, version int) (map[string]*TableMonitor, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, syntaxf("monitor requests must be an object")
	}
	out := map[string]*TableMonitor{}
	for name, rv := range obj {
		tbl := s.Tables[name]
		if tbl == nil {
			return nil, syntaxf("no table named %s", name)
		}
		reqs, ok := rv.([]any)
		if !ok {
			reqs = []any{rv}
		}
		tm := &TableMonitor{table: tbl}
		colSet := map[string]bool{}
		for _, r := range reqs {
			ro, ok := r.(map[string]any)
			if !ok {
				return nil, syntaxf("monitor request must be an object")
			}
			if cv, ok := ro["columns"]; ok {
				cols, err := parseColumns(tbl, cv, true)
				if err != nil {
					if e, ok := err.(*schema.Error); ok && e.Kind == schema.ErrUnknownColumn {
						for _, c := range cv.([]any) {
							if n, _ := c.(string); tbl.Column(n) == nil {
								return nil, syntaxf("%s is not a valid column name", n).WithSyntax(cv)
							}
						}
					}
					return nil, err
				}
				for _, c := range cols {
					colSet[c] = true
				}
			} else {
				for _, c := range tbl.ColumnNames {
					colSet[c] = true
				}
			}
			var conds Conditions
			if wv, ok := ro["where"]; ok {
				if version == MonitorV1 {
					return nil, syntaxf("\"where\" requires monitor_cond")
				}
				c, err := ParseConditions(tbl, wv)
				if err != nil {
					return nil, err
				}
				conds = c
			}
			tm.conds = append(tm.conds, conds)
			sel := [4]bool{true, true, true, true}
			if sv, ok := ro["select"]; ok {
				so, ok := sv.(map[string]any)
				if !ok {
					return nil, syntaxf("\"select\" must be an object")
				}
				for i, k := range []string{kindInitial, kindInsert, kindDelete, kindModify} {
					if b, ok := so[k].(bool); ok {
						sel[i] = b
					}
				}
			}
			tm.initial = tm.initial || sel[0]
			tm.insert = tm.insert || sel[1]
			tm.delete = tm.delete || sel[2]
			tm.modif = tm.modif || sel[3]
		}
		for c := range colSet {
			tm.cols = append(tm.cols, c)
		}
		sort.Strings(tm.cols)
		out[name] = tm
	}
	return out, nil
}

func (tm *TableMonitor) matches(r *Row) bool {
	if r == nil {
		return false
	}
	for _, c := range tm.conds {
		if c.Match(r) {
			return true
		}
	}
	return false
}

// AddMonitor registers a monitor and returns it with its initial contents
// (JSON-ready, in the monitor's version) and the last transaction id.
func (db *DB) AddMonitor(version int, tables map[string]*TableMonitor, cb UpdateFunc) (*Monitor, map[string]any, schema.UUID) {
	db.mu.Lock()
	defer db.mu.Unlock()
	m := &Monitor{db: db, version: version, tables: tables, cb: cb}
	initial := map[string]any{}
	for name, tm := range tables {
		if !tm.initial {
			continue
		}
		rows := map[string]any{}
		for u, r := range db.tables[name] {
			if tm.matches(r) {
				rows[string(u)] = m.rowUpdate(tm, kindInitial, nil, r)
			}
		}
		if len(rows) > 0 {
			initial[name] = rows
		}
	}
	db.monitors = append(db.monitors, m)
	return m, initial, db.lastTxn
}

// Watch registers an in-process callback that receives every committed
// transaction's changes (full rows) in commit order, with DB.mu held. It
// returns the current contents of all tables as insert changes and a
// cancel function.
func (db *DB) Watch(fn func(changes []Change, txnID schema.UUID)) ([]Change, func()) {
	db.mu.Lock()
	defer db.mu.Unlock()
	m := &Monitor{db: db, raw: fn}
	var initial []Change
	for _, name := range db.schema.TableNames {
		for u, r := range db.tables[name] {
			initial = append(initial, Change{Table: name, UUID: u, New: r})
		}
	}
	db.monitors = append(db.monitors, m)
	return initial, func() { db.RemoveMonitor(m) }
}

// RemoveMonitor unregisters m; no callback runs after it returns.
func (db *DB) RemoveMonitor(m *Monitor) {
	db.mu.Lock()
	defer db.mu.Unlock()
	for i, x := range db.monitors {
		if x == m {
			db.monitors = append(db.monitors[:i:i], db.monitors[i+1:]...)
			return
		}
	}
}

// ChangeConditions replaces the conditions of the given tables
// (monitor_cond_change) and delivers, through the callback, the rows that
// start or stop matching as inserts and deletes.
func (m *Monitor) ChangeConditions(s *schema.Schema, v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return syntaxf("condition changes must be an object")
	}
	m.db.mu.Lock()
	defer m.db.mu.Unlock()
	newConds := map[string][]Conditions{}
	for name, rv := range obj {
		tm := m.tables[name]
		if tm == nil {
			return syntaxf("%s is not monitored", name)
		}
		reqs, ok := rv.([]any)
		if !ok {
			reqs = []any{rv}
		}
		var list []Conditions
		for _, r := range reqs {
			ro, ok := r.(map[string]any)
			if !ok {
				return syntaxf("condition change must be an object")
			}
			var conds Conditions
			if wv, ok := ro["where"]; ok {
				c, err := ParseConditions(tm.table, wv)
				if err != nil {
					return err
				}
				conds = c
			}
			list = append(list, conds)
		}
		newConds[name] = list
	}
	updates := map[string]any{}
	for name, list := range newConds {
		tm := m.tables[name]
		old := tm.conds
		rows := map[string]any{}
		for u, r := range m.db.tables[name] {
			was := tm.matches(r)
			tm.conds = list
			now := tm.matches(r)
			tm.conds = old
			switch {
			case was && !now:
				rows[string(u)] = m.rowUpdate(tm, kindDelete, r, nil)
			case !was && now:
				rows[string(u)] = m.rowUpdate(tm, kindInsert, nil, r)
			}
		}
		tm.conds = list
		if len(rows) > 0 {
			updates[name] = rows
		}
	}
	if len(updates) > 0 && m.cb != nil {
		m.cb(updates, m.db.lastTxn)
	}
	return nil
}

// dispatch delivers one commit's changes (DB.mu held).
func (m *Monitor) dispatch(changes []Change, txnID schema.UUID) {
	if m.raw != nil {
		m.raw(changes, txnID)
		return
	}
	updates := map[string]any{}
	for _, c := range changes {
		tm := m.tables[c.Table]
		if tm == nil {
			continue
		}
		was, now := tm.matches(c.Old), tm.matches(c.New)
		var ru any
		switch {
		case !was && now && tm.insert:
			ru = m.rowUpdate(tm, kindInsert, nil, c.New)
		case was && !now && tm.delete:
			ru = m.rowUpdate(tm, kindDelete, c.Old, nil)
		case was && now && tm.modif:
			ru = m.rowUpdate(tm, kindModify, c.Old, c.New)
		}
		if ru == nil {
			continue
		}
		rows, _ := updates[c.Table].(map[string]any)
		if rows == nil {
			rows = map[string]any{}
			updates[c.Table] = rows
		}
		rows[string(c.UUID)] = ru
	}
	if len(updates) > 0 {
		m.cb(updates, txnID)
	}
}

// rowUpdate renders one <row-update> (v1) or <row-update2> (v2, v3); it
// returns nil when a modify touches no monitored column.
func (m *Monitor) rowUpdate(tm *TableMonitor, kind string, old, nw *Row) any {
	if m.version == MonitorV1 {
		switch kind {
		case kindInitial, kindInsert:
			return map[string]any{kindNew: RowJSON(nw, tm.cols)}
		case kindDelete:
			return map[string]any{kindOld: RowJSON(old, tm.cols)}
		}
		oldCols := map[string]any{}
		for _, c := range tm.cols {
			if !old.Get(c).Equal(nw.Get(c)) {
				oldCols[c] = old.Get(c).JSON()
			}
		}
		if len(oldCols) == 0 {
			return nil
		}
		return map[string]any{kindOld: oldCols, kindNew: RowJSON(nw, tm.cols)}
	}
	switch kind {
	case kindInitial, kindInsert:
		o := map[string]any{}
		for _, c := range tm.cols {
			col := tm.table.Column(c)
			if d := nw.Get(c); c == schema.ColUUID || c == schema.ColVersion || !d.IsDefault(&col.Type) {
				o[c] = d.JSON()
			}
		}
		return map[string]any{kind: o}
	case kindDelete:
		return map[string]any{kindDelete: nil}
	}
	o := map[string]any{}
	for _, c := range tm.cols {
		od, nd := old.Get(c), nw.Get(c)
		if od.Equal(nd) {
			continue
		}
		o[c] = schema.Diff(od, nd, &tm.table.Column(c).Type).JSON()
	}
	if len(o) == 0 {
		return nil
	}
	return map[string]any{kindModify: o}
}
