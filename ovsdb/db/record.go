package db

import (
	"bytes"
	"encoding/json"
	"fmt"

	"govs/ovsdb/schema"
)

// Record format (one per committed transaction, inside the storage
// framing): {"<table>": {"<uuid>": <row> | null}} where <row> holds every
// column plus "_version". null deletes the row.

func encodeChanges(changes []Change) ([]byte, error) {
	rec := map[string]map[string]any{}
	for _, c := range changes {
		t := rec[c.Table]
		if t == nil {
			t = map[string]any{}
			rec[c.Table] = t
		}
		if c.New == nil {
			t[string(c.UUID)] = nil
			continue
		}
		t[string(c.UUID)] = rowRecord(c.New)
	}
	return json.Marshal(rec)
}

func rowRecord(r *Row) map[string]any {
	o := make(map[string]any, len(r.Cols)+1)
	for k, v := range r.Cols {
		o[k] = v.JSON()
	}
	o[schema.ColVersion] = schema.AtomJSON(r.Version)
	return o
}

// Snapshot encodes the whole database as one record (for compaction).
// Replaying it into an empty DB reproduces the current state.
func (db *DB) Snapshot() ([]byte, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	rec := map[string]map[string]any{}
	for name, rows := range db.tables {
		t := map[string]any{}
		for u, r := range rows {
			t[string(u)] = rowRecord(r)
		}
		rec[name] = t
	}
	return json.Marshal(rec)
}

// Replay applies one stored record. It is used while loading, before the
// DB is served; it does not notify monitors or write to the log. Records
// are trusted to be consistent (they were checked when committed) but are
// still type-checked against the schema.
func (db *DB) Replay(record []byte) error {
	dec := json.NewDecoder(bytes.NewReader(record))
	dec.UseNumber()
	var rec map[string]map[string]any
	if err := dec.Decode(&rec); err != nil {
		return fmt.Errorf("db: bad record: %w", err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	for name, rows := range rec {
		tbl := db.schema.Tables[name]
		if tbl == nil {
			return fmt.Errorf("db: record names unknown table %q", name)
		}
		for us, rv := range rows {
			u, err := schema.ParseUUID(us)
			if err != nil {
				return fmt.Errorf("db: record: %w", err)
			}
			if rv == nil {
				delete(db.tables[name], u)
				continue
			}
			obj, ok := rv.(map[string]any)
			if !ok {
				return fmt.Errorf("db: record row is not an object")
			}
			r := &Row{UUID: u, Version: schema.NewUUID(), Cols: map[string]schema.Datum{}}
			for k, v := range obj {
				if k == schema.ColVersion {
					if a, err := schema.AtomFromJSON(&schema.BaseType{Type: schema.TypeUUID}, v, nil); err == nil {
						r.Version = a.(schema.UUID)
					}
					continue
				}
				col := tbl.Columns[k]
				if col == nil {
					return fmt.Errorf("db: record names unknown column %s.%s", name, k)
				}
				d, err := schema.DatumFromJSON(&col.Type, v, nil)
				if err != nil {
					return fmt.Errorf("db: record column %s.%s: %w", name, k, err)
				}
				r.Cols[k] = d
			}
			for _, cn := range tbl.ColumnNames {
				if _, ok := r.Cols[cn]; !ok {
					r.Cols[cn] = schema.DefaultDatum(&tbl.Columns[cn].Type)
				}
			}
			db.tables[name][u] = r
		}
	}
	return nil
}
