// Package vsctl is govs-vsctl: a reimplementation of Open vSwitch 3.1's
// ovs-vsctl with the same command-line syntax, output formats, error
// messages and exit statuses, usable against the real ovsdb-server or
// govs's own OVSDB server (package govs/ovsdb/server).
//
// Model (as utilities/ovs-vsctl.c and lib/db-ctl-base.c): Run connects
// with package client, starts one monitor_cond on every table and column
// of Open_vSwitch and keeps a replica of the database. Each attempt runs
// every "--"-separated command against a private view of a snapshot
// (reads, writes, inserts, deletes, and "verify" of the columns the
// decision depended on), then commits one transaction: "wait" ops for
// the verified columns, insert/update ops (deletes only for root tables;
// the server garbage-collects the rest), the "next_cfg += 1" mutation
// and its read-back unless --no-wait, and a comment. A "timed out" wait
// means another client changed those rows: the attempt is rerun on the
// updated replica. After a successful commit the outputs are printed
// and, unless --no-wait, Run waits until Open_vSwitch.cur_cfg reaches
// the new next_cfg (bounded by --timeout, whose expiry ends the process
// with SIGALRM like ovs-vsctl).
//
// Errors are returned as values and printed once as "<prog>: <message>"
// with status 1; br-exists exits 2; --timeout gives ExitTimeout.
//
// Concurrency and ownership: Run is synchronous. Monitor updates arrive
// on the client's reader goroutine and are applied to the replica under
// replica.mu; commands only see immutable snapshots (row maps are
// replaced, never modified in place). Nothing is shared between Runs.
//
// Allocation: config-plane code; it allocates freely.
//
// Supported commands: init, show, add-br (also VLAN bridges), del-br,
// list-br, br-exists, br-to-vlan, br-to-parent, br-set-external-id,
// br-get-external-id, list-ports, add-port, add-bond, del-port,
// port-to-br, list-ifaces, iface-to-br, get/set/del-controller,
// get/set/del-fail-mode, get/set/del-manager, and the database commands
// get, set, add, remove, clear, list, find, create, destroy, wait-until,
// comment. Recognised but refused with "'<cmd>' command is not supported
// by govs-vsctl": add-bond-iface, del-bond-iface, get/set/del-ssl, the
// Auto Attach, zone and datapath-capability commands, emer-reset; the
// SSL connection options are refused likewise.
package vsctl
