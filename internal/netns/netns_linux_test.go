package netns

import (
	"os"
	"os/exec"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDo runs a function in a fresh namespace and checks that it sees that
// namespace's devices (lo only), and that a missing namespace is an error.
func TestDo(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip")
	}
	name := "gvnsdo" + strconv.Itoa(os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })

	var names []string
	err := Do(name, func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		for index := uint32(1); index <= 2; index++ { // lo is 1; a new namespace has no 2
			ifr, err := unix.NewIfreq("")
			if err != nil {
				return err
			}
			ifr.SetUint32(index)
			if unix.IoctlIfreq(fd, unix.SIOCGIFNAME, ifr) == nil {
				names = append(names, ifr.Name())
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(names) != 1 || names[0] != "lo" {
		t.Fatalf("devices in the new namespace = %v, want [lo]", names)
	}
	if err := Do(name+"x", func() error { return nil }); err == nil {
		t.Fatal("Do in a missing namespace succeeded")
	}
}
