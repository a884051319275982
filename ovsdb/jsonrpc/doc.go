// Package jsonrpc implements JSON-RPC 1.0 as OVSDB uses it (RFC 7047
// section 4): messages are JSON objects concatenated on a byte stream with
// no delimiter.
//
// Framing: Decoder splits the stream into top-level JSON values with a
// byte scanner (tracking nesting, strings and escapes), so memory is
// bounded by MaxMessageSize: a message that grows beyond it yields
// ErrMessageTooLarge and the connection is closed; no message is ever
// buffered whole past that limit. Anything other than an object or array
// at the top level is a syntax error.
//
// Concurrency and ownership: a Conn has exactly one reader (the goroutine
// calling Receive) and any number of senders. Send never blocks: it
// encodes the message and queues it on a bounded per-connection queue
// (MaxQueuedMessages messages, MaxQueuedBytes bytes) drained by the
// connection's own writer goroutine. A peer that does not read fills the
// queue and is disconnected, so a slow reader can never stall the
// goroutine that serves other clients. Each write also has a deadline
// (WriteTimeout). Receive returns a *Message that the caller owns.
//
// Allocation: config-plane code; messages are allocated per call.
package jsonrpc
