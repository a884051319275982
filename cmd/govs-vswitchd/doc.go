// Command govs-vswitchd is govs's drop-in for ovs-vswitchd: it reads the
// Open_vSwitch database and runs one userspace datapath per bridge.
//
//	govs-vswitchd [--rundir=DIR] [--dbdir=DIR] [--db=unix:PATH | DATABASE]
//	              [--pidfile[=FILE]] [--detach] [--log-file[=FILE]]
//	              [-v[SPEC] | --verbose[=SPEC]] [--metrics-addr=ADDR] [--workers=N]
//
// # Database modes
//
// Without --db (or a positional DATABASE), an embedded OVSDB server is
// started: it persists to <dbdir>/conf.db (govs's own log format, see
// ovsdb/storage), listens on punix:<rundir>/db.sock for ovs-vsctl, and
// the Open_vSwitch row is created if the database is empty (as
// `ovs-vsctl init`). With --db=unix:PATH the daemon is a client of an
// external server (e.g. the real ovsdb-server). Either way the
// reconciler (ofproto/reconcile) speaks OVSDB to it, holds the
// "ovs_vswitchd" lock and writes cur_cfg, so ovs-vsctl's wait returns.
//
// # Files
//
// rundir is $OVS_RUNDIR or /var/run/openvswitch; dbdir is $OVS_DBDIR or
// /etc/openvswitch (Debian's layout). The unixctl socket is
// <rundir>/govs-vswitchd.<pid>.ctl: `ovs-appctl -t <that path> CMD` and
// `govs-appctl CMD` (which reads <rundir>/govs-vswitchd.pid) both work;
// `ovs-appctl -t govs-vswitchd` works when OVS_RUNDIR names the rundir and
// --pidfile was given. The log file defaults to
// $OVS_LOGDIR/govs-vswitchd.log (/var/log/openvswitch).
//
// # OpenFlow
//
// Every bridge runs the OpenFlow pipeline (reconcile.OFPipeline: tables
// plus ofproto/xlate; fail_mode standalone starts with
// "priority=0 actions=NORMAL", secure with no flows, a fail_mode change
// flushes) and serves OpenFlow (ofproto/ofserver) on
// punix:<rundir>/<bridge>.mgmt, so `ovs-ofctl dump-flows BR` and
// `govs-ofctl` work. Flow mods are applied to the tables and made
// effective in the datapath (Bridge.Revalidate) before BARRIER_REPLY;
// port additions, deletions and changes send PORT_STATUS; expired rules
// with send_flow_rem send FLOW_REMOVED; the controller action sends
// PACKET_IN; PACKET_OUT runs its actions through ofproto/xlate and
// datapath.Execute (output:TABLE through the tables); PORT_MOD sets the
// bridge's port config bits (no-receive, no-forward, no-flood...) and
// turns the device up or down (PORT_DOWN = its IFF_UP, as OVS).
// Controller rows (`ovs-vsctl set-controller BR tcp:IP:PORT | ptcp:PORT[:IP]
// | unix: | punix:`) are connected to or listened on as controller
// connections (ssl: is refused in the log); Controller.is_connected is
// written back with the other status columns. A standalone bridge whose
// active controllers have all been unreachable for three inactivity
// probes (15 s by default) fails open, as OVS: a hidden catch-all NORMAL
// rule of priority 15790320 outranks every flow until a controller
// connects; a secure bridge never does.
// The socket is removed when the bridge is deleted or the daemon stops.
//
// # unixctl commands
//
// exit, version, list-commands, vlog/set, vlog/list, vlog/reopen,
// ofproto/list, dpctl/dump-flows [--names] [dp], dpif-netdev/pmd-stats-show
// [dp], fdb/show BR, fdb/flush [BR], bridge/dump-flows BR, ofproto/trace
// BR FLOW [-generate|PACKET] (OVS's syntax, messages and text: the flow in
// ovs-ofctl syntax with port names, exact fields only; -generate or a hex
// packet lets NORMAL learn; datapath-flow syntax and the --ct-next/--l7
// options are refused naming them), tnl/ports/show [-v] (the hidden
// underlay ports of tunnel ports). A dp argument
// is a bridge name ("netdev@BR" too); "ovs-netdev" or none means all
// bridges (govs has one datapath per bridge where OVS shares one).
//
// # Metrics
//
// --metrics-addr (default 127.0.0.1:9476, loopback only; "" disables)
// serves Prometheus text at /metrics: each bridge's datapath collector
// labelled bridge=<name>, and the Go/process collectors.
//
// # Lifetime
//
// SIGTERM, SIGINT and `exit` shut down cleanly, in reverse start order:
// unixctl socket, reconciler and bridges (OpenFlow servers and .mgmt
// sockets, ports closed, TAP devices removed), metrics, OVSDB server and db.sock, database log (flushed),
// pidfile. A restart restores every bridge and port from the database
// (ofports are kept: the stored ofport is reused). After kill -9 the TAP
// devices disappear with the process (they are not persistent) and
// stale sockets are replaced at the next start. --detach re-executes the
// program in a new session and returns once the child serves.
package main
