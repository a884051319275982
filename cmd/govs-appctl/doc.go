// Command govs-appctl sends one unixctl command to a govs daemon, as
// ovs-appctl does: `govs-appctl [-t TARGET] [--timeout=SECS] COMMAND [ARG...]`.
//
// TARGET is a socket path (anything containing "/") or a program name
// whose pid is read from <rundir>/<name>.pid (default govs-vswitchd;
// rundir is $OVS_RUNDIR or /var/run/openvswitch). The reply text goes to
// stdout. Exit codes are ovs-appctl's: 0 on success, 2 when the server
// returned an error (its text on stderr, then
// "govs-appctl: <target>: server returned an error"), 1 when the target
// cannot be reached or the command line is wrong.
package main
