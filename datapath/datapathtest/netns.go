package datapathtest

import "govs/internal/netnstest"

// NS is a named network namespace (internal/netnstest, which creates,
// wires and deletes them).
type NS = netnstest.NS
