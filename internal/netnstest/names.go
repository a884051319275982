package netnstest

import "govs/internal/netns"

// UniqueName returns prefix, the pid and a per-process sequence number,
// cut to the 15 bytes an interface name may have (internal/netns).
func UniqueName(prefix string) string { return netns.UniqueName(prefix) }
