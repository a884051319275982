package client

import (
	"context"
	"encoding/json"
	"fmt"

	"govs/ovsdb/schema"
)

// OpResult is one element of a transact reply.
type OpResult struct {
	UUID  schema.UUID      // insert
	Count int              // update, mutate, delete
	Rows  []map[string]any // select (JSON values, numbers as json.Number)
	// Err is set for a failed operation (or the extra commit error).
	Err *schema.Error
	// Null is true for an op that was not executed (after a failure).
	Null bool
}

// TransactError reports the first failed operation of a transaction.
type TransactError struct {
	Index int
	Err   *schema.Error
}

func (e *TransactError) Error() string {
	return fmt.Sprintf("ovsdb transaction failed at operation %d: %v", e.Index, e.Err)
}

// Transact runs ops (JSON-marshalable operation objects) on db. It
// returns the results and, if any operation or the commit failed, a
// *TransactError.
func (c *Client) Transact(ctx context.Context, db string, ops ...any) ([]OpResult, error) {
	params := append([]any{db}, ops...)
	raw, err := c.Call(ctx, "transact", params)
	if err != nil {
		return nil, err
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("ovsdb transact: bad reply: %w", err)
	}
	out := make([]OpResult, len(items))
	var first *TransactError
	for i, it := range items {
		var obj map[string]any
		if err := decode(it, &obj); err != nil {
			return nil, fmt.Errorf("ovsdb transact: bad result %d: %w", i, err)
		}
		if obj == nil {
			out[i].Null = true
			continue
		}
		r := &out[i]
		if e, ok := obj["error"].(string); ok {
			d, _ := obj["details"].(string)
			r.Err = &schema.Error{Kind: e, Details: d}
			if first == nil {
				first = &TransactError{Index: i, Err: r.Err}
			}
			continue
		}
		if u, ok := obj["uuid"]; ok {
			a, err := schema.AtomFromJSON(&schema.BaseType{Type: schema.TypeUUID}, u, nil)
			if err != nil {
				return nil, err
			}
			r.UUID = a.(schema.UUID)
		}
		if n, ok := obj["count"].(json.Number); ok {
			v, _ := n.Int64()
			r.Count = int(v)
		}
		if rows, ok := obj["rows"].([]any); ok {
			for _, rv := range rows {
				if m, ok := rv.(map[string]any); ok {
					r.Rows = append(r.Rows, m)
				}
			}
		}
	}
	if first != nil {
		return out, first
	}
	return out, nil
}

// DecodeRow converts a JSON row (as in OpResult.Rows or an update) to
// datums using the table's schema.
func DecodeRow(tbl *schema.Table, row map[string]any) (map[string]schema.Datum, error) {
	out := make(map[string]schema.Datum, len(row))
	for name, v := range row {
		col := tbl.Column(name)
		if col == nil {
			return nil, fmt.Errorf("ovsdb: unknown column %s.%s", tbl.Name, name)
		}
		d, err := schema.DatumFromJSONUnchecked(&col.Type, v, nil)
		if err != nil {
			return nil, fmt.Errorf("ovsdb: column %s.%s: %w", tbl.Name, name, err)
		}
		out[name] = d
	}
	return out, nil
}
