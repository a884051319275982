package ethtool

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// TestVeth: a veth reports 10 Gb/s, full duplex, twisted pair and driver
// "veth" both up and down (as OVS 3.1 writes it for veths).
func TestVeth(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a veth pair")
	}
	a, b := fmt.Sprintf("et%da", os.Getpid()%100000), fmt.Sprintf("et%db", os.Getpid()%100000)
	if out, err := exec.Command("ip", "link", "add", a, "type", "veth", "peer", "name", b).CombinedOutput(); err != nil {
		t.Skipf("ip link add: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", a).Run() })
	for _, up := range []bool{false, true} {
		if up {
			if out, err := exec.Command("ip", "link", "set", a, "up").CombinedOutput(); err != nil {
				t.Fatalf("%v %s", err, out)
			}
		}
		l, err := LinkSettings(a)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Link{SpeedMbps: 10000, FullDuplex: true, TwistedPair: true}); l != want {
			t.Errorf("up=%v: %+v, want %+v", up, l, want)
		}
	}
	d, err := DriverInfo(a)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "veth" || d.Version == "" {
		t.Errorf("driver %+v", d)
	}
}

func TestMissingDevice(t *testing.T) {
	if _, err := LinkSettings("nosuchdev0"); err == nil {
		t.Error("LinkSettings of a missing device succeeded")
	}
	if _, err := DriverInfo("nosuchdev0"); err == nil {
		t.Error("DriverInfo of a missing device succeeded")
	}
	if _, err := LinkSettings("a-name-longer-than-fifteen"); err == nil {
		t.Error("LinkSettings of an over-long name succeeded")
	}
}
