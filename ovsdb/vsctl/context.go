package vsctl

import (
	"fmt"
	"strings"

	"govs/ovsdb/schema"
)

// cmdSyntax describes one command (struct ctl_command_syntax).
type cmdSyntax struct {
	name     string
	min, max int
	options  string
	rw       bool
	run      func(*cmdContext, *command) error
	post     func(*cmdContext, *command, map[schema.UUID]schema.UUID) error
}

// exitError ends the program with a status and no message (br-exists).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// cmdContext is the state shared by the commands of one attempt.
type cmdContext struct {
	v        *view
	st       *symbolTable
	cache    *vcache
	verified bool // verify_ports already done
	last     bool // running the last command
	tryAgain bool
	// expectIfaces lists interfaces inserted by add-br/add-port, checked
	// after vswitchd reconfigures.
	expectIfaces []schema.UUID
	warn         func(module, msg string)
}

func fatalf(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// rowID is one way to name a record (struct ctl_row_id): by the value of
// nameCol in nameTable, optionally followed through uuidCol.
type rowID struct {
	nameTable string
	nameCol   string
	key       string
	uuidCol   string
}

// rowIDs lists, per table, how ovs-vsctl resolves record names.
var rowIDs = map[string][]rowID{
	"Bridge":                    {{nameTable: "Bridge", nameCol: "name"}},
	"Controller":                {{nameTable: "Bridge", nameCol: "name", uuidCol: "controller"}},
	"Interface":                 {{nameTable: "Interface", nameCol: "name"}},
	"Mirror":                    {{nameTable: "Mirror", nameCol: "name"}},
	"Manager":                   {{nameTable: "Manager", nameCol: "target"}},
	"NetFlow":                   {{nameTable: "Bridge", nameCol: "name", uuidCol: "netflow"}},
	"Port":                      {{nameTable: "Port", nameCol: "name"}},
	"QoS":                       {{nameTable: "Port", nameCol: "name", uuidCol: "qos"}},
	"sFlow":                     {{nameTable: "Bridge", nameCol: "name", uuidCol: "sflow"}},
	"Flow_Table":                {{nameTable: "Flow_Table", nameCol: "name"}},
	"IPFIX":                     {{nameTable: "Bridge", nameCol: "name", uuidCol: "ipfix"}},
	"AutoAttach":                {{nameTable: "Bridge", nameCol: "name", uuidCol: "auto_attach"}},
	"Flow_Sample_Collector_Set": {{nameTable: "Flow_Sample_Collector_Set", nameCol: "id"}},
}

func toLowerUnderscore(c byte) byte {
	if c == '-' {
		return '_'
	}
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scorePartialMatch rates how well user input s matches name
// (score_partial_match): exact > case/dash-insensitive > prefix length.
func scorePartialMatch(name, s string) uint {
	const maxScore = ^uint(0)
	if name == s {
		return maxScore
	}
	score := uint(0)
	for i := 0; ; i++ {
		var a, b byte
		if i < len(name) {
			a = name[i]
		}
		if i < len(s) {
			b = s[i]
		}
		if toLowerUnderscore(a) != toLowerUnderscore(b) {
			if i >= len(s) {
				return score
			}
			return 0
		}
		if i >= len(name) {
			return maxScore - 1
		}
		score++
	}
}

// bestMatch picks the name among names that best matches s.
func bestMatch(names []string, s string) (best string, ties []string) {
	var bestScore uint
	for _, n := range names {
		sc := scorePartialMatch(n, s)
		if sc == 0 || sc < bestScore {
			continue
		}
		if sc > bestScore {
			ties = ties[:0]
		}
		ties = append(ties, n)
		best, bestScore = n, sc
	}
	return best, ties
}

// getTable resolves a (possibly abbreviated) table name.
func (x *cmdContext) getTable(name string) (*schema.Table, error) {
	best, ties := bestMatch(x.v.s.TableNames, name)
	switch {
	case len(ties) == 0:
		return nil, fatalf("unknown table \"%s\"", name)
	case len(ties) > 1:
		return nil, fatalf("\"%s\" matches multiple table names: %s", name, strings.Join(ties, ", "))
	}
	return x.v.s.Tables[best], nil
}

// getColumn resolves a (possibly abbreviated) column name.
func getColumn(t *schema.Table, name string) (*schema.Column, error) {
	best, ties := bestMatch(t.ColumnNames, name)
	switch {
	case len(ties) == 0:
		return nil, fatalf("%s does not contain a column whose name matches \"%s\"", t.Name, name)
	case len(ties) > 1:
		return nil, fatalf("%s contains more than one column whose name matches \"%s\": %s", t.Name, name, strings.Join(ties, ", "))
	}
	return t.Columns[best], nil
}

// partialUUIDLen returns len(s) if s is a prefix of a UUID in canonical
// form (uuid_is_partial_string), else 0.
func partialUUIDLen(s string) int {
	const uuidLen = 36
	if len(s) > uuidLen {
		return 0
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return 0
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return 0
			}
		}
	}
	return len(s)
}

// minPartialUUID is the shortest UUID prefix accepted as a record name.
const minPartialUUID = 4

func (x *cmdContext) rowByID(t *schema.Table, id rowID, record string) (*txnRow, bool) {
	nameTbl := x.v.s.Tables[id.nameTable]
	if nameTbl == nil {
		return nil, false
	}
	col := nameTbl.Columns[id.nameCol]
	if col == nil {
		return nil, false
	}
	nameType := col.Type.Key.Type
	if id.key != "" && col.Type.Value != nil {
		nameType = col.Type.Value.Type
	}
	var want int64
	if nameType == schema.TypeInteger {
		if record == "" || strings.Trim(record, "0123456789") != "" {
			return nil, false
		}
		want, _ = parseInt(record)
	}
	var referrer *txnRow
	for _, r := range x.v.rows(id.nameTable) {
		d := r.read(id.nameCol)
		var name schema.Atom
		if id.key == "" {
			if len(d.Keys) == 1 {
				name = d.Keys[0]
			}
		} else if val, ok := d.Lookup(id.key); ok {
			name = val
		}
		if name == nil {
			continue
		}
		match := false
		switch n := name.(type) {
		case string:
			match = n == record
			if !match && len(record) >= minPartialUUID {
				if _, err := schema.ParseUUID(n); err == nil && strings.HasPrefix(n, record) {
					match = true
				}
			}
		case int64:
			match = n == want
		}
		if match {
			if referrer != nil {
				return nil, true
			}
			referrer = r
		}
	}
	if referrer == nil {
		return nil, false
	}
	if id.uuidCol == "" {
		return referrer, false
	}
	x.v.verify(referrer, id.uuidCol)
	d := referrer.read(id.uuidCol)
	if len(d.Keys) != 1 {
		return nil, false
	}
	u, _ := d.Keys[0].(schema.UUID)
	return x.v.row(t.Name, u), false
}

// getRow finds a record by UUID, ".", name or UUID prefix (ctl_get_row).
func (x *cmdContext) getRow(t *schema.Table, record string, mustExist bool) (*txnRow, error) {
	var row *txnRow
	if u, err := schema.ParseUUID(record); err == nil {
		row = x.v.row(t.Name, u)
	}
	if row == nil && record == "." {
		rows := x.v.rows(t.Name)
		if len(rows) == 1 {
			row = rows[0]
		}
	}
	if row == nil {
		for _, id := range rowIDs[t.Name] {
			r, multiple := x.rowByID(t, id, record)
			if multiple {
				return nil, fatalf("multiple rows in %s match \"%s\"", id.nameTable, record)
			}
			if r != nil {
				row = r
				break
			}
		}
	}
	if row == nil && partialUUIDLen(record) >= minPartialUUID {
		lower := strings.ToLower(record)
		for _, r := range x.v.rows(t.Name) {
			if strings.HasPrefix(string(r.uuid), lower) {
				if row != nil {
					return nil, fatalf("%s contains 2 or more rows whose UUIDs begin with %s: at least %s and %s", t.Name, record, row.uuid, r.uuid)
				}
				row = r
			}
		}
	}
	if mustExist && row == nil {
		return nil, fatalf("no row \"%s\" in table %s", record, t.Name)
	}
	return row, nil
}

// parseColumnKeyValue splits "column[:key][op value]" (parse_column_key_value).
// With ops nil, no operator/value is allowed; otherwise one of ops must
// follow and opIndex/value are returned.
func parseColumnKeyValue(arg string, t *schema.Table, ops []string) (col *schema.Column, key *string, opIndex int, value *string, err error) {
	p := arg
	name, rest, err := parseToken(p)
	if err != nil {
		return nil, nil, -1, nil, err
	}
	if name == "" {
		return nil, nil, -1, nil, fatalf("%s: missing column name", arg)
	}
	col, err = getColumn(t, name)
	if err != nil {
		return nil, nil, -1, nil, err
	}
	p = rest
	if strings.HasPrefix(p, ":") {
		k, rest, err := parseToken(p[1:])
		if err != nil {
			return nil, nil, -1, nil, err
		}
		key = &k
		p = rest
	}
	if ops == nil {
		if p != "" {
			return nil, nil, -1, nil, fatalf("%s: trailing garbage \"%s\" in argument", arg, p)
		}
		return col, key, -1, nil, nil
	}
	best, bestLen := -1, 0
	for i, op := range ops {
		if len(op) > bestLen && strings.HasPrefix(p, op) && len(p) > len(op) {
			best, bestLen = i, len(op)
		}
	}
	if best < 0 {
		return nil, nil, -1, nil, fatalf("%s", missingOperatorError(arg, ops))
	}
	v := p[bestLen:]
	return col, key, best, &v, nil
}

func missingOperatorError(arg string, ops []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: argument does not end in \"%s\"", arg, ops[0])
	switch {
	case len(ops) == 2:
		fmt.Fprintf(&b, " or \"%s\"", ops[1])
	case len(ops) > 2:
		for _, op := range ops[1 : len(ops)-1] {
			fmt.Fprintf(&b, ", \"%s\"", op)
		}
		fmt.Fprintf(&b, ", or \"%s\"", ops[len(ops)-1])
	}
	b.WriteString(" followed by a value.")
	return b.String()
}
