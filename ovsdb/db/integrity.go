package db

import (
	"encoding/json"
	"sort"
	"strings"

	"govs/ovsdb/schema"
)

// Commit-time checks: garbage collection, referential integrity, index
// uniqueness and maxRows.

// refColumn is a column that holds references.
type refColumn struct {
	col       *schema.Column
	keyRef    bool // key refers to a table
	valRef    bool // value refers to a table
	keyStrong bool
	valStrong bool
}

func refColumns(tbl *schema.Table) []refColumn {
	var out []refColumn
	for _, name := range tbl.ColumnNames {
		c := tbl.Columns[name]
		rc := refColumn{col: c}
		if c.Type.Key.RefTable != "" {
			rc.keyRef, rc.keyStrong = true, c.Type.Key.RefType == schema.RefStrong
		}
		if c.Type.Value != nil && c.Type.Value.RefTable != "" {
			rc.valRef, rc.valStrong = true, c.Type.Value.RefType == schema.RefStrong
		}
		if rc.keyRef || rc.valRef {
			out = append(out, rc)
		}
	}
	return out
}

// strongRefs calls fn for each strong reference held by row r of tbl.
func (t *txn) strongRefs(tbl *schema.Table, r *Row, fn func(table string, u schema.UUID)) {
	for _, rc := range t.db.refs[tbl.Name] {
		d := r.Cols[rc.col.Name]
		if rc.keyStrong {
			for _, k := range d.Keys {
				fn(rc.col.Type.Key.RefTable, k.(schema.UUID))
			}
		}
		if rc.valStrong {
			for _, v := range d.Values {
				fn(rc.col.Type.Value.RefTable, v.(schema.UUID))
			}
		}
	}
}

type rowID struct {
	table string
	uuid  schema.UUID
}

// garbageCollect deletes non-root rows left without strong references:
// rows inserted by this transaction and rows that lost a reference.
func (t *txn) garbageCollect() error {
	cand := map[rowID]bool{}
	s := t.db.schema
	for name, ch := range t.changes {
		tbl := s.Tables[name]
		for u, nw := range ch {
			if nw != nil && !tbl.IsRoot && t.db.tables[name][u] == nil {
				cand[rowID{name, u}] = true
			}
			if old := t.db.tables[name][u]; old != nil {
				t.strongRefs(tbl, old, func(rt string, ru schema.UUID) {
					if !s.Tables[rt].IsRoot {
						cand[rowID{rt, ru}] = true
					}
				})
			}
		}
	}
	for len(cand) > 0 {
		// Count strong references to the candidates over the new state.
		counts := map[rowID]int{}
		for _, name := range s.TableNames {
			tbl := s.Tables[name]
			if len(t.db.refs[name]) == 0 {
				continue
			}
			_ = t.each(name, func(r *Row) error {
				t.strongRefs(tbl, r, func(rt string, ru schema.UUID) {
					id := rowID{rt, ru}
					if cand[id] && !(id.table == name && id.uuid == r.UUID) {
						counts[id]++
					}
				})
				return nil
			})
		}
		next := map[rowID]bool{}
		for id := range cand {
			r := t.get(id.table, id.uuid)
			if r == nil || counts[id] > 0 {
				continue
			}
			t.put(id.table, id.uuid, nil)
			t.strongRefs(s.Tables[id.table], r, func(rt string, ru schema.UUID) {
				if !s.Tables[rt].IsRoot {
					next[rowID{rt, ru}] = true
				}
			})
		}
		cand = next
	}
	return nil
}

// checkReferences rejects strong references to missing rows and removes
// weak references to missing rows.
func (t *txn) checkReferences() error {
	s := t.db.schema
	deleted := false
	for _, ch := range t.changes {
		for _, r := range ch {
			if r == nil {
				deleted = true
			}
		}
	}
	for _, name := range s.TableNames {
		rcs := t.db.refs[name]
		if len(rcs) == 0 {
			continue
		}
		check := func(r *Row) error {
			var nr *Row
			for _, rc := range rcs {
				d := r.Cols[rc.col.Name]
				keep := make([]bool, len(d.Keys))
				dropped := false
				for i := range d.Keys {
					keep[i] = true
					for _, side := range [2]bool{true, false} {
						isRef, strong, refTable := rc.keyRef, rc.keyStrong, rc.col.Type.Key.RefTable
						var a schema.Atom
						if side {
							a = d.Keys[i]
						} else {
							if !rc.valRef {
								continue
							}
							isRef, strong, refTable = true, rc.valStrong, rc.col.Type.Value.RefTable
							a = d.Values[i]
						}
						if !isRef {
							continue
						}
						u := a.(schema.UUID)
						if t.get(refTable, u) != nil {
							continue
						}
						if strong {
							if t.db.tables[refTable][u] != nil {
								return errorf(schema.ErrReferential, "cannot delete %s row %s because of 1 remaining reference(s)", refTable, u)
							}
							return errorf(schema.ErrReferential, "Table %s column %s row %s references nonexistent row %s in table %s.", name, rc.col.Name, r.UUID, u, refTable)
						}
						keep[i] = false
						dropped = true
					}
				}
				if dropped {
					if nr == nil {
						nr = r.clone()
					}
					nd := schema.Datum{Keys: []schema.Atom{}}
					if d.Values != nil {
						nd.Values = []schema.Atom{}
					}
					for i, k := range d.Keys {
						if keep[i] {
							nd.Keys = append(nd.Keys, k)
							if d.Values != nil {
								nd.Values = append(nd.Values, d.Values[i])
							}
						}
					}
					nr.Cols[rc.col.Name] = nd
				}
			}
			if nr != nil {
				t.put(name, r.UUID, nr)
			}
			return nil
		}
		if deleted {
			if err := t.each(name, check); err != nil {
				return err
			}
			continue
		}
		ids := make([]schema.UUID, 0, len(t.changes[name]))
		for u, r := range t.changes[name] {
			if r != nil {
				ids = append(ids, u)
			}
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, u := range ids {
			if err := check(t.get(name, u)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkIndexesAndLimits enforces index uniqueness and maxRows on the
// tables the transaction changed.
func (t *txn) checkIndexesAndLimits() error {
	names := make([]string, 0, len(t.changes))
	for name := range t.changes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		tbl := t.db.schema.Tables[name]
		n := 0
		_ = t.each(name, func(*Row) error { n++; return nil })
		if tbl.MaxRows > 0 && n > tbl.MaxRows {
			return errorf(schema.ErrConstraint, "transaction causes \"%s\" table to contain %d rows, greater than the schema-defined limit of %d row(s)", name, n, tbl.MaxRows)
		}
		for _, index := range tbl.Indexes {
			seen := map[string]schema.UUID{}
			err := t.each(name, func(r *Row) error {
				parts := make([]any, len(index))
				for i, c := range index {
					parts[i] = r.Get(c).JSON()
				}
				kb, _ := json.Marshal(parts)
				k := string(kb)
				if other, dup := seen[k]; dup {
					vals := make([]string, len(index))
					for i, p := range parts {
						b, _ := json.Marshal(p)
						vals[i] = string(b)
					}
					return errorf(schema.ErrConstraint, "Transaction causes multiple rows in \"%s\" table to have identical values (%s) for index on column%s \"%s\".  First row, with UUID %s, and second row, with UUID %s.",
						name, strings.Join(vals, ", "), plural(len(index)), strings.Join(index, "\", \""), other, r.UUID)
				}
				seen[k] = r.UUID
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
