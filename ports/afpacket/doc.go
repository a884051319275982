// Package afpacket implements ports.Port over a Linux AF_PACKET socket, for
// any netdev (veth, physical NIC), as OVS's netdev-linux does for "system"
// interfaces.
//
// # Receive path: a TPACKET_V2 ring (recvmmsg as the fallback)
//
// Open maps a PACKET_RX_RING of TPACKET_V2 slots (Options.RecvMmsg turns
// it off). The kernel copies each frame into the next free slot in the
// softirq that delivers it (on the sender's CPU) and frees the skb at
// once; Read walks the slots marked TP_STATUS_USER in ring order, copies
// each frame into b.Bufs[i][ports.Headroom:] (the ports.Batch contract:
// the caller owns the memory; a 64-byte copy costs nanoseconds), and hands
// the slot back (TP_STATUS_KERNEL). A Read costs no system call at all,
// and the per-frame socket-queue, skb-free and copy-to-user work of
// recvmmsg (~20 % of the poll loop's CPU under govs-bench) is gone. The
// status word is read and written atomically (ring_linux_unsafe.go).
//
// Why V2 and not V3: a V3 ring hands frames to user space a whole block
// at a time, when the block is full or its retire timer (at least 1 ms,
// in jiffies) fires, so at a low rate every frame would wait milliseconds;
// V2 publishes each frame as soon as it is written and wakes poll/epoll
// per frame, as recvmmsg does. V2 slots have a fixed size, chosen from the
// device's MTU at Open (2 KiB for 1500, 16 KiB for 9000; about 4 MiB of
// ring, at least 64 slots): a frame longer than its slot (the MTU was
// raised after Open, or a GSO frame) arrives truncated and is dropped and
// counted in RxErrors, as a frame longer than the batch buffer is. The ring
// also holds far more frames than the default socket receive buffer (2048
// 64-byte frames against about 260), so a poll loop that the scheduler
// keeps off the CPU for a few milliseconds loses fewer frames.
//
// The ring is unmapped by Close after taking the ring's mutex, which Read
// holds while it touches the ring (uncontended but for Close).
//
// With recvmmsg (Options.RecvMmsg, or when the ring cannot be set up:
// Features says why), Read calls recvmmsg(2) once per batch through the
// socket's syscall.RawConn, with one iovec per frame pointing at
// b.Bufs[i][ports.Headroom:]. The frames are read with MSG_TRUNC, so a
// frame longer than its buffer is detected, dropped and counted in
// RxErrors.
//
// # Transmit path: sendmmsg on a second socket
//
// Write calls sendmmsg(2) with one iovec per frame, looped until the whole
// batch is sent, as OVS netdev_linux_sock_batch_send does. When the socket
// buffer is full (EAGAIN/ENOBUFS) the rest of the batch is dropped and
// counted in TxDropped; other errors are returned as well. Write never
// blocks. Writes are serialised by a mutex, so any goroutine may call it.
// A PACKET_TX_RING was tried instead (one send per batch) and was not
// faster: the kernel still builds an skb per frame, a paged one that costs
// the receiver more (docs/PERFORMANCE.md).
//
// Write sends through its own socket, opened with protocol 0 and never
// bound (so it receives nothing; each message names the device in a
// sockaddr_ll), with PACKET_QDISC_BYPASS (optional: transmit skips the qdisc
// layer) when the kernel takes it.
// The kernel frees each sent skb, on a veth in the same send call, and
// tells the sending socket that write space is back: on the receive
// socket, which the poll loop's epoll set watches, that was a wake-up of
// the epoll wait queue per frame (sock_def_write_space, ~6 % of the
// worker's CPU under govs-bench); the transmit socket has no waiter, so
// it costs a check. Not being bound, it gets no pending ENETDOWN when the
// device goes down: sendmmsg fails with it directly.
//
// # Socket setup, kernel features and fallbacks
//
// Open creates the receive socket with protocol 0 (so nothing is queued
// before bind), then:
//   - PACKET_AUXDATA (required): with recvmmsg every frame carries a
//     tpacket_auxdata control message (the ring's slot header has the same
//     fields). The kernel strips the 802.1Q/802.1ad tag of received
//     frames into tp_vlan_tci/tp_vlan_tpid; Read puts the tag back into the
//     frame (TP_STATUS_VLAN_VALID or a non-zero TCI, with the TPID from
//     tp_vlan_tpid when TP_STATUS_VLAN_TPID_VALID, else 0x8100), as OVS
//     auxdata_to_vlan_tpid does. The tag is inserted by moving the payload 4
//     bytes right, so frames stay at Off = ports.Headroom; only a tagged
//     frame too long for that is moved left into the headroom instead.
//   - PACKET_IGNORE_OUTGOING (Linux >= 4.20): frames leaving the device
//     (sent by the host stack or by other sockets) are not read back as
//     PACKET_OUTGOING copies. If the kernel refuses it, a classic BPF
//     "inbound only" filter (drop pkttype == PACKET_OUTGOING, OVS's
//     filter) is attached instead. This also keeps the port's own frames
//     (sent from its transmit socket) out of Read when the qdisc is not
//     bypassed; with the bypass they are never copied to packet sockets.
//   - PACKET_VERSION TPACKET_V2 and PACKET_RX_RING, then mmap (unless
//     Options.RecvMmsg), before bind so that no frame misses the ring.
//   - bind to the ifindex with ETH_P_ALL, then PACKET_ADD_MEMBERSHIP with
//     PACKET_MR_PROMISC (the kernel drops it when the socket closes).
//
// Features reports the choices made. A missing device fails with a
// *ports.OpenError worded as OVS: "could not open network device X (No
// such device)".
//
// # Counters
//
// Counters are updated once per batch. Stats also reads PACKET_STATISTICS
// (which the kernel resets on every read) and adds tp_drops, the frames
// the kernel dropped because the ring (or the receive queue) was full, to
// both KernelDrops and RxDropped.
//
// # System calls and the Go runtime
//
// recvmmsg and sendmmsg are made with RawSyscall: they cannot block
// (MSG_DONTWAIT, non-blocking socket), and a Syscall that lasts more than
// about 20 µs (sendmmsg of 32 frames into a veth pays for the peer's
// receive softirq) lets the runtime's sysmon retake the caller's P, which
// costs thread wake-ups to get back. Both sockets are made non-blocking
// only after os.NewFile wrapped them, so the runtime does not register it with its
// edge-triggered netpoller: otherwise an idle runtime thread wakes up for
// every received frame and every transmitted frame freed, for nothing,
// since Read and Write never wait there. On a 2-core host under load those
// wake-ups cost more CPU than forwarding (govs-bench CPU µs/frame: see the
// commit that introduced this).
//
// # Concurrency and allocation
//
// Read is called by one goroutine at a time (the poll loop owning the
// port); Write by any goroutine (serialised inside); Stats, Features,
// PollFD and Close by any goroutine. Read and Write do not allocate
// (tested with testing.AllocsPerRun in a network namespace). PollFD is the
// receive socket, non-blocking, readable while frames are queued; it stays
// valid until Close. No reference to a Batch is kept after Read or Write
// returns.
package afpacket
