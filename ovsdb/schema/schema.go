package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Implicit columns every table has.
const (
	ColUUID    = "_uuid"
	ColVersion = "_version"
)

// Column is one column of a table.
type Column struct {
	Name      string
	Type      Type
	Ephemeral bool
	Mutable   bool
}

// Table is one table of a schema.
type Table struct {
	Name    string
	Columns map[string]*Column
	// ColumnNames lists the user columns in sorted order.
	ColumnNames []string
	MaxRows     int // 0 means unlimited
	IsRoot      bool
	Indexes     [][]string
}

var (
	uuidColumn    = &Column{Name: ColUUID, Type: Type{Key: newBase(TypeUUID), Min: 1, Max: 1}}
	versionColumn = &Column{Name: ColVersion, Type: Type{Key: newBase(TypeUUID), Min: 1, Max: 1}}
)

// Column returns the named column, including the implicit _uuid and
// _version columns, or nil.
func (t *Table) Column(name string) *Column {
	switch name {
	case ColUUID:
		return uuidColumn
	case ColVersion:
		return versionColumn
	}
	return t.Columns[name]
}

// Schema is a parsed database schema. It is immutable after Parse.
type Schema struct {
	Name    string
	Version string
	Cksum   string
	Tables  map[string]*Table
	// TableNames lists the tables in sorted order.
	TableNames []string
	raw        any
}

// JSON returns the schema as a JSON value (as received), for get_schema.
func (s *Schema) JSON() any { return s.raw }

// Parse parses a .ovsschema document.
func Parse(data []byte) (*Schema, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return FromJSON(v)
}

// FromJSON builds a schema from a decoded JSON value (numbers as
// json.Number or float64).
func FromJSON(v any) (*Schema, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: not a JSON object")
	}
	s := &Schema{Tables: map[string]*Table{}, raw: v}
	s.Name, _ = obj["name"].(string)
	s.Version, _ = obj["version"].(string)
	s.Cksum, _ = obj["cksum"].(string)
	if s.Name == "" {
		return nil, fmt.Errorf("schema: missing name")
	}
	tables, ok := obj["tables"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: missing tables")
	}
	for name, tv := range tables {
		t, err := parseTable(name, tv)
		if err != nil {
			return nil, err
		}
		s.Tables[name] = t
		s.TableNames = append(s.TableNames, name)
	}
	sort.Strings(s.TableNames)
	// RFC 7047: isRoot defaults to false, but (as in ovsdb-server) a schema
	// that never mentions isRoot treats every table as a root.
	anyRoot := false
	for name := range s.Tables {
		if to, ok := tables[name].(map[string]any); ok {
			if _, ok := to["isRoot"]; ok {
				anyRoot = true
			}
		}
	}
	if !anyRoot {
		for _, t := range s.Tables {
			t.IsRoot = true
		}
	}
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			for _, b := range []*BaseType{&c.Type.Key, c.Type.Value} {
				if b != nil && b.RefTable != "" && s.Tables[b.RefTable] == nil {
					return nil, fmt.Errorf("schema: column %s.%s refers to unknown table %q", t.Name, c.Name, b.RefTable)
				}
			}
		}
	}
	return s, nil
}

func parseTable(name string, v any) (*Table, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: table %s is not an object", name)
	}
	t := &Table{Name: name, Columns: map[string]*Column{}}
	cols, ok := obj["columns"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema: table %s has no columns", name)
	}
	for cn, cv := range cols {
		if len(cn) > 0 && cn[0] == '_' {
			return nil, fmt.Errorf("schema: %s: column names beginning with _ are reserved", cn)
		}
		c, err := parseColumn(cn, cv)
		if err != nil {
			return nil, fmt.Errorf("schema: table %s: %w", name, err)
		}
		t.Columns[cn] = c
		t.ColumnNames = append(t.ColumnNames, cn)
	}
	sort.Strings(t.ColumnNames)
	if r, ok := obj["isRoot"]; ok {
		b, ok := r.(bool)
		if !ok {
			return nil, fmt.Errorf("schema: table %s: isRoot must be boolean", name)
		}
		t.IsRoot = b
	}
	if m, ok := obj["maxRows"]; ok {
		n, err := jsonInt(m)
		if err != nil || n < 1 || n > Unlimited {
			return nil, fmt.Errorf("schema: table %s: bad maxRows", name)
		}
		t.MaxRows = int(n)
	}
	if idx, ok := obj["indexes"]; ok {
		list, ok := idx.([]any)
		if !ok {
			return nil, fmt.Errorf("schema: table %s: indexes must be an array", name)
		}
		for _, iv := range list {
			cl, ok := iv.([]any)
			if !ok || len(cl) == 0 {
				return nil, fmt.Errorf("schema: table %s: bad index", name)
			}
			var index []string
			for _, c := range cl {
				cn, ok := c.(string)
				if !ok || t.Column(cn) == nil {
					return nil, fmt.Errorf("schema: table %s: index names unknown column %v", name, c)
				}
				if t.Columns[cn] != nil && t.Columns[cn].Ephemeral {
					return nil, fmt.Errorf("schema: table %s: ephemeral column %s in index", name, cn)
				}
				index = append(index, cn)
			}
			t.Indexes = append(t.Indexes, index)
		}
	}
	return t, nil
}

func parseColumn(name string, v any) (*Column, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("column %s is not an object", name)
	}
	tv, ok := obj["type"]
	if !ok {
		return nil, fmt.Errorf("column %s has no type", name)
	}
	t, err := parseType(tv)
	if err != nil {
		return nil, fmt.Errorf("column %s: %w", name, err)
	}
	c := &Column{Name: name, Type: t, Mutable: true}
	if e, ok := obj["ephemeral"].(bool); ok {
		c.Ephemeral = e
	}
	if m, ok := obj["mutable"].(bool); ok {
		c.Mutable = m
	}
	return c, nil
}
