package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"govs/ofproto/unixctl"
)

// Exit codes, as ovs-appctl.
const (
	exitOK          = 0
	exitFailure     = 1
	exitServerError = 2
)

const (
	defaultTarget = "govs-vswitchd"
	defaultRundir = "/var/run/openvswitch"
	programName   = "govs-appctl"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// rundir returns $OVS_RUNDIR or the Debian default.
func rundir() string {
	if d := os.Getenv("OVS_RUNDIR"); d != "" {
		return d
	}
	return defaultRundir
}

const usage = `govs-appctl, for querying and controlling govs daemons
usage: govs-appctl [TARGET] COMMAND [ARG...]
Targets:
  -t, --target=TARGET  pidfile or socket to contact
Other options:
  --timeout=SECS     wait at most SECS seconds for a response
  -h, --help         Print this helpful information
`

// run is main without os.Exit, for tests.
func run(args []string, stdout, stderr io.Writer) int {
	target := defaultTarget
	var timeout time.Duration
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		args = args[1:]
		name, val, hasVal := strings.Cut(a, "=")
		switch name {
		case "-t", "--target":
			if !hasVal {
				if len(args) == 0 {
					fmt.Fprintf(stderr, "%s: option '%s' requires an argument\n", programName, name)
					return exitFailure
				}
				val, args = args[0], args[1:]
			}
			target = val
		case "-T", "--timeout":
			if !hasVal {
				if len(args) == 0 {
					fmt.Fprintf(stderr, "%s: option '%s' requires an argument\n", programName, name)
					return exitFailure
				}
				val, args = args[0], args[1:]
			}
			secs, err := strconv.Atoi(val)
			if err != nil || secs < 0 {
				fmt.Fprintf(stderr, "%s: value %s on --timeout is invalid\n", programName, val)
				return exitFailure
			}
			timeout = time.Duration(secs) * time.Second
		case "-h", "--help":
			fmt.Fprint(stdout, usage)
			return exitOK
		case "-V", "--version":
			fmt.Fprintf(stdout, "%s (govs)\n", programName)
			return exitOK
		default:
			fmt.Fprintf(stderr, "%s: unrecognized option '%s'\n", programName, a)
			return exitFailure
		}
	}
	if len(args) == 0 {
		fmt.Fprintf(stderr, "%s: at least one non-option argument is required (use --help for help)\n", programName)
		return exitFailure
	}
	path, err := unixctl.ResolveTarget(rundir(), target)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", programName, err)
		return exitFailure
	}
	ctx := context.Background()
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	c, err := unixctl.Dial(ctx, path)
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot connect to \"%s\" (%s)\n", programName, path, unixctl.Strerror(err))
		return exitFailure
	}
	defer c.Close()
	rep, err := c.Call(ctx, args[0], args[1:])
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s: transaction error (%v)\n", programName, path, err)
		return exitFailure
	}
	if rep.Failed {
		fmt.Fprint(stderr, rep.Error)
		fmt.Fprintf(stderr, "%s: %s: server returned an error\n", programName, path)
		return exitServerError
	}
	fmt.Fprint(stdout, rep.Result)
	return exitOK
}
