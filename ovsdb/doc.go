// Package ovsdb is the root of govs's OVSDB implementation: the
// configuration database protocol (RFC 7047 plus Open vSwitch's
// extensions) that ovs-vsctl, ovsdb-client and govs-vswitchd speak. It is
// a top-level directory because the config database is neither datapath
// nor OpenFlow.
//
// Packages, one concern each:
//
//	schema   .ovsschema parsing, atoms/datums/UUIDs, JSON encodings,
//	         constraint checks; embeds Open_vSwitch 8.3.x and _Server
//	jsonrpc  JSON-RPC 1.0 stream framing, bounded messages and send queues
//	db       in-memory database, transaction engine, monitors
//	storage  durable append-only log (<dbdir>/conf.db) with group commit
//	server   the OVSDB server (sockets, sessions, locks, _Server)
//	client   the OVSDB client (transact, monitor_cond(_since), locks)
//
// The on-disk format is govs's own, not ovsdb-tool's (see package storage).
package ovsdb
