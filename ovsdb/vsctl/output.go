package vsctl

import (
	"io"
	"sort"
	"strings"

	"govs/ovsdb/schema"
)

// outTable is the result of list or find (struct table in lib/table.c).
type outTable struct {
	headings []string
	types    []*schema.Type
	rows     [][]schema.Datum
}

// listHeadingWidth is the fixed heading width of list format.
const listHeadingWidth = 20

// tablePrinter prints tables, separating consecutive ones by a blank
// line as lib/table.c does.
type tablePrinter struct {
	style   style
	printed bool
}

func (p *tablePrinter) cellText(d schema.Datum, t *schema.Type) string {
	switch p.style.cell {
	case cellJSON:
		return ovsJSON(datumJSON(d, t, nil), false)
	case cellBare:
		return datumBare(d, t)
	}
	return datumString(d, t)
}

func (p *tablePrinter) print(w io.Writer, t *outTable) {
	var b strings.Builder
	if p.style.format != formatJSON {
		if p.printed {
			b.WriteByte('\n')
		}
		p.printed = true
	}
	switch p.style.format {
	case formatTable:
		p.table(&b, t)
	case formatCSV:
		p.csv(&b, t)
	case formatJSON:
		p.json(&b, t)
	case formatHTML:
		p.html(&b, t)
	default:
		p.list(&b, t)
	}
	io.WriteString(w, b.String())
}

func (p *tablePrinter) list(b *strings.Builder, t *outTable) {
	for y, row := range t.rows {
		if y > 0 {
			b.WriteByte('\n')
		}
		for x, d := range row {
			if p.style.headings {
				h := t.headings[x]
				b.WriteString(h)
				if n := listHeadingWidth - len(h); n > 0 {
					b.WriteString(strings.Repeat(" ", n))
				}
				b.WriteString(": ")
			}
			b.WriteString(p.cellText(d, t.types[x]) + "\n")
		}
	}
}

func finishLine(b *strings.Builder, line string) {
	b.WriteString(strings.TrimRight(line, " ") + "\n")
}

func pad(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return s + strings.Repeat(" ", w-len(s))
}

func (p *tablePrinter) table(b *strings.Builder, t *outTable) {
	widths := make([]int, len(t.headings))
	texts := make([][]string, len(t.rows))
	for y, row := range t.rows {
		texts[y] = make([]string, len(row))
		for x, d := range row {
			texts[y][x] = p.cellText(d, t.types[x])
		}
	}
	for x := range t.headings {
		w := 0
		for y := range texts {
			if n := len(texts[y][x]); n > w {
				w = n
			}
		}
		if m := p.style.maxColumnWidth; m > 0 && w > m {
			w = m
		}
		if p.style.headings && w < len(t.headings[x]) {
			w = len(t.headings[x])
		}
		widths[x] = w
	}
	if p.style.headings {
		var line, dashes strings.Builder
		for x, h := range t.headings {
			if x > 0 {
				line.WriteByte(' ')
				dashes.WriteByte(' ')
			}
			line.WriteString(pad(h, widths[x]))
			dashes.WriteString(strings.Repeat("-", widths[x]))
		}
		finishLine(b, line.String())
		finishLine(b, dashes.String())
	}
	for y := range texts {
		var line strings.Builder
		for x, s := range texts[y] {
			if x > 0 {
				line.WriteByte(' ')
			}
			if len(s) > widths[x] {
				s = s[:widths[x]]
			}
			line.WriteString(pad(s, widths[x]))
		}
		finishLine(b, line.String())
	}
}

func csvCell(b *strings.Builder, s string) {
	if !strings.ContainsAny(s, "\n\",") {
		b.WriteString(s)
		return
	}
	b.WriteString("\"" + strings.ReplaceAll(s, "\"", "\"\"") + "\"")
}

func (p *tablePrinter) csv(b *strings.Builder, t *outTable) {
	if p.style.headings {
		for x, h := range t.headings {
			if x > 0 {
				b.WriteByte(',')
			}
			csvCell(b, h)
		}
		b.WriteByte('\n')
	}
	for _, row := range t.rows {
		for x, d := range row {
			if x > 0 {
				b.WriteByte(',')
			}
			csvCell(b, p.cellText(d, t.types[x]))
		}
		b.WriteByte('\n')
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\"", "&quot;").Replace(s)
}

func (p *tablePrinter) html(b *strings.Builder, t *outTable) {
	b.WriteString("<table border=1>\n")
	if p.style.headings {
		b.WriteString("  <tr>\n")
		for _, h := range t.headings {
			b.WriteString("    <th>" + htmlEscape(h) + "</th>\n")
		}
		b.WriteString("  </tr>\n")
	}
	for _, row := range t.rows {
		b.WriteString("  <tr>\n")
		for x, d := range row {
			b.WriteString("    <td>" + htmlEscape(p.cellText(d, t.types[x])) + "</td>\n")
		}
		b.WriteString("  </tr>\n")
	}
	b.WriteString("</table>\n")
}

func (p *tablePrinter) json(b *strings.Builder, t *outTable) {
	data := make([]any, len(t.rows))
	for y, row := range t.rows {
		cells := make([]any, len(row))
		for x, d := range row {
			cells[x] = datumJSON(d, t.types[x], nil)
		}
		data[y] = cells
	}
	headings := make([]any, len(t.headings))
	for i, h := range t.headings {
		headings[i] = h
	}
	obj := map[string]any{"data": data, "headings": headings}
	b.WriteString(ovsJSON(obj, p.style.pretty) + "\n")
}

// ovsJSON serialises v as OVS's JSON writer does with sorted object keys
// (JSSF_SORT); pretty adds OVS-style indentation.
func ovsJSON(v any, pretty bool) string {
	var b strings.Builder
	writeJSON(&b, v, pretty, 0)
	return b.String()
}

func writeJSON(b *strings.Builder, v any, pretty bool, level int) {
	const indent = 2
	newline := func(l int) {
		if pretty {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", l*indent))
		}
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		b.WriteString(jsonString(x))
	case int64:
		b.WriteString(atomString(x))
	case int:
		b.WriteString(atomString(int64(x)))
	case float64:
		b.WriteString(realJSON(x))
	case interface{ String() string }:
		b.WriteString(x.String())
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if pretty && len(x) > 0 {
				newline(level + 1)
			}
			writeJSON(b, e, pretty, level+1)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(level + 1)
			b.WriteString(jsonString(k))
			b.WriteByte(':')
			if pretty {
				b.WriteByte(' ')
			}
			writeJSON(b, x[k], pretty, level+1)
		}
		b.WriteByte('}')
	default:
		b.WriteString(jsonString(atomString(x)))
	}
}

// realJSON formats a real as OVS's JSON writer ("%.15g").
func realJSON(f float64) string { return realString(f) }
