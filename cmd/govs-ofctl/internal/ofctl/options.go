package ofctl

import (
	"fmt"
	"strings"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
)

// Name tri-state values of --names / --no-names (ovs-ofctl use_names).
const (
	namesAuto = -1 // show names only on a terminal; accept them always
	namesOff  = 0
	namesOn   = 1
)

// sortCriterion is one --sort / --rsort key. field is nil for priority.
type sortCriterion struct {
	field *flowtable.Field
	desc  bool
}

// Options is the parsed command line before the command name.
type Options struct {
	Allowed   flowtable.Protocols // -O / --protocols
	Versions  uint32              // HELLO version bitmap (bit n = wire version n)
	Names     int                 // namesAuto, namesOff, namesOn
	ShowStats bool                // --stats (default) / --no-stats
	Strict    bool                // --strict
	Readd     bool                // --readd
	TimeoutS  uint64              // -t / --timeout seconds, 0 = none
	Sort      []sortCriterion     // --sort / --rsort, plus the final priority pass
	Help      bool                // -h / --help
	Version   bool                // -V / --version
	Args      []string            // command name and its arguments
}

// argKind says whether a long option takes an argument (getopt_long).
type argKind int

const (
	argNone argKind = iota
	argRequired
	argOptional
)

// longOpt is one entry of ovs-ofctl's long_options table. short is the
// equivalent short option or 0. supported=false options are recognized
// (so getopt errors match ovs-ofctl) but refused with a clear message.
type longOpt struct {
	name      string
	kind      argKind
	short     byte
	supported bool
}

// longOpts lists ovs-ofctl 3.1's options in its table order (getopt
// abbreviation resolution depends on the set, not the order).
var longOpts = []longOpt{
	{"timeout", argRequired, 't', true},
	{"strict", argNone, 0, true},
	{"readd", argNone, 0, true},
	{"flow-format", argRequired, 'F', false},
	{"packet-in-format", argRequired, 'P', false},
	{"more", argNone, 'm', false},
	{"timestamp", argNone, 0, false},
	{"sort", argOptional, 0, true},
	{"rsort", argOptional, 0, true},
	{"names", argNone, 0, true},
	{"no-names", argNone, 0, true},
	{"stats", argNone, 0, true},
	{"no-stats", argNone, 0, true},
	{"unixctl", argRequired, 0, false},
	{"help", argNone, 'h', true},
	{"option", argNone, 'o', false},
	{"bundle", argNone, 0, false},
	{"color", argOptional, 0, false},
	{"may-create", argNone, 0, false},
	{"pcap", argNone, 0, false},
	{"raw", argNone, 0, false},
	{"read-only", argNone, 0, false},
	{"detach", argNone, 0, false},
	{"no-chdir", argNone, 0, false},
	{"pidfile", argOptional, 0, false},
	{"overwrite-pidfile", argNone, 0, false},
	{"monitor", argNone, 0, false},
	{"user", argRequired, 0, false},
	{"version", argNone, 'V', true},
	{"protocols", argRequired, 'O', true},
	{"verbose", argOptional, 'v', false},
	{"log-file", argOptional, 0, false},
	{"syslog-method", argRequired, 0, false},
	{"syslog-target", argRequired, 0, false},
	{"private-key", argRequired, 'p', false},
	{"certificate", argRequired, 'c', false},
	{"ca-cert", argRequired, 'C', false},
	{"ssl-protocols", argRequired, 0, false},
	{"ssl-ciphers", argRequired, 0, false},
	{"peer-ca-cert", argRequired, 0, false},
	{"bootstrap-ca-cert", argRequired, 0, false},
}

// supportedVersions are the OpenFlow versions govs's codec speaks.
const supportedVersions = 1<<flowtable.OFVersion10 | 1<<flowtable.OFVersion13

// usageError is a getopt or option-value error: "govs-ofctl: MSG", exit 1.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// ParseArgs parses ovs-ofctl's command line (everything after the program
// name) like GNU getopt_long with argument permutation: options may follow
// the command and its arguments, "--" ends option processing, long options
// may be abbreviated to a unique prefix and take "=VALUE" or the next
// argument. It never panics; errors carry ovs-ofctl's message text.
func ParseArgs(args []string) (*Options, error) {
	o := &Options{
		Allowed:   flowsyntax.AllowedDefault,
		Versions:  1 << flowtable.OFVersion10,
		Names:     namesAuto,
		ShowStats: true,
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			n, err := o.parseLong(args, i)
			if err != nil {
				return nil, err
			}
			i += n
		case len(a) > 1 && a[0] == '-':
			n, err := o.parseShorts(args, i)
			if err != nil {
				return nil, err
			}
			i += n
		default:
			rest = append(rest, a)
		}
	}
	if len(o.Sort) > 0 {
		// ovs-ofctl always adds a final descending priority pass.
		o.Sort = append(o.Sort, sortCriterion{desc: true})
	}
	o.Args = rest
	return o, nil
}

// parseLong handles args[i] = "--name[=value]"; it returns how many extra
// arguments it consumed.
func (o *Options) parseLong(args []string, i int) (int, error) {
	body := args[i][2:]
	name, value, hasValue := strings.Cut(body, "=")
	opt, err := lookupLong(name)
	if err != nil {
		return 0, err
	}
	used := 0
	switch opt.kind {
	case argNone:
		if hasValue {
			return 0, usagef("option '--%s' doesn't allow an argument", opt.name)
		}
	case argRequired:
		if !hasValue {
			if i+1 >= len(args) {
				return 0, usagef("option '--%s' requires an argument", opt.name)
			}
			value, used = args[i+1], 1
		}
	}
	var vp *string
	if hasValue || used > 0 {
		vp = &value
	}
	return used, o.apply(opt, vp)
}

// lookupLong finds a long option by exact name or unique prefix.
func lookupLong(name string) (*longOpt, error) {
	var found *longOpt
	var matches []string
	for k := range longOpts {
		lo := &longOpts[k]
		if lo.name == name {
			return lo, nil
		}
		if name != "" && strings.HasPrefix(lo.name, name) {
			found = lo
			matches = append(matches, "'--"+lo.name+"'")
		}
	}
	switch len(matches) {
	case 0:
		return nil, usagef("unrecognized option '--%s'", name)
	case 1:
		return found, nil
	}
	return nil, usagef("option '--%s' is ambiguous; possibilities: %s", name, strings.Join(matches, " "))
}

// parseShorts handles a cluster of short options ("-t5", "-O", "OpenFlow13").
func (o *Options) parseShorts(args []string, i int) (int, error) {
	a := args[i]
	for j := 1; j < len(a); j++ {
		c := a[j]
		opt := shortOpt(c)
		if opt == nil {
			return 0, usagef("invalid option -- '%c'", c)
		}
		switch opt.kind {
		case argNone:
			if err := o.apply(opt, nil); err != nil {
				return 0, err
			}
		case argOptional:
			// getopt: an optional argument must be attached ("-vdbg").
			var vp *string
			if j+1 < len(a) {
				v := a[j+1:]
				vp = &v
			}
			return 0, o.apply(opt, vp)
		case argRequired:
			if j+1 < len(a) {
				v := a[j+1:]
				return 0, o.apply(opt, &v)
			}
			if i+1 >= len(args) {
				return 0, usagef("option requires an argument -- '%c'", c)
			}
			v := args[i+1]
			return 1, o.apply(opt, &v)
		}
	}
	return 0, nil
}

func shortOpt(c byte) *longOpt {
	for k := range longOpts {
		if longOpts[k].short == c {
			return &longOpts[k]
		}
	}
	return nil
}

// apply records one option. value is nil when none was given.
func (o *Options) apply(opt *longOpt, value *string) error {
	if !opt.supported {
		return usagef("option '--%s' is not supported by govs-ofctl", opt.name)
	}
	v := ""
	if value != nil {
		v = *value
	}
	switch opt.name {
	case "timeout":
		n, ok := flowtable.CStrToUint(v, 10)
		if !ok || n == 0 || n > maxTimeoutS {
			return usagef("value %s on -t or --timeout is invalid", v)
		}
		o.TimeoutS = n
	case "strict":
		o.Strict = true
	case "readd":
		o.Readd = true
	case "sort", "rsort":
		c := sortCriterion{desc: opt.name == "rsort"}
		if value != nil && !strings.EqualFold(v, "priority") {
			f := flowtable.FieldByName(v)
			if f == nil {
				return usagef("%s: unknown field name", v)
			}
			c.field = f
		}
		o.Sort = append(o.Sort, c)
	case "names":
		o.Names = namesOn
	case "no-names":
		o.Names = namesOff
	case "stats":
		o.ShowStats = true
	case "no-stats":
		o.ShowStats = false
	case "help":
		o.Help = true
	case "version":
		o.Version = true
	case "protocols":
		return o.setProtocols(v)
	}
	return nil
}

// maxTimeoutS bounds -t like str_to_uint (an unsigned int).
const maxTimeoutS = 1<<32 - 1

// setProtocols implements -O: a comma-separated list of OpenFlow versions.
func (o *Options) setProtocols(v string) error {
	allowed, err := flowsyntax.AllowedForVersions(v)
	if err != nil {
		return usagef("%s", err.Error())
	}
	var bits uint32
	for ver := flowtable.OFVersion10; ver <= flowtable.OFVersion15; ver++ {
		if allowed&flowtable.ProtocolsForVersion(ver) != 0 {
			bits |= 1 << uint(ver)
		}
	}
	if bits == 0 {
		return usagef("%s: no OpenFlow versions specified", v)
	}
	if bits&^supportedVersions != 0 {
		return usagef("%s: only OpenFlow10 and OpenFlow13 are supported by govs-ofctl", v)
	}
	o.Allowed, o.Versions = allowed, bits
	return nil
}
