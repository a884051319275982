package datapathtest

import (
	"net"
	"net/netip"
	"testing"

	"govs/internal/netnstest"
	"govs/ports/afpacket"
)

// Lab addresses: host A and host B on one /24, behind the switch.
var (
	MACA = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0x0a, 1}
	MACB = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0x0b, 1}
	// MACNobody belongs to no interface: frames sent to it are dropped by
	// the receiving stack (PACKET_OTHERHOST) and never answered, but
	// promiscuous AF_PACKET sockets still see them.
	MACNobody = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0xff, 1}
	IPA       = netip.MustParseAddr("10.201.0.1")
	IPB       = netip.MustParseAddr("10.201.0.2")
)

const labPrefixLen = "/24"

// Lab is the end-to-end topology:
//
//	ns A: HostA (MACA, IPA) ──veth── SwitchA ┐
//	                                          ├ ns SW (the datapath's ports)
//	ns B: HostB (MACB, IPB) ──veth── SwitchB ┘
//
// Nothing is created in the host namespace.
type Lab struct {
	SW, A, B         *NS
	SwitchA, SwitchB string // veth ends in SW
	HostA, HostB     string // veth ends in A and B
}

// NewLab builds the topology and removes it when tb ends. It skips tb when
// not root or when ip is missing.
func NewLab(tb testing.TB) *Lab {
	tb.Helper()
	l := &Lab{SW: netnstest.New(tb, "gdsw"), A: netnstest.New(tb, "gdna"), B: netnstest.New(tb, "gdnb")}
	l.SwitchA, l.HostA = netnstest.UniqueName("gdsa"), netnstest.UniqueName("gdha")
	l.SwitchB, l.HostB = netnstest.UniqueName("gdsb"), netnstest.UniqueName("gdhb")
	netnstest.Veth(tb, l.SW, l.SwitchA, l.A, l.HostA)
	netnstest.Veth(tb, l.SW, l.SwitchB, l.B, l.HostB)
	for _, h := range []struct {
		ns  *NS
		dev string
		mac net.HardwareAddr
		ip  netip.Addr
	}{{l.A, l.HostA, MACA, IPA}, {l.B, l.HostB, MACB, IPB}} {
		h.ns.Exec(tb, "ip", "link", "set", h.dev, "address", h.mac.String())
		h.ns.Exec(tb, "ip", "addr", "add", h.ip.String()+labPrefixLen, "dev", h.dev)
	}
	return l
}

// OpenPort opens an AF_PACKET port on dev inside ns and closes it when tb
// ends.
func OpenPort(tb testing.TB, ns *NS, dev string, opts afpacket.Options) *afpacket.Port {
	tb.Helper()
	var p *afpacket.Port
	err := ns.Do(func() (err error) {
		p, err = afpacket.Open(dev, opts)
		return err
	})
	if err != nil {
		tb.Fatalf("afpacket.Open(%s) in %s: %v", dev, ns.Name, err)
	}
	tb.Cleanup(func() { _ = p.Close() })
	return p
}
