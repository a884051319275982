// Package netns runs code inside a named network namespace (one made by
// `ip netns add`) and names namespaces and devices uniquely per process
// (UniqueName: prefix, pid, sequence number, at most 15 bytes). It is the
// one copy of both that the bench lab (bench/topo), the netns test helpers
// (internal/netnstest) and the daemon's tests share.
//
// Do runs f on a new OS thread that has joined the namespace and waits for
// it. The thread is never reused: it stays locked to its goroutine and
// exits with it, so no other goroutine ever runs in the namespace by
// accident. Sockets and devices f creates belong to the namespace; sockets
// may be used from any goroutine afterwards.
package netns
