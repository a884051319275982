package netns_test

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"govs/internal/netns"
	"govs/internal/netnstest"
)

// TestDo runs a function in a fresh namespace and checks that it sees that
// namespace's devices (lo only), and that a missing namespace is an error.
func TestDo(t *testing.T) {
	ns := netnstest.New(t, "gvnsdo")
	var names []string
	err := netns.Do(ns.Name, func() error {
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
	if err := netns.Do(ns.Name+"x", func() error { return nil }); err == nil {
		t.Fatal("Do in a missing namespace succeeded")
	}
}

// TestUniqueName: names keep their prefix, fit an interface name and
// do not repeat.
func TestUniqueName(t *testing.T) {
	seen := map[string]bool{}
	for _, prefix := range []string{"g", "a-long-prefix-beyond-ifnamsiz"} {
		for range 100 {
			n := netns.UniqueName(prefix)
			if n == "" || len(n) > netns.IfNameMax || seen[n] {
				t.Fatalf("UniqueName(%q) = %q (len %d, seen before %v)", prefix, n, len(n), seen[n])
			}
			seen[n] = true
		}
	}
	if n := netns.UniqueName("gbw"); !strings.HasPrefix(n, "gbw") {
		t.Fatalf("prefix lost: %q", n)
	}
}
