// Package ovstest starts OVSDB servers for tests: govs's own (in-process,
// on a unix socket in a temp dir) and the real ovsdb-server (as the
// compatibility oracle). Every server lives in the test's temp dir and is
// stopped in t.Cleanup.
//
// Lifetime: servers, temp dirs and sockets belong to the test that
// started them and are removed by its Cleanup; commands run with
// CmdTimeout.
package ovstest
