// Package lab2 holds the automated run of the two-node tunnel lab
// (bench/lab2.sh, `make lab2`): two "hosts" (network namespaces) joined by
// an underlay veth, a switch in each, a Geneve or VXLAN tunnel between
// them, host namespaces on each side, and a router made of OpenFlow flows.
//
// The test runs the script once per combination of switches and tunnel
// (govs ⇄ govs over Geneve and VXLAN, driven by govs's and by OVS's CLIs;
// govs ⇄ real OVS 3.1 with the netdev datapath; govs ⇄ a Linux vxlan
// device; OVS ⇄ OVS as the oracle that proves the harness) and checks the
// script's result lines: pings both ways across the tunnel, tcpdump on the
// underlay decoding the outer headers with the VNI both ways and no
// checksum or decoding error, key isolation, and the routed ping with
// TTL 63. It needs root, iproute2, tcpdump, ethtool and Open vSwitch, and
// skips without them; every run is bounded in time, uses namespace names
// unique to the process, and the script removes what it made (the test
// deletes the namespaces again in t.Cleanup in case the script was
// killed). There is no non-test code.
package lab2
