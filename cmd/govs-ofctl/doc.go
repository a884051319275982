// Command govs-ofctl is a reimplementation of ovs-ofctl (Open vSwitch
// 3.1): same command syntax, OpenFlow messages on the wire (one
// short-lived connection per helper, the same xids, protocol upgrades
// and barriers), output, error text (prefixed "govs-ofctl: ") and exit
// statuses. All logic lives in internal/ofctl; this file wires os.Args,
// $OVS_RUNDIR, the standard streams and isatty(stdout) to ofctl.Run.
//
// Usage: govs-ofctl [OPTIONS] COMMAND SWITCH [ARG...] (see --help and
// ovs-ofctl(8)). Only OpenFlow 1.0 (default) and 1.3 (-O OpenFlow13) are
// spoken.
package main
