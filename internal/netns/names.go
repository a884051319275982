package netns

import (
	"fmt"
	"os"
	"sync/atomic"
)

const (
	// IfNameMax is IFNAMSIZ-1: the longest interface name.
	IfNameMax = 15
	// pidModulo keeps the pid part short enough for IfNameMax.
	pidModulo = 100000
)

var seq atomic.Uint32

// UniqueName returns prefix, the pid (mod pidModulo) and a per-process
// sequence number, cut to IfNameMax bytes from the left (the prefix is
// what goes first): a name for a namespace or a device that no other
// run on the host uses.
func UniqueName(prefix string) string {
	s := fmt.Sprintf("%s%dx%d", prefix, os.Getpid()%pidModulo, seq.Add(1))
	if len(s) > IfNameMax {
		s = s[len(s)-IfNameMax:]
	}
	return s
}
