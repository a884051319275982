package main

import (
	"encoding/binary"
	"errors"
	"net"
	"testing"
	"time"

	innetns "govs/internal/netns"
)

// icmpInNS opens a raw ICMP socket inside network namespace ns.
func icmpInNS(t *testing.T, ns string) net.PacketConn {
	t.Helper()
	var c net.PacketConn
	err := innetns.Do(ns, func() (err error) {
		c, err = net.ListenPacket("ip4:icmp", "0.0.0.0")
		return err
	})
	if err != nil {
		t.Fatalf("icmp socket in %s: %v", ns, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// twoHosts builds the traffic tests' pair of hosts: two namespaces holding
// c1 (<subnet>.1/24) and c2 (<subnet>.2/24), whose veth peers h1 and h2 stay
// in the test's namespace, all up. It returns h1, h2, an ICMP socket in the
// first namespace and the second host's address.
func twoHosts(t *testing.T, subnet string) (h1, h2 string, icmp net.PacketConn, peer string) {
	t.Helper()
	ns1, ns2 := uniq("n1x"), uniq("n2x")
	h1, c1, h2, c2 := uniq("h1"), uniq("c1"), uniq("h2"), uniq("c2")
	netns(t, ns1)
	netns(t, ns2)
	vethPair(t, h1, c1)
	vethPair(t, h2, c2)
	for _, x := range []struct{ ns, c, addr string }{{ns1, c1, subnet + ".1/24"}, {ns2, c2, subnet + ".2/24"}} {
		mustRun(t, "ip", "link", "set", x.c, "netns", x.ns)
		mustRun(t, "ip", "-n", x.ns, "addr", "add", x.addr, "dev", x.c)
		mustRun(t, "ip", "-n", x.ns, "link", "set", x.c, "up")
	}
	mustRun(t, "ip", "link", "set", h1, "up")
	mustRun(t, "ip", "link", "set", h2, "up")
	return h1, h2, icmpInNS(t, ns1), subnet + ".2"
}

// ICMP echo, as ping.
const (
	icmpEchoRequest = 8
	icmpEchoReply   = 0
	icmpHeaderLen   = 8
	icmpID          = 0x6776 // "gv"
	probeInterval   = 200 * time.Millisecond
	icmpReadBuf     = 1500
)

// icmpChecksum is the Internet checksum of b.
func icmpChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// pingReach sends ICMP echo requests from c (in the source namespace) to
// dst until a reply arrives or timeout passes, as `ping -c N -W 1`.
func pingReach(c net.PacketConn, dst string, timeout time.Duration) bool {
	to := &net.IPAddr{IP: net.ParseIP(dst)}
	buf := make([]byte, icmpReadBuf)
	deadline := time.Now().Add(timeout)
	for seq := uint16(1); time.Now().Before(deadline); seq++ {
		req := make([]byte, icmpHeaderLen+len("govs-probe"))
		req[0] = icmpEchoRequest
		binary.BigEndian.PutUint16(req[4:], icmpID)
		binary.BigEndian.PutUint16(req[6:], seq)
		copy(req[icmpHeaderLen:], "govs-probe")
		binary.BigEndian.PutUint16(req[2:], icmpChecksum(req))
		if _, err := c.WriteTo(req, to); err != nil {
			time.Sleep(probeInterval)
			continue
		}
		_ = c.SetReadDeadline(time.Now().Add(probeInterval))
		for {
			n, from, err := c.ReadFrom(buf)
			var ne net.Error
			if err != nil {
				if errors.As(err, &ne) && ne.Timeout() {
					break
				}
				return false
			}
			if n >= icmpHeaderLen && buf[0] == icmpEchoReply && binary.BigEndian.Uint16(buf[4:]) == icmpID &&
				from.(*net.IPAddr).IP.Equal(to.IP) {
				return true
			}
		}
	}
	return false
}
