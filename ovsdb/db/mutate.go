package db

import (
	"math"

	"govs/ovsdb/schema"
)

// Mutators (RFC 7047 section 5.1).
const (
	mutAdd    = "+="
	mutSub    = "-="
	mutMul    = "*="
	mutDiv    = "/="
	mutMod    = "%="
	mutInsert = "insert"
	mutDelete = "delete"
)

type mutation struct {
	col     *schema.Column
	mutator string
	arg     schema.Datum
}

func parseMutations(tbl *schema.Table, v any, names schema.NameResolver) ([]mutation, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, syntaxf("\"mutations\" must be an array")
	}
	out := make([]mutation, 0, len(arr))
	for _, mv := range arr {
		m, ok := mv.([]any)
		if !ok || len(m) != condLen {
			return nil, syntaxf("mutation must be a 3-element array")
		}
		name, ok1 := m[0].(string)
		mut, ok2 := m[1].(string)
		if !ok1 || !ok2 {
			return nil, syntaxf("mutation column and mutator must be strings")
		}
		col, err := column(tbl, name)
		if err != nil {
			return nil, err
		}
		if name == schema.ColUUID || name == schema.ColVersion || !col.Mutable {
			return nil, schema.NewError(schema.ErrConstraint, "Cannot mutate immutable column %s in table %s.", name, tbl.Name).WithSyntax(m)
		}
		typ := col.Type
		switch mut {
		case mutAdd, mutSub, mutMul, mutDiv, mutMod:
			kt := typ.Key.Type
			if typ.IsMap() || (kt != schema.TypeInteger && kt != schema.TypeReal) || (mut == mutMod && kt != schema.TypeInteger) {
				return nil, syntaxf("Type mismatch: \"%s\" operator may not be applied to column %s of type %s.", mut, name, typ.English()).WithSyntax(m)
			}
			base := schema.BaseType{Type: kt}
			a, err := schema.AtomFromJSON(&base, m[2], nil)
			if err != nil {
				return nil, err
			}
			out = append(out, mutation{col: col, mutator: mut, arg: schema.NewScalar(a)})
		case mutInsert, mutDelete:
			at := typ
			at.Min, at.Max = 0, schema.Unlimited
			if mut == mutDelete && typ.IsMap() && !isMapJSON(m[2]) {
				// delete with a set removes keys whatever their values.
				at.Value = nil
			}
			d, err := schema.DatumFromJSONUnchecked(&at, m[2], names)
			if err != nil {
				return nil, err
			}
			if mut == mutInsert {
				if err := d.Check(&at); err != nil {
					return nil, err
				}
			}
			out = append(out, mutation{col: col, mutator: mut, arg: d})
		default:
			return nil, syntaxf("Unknown mutator \"%s\".", mut)
		}
	}
	return out, nil
}

// apply mutates r (a private clone) in place.
func (m *mutation) apply(r *Row) error {
	typ := &m.col.Type
	cur := r.Cols[m.col.Name]
	var nd schema.Datum
	switch m.mutator {
	case mutInsert:
		nd = cur.Union(m.arg)
	case mutDelete:
		nd = cur.Subtract(m.arg)
	default:
		nd = schema.Datum{Keys: make([]schema.Atom, len(cur.Keys))}
		for i, k := range cur.Keys {
			a, err := arith(m.mutator, k, m.arg.Keys[0])
			if err != nil {
				return err
			}
			nd.Keys[i] = a
		}
		sorted := nd.Union(schema.Datum{})
		if sorted.Len() != nd.Len() {
			return schema.NewError(schema.ErrConstraint, "Result of \"%s\" operation contains duplicate values.", m.mutator)
		}
		nd = sorted
		for _, k := range nd.Keys {
			if err := typ.Key.CheckAtom(k); err != nil {
				return err
			}
		}
	}
	if nd.Len() > typ.Max || nd.Len() < typ.Min {
		return schema.NewError(schema.ErrConstraint, "Attempted to store %d elements in %s with min %d and max %d.", nd.Len(), m.col.Name, typ.Min, typ.Max)
	}
	if err := nd.Check(typ); err != nil {
		return err
	}
	r.Cols[m.col.Name] = nd
	return nil
}

func arith(op string, a, b schema.Atom) (schema.Atom, error) {
	if x, ok := a.(int64); ok {
		y := b.(int64)
		var r int64
		switch op {
		case mutAdd:
			r = x + y
			if (y > 0 && r < x) || (y < 0 && r > x) {
				return nil, rangeErr(op)
			}
		case mutSub:
			r = x - y
			if (y < 0 && r < x) || (y > 0 && r > x) {
				return nil, rangeErr(op)
			}
		case mutMul:
			if x != 0 && y != 0 {
				r = x * y
				if r/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
					return nil, rangeErr(op)
				}
			}
		case mutDiv, mutMod:
			if y == 0 {
				return nil, schema.NewError(schema.ErrDomain, "Division by zero.")
			}
			if x == math.MinInt64 && y == -1 {
				return nil, rangeErr(op)
			}
			if op == mutDiv {
				r = x / y
			} else {
				r = x % y
			}
		}
		return r, nil
	}
	x := a.(float64)
	y := b.(float64)
	var r float64
	switch op {
	case mutAdd:
		r = x + y
	case mutSub:
		r = x - y
	case mutMul:
		r = x * y
	case mutDiv:
		if y == 0 {
			return nil, schema.NewError(schema.ErrDomain, "Division by zero.")
		}
		r = x / y
	}
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, rangeErr(op)
	}
	return r, nil
}

func rangeErr(op string) error {
	return schema.NewError(schema.ErrRange, "Result of \"%s\" operation is out of range.", op)
}

// isMapJSON reports whether v is ["map", [...]].
func isMapJSON(v any) bool {
	arr, ok := v.([]any)
	return ok && len(arr) == 2 && arr[0] == "map"
}
