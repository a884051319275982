// Package run is govs-bench's runner: it builds the lab (bench/topo),
// opens the generator's and the sink's AF_PACKET ports, and measures each
// selected switch (bench/switches) for every frame size × flow count,
// Runs times, with the bench/gen sender and sink; then optionally the
// flow-setup rate and the rule-load time. It returns a report.Report.
//
// The generator runs open loop by default (overload: the rate is what
// the switch forwards while the generator offers all it can, the loss
// shows the excess); Config.Window runs it closed loop, and Config.Rate
// paces it. Per throughput case, an extra run at Config.LatencyRate
// measures latency under light load, where queues stay short.
//
// One measurement: a fresh Sink goroutine reads the sink port while the
// Sender offers frames for Config.Duration; the sink then gets until no
// frame arrived for drainQuiet (at most drainMax) to count stragglers.
// The rate is frames counted at the sink over the time from the first
// send to the last arrival (at least the sending time), loss is
// 1 - counted/accepted-by-the-generator's-socket, and latency is the
// one-way time from the sender's stamp to the sink's read, on this
// process's monotonic clock. Every measurement uses its own range of
// sequence numbers so late frames of the previous one are not counted.
//
// With Config.Switch.Tunnel set, the lab is topo.NewTunnel's (a second
// switch namespace between the first and the sink, joined by an underlay
// veth) and each switch is its tunnel scenario (bench/switches); the
// report names its cases "<switch>+<tunnel>".
//
// The sink costs the switch as little as the kernel allows, and the same
// for every switch. The sink's kernel receives each frame in the softirq of
// the veth transmit, that is on the switch's sending thread, so its work is
// charged to the switch. Its veth's own address is not the one the frames
// are sent to (topo.SinkDevMAC): its kernel sees them as PACKET_OTHERHOST
// and drops them at the top of ip_rcv instead of looking up a route for
// each (ip_route_input_slow, ip_error; govs 0.31 -> 0.37 Mpps at 64 B when
// the address was changed mid-run). It reads with recvmmsg (a 32 MiB
// receive buffer), not a TPACKET_V2 ring: perf of govs's worker thread put
// the sink's share per frame at 0.41 to 0.49 µs with recvmmsg (packet_rcv:
// skb_clone, queueing, the sink's wake-up) and 0.47 to 0.60 µs with a ring
// of 512 to 16384 slots (tpacket_rcv: packet_lookup_frame and
// __packet_rcv_has_room on slot headers the sink's CPU last touched), the
// larger the ring the more. In the throughput runs the sink, finding no
// frame, sleeps sinkNap rather than waiting on its socket, so that no frame
// has to wake it (a cross-CPU wake-up per burst in the switch's softirq: 6
// to 11 % of govs's worker samples); the light-load latency runs and the
// probe wait in poll(2), which wakes the sink for each frame. The
// generator's port only sends, with sendmmsg and PACKET_QDISC_BYPASS (no
// copy to the packet taps).
//
// A switch that fails to start, or forwards nothing within probeTimeout,
// is reported as unavailable with the reason, and the run continues.
// Everything created is removed when Run returns, including on error or
// when ctx is cancelled (Ctrl-C). Run is called by one goroutine.
package run
