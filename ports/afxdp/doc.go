// Package afxdp implements ports.Port over a Linux AF_XDP socket on rx
// queue 0 of a netdev, as OVS's netdev-afxdp does for interfaces of type
// "afxdp" (ovs-vsctl add-port br0 veth0 -- set Interface veth0
// type=afxdp). It needs Linux >= 5.9 (BPF links for XDP) and root (or
// CAP_NET_ADMIN, CAP_BPF and CAP_NET_RAW).
//
// # Pieces and who owns them
//
// Open builds, in this order:
//   - the UMEM: one anonymous mapping of 2560 chunks of 4 KiB (10 MiB),
//     registered with the socket (XDP_UMEM_REG, aligned chunks, no
//     headroom). Chunks 0..2047 are receive chunks, 2048..2559 transmit
//     chunks; a chunk never changes side, so the addresses the kernel
//     hands back are checked against the side they come back on
//     (umem.go).
//   - four rings, mmap'd from the socket: fill and rx (2048 entries each),
//     tx and completion (512 each). User space writes the producer index
//     of the fill and tx rings and the consumer index of the rx and
//     completion rings; the kernel writes the other two. Indexes are
//     free-running uint32 counters, loaded with sync/atomic (acquire)
//     and stored with sync/atomic (release) after the entries are
//     written/read, as libxdp's ring helpers do. The mmap'd views are
//     made in afxdp_linux_unsafe.go.
//   - the socket bound to (ifindex, queue 0) in copy mode (zero-copy for
//     xdp-mode native-with-zerocopy), with XDP_USE_NEED_WAKEUP unless
//     use-need-wakeup=false.
//   - the XDP program, `return bpf_redirect_map(&xsks, ctx->rx_queue_index,
//     XDP_PASS)`, assembled with github.com/cilium/ebpf's asm package (no
//     C compiler), and its one-entry XSKMAP holding the socket at key 0.
//     Frames of other rx queues, and every frame once the socket is gone,
//     take the XDP_PASS fallback to the kernel stack (Linux >= 5.3).
//   - last, the program is attached to the device through a BPF link
//     (BPF_LINK_CREATE), so that no frame is redirected before the socket
//     is ready.
//
// All receive chunks start in the fill ring; all transmit chunks in the
// port's free list. A failed Open undoes every step: the device is left
// as it was.
//
// # Receive path
//
// The kernel takes a chunk from the fill ring, writes the frame into it 256
// bytes (XDP_PACKET_HEADROOM) in, and publishes an rx descriptor. Read (one
// goroutine, the poll loop owning the port) takes up to ports.BatchSize
// descriptors, checks that each frame lies inside one receive chunk, copies
// it into b.Bufs[i][ports.Headroom:] (the ports.Batch contract: the caller
// owns the memory; a 64-byte copy costs nanoseconds), and gives the chunk
// straight back to the fill ring; the fill producer and the rx consumer are
// published once per batch. There are exactly as many receive chunks as
// fill slots, but the kernel publishes its fill consumer index lazily (at
// each flush), so a chunk that finds no room by the published index is kept
// in a pending list and given back first by the next Read; no chunk is
// lost. In zero-copy mode, when the driver sets the fill ring's need_wakeup
// flag, Read wakes it with recvfrom(MSG_DONTWAIT); in copy mode the kernel
// never asks. A Read costs no system call.
//
// PollFD is the socket: readable (POLLIN) while the rx ring has entries.
//
// # Transmit path
//
// Write (serialised by a mutex: any goroutine may call it) first reaps the
// completion ring into the free list, then copies each frame into a free
// transmit chunk, writes a tx descriptor, publishes the tx producer once
// and kicks the kernel with sendto(MSG_DONTWAIT) when the tx ring's
// need_wakeup flag is set, or always with use-need-wakeup=false. In copy
// mode the kernel keeps the flag set, so every batch is kicked, and the
// sendto transmits the ring (up to 32 frames a call, one skb each,
// through the device's ndo_start_xmit: for a veth, the peer receives them
// before sendto returns). EAGAIN with descriptors left is retried up to
// three times; EAGAIN/EBUSY/ENOBUFS/ENETDOWN then leave the descriptors
// queued for the next kick (a frame written while the device is down goes
// out with the next Write after it is up); other errors are returned. A
// frame that finds no free transmit chunk (512 frames in flight) is
// dropped and counted in TxDropped; a frame longer than a chunk is
// counted in TxErrors. Frames are counted as sent when queued.
//
// # Attach modes and fallbacks (options:xdp-mode)
//
//   - best-effort (default): attach in native (driver) mode, else in
//     generic (skb) mode; copy-mode socket. Unlike OVS, best-effort never
//     tries zero-copy: ask for it with native-with-zerocopy.
//   - native: native attach or fail; copy-mode socket.
//   - native-with-zerocopy: native attach and a zero-copy socket, or fail
//     ("bind AF_XDP socket to queue 0 in zero-copy mode: operation not
//     supported" on a veth).
//   - generic: generic attach; copy-mode socket.
//
// Mode, ModeInUse (OVS's xdp-mode-in-use, which govs-vswitchd logs when
// it adds the interface) and Features report what was chosen, e.g.
// "xdp-mode=best-effort attach=native bind=copy need-wakeup=on queue=0".
//
// Only rx queue 0 is read: options:n_rxq above 1 is refused (ParseOptions)
// and frames that a multi-queue NIC steers to other queues go to the
// kernel stack. A veth created by `ip link add ... type veth` has one
// queue, so all its frames reach the port. The device's MTU must be at
// most MaxMTU (3818: a frame must fit in a chunk after the kernel's
// headroom); Open refuses a larger one. A frame that does not fit later
// (the MTU was raised) is dropped by the kernel (rx_dropped).
//
// # veth specifics
//
// Native XDP on a veth runs in the veth's NAPI poll, which the kernel
// turns on when a program is attached: the peer's transmissions go to
// the veth's ptr_ring and the program redirects them into the socket.
// Generic XDP runs in the receive path of every skb instead (slower:
// one skb per frame). Transmit in copy mode is the generic AF_XDP xmit
// path in either mode: one skb per frame handed to veth_xmit.
//
// # Close, and a killed process
//
// Close takes the receive and transmit mutexes (so it waits for a Read or
// Write in progress), closes the BPF link, which detaches the program from
// the device (`ip link show` no longer lists "xdp"), closes the map and
// program, the socket, and unmaps the rings and the UMEM. Read and Write
// then return ports.ErrClosed; Stats keeps the last counters. Because the
// program is attached by a link, not by netlink, the kernel detaches it
// also when the process dies without calling Close (SIGKILL): a killed
// govs-vswitchd leaves no XDP program behind (TestKilledProcessDetaches).
// While a port is open, another program cannot be attached to the device
// in the same mode, and a second port on it fails with EBUSY.
//
// # Counters
//
// Counters are updated once per batch. Stats adds the socket's
// XDP_STATISTICS (cumulative): rx_dropped (no fill chunk, frame too long)
// and rx_ring_full (Read did not keep up) to KernelDrops and RxDropped;
// rx/tx_invalid_descs to RxErrors/TxErrors.
//
// # Concurrency and allocation
//
// Read is called by one goroutine at a time; Write by any goroutine
// (serialised); Stats, Features, PollFD and Close by any goroutine. Read
// and Write do not allocate (testing.AllocsPerRun in a network
// namespace). No reference to a Batch is kept after Read or Write.
package afxdp
