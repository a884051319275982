package datapathtest

import (
	"fmt"
	"net/netip"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

const (
	pingRecvBuf = 1500
	pingIDMask  = 0xffff
)

// Ping sends count ICMP echo requests from a raw socket in ns to dst (an
// IPv4 address), one at a time, and waits up to timeout for each reply, as
// `ping -c count -W timeout` does. The namespace's own stack resolves the
// neighbour (ARP) and routes. It returns an error naming the first
// request that got no reply.
func Ping(ns *NS, dst netip.Addr, count int, timeout time.Duration) error {
	if !dst.Is4() {
		return fmt.Errorf("datapathtest: Ping %s: only IPv4 is supported", dst)
	}
	return ns.Do(func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
		if err != nil {
			return fmt.Errorf("raw ICMP socket: %w", err)
		}
		defer unix.Close(fd)
		tv := unix.NsecToTimeval(int64(timeout))
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			return fmt.Errorf("SO_RCVTIMEO: %w", err)
		}
		to := &unix.SockaddrInet4{Addr: dst.As4()}
		id := uint16(os.Getpid() & pingIDMask)
		buf := make([]byte, pingRecvBuf)
		for seq := uint16(1); int(seq) <= count; seq++ {
			req := AppendEchoRequest(nil, id, seq, pingPayload)
			if err := unix.Sendto(fd, req, 0, to); err != nil {
				return fmt.Errorf("echo %d to %s: %w", seq, dst, err)
			}
			if err := awaitReply(fd, buf, id, seq, time.Now().Add(timeout)); err != nil {
				return fmt.Errorf("echo %d to %s: %w", seq, dst, err)
			}
		}
		return nil
	})
}

// awaitReply reads until the echo reply (id, seq) arrives or deadline.
func awaitReply(fd int, buf []byte, id, seq uint16, deadline time.Time) error {
	for time.Now().Before(deadline) {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("no reply: %w", err)
		}
		if rid, rseq, ok := ParseEchoReply(buf[:n]); ok && rid == id && rseq == seq {
			return nil
		}
	}
	return fmt.Errorf("no reply within the timeout")
}
