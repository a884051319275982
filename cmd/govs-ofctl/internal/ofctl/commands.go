package ofctl

import (
	"fmt"
	"io"
	"math"
	"strings"

	"govs/ofproto/ofp"
)

// command is one entry of ovs-ofctl's all_commands table.
type command struct {
	name    string
	usage   string
	minArgs int
	maxArgs int
	run     func(s *Session, args []string) error // nil: known but not supported
}

// unbounded is INT_MAX in the command table.
const unbounded = math.MaxInt32

var commands []command

func init() {
	commands = []command{
		{"show", "switch", 1, 1, (*Session).cmdShow},
		{"monitor", "switch [misslen] [invalid_ttl] [watch:[...]]", 1, 3, nil},
		{"snoop", "switch", 1, 1, nil},
		{"dump-desc", "switch", 1, 1, (*Session).cmdDumpDesc},
		{"dump-tables", "switch", 1, 1, (*Session).cmdDumpTables},
		{"dump-table-features", "switch", 1, 1, (*Session).cmdDumpTableFeatures},
		{"dump-table-desc", "switch", 1, 1, nil},
		{"dump-flows", "switch", 1, 2, (*Session).cmdDumpFlows},
		{"dump-aggregate", "switch", 1, 2, (*Session).cmdDumpAggregate},
		{"queue-stats", "switch [port [queue]]", 1, 3, nil},
		{"queue-get-config", "switch [port [queue]]", 1, 3, nil},
		{"add-flow", "switch flow", 2, 2, (*Session).cmdAddFlow},
		{"add-flows", "switch file", 2, 2, (*Session).cmdAddFlows},
		{"mod-flows", "switch flow", 2, 2, (*Session).cmdModFlows},
		{"del-flows", "switch [flow]", 1, 2, (*Session).cmdDelFlows},
		{"replace-flows", "switch file", 2, 2, nil},
		{"diff-flows", "source1 source2", 2, 2, nil},
		{"add-meter", "switch meter", 2, 2, nil},
		{"mod-meter", "switch meter", 2, 2, nil},
		{"del-meter", "switch meter", 1, 2, nil},
		{"del-meters", "switch", 1, 2, nil},
		{"dump-meter", "switch meter", 1, 2, nil},
		{"dump-meters", "switch", 1, 2, nil},
		{"meter-stats", "switch [meter]", 1, 2, nil},
		{"meter-features", "switch", 1, 1, nil},
		{"packet-out", "switch \"in_port=<port> packet=<hex data> actions=...\"", 2, unbounded, (*Session).cmdPacketOut},
		{"dump-ports", "switch [port]", 1, 2, (*Session).cmdDumpPorts},
		{"dump-ports-desc", "switch [port]", 1, 2, (*Session).cmdDumpPortsDesc},
		{"mod-port", "switch iface act", 3, 3, (*Session).cmdModPort},
		{"mod-table", "switch mod", 3, 3, nil},
		{"get-frags", "switch", 1, 1, (*Session).cmdGetFrags},
		{"set-frags", "switch frag_mode", 2, 2, nil},
		{"probe", "target", 1, 1, (*Session).cmdProbe},
		{"ping", "target [n]", 1, 2, nil},
		{"benchmark", "target n count", 3, 3, nil},
		{"dump-ipfix-bridge", "switch", 1, 1, nil},
		{"dump-ipfix-flow", "switch", 1, 1, nil},
		{"ct-flush-zone", "switch zone", 2, 2, nil},
		{"ct-flush", "switch [zone=N] [ct-orig-tuple [ct-reply-tuple]]", 1, 4, nil},
		{"ofp-parse", "file", 1, 1, nil},
		{"ofp-parse-pcap", "pcap", 1, unbounded, nil},
		{"add-group", "switch group", 1, 2, nil},
		{"add-groups", "switch file", 2, 2, nil},
		{"mod-group", "switch group", 1, 2, nil},
		{"del-groups", "switch [group]", 1, 2, nil},
		{"insert-buckets", "switch [group]", 1, 2, nil},
		{"remove-buckets", "switch [group]", 1, 2, nil},
		{"dump-groups", "switch [group]", 1, 2, nil},
		{"dump-group-stats", "switch [group]", 1, 2, nil},
		{"dump-group-features", "switch", 1, 1, nil},
		{"bundle", "switch file", 2, 2, nil},
		{"add-tlv-map", "switch map", 2, 2, (*Session).cmdAddTLVMap},
		{"del-tlv-map", "switch [map]", 1, 2, (*Session).cmdDelTLVMap},
		{"dump-tlv-map", "switch", 1, 1, (*Session).cmdDumpTLVMap},
		{"help", "", 0, unbounded, (*Session).cmdHelp},
		{"list-commands", "", 0, unbounded, (*Session).cmdListCommands},
		{"parse-flow", "", 1, 1, (*Session).cmdParseFlow},
	}
}

// dispatch runs the command in s.opt.Args (ovs_cmdl_run_command).
func (s *Session) dispatch() error {
	if s.opt.Help {
		return s.cmdHelp(nil)
	}
	if s.opt.Version {
		_, err := io.WriteString(s.stdout, versionText)
		return err
	}
	args := s.opt.Args
	if len(args) == 0 {
		return fatalf("missing command name; use --help for help")
	}
	for i := range commands {
		c := &commands[i]
		if c.name != args[0] {
			continue
		}
		n := len(args) - 1
		switch {
		case n < c.minArgs:
			return fatalf("'%s' command requires at least %d arguments", c.name, c.minArgs)
		case n > c.maxArgs:
			return fatalf("'%s' command takes at most %d arguments", c.name, c.maxArgs)
		case c.run == nil:
			return fatalf("'%s' command is not supported by govs-ofctl", c.name)
		}
		return c.run(s, args)
	}
	return fatalf("unknown command '%s'; use --help for help", args[0])
}

const versionText = "govs-ofctl (govs) compatible with ovs-ofctl (Open vSwitch) 3.1.0\n" +
	"OpenFlow versions 0x1:0x4 (0x1 and 0x4 only)\n"

func (s *Session) cmdHelp(_ []string) error {
	var b strings.Builder
	b.WriteString("govs-ofctl: OpenFlow switch management utility (ovs-ofctl 3.1 compatible)\n")
	b.WriteString("usage: govs-ofctl [OPTIONS] COMMAND [ARG...]\n\nCommands supported:\n")
	for _, c := range commands {
		if c.run != nil && c.usage != "" {
			fmt.Fprintf(&b, "  %s %s\n", c.name, c.usage)
		}
	}
	b.WriteString("\nSWITCH is a bridge name (unix:$OVS_RUNDIR/BRIDGE.mgmt), a socket path,\n" +
		"unix:PATH or tcp:IP[:PORT] (port 6653 by default).\n\nOptions:\n" +
		"  --strict                    use strict match for flow commands\n" +
		"  --readd                     accepted for compatibility\n" +
		"  -O, --protocols=VERSIONS    OpenFlow10 and/or OpenFlow13\n" +
		"  --names, --no-names         show/accept port names\n" +
		"  --stats, --no-stats         show flow statistics\n" +
		"  --sort[=FIELD], --rsort[=FIELD]  sort dump-flows output\n" +
		"  -t, --timeout=SECS          give up after SECS seconds\n" +
		"  -h, --help                  display this help message\n" +
		"  -V, --version               display version information\n")
	_, err := io.WriteString(s.stdout, b.String())
	return err
}

func (s *Session) cmdListCommands(_ []string) error {
	var b strings.Builder
	b.WriteString("The available commands are:\n")
	for _, c := range commands {
		if c.run != nil && c.usage != "" {
			fmt.Fprintf(&b, "  %-23s %s\n", c.name, c.usage)
		}
	}
	_, err := io.WriteString(s.stdout, b.String())
	return err
}

// cmdDumpTableFeatures checks the version as ovs-ofctl does; printing the
// OpenFlow 1.3 table features is not implemented.
func (s *Session) cmdDumpTableFeatures(args []string) error {
	c, err := s.open(args[1])
	if err != nil {
		return err
	}
	defer c.close()
	if c.version < ofp.Version13 {
		return fatalf("%s needs OpenFlow 1.3 or later ('-O OpenFlow13')", args[0])
	}
	return fatalf("'%s' output is not supported by govs-ofctl", args[0])
}
