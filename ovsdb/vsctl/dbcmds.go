package vsctl

import (
	"strings"

	"govs/ovsdb/schema"
)

// relational operators of find and wait-until conditions (RELOPS).
var relops = []string{"=", "!=", "<", ">", "<=", ">=", "{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}", "{in}", "{not-in}"}

const (
	relEq = iota
	relNe
	relLt
	relGt
	relLe
	relGe
	relSetEq
	relSetNe
	relSetLt
	relSetGt
	relSetLe
	relSetGe
	relSetIn
	relSetNotIn
)

func isSetOp(op int) bool { return op >= relSetEq }

func evalRelop(a, b schema.Datum, op int) bool {
	switch op {
	case relEq, relSetEq:
		return a.Compare(b) == 0
	case relNe, relSetNe:
		return a.Compare(b) != 0
	case relLt:
		return a.Compare(b) < 0
	case relGt:
		return a.Compare(b) > 0
	case relLe:
		return a.Compare(b) <= 0
	case relGe:
		return a.Compare(b) >= 0
	case relSetLt:
		return b.Len() > a.Len() && b.Includes(a)
	case relSetGt:
		return a.Len() > b.Len() && a.Includes(b)
	case relSetLe, relSetIn:
		return b.Includes(a)
	case relSetGe:
		return a.Includes(b)
	case relSetNotIn:
		return b.Excludes(a)
	}
	return false
}

// checkCondition evaluates "column[:key]OPvalue" on r (check_condition).
func (x *cmdContext) checkCondition(t *schema.Table, r *txnRow, arg string) (bool, error) {
	col, key, op, value, err := parseColumnKeyValue(arg, t, relops)
	if err != nil {
		return false, err
	}
	typ := col.Type
	typ.Max = schema.Unlimited
	have := r.read(col.Name)
	if key != nil {
		if col.Type.Value == nil {
			return false, fatalf("cannot specify key to check for non-map column %s", col.Name)
		}
		want, _, err := parseAtom(&col.Type.Key, *key, x.st, false)
		if err != nil {
			return false, err
		}
		vt := schema.Type{Key: *col.Type.Value, Min: typ.Min, Max: typ.Max}
		b, err := parseDatum(&vt, *value, x.st)
		if err != nil {
			return false, err
		}
		val, found := have.Lookup(want)
		if !found && !isSetOp(op) {
			return false, nil
		}
		a := schema.Datum{Keys: []schema.Atom{}}
		if found {
			a.Keys = []schema.Atom{val}
		}
		return evalRelop(a, b, op), nil
	}
	want, err := parseDatum(&col.Type, *value, x.st)
	if err != nil {
		return false, err
	}
	return evalRelop(have, want, op), nil
}

func cmdGet(x *cmdContext, c *command) error {
	id, hasID := c.value("--id")
	mustExist := !c.has("--if-exists")
	if hasID && !mustExist {
		return fatalf("--if-exists and --id may not be specified together")
	}
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	record := c.args[2]
	// Check every column argument first, as the prerequisites pass does.
	for _, a := range c.args[3:] {
		if strings.EqualFold(a, "_uuid") || strings.EqualFold(a, "-uuid") {
			continue
		}
		name, _, err := parseToken(a)
		if err != nil {
			return err
		}
		if name == "" {
			return fatalf("%s: missing column name", a)
		}
		if _, err := getColumn(t, name); err != nil {
			return err
		}
	}
	row, err := x.getRow(t, record, mustExist)
	if err != nil || row == nil {
		return err
	}
	if hasID {
		sym, isNew, err := x.createSymbol(id)
		if err != nil {
			return err
		}
		if !isNew {
			return fatalf("row id \"%s\" specified on \"get\" command was used before it was defined", id)
		}
		sym.uuid = row.uuid
		sym.strongRef = true
	}
	for _, a := range c.args[3:] {
		if strings.EqualFold(a, "_uuid") || strings.EqualFold(a, "-uuid") {
			c.output.WriteString(string(row.uuid) + "\n")
			continue
		}
		col, key, _, _, err := parseColumnKeyValue(a, t, nil)
		if err != nil {
			return err
		}
		x.v.verify(row, col.Name)
		d := row.read(col.Name)
		if key != nil {
			if col.Type.Value == nil {
				return fatalf("cannot specify key to get for non-map column %s", col.Name)
			}
			k, _, err := parseAtom(&col.Type.Key, *key, x.st, false)
			if err != nil {
				return err
			}
			if v, ok := d.Lookup(k); ok {
				c.output.WriteString(atomString(v))
			} else if mustExist {
				return fatalf("no key \"%s\" in %s record \"%s\" column %s", *key, t.Name, record, col.Name)
			}
		} else {
			c.output.WriteString(datumString(d, &col.Type))
		}
		c.output.WriteByte('\n')
	}
	return nil
}

// createSymbol defines "@name" for --id (create_symbol).
func (x *cmdContext) createSymbol(id string) (*symbol, bool, error) {
	if !strings.HasPrefix(id, "@") {
		return nil, false, fatalf("row id \"%s\" does not begin with \"@\"", id)
	}
	isNew := x.st.get(id) == nil
	sym := x.st.insert(id)
	if sym.created {
		return nil, false, fatalf("row id \"%s\" may only be specified on one --id option", id)
	}
	sym.created = true
	return sym, isNew, nil
}

// listColumns parses --columns (parse_column_names); "" in the result
// stands for _uuid.
func listColumns(t *schema.Table, spec string, given bool) ([]string, error) {
	if !given {
		return append([]string{""}, t.ColumnNames...), nil
	}
	var out []string
	for _, name := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' }) {
		if strings.EqualFold(name, "_uuid") {
			out = append(out, "")
			continue
		}
		col, err := getColumn(t, name)
		if err != nil {
			return nil, err
		}
		out = append(out, col.Name)
	}
	if len(out) == 0 {
		return nil, fatalf("must specify at least one column name")
	}
	return out, nil
}

func newOutTable(t *schema.Table, cols []string) *outTable {
	ot := &outTable{}
	for _, c := range cols {
		if c == "" {
			ot.headings = append(ot.headings, "_uuid")
			ot.types = append(ot.types, &uuidType)
		} else {
			ot.headings = append(ot.headings, c)
			ot.types = append(ot.types, &t.Columns[c].Type)
		}
	}
	return ot
}

var uuidType = schema.Type{Key: schema.BaseType{Type: schema.TypeUUID, MaxLength: -1}, Min: 1, Max: 1}

func (ot *outTable) addRecord(r *txnRow, cols []string) {
	row := make([]schema.Datum, len(cols))
	for i, c := range cols {
		if c == "" {
			row[i] = schema.NewScalar(r.uuid)
		} else {
			row[i] = r.read(c)
		}
	}
	ot.rows = append(ot.rows, row)
}

func cmdList(x *cmdContext, c *command) error {
	spec, given := c.value("--columns")
	mustExist := !c.has("--if-exists")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	cols, err := listColumns(t, spec, given)
	if err != nil {
		return err
	}
	c.table = newOutTable(t, cols)
	if len(c.args) > 2 {
		for _, rec := range c.args[2:] {
			r, err := x.getRow(t, rec, mustExist)
			if err != nil {
				return err
			}
			if r != nil {
				c.table.addRecord(r, cols)
			}
		}
		return nil
	}
	for _, r := range x.v.rows(t.Name) {
		c.table.addRecord(r, cols)
	}
	return nil
}

func cmdFind(x *cmdContext, c *command) error {
	spec, given := c.value("--columns")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	cols, err := listColumns(t, spec, given)
	if err != nil {
		return err
	}
	for _, a := range c.args[2:] {
		name, _, err := parseToken(a)
		if err != nil {
			return err
		}
		if name == "" {
			return fatalf("%s: missing column name", a)
		}
		if _, err := getColumn(t, name); err != nil {
			return err
		}
	}
	c.table = newOutTable(t, cols)
rows:
	for _, r := range x.v.rows(t.Name) {
		for _, a := range c.args[2:] {
			ok, err := x.checkCondition(t, r, a)
			if err != nil {
				return err
			}
			if !ok {
				continue rows
			}
		}
		c.table.addRecord(r, cols)
	}
	return nil
}

// setColumn applies "column[:key]=value" to r (set_column).
func (x *cmdContext) setColumn(t *schema.Table, r *txnRow, arg string) error {
	col, key, _, value, err := parseColumnKeyValue(arg, t, []string{"="})
	if err != nil {
		return err
	}
	if !col.Mutable && !r.inserted {
		return fatalf("cannot modify read-only column %s in table %s", col.Name, t.Name)
	}
	if key != nil {
		if col.Type.Value == nil {
			return fatalf("cannot specify key to set for non-map column %s", col.Name)
		}
		k, _, err := parseAtom(&col.Type.Key, *key, x.st, false)
		if err != nil {
			return err
		}
		v, _, err := parseAtom(col.Type.Value, *value, x.st, false)
		if err != nil {
			return err
		}
		add := schema.Datum{Keys: []schema.Atom{k}, Values: []schema.Atom{v}}
		old := r.read(col.Name)
		next := add.Union(old)
		x.v.verify(r, col.Name)
		x.v.write(r, col.Name, next)
		return nil
	}
	d, err := parseDatum(&col.Type, *value, x.st)
	if err != nil {
		return err
	}
	x.v.write(r, col.Name, d)
	return nil
}

func (x *cmdContext) checkColumnArgs(t *schema.Table, args []string) error {
	for _, a := range args {
		name, _, err := parseToken(a)
		if err != nil {
			return err
		}
		if name == "" {
			return fatalf("%s: missing column name", a)
		}
		if _, err := getColumn(t, name); err != nil {
			return err
		}
	}
	return nil
}

func cmdSet(x *cmdContext, c *command) error {
	mustExist := !c.has("--if-exists")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	if err := x.checkColumnArgs(t, c.args[3:]); err != nil {
		return err
	}
	r, err := x.getRow(t, c.args[2], mustExist)
	if err != nil || r == nil {
		return err
	}
	for _, a := range c.args[3:] {
		if err := x.setColumn(t, r, a); err != nil {
			return err
		}
	}
	x.cache = nil
	return nil
}

func (x *cmdContext) tableRowColumn(c *command) (*schema.Table, *schema.Column, *txnRow, error) {
	mustExist := !c.has("--if-exists")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return nil, nil, nil, err
	}
	col, err := getColumn(t, c.args[3])
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := x.getRow(t, c.args[2], mustExist)
	if err != nil || r == nil {
		return t, col, nil, err
	}
	if !col.Mutable && !r.inserted {
		return nil, nil, nil, fatalf("cannot modify read-only column %s in table %s", col.Name, t.Name)
	}
	return t, col, r, nil
}

func pairsWord(t *schema.Type) string {
	if t.Value == nil {
		return "values"
	}
	return "pairs"
}

func cmdAdd(x *cmdContext, c *command) error {
	t, col, r, err := x.tableRowColumn(c)
	if err != nil || r == nil {
		return err
	}
	typ := &col.Type
	next := r.read(col.Name)
	for _, a := range c.args[4:] {
		at := *typ
		at.Min, at.Max = 1, schema.Unlimited
		add, err := parseDatum(&at, a, x.st)
		if err != nil {
			return err
		}
		if x.last && typ.IsMap() {
			// ovs-vsctl writes the last command as partial map updates,
			// which replace the values of existing keys.
			next = add.Union(next)
		} else {
			next = next.Union(add)
		}
	}
	if !x.last && next.Len() > typ.Max {
		return fatalf("\"add\" operation would put %d %s in column %s of table %s but the maximum number is %d",
			next.Len(), pairsWord(typ), col.Name, t.Name, typ.Max)
	}
	x.v.verify(r, col.Name)
	x.v.write(r, col.Name, next)
	x.cache = nil
	return nil
}

func cmdRemove(x *cmdContext, c *command) error {
	t, col, r, err := x.tableRowColumn(c)
	if err != nil || r == nil {
		return err
	}
	typ := &col.Type
	old := r.read(col.Name)
	for _, a := range c.args[4:] {
		rt := *typ
		rt.Min, rt.Max = 1, schema.Unlimited
		rm, err := parseDatum(&rt, a, x.st)
		if err != nil {
			if !rt.IsMap() {
				return err
			}
			rt.Value = nil
			rm, err = parseDatum(&rt, a, x.st)
			if err != nil {
				return err
			}
		}
		old = old.Subtract(rm)
	}
	if old.Len() < typ.Min {
		return fatalf("\"remove\" operation would put %d %s in column %s of table %s but the minimum number is %d",
			old.Len(), pairsWord(typ), col.Name, t.Name, typ.Min)
	}
	x.v.verify(r, col.Name)
	x.v.write(r, col.Name, old)
	x.cache = nil
	return nil
}

func cmdClear(x *cmdContext, c *command) error {
	mustExist := !c.has("--if-exists")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	for _, a := range c.args[3:] {
		if _, err := getColumn(t, a); err != nil {
			return err
		}
	}
	r, err := x.getRow(t, c.args[2], mustExist)
	if err != nil || r == nil {
		return err
	}
	for _, a := range c.args[3:] {
		col, err := getColumn(t, a)
		if err != nil {
			return err
		}
		if !col.Mutable && !r.inserted {
			return fatalf("cannot modify read-only column %s in table %s", col.Name, t.Name)
		}
		if col.Type.Min > 0 {
			return fatalf("\"clear\" operation cannot be applied to column %s of table %s, which is not allowed to be empty", col.Name, t.Name)
		}
		empty := schema.Datum{Keys: []schema.Atom{}}
		if col.Type.IsMap() {
			empty.Values = []schema.Atom{}
		}
		x.v.write(r, col.Name, empty)
	}
	x.cache = nil
	return nil
}

func cmdCreate(x *cmdContext, c *command) error {
	id, hasID := c.value("--id")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	if !hasID && !t.IsRoot {
		x.warn("db_ctl_base", "applying \"create\" command to table "+t.Name+" without --id option will have no effect")
	}
	var u schema.UUID
	persist := false
	if hasID {
		if pu, err := schema.ParseUUID(id); err == nil {
			u, persist = pu, true
		} else {
			sym, _, err := x.createSymbol(id)
			if err != nil {
				return err
			}
			if t.IsRoot {
				sym.strongRef = true
			}
			u = sym.uuid
		}
	}
	r := x.v.insert(t.Name, u, persist)
	for _, a := range c.args[2:] {
		if err := x.setColumn(t, r, a); err != nil {
			return err
		}
	}
	c.output.WriteString(string(r.uuid))
	return nil
}

// postCreate replaces the provisional UUID printed by create with the
// one the server assigned.
func postCreate(_ *cmdContext, c *command, real map[schema.UUID]schema.UUID) error {
	u := schema.UUID(c.output.String())
	if r, ok := real[u]; ok {
		c.output.Reset()
		c.output.WriteString(string(r))
	}
	c.output.WriteByte('\n')
	return nil
}

func cmdDestroy(x *cmdContext, c *command) error {
	mustExist := !c.has("--if-exists")
	all := c.has("--all")
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	if all && len(c.args) > 2 {
		return fatalf("--all and records argument should not be specified together")
	}
	if all && !mustExist {
		return fatalf("--all and --if-exists should not be specified together")
	}
	if !all && len(c.args) == 2 {
		x.warn("db_ctl_base", "either --all or records argument should be specified")
		return nil
	}
	if all {
		for _, r := range x.v.rows(t.Name) {
			x.v.remove(r)
		}
	} else {
		for _, rec := range c.args[2:] {
			r, err := x.getRow(t, rec, mustExist)
			if err != nil {
				return err
			}
			if r != nil {
				x.v.remove(r)
			}
		}
	}
	x.cache = nil
	return nil
}

func cmdWaitUntil(x *cmdContext, c *command) error {
	t, err := x.getTable(c.args[1])
	if err != nil {
		return err
	}
	if err := x.checkColumnArgs(t, c.args[3:]); err != nil {
		return err
	}
	r, err := x.getRow(t, c.args[2], false)
	if err != nil {
		return err
	}
	if r == nil {
		x.tryAgain = true
		return nil
	}
	for _, a := range c.args[3:] {
		ok, err := x.checkCondition(t, r, a)
		if err != nil {
			return err
		}
		if !ok {
			x.tryAgain = true
			return nil
		}
	}
	return nil
}

func cmdComment(*cmdContext, *command) error { return nil }
