package vsctl

import (
	"strings"
	"testing"

	"govs/ovsdb/schema"
)

func columnType(t *testing.T, table, col string) *schema.Type {
	t.Helper()
	c := schema.Vswitch().Tables[table].Columns[col]
	if c == nil {
		t.Fatalf("no column %s.%s", table, col)
	}
	return &c.Type
}

func TestParseDatum(t *testing.T) {
	tests := []struct {
		name, table, col, in string
		want                 string // datumString of the result
		err                  string // substring of the error
	}{
		{name: "scalar int", table: "Port", col: "tag", in: "10", want: "10"},
		{name: "optional empty", table: "Port", col: "tag", in: "[]", want: "[]"},
		{name: "out of range", table: "Port", col: "tag", in: "5000", err: "constraint violation: 5000 is not in the valid range 0 to 4095 (inclusive)"},
		{name: "too many", table: "Port", col: "tag", in: "[1,2]", err: "[1,2]: 2 value(s) specified but the maximum number is 1"},
		{name: "set commas", table: "Port", col: "trunks", in: "10,20", want: "[10, 20]"},
		{name: "set brackets", table: "Port", col: "trunks", in: "[20, 10]", want: "[10, 20]"},
		{name: "set range", table: "Port", col: "trunks", in: "1-3,7", want: "[1, 2, 3, 7]"},
		{name: "bad range", table: "Port", col: "trunks", in: "5-1", err: "is not a valid range"},
		{name: "dup", table: "Port", col: "trunks", in: "10,10", err: "10,10: set contains duplicate value"},
		{name: "empty set needs brackets", table: "Port", col: "trunks", in: "", err: "use \"[]\" to specify the empty set"},
		{name: "map", table: "Interface", col: "options", in: "{b=2, a=1}", want: "{a=\"1\", b=\"2\"}"},
		{name: "map quoted", table: "Interface", col: "options", in: `{c="x y"}`, want: `{c="x y"}`},
		{name: "map missing eq", table: "Interface", col: "options", in: "a", err: `a: syntax error at "`},
		{name: "map dup", table: "Interface", col: "options", in: "a=1,a=2", err: "map contains duplicate key"},
		{name: "unterminated", table: "Interface", col: "options", in: "{a=b", err: `{a=b: missing "}" at end of data`},
		{name: "trailing garbage", table: "Interface", col: "options", in: "{a=b} x", err: `trailing garbage after "}"`},
		{name: "bool", table: "Bridge", col: "stp_enable", in: "yes", want: "true"},
		{name: "bad bool", table: "Bridge", col: "stp_enable", in: "maybe", err: `"maybe" is not a valid boolean`},
		{name: "string needs quotes", table: "Interface", col: "type", in: `""`, want: `""`},
		{name: "empty string", table: "Interface", col: "type", in: "=", err: `unexpected "=" parsing string`},
		{name: "enum", table: "Bridge", col: "fail_mode", in: "bogus", err: "bogus is not one of the allowed values ([secure, standalone])"},
		{name: "real", table: "Interface", col: "mtu_request", in: "1.5", err: `"1.5" is not a valid integer or range`},
		{name: "uuid", table: "Bridge", col: "ports", in: "01234567-89ab-cdef-0123-456789abcdef", want: "[01234567-89ab-cdef-0123-456789abcdef]"},
		{name: "bad uuid", table: "Bridge", col: "ports", in: "nope", err: `"nope" is not a valid UUID`},
		{name: "backslash", table: "Interface", col: "type", in: `a\`, err: "backslash at end of argument"},
		{name: "open quote", table: "Interface", col: "type", in: `"abc`, err: "quoted string extends past end of argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			typ := columnType(t, tc.table, tc.col)
			d, err := parseDatum(typ, tc.in, newSymbolTable())
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("parseDatum(%q) error = %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseDatum(%q): %v", tc.in, err)
			}
			if got := datumString(d, typ); got != tc.want {
				t.Fatalf("parseDatum(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestAtomString(t *testing.T) {
	tests := []struct {
		in   schema.Atom
		want string
	}{
		{"br0", "br0"},
		{"p-1.x_y", "p-1.x_y"},
		{"1abc", `"1abc"`},
		{"", `""`},
		{"true", `"true"`},
		{"a b", `"a b"`},
		{"tab\there", `"tab\there"`},
		{"q\"", `"q\""`},
		{"01234567-89ab-cdef-0123-456789abcdef", `"01234567-89ab-cdef-0123-456789abcdef"`},
		{int64(-5), "-5"},
		{1.5, "1.5"},
		{1e20, "1e+20"},
		{true, "true"},
		{schema.UUID("01234567-89ab-cdef-0123-456789abcdef"), "01234567-89ab-cdef-0123-456789abcdef"},
	}
	for _, tc := range tests {
		if got := atomString(tc.in); got != tc.want {
			t.Errorf("atomString(%#v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseColumnKeyValue(t *testing.T) {
	tbl := schema.Vswitch().Tables["Interface"]
	tests := []struct {
		in, col, key, value, err string
	}{
		{in: "options:remote_ip=1.2.3.4", col: "options", key: "remote_ip", value: "1.2.3.4"},
		{in: "type=internal", col: "type", value: "internal"},
		{in: "opt:k=v", col: "options", key: "k", value: "v"},
		{in: "name", err: `name: argument does not end in "=" followed by a value.`},
		{in: "=x", err: "=x: missing column name"},
		{in: "nosuch=1", err: `Interface does not contain a column whose name matches "nosuch"`},
		{in: "o=1", err: "Interface contains more than one column whose name matches \"o\""},
	}
	for _, tc := range tests {
		col, key, _, value, err := parseColumnKeyValue(tc.in, tbl, []string{"="})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		gotKey := ""
		if key != nil {
			gotKey = *key
		}
		if col.Name != tc.col || gotKey != tc.key || *value != tc.value {
			t.Errorf("%q = (%s, %s, %s), want (%s, %s, %s)", tc.in, col.Name, gotKey, *value, tc.col, tc.key, tc.value)
		}
	}
}

func TestParseCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		cmds []string // command names
		err  string
	}{
		{name: "simple", args: []string{"--no-wait", "add-br", "br0"}, cmds: []string{"add-br"}},
		{name: "chain", args: []string{"add-br", "br0", "--", "set", "bridge", "br0", "stp_enable=true"}, cmds: []string{"add-br", "set"}},
		{name: "leading --", args: []string{"--", "--id=@p", "create", "port", "name=p"}, cmds: []string{"create"}},
		{name: "local before", args: []string{"--may-exist", "add-br", "br0"}, cmds: []string{"add-br"}},
		{name: "abbrev", args: []string{"--no-w", "list-br"}, cmds: []string{"list-br"}},
		{name: "unknown", args: []string{"nosuch"}, err: "unknown command 'nosuch'; use --help for help"},
		{name: "too many", args: []string{"list-br", "x"}, err: "'list-br' command takes at most 0 arguments"},
		{name: "too few", args: []string{"add-br"}, err: "'add-br' command requires at least 1 arguments"},
		{name: "bad option", args: []string{"--bogus", "list-br"}, err: "unrecognized option '--bogus'"},
		{name: "ambiguous", args: []string{"--no", "list-br"}, err: "option '--no' is ambiguous"},
		{name: "wrong cmd option", args: []string{"--", "--may-exist", "list-br"}, err: "'list-br' command has no '--may-exist' option"},
		{name: "missing arg", args: []string{"--", "--id", "create", "port"}, err: "missing argument to '--id' option on 'create' command"},
		{name: "dup option", args: []string{"--", "--if-exists", "--if-exists", "del-br", "x"}, err: "'--if-exists' option specified multiple times"},
		{name: "no command", args: []string{"--no-wait"}, err: "missing command name (use --help for help)"},
		{name: "timeout", args: []string{"--timeout=x", "list-br"}, err: "value x on -t or --timeout is invalid"},
		{name: "short timeout", args: []string{"-t", "5", "list-br"}, cmds: []string{"list-br"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, rest, err := parseOptions("govs-vsctl", tc.args)
			var cmds []*command
			if err == nil {
				cmds, err = parseCommands(rest, o.local)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range cmds {
				names = append(names, c.args[0])
			}
			if strings.Join(names, " ") != strings.Join(tc.cmds, " ") {
				t.Fatalf("commands %v, want %v", names, tc.cmds)
			}
		})
	}
}

// FuzzParseValue checks that the value and column syntax parsers never
// panic and that whatever they accept prints back to something they
// accept with the same meaning.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"10", "[]", "1-3,7", "{a=b, c=\"x y\"}", "a=b", "\"\\n\"", "[1 2", "{=}", "@x", "trunks=1,2",
		"options:remote_ip=1.2.3.4", "tag{>=}5", "\\", "\"", "0x10", "-5--1", "9223372036854775807-9223372036854775807"} {
		f.Add(s)
	}
	s := schema.Vswitch()
	cols := []*schema.Column{
		s.Tables["Port"].Columns["tag"], s.Tables["Port"].Columns["trunks"], s.Tables["Interface"].Columns["options"],
		s.Tables["Bridge"].Columns["ports"], s.Tables["Bridge"].Columns["stp_enable"], s.Tables["Interface"].Columns["type"],
		s.Tables["Interface"].Columns["bfd_status"], s.Tables["Bridge"].Columns["fail_mode"],
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, c := range cols {
			d, err := parseDatum(&c.Type, in, newSymbolTable())
			if err != nil {
				continue
			}
			if d.Len() < c.Type.Min || d.Len() > c.Type.Max {
				t.Fatalf("%s: accepted %q with %d elements", c.Name, in, d.Len())
			}
			out := datumString(d, &c.Type)
			d2, err := parseDatum(&c.Type, out, newSymbolTable())
			if err != nil {
				t.Fatalf("%s: %q printed as %q which does not parse: %v", c.Name, in, out, err)
			}
			if !d.Equal(d2) {
				t.Fatalf("%s: %q → %q changed meaning", c.Name, in, out)
			}
		}
		_, _, _, _, _ = parseColumnKeyValue(in, s.Tables["Interface"], relops)
		_, _, _, _, _ = parseColumnKeyValue(in, s.Tables["Port"], nil)
		o, rest, err := parseOptions("govs-vsctl", strings.Fields(in))
		if err == nil {
			_, _ = parseCommands(rest, o.local)
		}
	})
}
