// Package ofctl implements govs-ofctl, a reimplementation of Open vSwitch
// 3.1's ovs-ofctl: the same command line (GNU getopt_long parsing with
// permutation and abbreviations), the same OpenFlow messages on the wire,
// the same text on stdout/stderr ("govs-ofctl: " instead of "ovs-ofctl: ")
// and the same exit statuses. Run is the whole program.
//
// # Model
//
// A Session is one invocation. Like ovs-ofctl it opens a new short-lived
// connection (HELLO, version negotiation) for every helper: the table map
// (OFPST_TABLE before OpenFlow 1.3, OFPMP_TABLE_FEATURES from 1.3), the
// port map (FEATURES_REQUEST / OFPMP_PORT_DESC), then the request itself.
// xids come from one per-process counter that also numbers HELLOs, so a
// command's replies carry the xids ovs-ofctl prints. Names are accepted
// on input unless --no-names and shown only with --names or when stdout
// is a terminal (Env.StdoutIsTTY); the maps are cached per target name and
// fetched at the moment ovs-ofctl fetches them (gcc evaluates
// ports_to_accept/tables_to_accept arguments right to left: tables first).
// Flow mods pick their protocol as open_vconn_for_flow_mod (keep the
// HELLO protocol if it can express the flow, else upgrade with
// NXT_SET_FLOW_FORMAT / NXT_FLOW_MOD_TABLE_ID, an error reply meaning "try
// the next one"); dumps try OF1.3 then NXM then plain OpenFlow 1.0. Every
// flow mod, port mod and packet out is followed by a barrier; an OFPT_ERROR
// reply is printed to stderr as ofp_print does and the exit status is 1.
//
// Target resolution: a name with ':' is a vconn (unix:PATH,
// tcp:IP[:PORT], port 6653 by default); otherwise unix:NAME,
// unix:RUNDIR/NAME.mgmt and unix:RUNDIR/DP.mgmt are tried in that order
// (RUNDIR = Env.Rundir, $OVS_RUNDIR, default /var/run/openvswitch).
//
// # Scope
//
// Only OpenFlow 1.0 and 1.3 are spoken (the govs/ofproto/ofp codec);
// other -O versions are refused naming the version. Implemented commands:
// show, dump-desc, dump-tables, dump-ports, dump-ports-desc, mod-port,
// dump-flows (with --sort/--rsort/--names/--no-stats), dump-aggregate,
// add-flow, add-flows (FILE or -), mod-flows, del-flows (--strict),
// packet-out (both syntaxes; pipeline fields other than in_port are
// refused), get-frags, probe, parse-flow, help, list-commands. The other
// ovs-ofctl commands and options are recognized and refused with
// "... is not supported by govs-ofctl" (dump-table-features checks the
// version first, as ovs-ofctl does).
//
// # Ownership, concurrency, allocation
//
// Everything runs on the calling goroutine; a Session is not safe for
// concurrent use, distinct Sessions are independent (no global mutable
// state). This is control-path code: it allocates freely and no function
// here runs per packet. Errors never panic: malformed replies become
// "received bad reply" or "***decode error***" text.
package ofctl
