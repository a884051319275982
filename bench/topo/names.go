package topo

import (
	"fmt"
	"os"
	"sync/atomic"
)

const (
	// ifNameMax is IFNAMSIZ-1: the longest interface name.
	ifNameMax = 15
	// pidModulo keeps the pid part short enough for ifNameMax.
	pidModulo = 100000
)

var seq atomic.Uint32

// UniqueName returns prefix, the pid (mod pidModulo) and a per-process
// sequence number, cut to ifNameMax bytes from the left (the prefix is
// what goes first).
func UniqueName(prefix string) string {
	s := fmt.Sprintf("%s%dx%d", prefix, os.Getpid()%pidModulo, seq.Add(1))
	if len(s) > ifNameMax {
		s = s[len(s)-ifNameMax:]
	}
	return s
}
