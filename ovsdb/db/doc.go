// Package db is an in-memory OVSDB database with the RFC 7047 transaction
// engine (insert, select, update, mutate, delete, wait, commit, abort,
// comment, assert), schema checking on every write, referential integrity
// (strong references checked, weak references removed, unreferenced
// non-root rows garbage-collected at commit), index uniqueness, maxRows,
// and monitors (update / update2 / update3 with conditions).
//
// Locking: one mutex (DB.mu) serialises every transaction, monitor
// registration and read. Transactions are atomic: they run against a
// private overlay of changed rows and are applied only if every operation
// and every commit-time check succeeds.
//
// Durability: if the DB has a Log, every committed transaction is encoded
// as one record and appended under DB.mu (so records are in commit order);
// Transact returns only after the Log reports the record durable
// (fsync'ed). The log may group several pending records into one fsync.
// Monitors are notified in commit order, under DB.mu, before the commit is
// durable; the transact reply (the acknowledgement) waits for durability.
//
// Monitor callbacks run with DB.mu held: they must not block and must not
// call back into the DB (hand the update to a queue or channel).
//
// Ownership: rows handed to callbacks and returned by reads are copies or
// immutable snapshots: committed *Row values are never modified in place
// (a change creates a new *Row), so callers may keep them.
//
// In-process API: Transact(ctx, session, ops) takes ops as JSON values
// (map[string]any etc.; Go ints and schema.UUID are accepted as atoms);
// Watch(fn) delivers every commit's changes as full rows; AddMonitor
// delivers RFC 7047 update / update2 / update3 JSON; Rows and Query read.
//
// Cost: commit-time checks scan the rows of tables with reference columns
// when a transaction deletes rows or drops references (garbage
// collection), and the changed tables for index and maxRows checks; this
// suits the vswitch database (thousands of rows), not huge tables.
//
// Allocation: config-plane code; it allocates per operation.
package db
