// Package unixctl is Open vSwitch's unixctl control channel: the JSON-RPC
// 1.0 protocol that ovs-appctl speaks to a daemon's
// <rundir>/<program>.<pid>.ctl unix socket, server and client side.
//
// # Protocol
//
// A request is {"method": "<command>", "params": ["arg", ...], "id": <any>}
// sent as one JSON object on a stream socket; several requests may follow
// each other on one connection and are answered in order. Every parameter
// must be a string. A successful reply is
// {"id": <same>, "result": "<text>", "error": null}; a failed one is
// {"id": <same>, "error": "<text>"} (no result member), exactly as
// lib/unixctl.c of OVS 3.1 sends them. The error texts for an unknown
// command, too few and too many arguments and non-string arguments are
// OVS's, so the real ovs-appctl prints the same thing and exits 2.
//
// # Targets
//
// ResolveTarget follows ovs-appctl: a target containing "/" is a socket
// path used as is; otherwise <rundir>/<target>.pid is read and
// <rundir>/<target>.<pid>.ctl is used. The real `ovs-appctl -t <path>`
// therefore works against a govs daemon with any socket path, and
// `ovs-appctl -t govs-vswitchd` works when OVS_RUNDIR names our rundir.
//
// # Concurrency, ownership, limits
//
// Server.Register may be called at any time (commands are guarded by
// Server.mu). Each connection is served by one goroutine that handles its
// requests strictly in order; handlers of different connections may run
// concurrently and must do their own locking. A request larger than
// MaxMessageSize closes the connection. Handlers receive a fresh args
// slice they may keep. Client is safe for one goroutine at a time.
//
// This is control-plane code: it allocates per request.
package unixctl
