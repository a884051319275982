package vsctl

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// argKind says whether a long option takes an argument (getopt_long).
type argKind int

const (
	argNone argKind = iota
	argRequired
	argOptional
)

type longOpt struct {
	name  string
	arg   argKind
	short byte // 0 if none
	local bool // a command option given before the first command
}

// globalOpts are ovs-vsctl's global options (parse_options), including
// the logging, table and SSL option families it accepts.
var globalOpts = []longOpt{
	{name: "db", arg: argRequired},
	{name: "no-syslog"},
	{name: "no-wait"},
	{name: "dry-run"},
	{name: "oneline"},
	{name: "timeout", arg: argRequired, short: 't'},
	{name: "retry"},
	{name: "help", short: 'h'},
	{name: "commands"},
	{name: "options"},
	{name: "leader-only"},
	{name: "no-leader-only"},
	{name: "shuffle-remotes"},
	{name: "no-shuffle-remotes"},
	{name: "version", short: 'V'},
	{name: "verbose", arg: argOptional, short: 'v'},
	{name: "log-file", arg: argOptional},
	{name: "syslog-method", arg: argRequired},
	{name: "syslog-target", arg: argRequired},
	{name: "format", arg: argRequired, short: 'f'},
	{name: "data", arg: argRequired, short: 'd'},
	{name: "no-headings"},
	{name: "pretty"},
	{name: "bare"},
	{name: "max-column-width", arg: argRequired},
	{name: "private-key", arg: argRequired, short: 'p'},
	{name: "certificate", arg: argRequired, short: 'c'},
	{name: "ca-cert", arg: argRequired, short: 'C'},
	{name: "ssl-protocols", arg: argRequired},
	{name: "ssl-ciphers", arg: argRequired},
	{name: "bootstrap-ca-cert", arg: argRequired},
	{name: "peer-ca-cert", arg: argRequired},
}

// tableFormat and cellFormat select list/find output (lib/table.c).
type tableFormat int

const (
	formatList tableFormat = iota
	formatTable
	formatCSV
	formatJSON
	formatHTML
)

type cellFormat int

const (
	cellString cellFormat = iota
	cellBare
	cellJSON
)

// style is the table output style.
type style struct {
	format         tableFormat
	cell           cellFormat
	headings       bool
	pretty         bool
	maxColumnWidth int
}

// options are the parsed global options.
type options struct {
	db      string
	noWait  bool
	dryRun  bool
	oneline bool
	timeout uint64 // seconds, 0 = none
	help    bool
	version bool
	style   style
	// local holds command options given before the first command, in
	// order, as "--name" → value (nil if none).
	local []localOpt
}

type localOpt struct {
	name  string
	value *string
}

// usageError is a command-line error; Main prints it like ctl_fatal.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func errorf(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// allOptions returns the global options plus every command option.
func allOptions() []longOpt {
	out := append([]longOpt{}, globalOpts...)
	seen := map[string]bool{}
	for _, o := range globalOpts {
		seen[o.name] = true
	}
	names := make([]string, 0, len(commandTable))
	for n := range commandTable {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, spec := range splitOptions(commandTable[n].options) {
			name := strings.TrimPrefix(spec, "--")
			kind := argNone
			switch {
			case strings.HasSuffix(name, "="):
				kind, name = argRequired, strings.TrimSuffix(name, "=")
			case strings.HasSuffix(name, "?"):
				kind, name = argOptional, strings.TrimSuffix(name, "?")
			}
			if !seen[name] {
				seen[name] = true
				out = append(out, longOpt{name: name, arg: kind, local: true})
			}
		}
	}
	return out
}

func splitOptions(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// parseOptions parses the global options like getopt_long with a "+"
// short-option string: it stops at the first non-option or after "--".
// It returns the remaining arguments.
func parseOptions(prog string, args []string) (*options, []string, error) {
	o := &options{style: style{headings: true}}
	opts := allOptions()
	i := 0
	for i < len(args) {
		a := args[i]
		if a == "--" {
			i++
			break
		}
		if len(a) < 2 || a[0] != '-' {
			break
		}
		i++
		if strings.HasPrefix(a, "--") {
			body := a[2:]
			name, val, hasVal := strings.Cut(body, "=")
			opt, err := lookupLong(opts, name, a)
			if err != nil {
				return nil, nil, err
			}
			var value *string
			switch opt.arg {
			case argNone:
				if hasVal {
					return nil, nil, errorf("option '--%s' doesn't allow an argument", opt.name)
				}
			case argRequired:
				if !hasVal {
					if i >= len(args) {
						return nil, nil, errorf("option '--%s' requires an argument", opt.name)
					}
					val = args[i]
					i++
				}
				value = &val
			case argOptional:
				if hasVal {
					value = &val
				}
			}
			if err := o.apply(opt, value); err != nil {
				return nil, nil, err
			}
			continue
		}
		// A cluster of short options.
		for j := 1; j < len(a); j++ {
			c := a[j]
			var opt *longOpt
			for k := range opts {
				if opts[k].short == c {
					opt = &opts[k]
				}
			}
			if opt == nil {
				return nil, nil, errorf("invalid option -- '%c'", c)
			}
			var value *string
			if opt.arg != argNone {
				rest := a[j+1:]
				switch {
				case rest != "":
					value = &rest
				case opt.arg == argRequired:
					if i >= len(args) {
						return nil, nil, errorf("option requires an argument -- '%c'", c)
					}
					v := args[i]
					i++
					value = &v
				}
				j = len(a)
			}
			if err := o.apply(opt, value); err != nil {
				return nil, nil, err
			}
		}
	}
	return o, args[i:], nil
}

// lookupLong finds a long option by exact name or unique prefix.
func lookupLong(opts []longOpt, name, arg string) (*longOpt, error) {
	var matches []*longOpt
	for k := range opts {
		if opts[k].name == name {
			return &opts[k], nil
		}
		if strings.HasPrefix(opts[k].name, name) {
			matches = append(matches, &opts[k])
		}
	}
	switch {
	case len(matches) == 1 && name != "":
		return matches[0], nil
	case len(matches) > 1 && name != "":
		var b strings.Builder
		fmt.Fprintf(&b, "option '--%s' is ambiguous; possibilities:", name)
		for _, m := range matches {
			fmt.Fprintf(&b, " '--%s'", m.name)
		}
		return nil, errorf("%s", b.String())
	}
	return nil, errorf("unrecognized option '%s'", arg)
}

func (o *options) apply(opt *longOpt, value *string) error {
	if opt.local {
		for _, l := range o.local {
			if l.name == "--"+opt.name {
				return errorf("'%s' option specified multiple times", opt.name)
			}
		}
		o.local = append(o.local, localOpt{name: "--" + opt.name, value: value})
		return nil
	}
	switch opt.name {
	case "db":
		o.db = *value
	case "no-wait":
		o.noWait = true
	case "dry-run":
		o.dryRun = true
	case "oneline":
		o.oneline = true
	case "timeout":
		n, err := strconv.ParseInt(strings.TrimSpace(*value), 10, 64)
		if err != nil || n <= 0 || n > int64(^uint32(0)) {
			return errorf("value %s on -t or --timeout is invalid", *value)
		}
		o.timeout = uint64(n)
	case "help":
		o.help = true
	case "version":
		o.version = true
	case "format":
		switch *value {
		case "table":
			o.style.format = formatTable
		case "list":
			o.style.format = formatList
		case "html":
			o.style.format = formatHTML
		case "csv":
			o.style.format = formatCSV
		case "json":
			o.style.format = formatJSON
		default:
			return errorf("unknown output format \"%s\"", *value)
		}
	case "data":
		switch *value {
		case "string":
			o.style.cell = cellString
		case "bare":
			o.style.cell = cellBare
		case "json":
			o.style.cell = cellJSON
		default:
			return errorf("unknown data format \"%s\"", *value)
		}
	case "no-headings":
		o.style.headings = false
	case "pretty":
		o.style.pretty = true
	case "bare":
		o.style.format = formatList
		o.style.cell = cellBare
		o.style.headings = false
	case "max-column-width":
		n, _ := strconv.Atoi(*value)
		o.style.maxColumnWidth = n
	case "private-key", "certificate", "ca-cert", "ssl-protocols", "ssl-ciphers", "bootstrap-ca-cert", "peer-ca-cert":
		return errorf("SSL options are not supported by this build (option --%s)", opt.name)
	}
	// Logging, syslog, retry, leader and shuffle options are accepted and
	// have no effect here.
	return nil
}

// command is one parsed command of the "--"-separated list.
type command struct {
	syntax *cmdSyntax
	args   []string // args[0] is the command name
	opts   []localOpt
	output strings.Builder
	table  *outTable
}

func (c *command) has(name string) bool {
	for _, o := range c.opts {
		if o.name == name {
			return true
		}
	}
	return false
}

func (c *command) value(name string) (string, bool) {
	for _, o := range c.opts {
		if o.name == name && o.value != nil {
			return *o.value, true
		}
	}
	return "", false
}

// parseCommands splits args on "--" and parses each command
// (ctl_parse_commands).
func parseCommands(args []string, local []localOpt) ([]*command, error) {
	var cmds []*command
	start := 0
	for i := 0; i <= len(args); i++ {
		if i < len(args) && args[i] != "--" {
			continue
		}
		if i > start {
			c, err := parseCommand(args[start:i], local)
			if err != nil {
				return nil, err
			}
			local = nil
			cmds = append(cmds, c)
		} else if len(local) > 0 {
			return nil, errorf("missing command name (use --help for help)")
		}
		start = i + 1
	}
	if len(cmds) == 0 {
		return nil, errorf("missing command name (use --help for help)")
	}
	return cmds, nil
}

func parseCommand(args []string, local []localOpt) (*command, error) {
	c := &command{opts: append([]localOpt{}, local...)}
	i := 0
	for ; i < len(args); i++ {
		a := args[i]
		if a == "" || a[0] != '-' {
			break
		}
		name, val, hasVal := strings.Cut(a, "=")
		for _, o := range c.opts {
			if o.name == name {
				return nil, errorf("'%s' option specified multiple times", a)
			}
		}
		var value *string
		if hasVal {
			v := val
			value = &v
		}
		c.opts = append(c.opts, localOpt{name: name, value: value})
	}
	if i == len(args) {
		return nil, errorf("missing command name (use --help for help)")
	}
	syn := commandTable[args[i]]
	if syn == nil {
		return nil, errorf("unknown command '%s'; use --help for help", args[i])
	}
	for _, o := range sortedOpts(c.opts) {
		end := optionEnd(syn.options, o.name)
		if end < 0 {
			return nil, errorf("'%s' command has no '%s' option", args[i], o.name)
		}
		if end != '?' && (end == '=') != (o.value != nil) {
			if end == '=' {
				return nil, errorf("missing argument to '%s' option on '%s' command", o.name, args[i])
			}
			return nil, errorf("'%s' option on '%s' does not accept an argument", o.name, args[i])
		}
	}
	n := len(args) - i - 1
	if n < syn.min {
		return nil, errorf("'%s' command requires at least %d arguments", syn.name, syn.min)
	}
	if n > syn.max {
		for _, a := range args[i+1:] {
			if strings.HasPrefix(a, "-") {
				return nil, errorf("'%s' command takes at most %d arguments (note that options must precede command names and follow a \"--\" argument)", syn.name, syn.max)
			}
		}
		return nil, errorf("'%s' command takes at most %d arguments", syn.name, syn.max)
	}
	c.syntax = syn
	c.args = args[i:]
	return c, nil
}

// sortedOpts orders options by name, as the C shash iteration order is
// unspecified and only the first error is reported.
func sortedOpts(in []localOpt) []localOpt {
	out := append([]localOpt{}, in...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].name < out[b].name })
	return out
}

// optionEnd finds name in a command's option string and returns the
// character after it ('=', '?', ',' or ' ' for end), or -1 if absent
// (strstr semantics, as in parse_command).
func optionEnd(spec, name string) int {
	i := strings.Index(spec, name)
	if i < 0 {
		return -1
	}
	rest := spec[i+len(name):]
	if rest == "" {
		return ' '
	}
	if strings.IndexByte("=,?", rest[0]) < 0 {
		return -1
	}
	return int(rest[0])
}
