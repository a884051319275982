package db

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"govs/ovsdb/schema"
)

// errRetry signals that a wait op must be retried later.
var errRetry = errors.New("retry")

// Operation names.
const (
	opInsert  = "insert"
	opSelect  = "select"
	opUpdate  = "update"
	opMutate  = "mutate"
	opDelete  = "delete"
	opWait    = "wait"
	opCommit  = "commit"
	opAbort   = "abort"
	opComment = "comment"
	opAssert  = "assert"
)

func syntaxf(format string, args ...any) *schema.Error {
	return schema.NewError(schema.ErrSyntax, format, args...)
}

// parseError is an error in an operation's own members; Transact reports
// it as ovsdb-server does: "Parsing ovsdb operation N of M failed: ...",
// with the operation as "syntax".
type parseError struct{ msg string }

func (e *parseError) Error() string { return e.msg }

func perrf(format string, args ...any) error {
	return &parseError{msg: fmt.Sprintf(format, args...)}
}

func missing(member string) error {
	return perrf("Required '%s' member is missing.", member)
}

func mismatch(member string) error {
	return perrf("Type mismatch for member '%s'.", member)
}

func (t *txn) exec(opv any, durable *bool) (any, error) {
	op, ok := opv.(map[string]any)
	if !ok {
		return nil, perrf("Object expected.")
	}
	nv, ok := op["op"]
	if !ok {
		return nil, missing("op")
	}
	name, ok := nv.(string)
	if !ok {
		return nil, mismatch("op")
	}
	switch name {
	case opInsert:
		return t.opInsert(op)
	case opSelect:
		return t.opSelect(op)
	case opUpdate:
		return t.opUpdate(op)
	case opMutate:
		return t.opMutate(op)
	case opDelete:
		return t.opDelete(op)
	case opWait:
		return t.opWait(op)
	case opCommit:
		dv, ok := op["durable"]
		if !ok {
			return nil, missing("durable")
		}
		d, ok := dv.(bool)
		if !ok {
			return nil, mismatch("durable")
		}
		*durable = *durable || d
		return map[string]any{}, nil
	case opAbort:
		return nil, schema.NewError(schema.ErrAborted, "aborted by request")
	case opComment:
		if cv, ok := op["comment"]; !ok {
			return nil, missing("comment")
		} else if _, ok := cv.(string); !ok {
			return nil, mismatch("comment")
		}
		return map[string]any{}, nil
	case opAssert:
		lv, ok := op["lock"]
		if !ok {
			return nil, missing("lock")
		}
		lock, ok := lv.(string)
		if !ok {
			return nil, mismatch("lock")
		}
		if t.sess == nil || !t.sess.HoldsLock(lock) {
			return nil, schema.NewError(schema.ErrNotOwner, "Asserted lock %s not held.", lock)
		}
		return map[string]any{}, nil
	}
	return nil, perrf("No operation \"%s\"", name)
}

func (t *txn) opTable(op map[string]any) (*schema.Table, error) {
	tv, ok := op["table"]
	if !ok {
		return nil, missing("table")
	}
	name, ok := tv.(string)
	if !ok {
		return nil, mismatch("table")
	}
	tbl := t.db.schema.Tables[name]
	if tbl == nil {
		return nil, perrf("No table named %s.", name)
	}
	return tbl, nil
}

func column(tbl *schema.Table, name string) (*schema.Column, error) {
	c := tbl.Column(name)
	if c == nil {
		return nil, schema.NewError(schema.ErrUnknownColumn, "No column %s in table %s.", name, tbl.Name)
	}
	return c, nil
}

// parseRow parses a <row> object for insert/update.
func (t *txn) parseRow(tbl *schema.Table, op map[string]any, member string, update bool) (map[string]schema.Datum, error) {
	v := op[member]
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, mismatch(member)
	}
	out := make(map[string]schema.Datum, len(obj))
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		c := tbl.Column(name)
		if c == nil {
			return nil, schema.NewError(schema.ErrUnknownColumn, "No column %s in table %s.", name, tbl.Name).WithSyntax(obj)
		}
		if name == schema.ColUUID || name == schema.ColVersion || (update && !c.Mutable) {
			return nil, schema.NewError(schema.ErrConstraint, "Cannot update immutable column %s in table %s.", name, tbl.Name).WithSyntax(op)
		}
		d, err := schema.DatumFromJSON(&c.Type, obj[name], t.resolve)
		if err != nil {
			return nil, err
		}
		out[name] = d
	}
	return out, nil
}

func (t *txn) opInsert(op map[string]any) (any, error) {
	tbl, err := t.opTable(op)
	if err != nil {
		return nil, err
	}
	var u schema.UUID
	if s, ok := op["uuid"].(string); ok {
		if u, err = schema.ParseUUID(s); err != nil {
			return nil, syntaxf("%v", err)
		}
	}
	if name, ok := op["uuid-name"].(string); ok {
		if t.defined[name] {
			return nil, schema.NewError(schema.ErrDuplicateName, "This \"uuid-name\" appeared on an earlier \"insert\" operation.").WithSyntax(name)
		}
		t.defined[name] = true
		if u == "" {
			u, _ = t.resolve(name)
		} else {
			t.names[name] = u
		}
	}
	if u == "" {
		u = schema.NewUUID()
	}
	if t.get(tbl.Name, u) != nil || t.inserted[u] {
		return nil, schema.NewError(schema.ErrDuplicateName, "A row with UUID %s already exists.", u)
	}
	row := &Row{UUID: u, Version: schema.NewUUID(), Cols: map[string]schema.Datum{}}
	if _, ok := op["row"]; ok {
		cols, err := t.parseRow(tbl, op, "row", false)
		if err != nil {
			return nil, err
		}
		row.Cols = cols
	}
	for _, name := range tbl.ColumnNames {
		if _, ok := row.Cols[name]; !ok {
			row.Cols[name] = schema.DefaultDatum(&tbl.Columns[name].Type)
		}
	}
	t.inserted[u] = true
	t.put(tbl.Name, u, row)
	return map[string]any{"uuid": schema.AtomJSON(u)}, nil
}

// matching returns the rows of tbl that satisfy op's "where".
func (t *txn) matching(tbl *schema.Table, op map[string]any) ([]*Row, error) {
	wv, ok := op["where"]
	if !ok {
		return nil, missing("where")
	}
	conds, err := parseConditions(tbl, wv, t.resolve)
	if err != nil {
		return nil, err
	}
	if u, ok := conds.uuidEquality(); ok {
		r := t.get(tbl.Name, u)
		if r == nil || !conds.Match(r) {
			return nil, nil
		}
		return []*Row{r}, nil
	}
	var out []*Row
	_ = t.each(tbl.Name, func(r *Row) error {
		if conds.Match(r) {
			out = append(out, r)
		}
		return nil
	})
	return out, nil
}

func parseColumns(tbl *schema.Table, v any, present bool) ([]string, error) {
	if !present {
		cols := []string{schema.ColUUID, schema.ColVersion}
		return append(cols, tbl.ColumnNames...), nil
	}
	arr, ok := v.([]any)
	if !ok {
		return nil, syntaxf("\"columns\" must be an array")
	}
	out := make([]string, 0, len(arr))
	for _, c := range arr {
		s, ok := c.(string)
		if !ok {
			return nil, syntaxf("column name must be a string")
		}
		if _, err := column(tbl, s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// RowJSON renders the given columns of r as a JSON object.
func RowJSON(r *Row, cols []string) map[string]any {
	o := make(map[string]any, len(cols))
	for _, c := range cols {
		o[c] = r.Get(c).JSON()
	}
	return o
}

func (t *txn) opSelect(op map[string]any) (any, error) {
	tbl, err := t.opTable(op)
	if err != nil {
		return nil, err
	}
	cv, present := op["columns"]
	cols, err := parseColumns(tbl, cv, present)
	if err != nil {
		return nil, err
	}
	rows, err := t.matching(tbl, op)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = RowJSON(r, cols)
	}
	return map[string]any{"rows": out}, nil
}

func (t *txn) opUpdate(op map[string]any) (any, error) {
	tbl, err := t.opTable(op)
	if err != nil {
		return nil, err
	}
	if _, ok := op["row"]; !ok {
		return nil, missing("row")
	}
	cols, err := t.parseRow(tbl, op, "row", true)
	if err != nil {
		return nil, err
	}
	rows, err := t.matching(tbl, op)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		nr := r.clone()
		for k, v := range cols {
			nr.Cols[k] = v
		}
		t.put(tbl.Name, r.UUID, nr)
	}
	return map[string]any{"count": len(rows)}, nil
}

func (t *txn) opMutate(op map[string]any) (any, error) {
	tbl, err := t.opTable(op)
	if err != nil {
		return nil, err
	}
	mv, ok := op["mutations"]
	if !ok {
		return nil, missing("mutations")
	}
	muts, err := parseMutations(tbl, mv, t.resolve)
	if err != nil {
		return nil, err
	}
	rows, err := t.matching(tbl, op)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		nr := r.clone()
		for _, m := range muts {
			if err := m.apply(nr); err != nil {
				return nil, err
			}
		}
		t.put(tbl.Name, r.UUID, nr)
	}
	return map[string]any{"count": len(rows)}, nil
}

func (t *txn) opDelete(op map[string]any) (any, error) {
	tbl, err := t.opTable(op)
	if err != nil {
		return nil, err
	}
	rows, err := t.matching(tbl, op)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		t.put(tbl.Name, r.UUID, nil)
	}
	return map[string]any{"count": len(rows)}, nil
}

// Wait "until" functions.
const (
	untilEqual    = "=="
	untilNotEqual = "!="
)

func (t *txn) opWait(op map[string]any) (any, error) {
	tbl, err := t.opTable(op)
	if err != nil {
		return nil, err
	}
	uv, ok := op["until"]
	if !ok {
		return nil, missing("until")
	}
	until, ok := uv.(string)
	if !ok || (until != untilEqual && until != untilNotEqual) {
		return nil, mismatch("until")
	}
	timeout := int64(math.MaxInt64)
	if tv, ok := op["timeout"]; ok {
		n, err := schema.AtomFromJSON(&schema.BaseType{Type: schema.TypeInteger}, tv, nil)
		if err != nil || n.(int64) < 0 {
			return nil, syntaxf("wait: bad \"timeout\"")
		}
		timeout = n.(int64)
	}
	cv, present := op["columns"]
	cols, err := parseColumns(tbl, cv, present)
	if err != nil {
		return nil, err
	}
	rv, ok := op["rows"]
	if !ok {
		return nil, missing("rows")
	}
	want, ok := rv.([]any)
	if !ok {
		return nil, mismatch("rows")
	}
	wantSet := map[string]int{}
	for _, wr := range want {
		obj, ok := wr.(map[string]any)
		if !ok {
			return nil, syntaxf("wait: row is not an object")
		}
		r := &Row{Cols: map[string]schema.Datum{}}
		for name, v := range obj {
			c, err := column(tbl, name)
			if err != nil {
				return nil, err
			}
			d, err := schema.DatumFromJSON(&c.Type, v, t.resolve)
			if err != nil {
				return nil, err
			}
			r.Cols[name] = d
		}
		wantSet[rowKey(r, cols)]++
	}
	rows, err := t.matching(tbl, op)
	if err != nil {
		return nil, err
	}
	haveSet := map[string]int{}
	for _, r := range rows {
		haveSet[rowKey(r, cols)]++
	}
	equal := len(haveSet) == len(wantSet)
	for k := range wantSet {
		if _, ok := haveSet[k]; !ok {
			equal = false
		}
	}
	if equal == (until == untilEqual) {
		return map[string]any{}, nil
	}
	if timeout == 0 {
		return nil, schema.NewError(schema.ErrTimedOut, "\"where\" clause test failed")
	}
	if !t.retryAt.IsZero() && !time.Now().Before(*t.retryAt) {
		return nil, schema.NewError(schema.ErrTimedOut, "\"where\" clause test failed")
	}
	if t.retryAt.IsZero() {
		if timeout > int64(time.Hour/time.Millisecond)*24*365 {
			timeout = int64(time.Hour/time.Millisecond) * 24 * 365
		}
		*t.retryAt = time.Now().Add(time.Duration(timeout) * time.Millisecond)
	}
	return nil, errRetry
}

// rowKey is a canonical text form of a row's columns (cols order).
func rowKey(r *Row, cols []string) string {
	parts := make([]any, 0, len(cols))
	for _, c := range cols {
		if c == schema.ColUUID && r.UUID == "" {
			parts = append(parts, r.Cols[c].JSON())
			continue
		}
		d, ok := r.Cols[c]
		if c == schema.ColUUID || c == schema.ColVersion || !ok {
			d = r.Get(c)
		}
		parts = append(parts, d.JSON())
	}
	b, _ := json.Marshal(parts)
	return string(b)
}
