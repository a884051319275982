package reconcile

import "govs/datapath/flow"

// OpenFlow port number limits (include/openflow/openflow-1.0.h, ofproto.c).
const (
	// ofpMaxRequest is OFPP_MAX: the largest ofport_request honoured.
	ofpMaxRequest = 0xff00 - 1
	// allocLimit bounds automatically allocated numbers, as
	// alloc_ofp_port's min(max_ports, 32768) for the netdev datapath.
	allocLimit = 32768
	// ofportFailed is the ofport written for an interface that failed.
	ofportFailed = -1
)

// pickOFPort chooses the port number of a new interface as OVS's
// iface_pick_ofport + alloc_ofp_port: ofport_request when valid and free,
// else the number stored in the database when valid and free, else the
// next free number after *last (wrapping to 1). It returns 0 when every
// number is in use.
func pickOFPort(request, dbPort int64, used map[flow.PortNo]bool, last *flow.PortNo) flow.PortNo {
	for _, want := range []int64{request, dbPort} {
		if want >= 1 && want <= ofpMaxRequest && !used[flow.PortNo(want)] {
			return flow.PortNo(want)
		}
	}
	n := *last
	for range allocLimit {
		n++
		if n >= allocLimit {
			n = 1
		}
		if !used[n] {
			*last = n
			return n
		}
	}
	return 0
}
