// Package storage persists an OVSDB database to <dbdir>/conf.db as an
// append-only log of committed transactions.
//
// File format (NOT compatible with ovsdb-tool's format; use this package
// or govs tools to read it): an 8-byte magic "GOVSDB1\n", then records,
// each a 4-byte big-endian payload length, a 4-byte big-endian CRC-32C of
// the payload, and the payload. The first record of a fresh or compacted
// file is a snapshot of the whole database; every later record is one
// transaction (see db.Replay).
//
// Durability guarantee: Append queues a record and returns a wait
// function; the single writer goroutine writes every queued record and
// calls fsync once for the group (group commit), then releases all their
// waiters. A transaction is acknowledged only after its wait returns nil,
// so an acknowledged transaction survives kill -9 and power loss (to the
// extent fsync is honoured). On load, a torn or corrupt tail record
// (short length, short payload or CRC mismatch) ends the log: it and
// anything after it are discarded and the file is truncated to the last
// good record.
//
// Compaction: when the log has grown past CompactThreshold bytes beyond
// the last snapshot, the writer writes a new snapshot to conf.db.tmp,
// fsyncs it, renames it over conf.db and fsyncs the directory, so the file
// is always either the old or the new complete log.
//
// Locking: Append may be called from any goroutine (the db package calls
// it under its own lock, so records are in commit order); a mutex guards
// the queue; only the writer goroutine touches the file after Open.
package storage
