package afpacket

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"testing"
	"time"

	"govs/internal/netnstest"
)

// Test network: nsS holds the switch end (the port under test), nsP the
// peer end with addresses, a VLAN 10 subinterface and static neighbours
// for the switch side's addresses, so traffic is deterministic.
var (
	peerMAC    = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0, 1}
	switchMAC  = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0, 2}
	otherMAC   = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0, 3} // nobody: the peer stack drops it at once
	peerIP     = netip.MustParseAddr("10.77.0.1")
	switchIP   = netip.MustParseAddr("10.77.0.2")
	peerIP10   = netip.MustParseAddr("10.77.10.1")
	switchIP10 = netip.MustParseAddr("10.77.10.2")
)

const (
	testVID     = 10
	ethTypeIPv4 = 0x0800
	waitTimeout = 3 * time.Second
	ipv4HdrLen  = 20
	udpHdrLen   = 8
	ipProtoUDP  = 17
	ipProtoOff  = 9 // protocol field in the IPv4 header
	defaultTTL  = 64
	discardPort = 9
)

type lab struct {
	nsS, nsP                *netnstest.NS
	swDev, peerDev, vlanDev string
	noVLAN                  string // why there is no VLAN subinterface, if there is none
	recvMmsg                bool   // open ports with Options.RecvMmsg
}

func newLab(tb testing.TB) *lab {
	tb.Helper()
	l := &lab{nsS: netnstest.New(tb, "gvs"), nsP: netnstest.New(tb, "gvp")}
	l.swDev, l.peerDev, l.vlanDev = netnstest.UniqueName("gvs"), netnstest.UniqueName("gvp"), netnstest.UniqueName("gvv")
	netnstest.Veth(tb, l.nsS, l.swDev, l.nsP, l.peerDev)
	p := l.nsP
	p.Exec(tb, "ip", "link", "set", l.peerDev, "address", peerMAC.String())
	p.Exec(tb, "ip", "addr", "add", peerIP.String()+"/24", "dev", l.peerDev)
	p.Exec(tb, "ip", "neigh", "add", switchIP.String(), "lladdr", switchMAC.String(), "dev", l.peerDev)
	// The VLAN subinterface needs CONFIG_VLAN_8021Q; without it the tests
	// that use it skip, and the raw-socket VLAN tests still run (tag
	// stripping on receive is in the core stack).
	out, err := exec.Command("ip", "netns", "exec", p.Name, "ip", "link", "add", "link", l.peerDev,
		"name", l.vlanDev, "type", "vlan", "id", fmt.Sprint(testVID)).CombinedOutput()
	if err != nil {
		l.noVLAN = fmt.Sprintf("no VLAN subinterfaces on this kernel (CONFIG_VLAN_8021Q): %s", bytes.TrimSpace(out))
		return l
	}
	p.Exec(tb, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/"+l.vlanDev+"/disable_ipv6")
	p.Exec(tb, "ip", "addr", "add", peerIP10.String()+"/24", "dev", l.vlanDev)
	p.Exec(tb, "ip", "link", "set", l.vlanDev, "up")
	p.Exec(tb, "ip", "neigh", "add", switchIP10.String(), "lladdr", switchMAC.String(), "dev", l.vlanDev)
	return l
}

// open opens the port under test on the switch end.
func (l *lab) open(tb testing.TB, opts Options) *Port {
	tb.Helper()
	opts.RecvMmsg = opts.RecvMmsg || l.recvMmsg
	return openIn(tb, l.nsS, l.swDev, opts)
}

// rxModes runs f once with the TPACKET_V2 ring and once with recvmmsg.
func rxModes(t *testing.T, f func(t *testing.T, recvMmsg bool)) {
	for _, m := range []bool{false, true} {
		name := "ring"
		if m {
			name = "recvmmsg"
		}
		t.Run(name, func(t *testing.T) { f(t, m) })
	}
}

func openIn(tb testing.TB, ns *netnstest.NS, dev string, opts Options) *Port {
	tb.Helper()
	var p *Port
	err := ns.Do(func() (err error) {
		p, err = Open(dev, opts)
		return err
	})
	if err != nil {
		tb.Fatalf("Open(%s): %v", dev, err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

// sendUDP sends payloads from the peer namespace to dst with a UDP socket,
// so the peer kernel builds the frames (and tags them on the VLAN device).
func (l *lab) sendUDP(tb testing.TB, dst netip.Addr, payloads ...[]byte) {
	tb.Helper()
	sendUDPIn(tb, l.nsP, dst, payloads...)
}

// sendUDPIn sends payloads to dst from a UDP socket in ns.
func sendUDPIn(tb testing.TB, ns *netnstest.NS, dst netip.Addr, payloads ...[]byte) {
	tb.Helper()
	err := ns.Do(func() error {
		c, err := net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(dst, discardPort)))
		if err != nil {
			return err
		}
		defer c.Close()
		for _, p := range payloads {
			if _, err := c.Write(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("sendUDP: %v", err)
	}
}

// listenUDP opens a UDP socket in the peer namespace.
func (l *lab) listenUDP(tb testing.TB, addr netip.Addr, port uint16) *net.UDPConn {
	tb.Helper()
	var c *net.UDPConn
	err := l.nsP.Do(func() (err error) {
		c, err = net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(addr, port)))
		return err
	})
	if err != nil {
		tb.Fatalf("listenUDP: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// udpFrame builds an Ethernet (optionally 802.1Q-tagged) IPv4/UDP frame.
func udpFrame(dstMAC, srcMAC net.HardwareAddr, vid int, src, dst netip.Addr, sport, dport uint16, payload []byte) []byte {
	var f []byte
	f = append(f, dstMAC...)
	f = append(f, srcMAC...)
	if vid >= 0 {
		f = binary.BigEndian.AppendUint16(f, ethTypeVLAN)
		f = binary.BigEndian.AppendUint16(f, uint16(vid))
	}
	f = binary.BigEndian.AppendUint16(f, ethTypeIPv4)
	ip := len(f)
	total := ipv4HdrLen + udpHdrLen + len(payload)
	f = append(f, 0x45, 0)
	f = binary.BigEndian.AppendUint16(f, uint16(total))
	f = append(f, 0, 0, 0x40, 0, defaultTTL, ipProtoUDP, 0, 0)
	s4, d4 := src.As4(), dst.As4()
	f = append(f, s4[:]...)
	f = append(f, d4[:]...)
	var sum uint32
	for i := ip; i < ip+ipv4HdrLen; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(f[i:]))
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	binary.BigEndian.PutUint16(f[ip+10:], ^uint16(sum))
	f = binary.BigEndian.AppendUint16(f, sport)
	f = binary.BigEndian.AppendUint16(f, dport)
	f = binary.BigEndian.AppendUint16(f, uint16(udpHdrLen+len(payload)))
	f = append(f, 0, 0) // no UDP checksum
	return append(f, payload...)
}
