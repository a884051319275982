// Package netnstest gives ports tests private network namespaces: New
// creates a named namespace (removed by t.Cleanup), Exec runs a command in
// it, and Do runs a function on a fresh OS thread that has joined it, so
// that sockets and devices the function creates belong to the namespace.
// All of it skips the test when not root or when the ip tool is missing.
// It is test support: it allocates freely and is never used by ports.
package netnstest
