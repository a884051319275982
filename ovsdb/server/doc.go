// Package server is an OVSDB server (RFC 7047 plus Open vSwitch's
// extensions): list_dbs, get_schema, transact, monitor, monitor_cond,
// monitor_cond_since, monitor_cond_change, monitor_cancel, lock, steal,
// unlock, echo and set_db_change_aware, with the "_Server" database
// (table Database: name, model "standalone", connected, leader, schema)
// that ovs-vsctl and ovsdb-client monitor.
//
// Concurrency: Serve runs one goroutine per connection which reads and
// handles that connection's requests strictly in order (a transact reply
// is sent before the next request is read). Transactions from all
// connections are serialised by the database's own mutex (package db).
// Replies and notifications are queued on the connection's bounded send
// queue (package jsonrpc): a client that stops reading is disconnected
// instead of stalling commits or other clients. Monitor updates are
// queued in commit order; a monitor's initial reply is always sent before
// its first update.
//
// Deviation: a transact whose "wait" op has a non-zero timeout blocks the
// rest of that connection's requests until it completes (ovsdb-server
// keeps reading); other connections are unaffected. Server.Close cancels
// such waits.
//
// Locks (OVSDB "lock" method) are server-wide, guarded by Server.locks.mu;
// a connection's locks are released when it closes.
//
// Durability: a transact reply is sent only after the commit is durable
// (see package storage); with no storage attached the database is
// in-memory only.
//
// In-process use: the embedding daemon gets the *db.DB with DB(name) and
// calls db.Transact and db.Watch directly; no socket is needed. LocalLock
// takes an OVSDB lock (e.g. "ovs_vswitchd") for such an in-process owner.
//
// Error texts and reply shapes follow ovsdb-server 3.1 (checked by the
// interop tests against the real server).
package server
