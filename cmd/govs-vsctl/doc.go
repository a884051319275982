// Command govs-vsctl is a reimplementation of ovs-vsctl (Open vSwitch
// 3.1): same syntax, output, error messages and exit statuses, against
// the real ovsdb-server or govs's own OVSDB server. All logic lives in
// package govs/ovsdb/vsctl (see its documentation for the transaction
// model); this command only wires os.Args and the standard streams to
// vsctl.Run and, when --timeout expires, ends the process by SIGALRM as
// ovs-vsctl does (shell status 142).
//
// Usage: govs-vsctl [OPTIONS] COMMAND [ARG...] [-- COMMAND [ARG...]]...
// (see "govs-vsctl --help" and ovs-vsctl(8)).
package main
