package ifctl

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"net"
	"testing"

	"golang.org/x/sys/unix"
)

// sizeofIfreq is sizeof(struct ifreq) on 64-bit Linux (name + the
// largest union member, struct ifmap); 32-bit kernels use less.
const sizeofIfreq = 40

func TestIfreqSize(t *testing.T) {
	if bits.UintSize != 64 {
		t.Skip("struct ifreq is smaller on 32-bit; ifreqHW is merely larger there")
	}
	if got := binary.Size(ifreqHW{}); got != sizeofIfreq {
		t.Fatalf("sizeof ifreqHW = %d, want %d", got, sizeofIfreq)
	}
}

func TestLoopback(t *testing.T) {
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Skip(err)
	}
	defer unix.Close(s)
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skip(err)
	}
	mac, err := HardwareAddr(s, "lo")
	if err != nil || !bytes.Equal(mac, make([]byte, 6)) {
		t.Fatalf("HardwareAddr(lo) = %v, %v", mac, err)
	}
	mtu, err := MTU(s, "lo")
	if err != nil || mtu != lo.MTU {
		t.Fatalf("MTU(lo) = %d, %v; want %d", mtu, err, lo.MTU)
	}
	tests := []string{"gvnodev0", "a-name-longer-than-ifnamsiz"}
	for _, name := range tests {
		if _, err := HardwareAddr(s, name); err == nil {
			t.Errorf("HardwareAddr(%q) succeeded", name)
		}
		if _, err := MTU(s, name); err == nil {
			t.Errorf("MTU(%q) succeeded", name)
		}
	}
}
