// Package client is an OVSDB client (RFC 7047 plus Open vSwitch's
// monitor_cond / monitor_cond_since / update2 / update3 / lock
// extensions), used by govs-vsctl and by govs-vswitchd in external mode
// against a real ovsdb-server.
//
// Concurrency: a Client may be used from any number of goroutines. One
// reader goroutine per client receives replies (routed to the waiting
// call by id), answers the server's "echo" requests, and delivers
// notifications: monitor update callbacks and lock callbacks run on that
// goroutine, in the order the server sent them; they must not block for
// long and must not make synchronous calls on the same Client (that would
// deadlock the reader); hand work to another goroutine instead.
//
// Ownership: decoded results and updates are owned by the caller.
//
// Limits: messages are bounded by jsonrpc.DefaultMaxMessageSize; every
// call takes a context for its deadline.
package client
