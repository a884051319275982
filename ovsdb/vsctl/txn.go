package vsctl

import (
	"sort"
	"strings"

	"govs/ovsdb/schema"
)

// txnRow is one row as seen by the commands of one attempt: its committed
// contents (old, nil for rows inserted by this transaction) and its
// current contents (cur, nil once deleted).
type txnRow struct {
	uuid        schema.UUID
	table       *schema.Table
	old         map[string]schema.Datum
	cur         map[string]schema.Datum
	written     map[string]bool
	verified    map[string]bool
	inserted    bool
	deleted     bool
	persistUUID bool
}

// read returns the current value of col (the column default if unset).
func (r *txnRow) read(col string) schema.Datum {
	if d, ok := r.cur[col]; ok {
		return d
	}
	c := r.table.Columns[col]
	if c == nil {
		return schema.Datum{Keys: []schema.Atom{}}
	}
	return schema.DefaultDatum(&c.Type)
}

// oldValue returns the committed value of col.
func (r *txnRow) oldValue(col string) schema.Datum {
	if d, ok := r.old[col]; ok {
		return d
	}
	return schema.DefaultDatum(&r.table.Columns[col].Type)
}

// view is the database as one attempt of the command list sees and
// changes it: the replica's snapshot plus this transaction's changes,
// mirroring the OVS IDL's transaction model (writes, verifies, inserts,
// deletes, one "next_cfg" increment).
type view struct {
	s      *schema.Schema
	tables map[string]map[schema.UUID]*txnRow
	// ovs is the Open_vSwitch row (inserted if the database had none).
	ovs *txnRow
}

func newView(s *schema.Schema, snap map[string]map[schema.UUID]map[string]schema.Datum) *view {
	v := &view{s: s, tables: map[string]map[schema.UUID]*txnRow{}}
	for _, name := range s.TableNames {
		tbl := s.Tables[name]
		rows := map[schema.UUID]*txnRow{}
		for u, cols := range snap[name] {
			rows[u] = &txnRow{uuid: u, table: tbl, old: cols, cur: cols}
		}
		v.tables[name] = rows
	}
	return v
}

// rows returns the live rows of table in UUID order.
func (v *view) rows(table string) []*txnRow {
	m := v.tables[table]
	out := make([]*txnRow, 0, len(m))
	for _, r := range m {
		if !r.deleted {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].uuid < out[j].uuid })
	return out
}

// row returns the live row u of table, or nil.
func (v *view) row(table string, u schema.UUID) *txnRow {
	r := v.tables[table][u]
	if r == nil || r.deleted {
		return nil
	}
	return r
}

// write sets col of r to d (ovsdb_idl_txn_write).
func (v *view) write(r *txnRow, col string, d schema.Datum) {
	if r.deleted {
		return
	}
	if r.written == nil {
		r.written = map[string]bool{}
	}
	next := make(map[string]schema.Datum, len(r.cur)+1)
	for k, val := range r.cur {
		next[k] = val
	}
	next[col] = d
	r.cur = next
	r.written[col] = true
}

// verify makes the transaction abort and retry if col of r changed
// since it was read (ovsdb_idl_txn_verify).
func (v *view) verify(r *txnRow, col string) {
	if r.inserted || r.deleted {
		return
	}
	if r.verified == nil {
		r.verified = map[string]bool{}
	}
	r.verified[col] = true
}

// insert adds a new row to table; u, if non-empty, is its UUID.
func (v *view) insert(table string, u schema.UUID, persist bool) *txnRow {
	if u == "" {
		u = schema.NewUUID()
	}
	r := &txnRow{uuid: u, table: v.s.Tables[table], cur: map[string]schema.Datum{}, inserted: true, persistUUID: persist}
	if v.tables[table] == nil {
		v.tables[table] = map[schema.UUID]*txnRow{}
	}
	v.tables[table][u] = r
	return r
}

// remove deletes r (ovsdb_idl_txn_delete).
func (v *view) remove(r *txnRow) {
	if r.inserted {
		delete(v.tables[r.table.Name], r.uuid)
		r.deleted = true
		return
	}
	r.deleted = true
	r.cur = nil
}

// rowName is the "uuid-name" the IDL gives an inserted row.
func rowName(u schema.UUID) string {
	return "row" + strings.ReplaceAll(string(u), "-", "_")
}

// opRef records which operation an inserted row's UUID comes back in.
type opRef struct {
	uuid  schema.UUID
	index int
}

// built is a transaction ready to send.
type built struct {
	ops      []any
	inserts  []opRef
	selectAt int // index of the next_cfg select, or -1
	// nextCfg is the new next_cfg when it is known without a select
	// (the Open_vSwitch row is inserted by this transaction).
	nextCfg int64
	changed bool
}

func uuidWhere(v *view, r *txnRow, named map[schema.UUID]string) []any {
	return []any{[]any{"_uuid", "==", atomJSON(r.uuid, named)}}
}

func atomJSON(a schema.Atom, named map[schema.UUID]string) any {
	if u, ok := a.(schema.UUID); ok {
		if n, ok := named[u]; ok {
			return []any{"named-uuid", n}
		}
		return []any{"uuid", string(u)}
	}
	return a
}

// datumJSON encodes d as the IDL does, naming rows inserted by this
// transaction with "named-uuid".
func datumJSON(d schema.Datum, t *schema.Type, named map[schema.UUID]string) any {
	if t.IsMap() {
		pairs := make([]any, len(d.Keys))
		for i := range d.Keys {
			pairs[i] = []any{atomJSON(d.Keys[i], named), atomJSON(d.Values[i], named)}
		}
		return []any{"map", pairs}
	}
	if len(d.Keys) == 1 {
		return atomJSON(d.Keys[0], named)
	}
	elems := make([]any, len(d.Keys))
	for i, k := range d.Keys {
		elems[i] = atomJSON(k, named)
	}
	return []any{"set", elems}
}

// build turns the view's changes into transact operations
// (ovsdb_idl_txn_commit): waits for verified columns, then inserts,
// updates and root-table deletes, then the next_cfg increment and the
// comment. changed is false if nothing would really change.
func (v *view) build(increment bool, comment string) built {
	if increment && v.ovs != nil && v.ovs.inserted {
		// A new Open_vSwitch row starts at next_cfg 1: equivalent to the
		// IDL's "+= 1" mutation but without a "named-uuid" in a where
		// clause, which not every server accepts.
		v.write(v.ovs, colNextCfg, schema.NewScalar(int64(1)))
	}
	named := map[schema.UUID]string{}
	var all []*txnRow
	for _, name := range v.s.TableNames {
		for _, r := range v.tables[name] {
			all = append(all, r)
			if r.inserted && !r.persistUUID {
				named[r.uuid] = rowName(r.uuid)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].table.Name != all[j].table.Name {
			return all[i].table.Name < all[j].table.Name
		}
		return all[i].uuid < all[j].uuid
	})
	b := built{selectAt: -1}
	for _, r := range all {
		if len(r.verified) == 0 || r.inserted || r.deleted {
			continue
		}
		cols := sortedKeys(r.verified)
		rowJSON := map[string]any{}
		for _, c := range cols {
			rowJSON[c] = datumJSON(r.oldValue(c), &r.table.Columns[c].Type, named)
		}
		b.ops = append(b.ops, map[string]any{
			"op": "wait", "table": r.table.Name, "timeout": 0,
			"where": uuidWhere(v, r, named), "until": "==",
			"columns": anySlice(cols), "rows": []any{rowJSON},
		})
	}
	for _, r := range all {
		switch {
		case r.deleted && !r.inserted:
			if r.table.IsRoot {
				b.ops = append(b.ops, map[string]any{"op": "delete", "table": r.table.Name, "where": uuidWhere(v, r, named)})
				b.changed = true
			}
			// Non-root rows are left to the server's garbage collector.
		case r.inserted:
			rowJSON := map[string]any{}
			for _, c := range sortedKeys(r.written) {
				t := &r.table.Columns[c].Type
				if d := r.cur[c]; !d.IsDefault(t) {
					rowJSON[c] = datumJSON(d, t, named)
				}
			}
			op := map[string]any{"op": "insert", "table": r.table.Name, "row": rowJSON}
			if r.persistUUID {
				op["uuid"] = string(r.uuid)
			} else {
				op["uuid-name"] = named[r.uuid]
			}
			b.inserts = append(b.inserts, opRef{uuid: r.uuid, index: len(b.ops)})
			b.ops = append(b.ops, op)
			b.changed = true
		case len(r.written) > 0:
			rowJSON := map[string]any{}
			for _, c := range sortedKeys(r.written) {
				t := &r.table.Columns[c].Type
				d := r.cur[c]
				rowJSON[c] = datumJSON(d, t, named)
				if !d.Equal(r.oldValue(c)) {
					b.changed = true
				}
			}
			b.ops = append(b.ops, map[string]any{"op": "update", "table": r.table.Name, "where": uuidWhere(v, r, named), "row": rowJSON})
		}
	}
	if increment && v.ovs != nil && v.ovs.inserted {
		b.nextCfg = 1
	} else if increment && b.changed && v.ovs != nil {
		where := uuidWhere(v, v.ovs, named)
		b.ops = append(b.ops, map[string]any{"op": "mutate", "table": tableOpenVSwitch, "where": where,
			"mutations": []any{[]any{colNextCfg, "+=", 1}}})
		b.selectAt = len(b.ops)
		b.ops = append(b.ops, map[string]any{"op": "select", "table": tableOpenVSwitch, "where": where,
			"columns": []any{colNextCfg}})
	}
	b.ops = append(b.ops, map[string]any{"op": "comment", "comment": comment})
	return b
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func anySlice(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
