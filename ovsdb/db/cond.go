package db

import "govs/ovsdb/schema"

// Condition functions (RFC 7047 section 5.1).
const (
	fnEq       = "=="
	fnNe       = "!="
	fnLt       = "<"
	fnLe       = "<="
	fnGt       = ">"
	fnGe       = ">="
	fnIncludes = "includes"
	fnExcludes = "excludes"
	condLen    = 3
)

// Condition is one parsed clause; Const is set for the literal true/false
// clauses monitor_cond accepts.
type Condition struct {
	Column string
	Func   string
	Value  schema.Datum
	Const  *bool
}

// Conditions is a conjunction of clauses (empty matches every row).
type Conditions []Condition

// ParseConditions parses a <where> array for table tbl.
func ParseConditions(tbl *schema.Table, v any) (Conditions, error) {
	return parseConditions(tbl, v, nil)
}

// parseConditions parses a <where> array; names resolves named-uuids (as
// ovsdb-server allows in a transaction's where clauses, e.g. ovs-vsctl's
// `add-port ... -- set interface X options:k=v` mutates the Interface it
// inserts by its named-uuid). nil rejects them (monitor conditions).
func parseConditions(tbl *schema.Table, v any, names schema.NameResolver) (Conditions, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, syntaxf("\"where\" must be an array")
	}
	out := make(Conditions, 0, len(arr))
	for _, cv := range arr {
		if b, ok := cv.(bool); ok {
			bb := b
			out = append(out, Condition{Const: &bb})
			continue
		}
		c, ok := cv.([]any)
		if !ok || len(c) != condLen {
			return nil, syntaxf("condition must be a 3-element array")
		}
		name, ok1 := c[0].(string)
		fn, ok2 := c[1].(string)
		if !ok1 || !ok2 {
			return nil, syntaxf("condition column and function must be strings")
		}
		col, err := column(tbl, name)
		if err != nil {
			return nil, err
		}
		typ := col.Type
		switch fn {
		case fnLt, fnLe, fnGt, fnGe:
			if !(typ.IsScalar() || typ.IsOptional()) || (typ.Key.Type != schema.TypeInteger && typ.Key.Type != schema.TypeReal) || typ.IsMap() {
				return nil, syntaxf("Type mismatch: \"%s\" operator may not be applied to column %s of type %s.", fn, name, typ.English()).WithSyntax(c)
			}
		case fnEq, fnNe:
		case fnIncludes, fnExcludes:
			typ.Max = schema.Unlimited
		default:
			return nil, syntaxf("%s: unknown function", fn)
		}
		typ.Min = 0
		d, err := schema.DatumFromJSONUnchecked(&typ, c[2], names)
		if err != nil {
			return nil, err
		}
		if d.Len() > typ.Max {
			return nil, syntaxf("condition value has too many elements")
		}
		out = append(out, Condition{Column: name, Func: fn, Value: d})
	}
	return out, nil
}

// Match reports whether r satisfies every clause.
func (cs Conditions) Match(r *Row) bool {
	for i := range cs {
		if !cs[i].match(r) {
			return false
		}
	}
	return true
}

func (c *Condition) match(r *Row) bool {
	if c.Const != nil {
		return *c.Const
	}
	d := r.Get(c.Column)
	switch c.Func {
	case fnEq:
		return d.Equal(c.Value)
	case fnNe:
		return !d.Equal(c.Value)
	case fnIncludes:
		return d.Includes(c.Value)
	case fnExcludes:
		return d.Excludes(c.Value)
	}
	if d.Len() != 1 || c.Value.Len() != 1 {
		return false
	}
	cmp := schema.CompareAtoms(d.Keys[0], c.Value.Keys[0])
	switch c.Func {
	case fnLt:
		return cmp < 0
	case fnLe:
		return cmp <= 0
	case fnGt:
		return cmp > 0
	case fnGe:
		return cmp >= 0
	}
	return false
}

// uuidEquality reports a [_uuid == X] clause, which selects at most one row.
func (cs Conditions) uuidEquality() (schema.UUID, bool) {
	for _, c := range cs {
		if c.Const == nil && c.Column == schema.ColUUID && c.Func == fnEq && c.Value.Len() == 1 {
			return c.Value.Keys[0].(schema.UUID), true
		}
	}
	return "", false
}
