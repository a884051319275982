// Package netnstest forwards to govs/internal/netnstest, the one copy of
// the network-namespace test helpers (New, Exec, Command, Do, Veth). It
// remains only for the tests of ports/afpacket, which import it; new
// tests import govs/internal/netnstest.
package netnstest

import nt "govs/internal/netnstest"

// NS is internal/netnstest's namespace.
type NS = nt.NS

// The helpers, as internal/netnstest defines them.
var (
	Require    = nt.Require
	UniqueName = nt.UniqueName
	New        = nt.New
	Veth       = nt.Veth
)
