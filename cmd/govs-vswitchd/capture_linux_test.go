package main

import (
	"bytes"
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	innetns "govs/internal/netns"
)

// capture is an AF_PACKET socket bound to one interface of a namespace:
// it sees every frame the interface receives.
type capture struct {
	fd int
}

// captureTimeout bounds one blocking read of a capture.
const captureTimeout = 100 * time.Millisecond

// ethPAll is ETH_P_ALL in network byte order.
const ethPAll = uint16(unix.ETH_P_ALL<<8&0xff00 | unix.ETH_P_ALL>>8)

// captureInNS opens a capture on interface ifname of namespace ns.
func captureInNS(t *testing.T, ns, ifname string) *capture {
	t.Helper()
	c := &capture{fd: -1}
	err := innetns.Do(ns, func() error {
		ifc, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(ethPAll))
		if err != nil {
			return err
		}
		c.fd = fd
		return unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: ethPAll, Ifindex: ifc.Index})
	})
	if c.fd >= 0 {
		t.Cleanup(func() { _ = unix.Close(c.fd) })
	}
	if err != nil {
		t.Fatalf("capture on %s in %s: %v", ifname, ns, err)
	}
	tv := unix.NsecToTimeval(int64(captureTimeout))
	if err := unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFrame reads frames until one satisfies match or timeout passes.
func (c *capture) waitFrame(timeout time.Duration, match func([]byte) bool) ([]byte, bool) {
	buf := make([]byte, 65536)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		n, _, err := unix.Recvfrom(c.fd, buf, 0)
		if err != nil || n <= 0 {
			continue
		}
		if match(buf[:n]) {
			return append([]byte(nil), buf[:n]...), true
		}
	}
	return nil, false
}

// hasPayload matches frames that carry marker somewhere.
func hasPayload(marker []byte) func([]byte) bool {
	return func(f []byte) bool { return bytes.Contains(f, marker) }
}

// send transmits frame out of the captured interface (it arrives on the
// veth's bridge side as received traffic).
func (c *capture) send(t *testing.T, frame []byte) {
	t.Helper()
	if _, err := unix.Write(c.fd, frame); err != nil {
		t.Fatalf("send: %v", err)
	}
}
