// Package gen is govs-bench's traffic generator and sink.
//
// # Frames
//
// Template builds one UDP/IPv4 Ethernet frame of a given size with
// gopacket (the only place gopacket is used; it runs once per run, never
// per packet). Sizes follow RFC 2544: a "64-byte frame" counts the 4-byte
// FCS the NIC appends, so the bytes handed to a veth are Size-FCSLen.
//
// Flows rewrites a template in place to be flow i of N (source IPv4
// address and UDP source port, optionally the source MAC), fixing the IPv4
// header checksum; the UDP checksum is 0 (allowed for IPv4). Every frame
// carries a Stamp in its UDP payload: a magic word, a sequence number and
// the sender's monotonic clock in nanoseconds. ParseStamp is the sink's
// bounds-checked parser.
//
// # Sender and Sink
//
// Sender offers frames batch by batch through a ports.Port (usually an
// afpacket.Port: one sendmmsg per batch). It owns one ports.Batch whose
// buffers hold the templates; per batch it only patches the flow fields
// and the stamp, then calls Write. It runs open loop (as fast as the port
// takes frames, or paced to a rate), or closed loop with SetWindow (at
// most N frames in flight, counted by the sink). Sink reads batches from a ports.Port,
// counts frames that carry a valid stamp and records their one-way
// latency (sender and sink are goroutines of one process on one host
// clock, Now) in a Histogram.
//
// # Ownership, concurrency and allocation
//
// A Sender and a Sink each belong to one goroutine (the one running Run);
// Stop and the atomic counters (Sent, Received) may be read from any
// goroutine. Histogram is not safe for concurrent use: read it after Run
// returns. SendBatch, ReceiveBatch, Flows.Apply, PutStamp, ParseStamp and
// Histogram.Record do not allocate (tested with testing.AllocsPerRun).
package gen
