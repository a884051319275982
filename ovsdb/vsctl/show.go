package vsctl

import (
	"strings"

	"govs/ovsdb/schema"
)

// showTable is one entry of ovs-vsctl's "show" layout (cmd_show_tables).
type showTable struct {
	table   string
	nameCol string
	columns []string
}

var showTables = []showTable{
	{table: "Open_vSwitch", columns: []string{"manager_options", "bridges", "ovs_version"}},
	{table: "Bridge", nameCol: "name", columns: []string{"controller", "fail_mode", "datapath_type", "ports"}},
	{table: "Port", nameCol: "name", columns: []string{"tag", "trunks", "interfaces"}},
	{table: "Interface", nameCol: "name", columns: []string{"type", "options", "error", "bfd_status"}},
	{table: "Controller", nameCol: "target", columns: []string{"is_connected"}},
	{table: "Manager", nameCol: "target", columns: []string{"is_connected"}},
}

// showIndent is the indentation per nesting level.
const showIndent = 4

func findShow(table string) *showTable {
	for i := range showTables {
		if showTables[i].table == table {
			return &showTables[i]
		}
	}
	return nil
}

func cmdShow(x *cmdContext, c *command) error {
	shown := map[string]bool{}
	for _, r := range x.v.rows(showTables[0].table) {
		x.showRow(&c.output, r, 0, shown)
	}
	return nil
}

func (x *cmdContext) showRow(out *strings.Builder, r *txnRow, level int, shown map[string]bool) {
	show := findShow(r.table.Name)
	out.WriteString(strings.Repeat(" ", level*showIndent))
	if show != nil && show.nameCol != "" {
		out.WriteString(show.table + " ")
		out.WriteString(datumString(r.read(show.nameCol), &r.table.Columns[show.nameCol].Type))
	} else {
		out.WriteString(string(r.uuid))
	}
	out.WriteByte('\n')
	if show == nil || shown[show.table] {
		return
	}
	shown[show.table] = true
	defer delete(shown, show.table)
	for _, colName := range show.columns {
		col := r.table.Columns[colName]
		if col == nil {
			continue
		}
		d := r.read(colName)
		t := &col.Type
		if t.Key.Type == schema.TypeUUID && t.Key.RefTable != "" {
			if ref := findShow(t.Key.RefTable); ref != nil {
				for _, k := range d.Keys {
					if u, ok := k.(schema.UUID); ok {
						if rr := x.v.row(ref.table, u); rr != nil {
							x.showRow(out, rr, level+1, shown)
						}
					}
				}
				continue
			}
		} else if t.IsMap() && t.Value.Type == schema.TypeUUID && t.Value.RefTable != "" {
			if ref := findShow(t.Value.RefTable); ref != nil && ref.nameCol != "" {
				out.WriteString(strings.Repeat(" ", (level+1)*showIndent) + colName + ":\n")
				for i, k := range d.Keys {
					out.WriteString(strings.Repeat(" ", (level+2)*showIndent))
					out.WriteString(atomString(k) + "=")
					u, _ := d.Values[i].(schema.UUID)
					if rr := x.v.row(ref.table, u); rr != nil {
						out.WriteString(datumString(rr.read(ref.nameCol), &rr.table.Columns[ref.nameCol].Type))
					} else {
						out.WriteString("\"<null>\"")
					}
					out.WriteByte('\n')
				}
				continue
			}
		}
		if !d.IsDefault(t) {
			out.WriteString(strings.Repeat(" ", (level+1)*showIndent) + colName + ": " + datumString(d, t) + "\n")
		}
	}
}
