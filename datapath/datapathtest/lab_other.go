//go:build !linux

package datapathtest

import (
	"net"
	"net/netip"
	"testing"

	"govs/internal/netnstest"
	"govs/ports/afpacket"
)

// Lab addresses (see lab_linux.go).
var (
	MACA      = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0x0a, 1}
	MACB      = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0x0b, 1}
	MACNobody = net.HardwareAddr{0x02, 0x67, 0x76, 0, 0xff, 1}
	IPA       = netip.MustParseAddr("10.201.0.1")
	IPB       = netip.MustParseAddr("10.201.0.2")
)

// Lab is the end-to-end topology; it exists only on Linux.
type Lab struct {
	SW, A, B         *NS
	SwitchA, SwitchB string
	HostA, HostB     string
}

// NewLab skips tb: network namespaces need Linux.
func NewLab(tb testing.TB) *Lab { tb.Helper(); netnstest.Require(tb); return nil }

// OpenPort is never reached (NewLab skipped).
func OpenPort(tb testing.TB, ns *NS, dev string, opts afpacket.Options) *afpacket.Port {
	tb.Helper()
	tb.Fatal(netnstest.ErrNoNetns)
	return nil
}
