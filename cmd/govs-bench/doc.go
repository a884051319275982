// Command govs-bench measures govs against Open vSwitch 3.1 and the Linux
// bridge on one host: it builds a generator → switch → sink lab out of
// network namespaces and veth pairs, offers UDP/IPv4 load with its own
// batched AF_PACKET generator, and reports forwarded Mpps (median and
// spread over several runs), loss and one-way latency p50/p99 for each
// switch × frame size × flow count, plus the flow-setup rate and the time
// `ovs-ofctl add-flows` takes for 100 000 rules. Output: progress lines,
// a table, optional JSON (-json) and a PNG bar chart (-chart).
//
// With -tunnel geneve (or vxlan) it measures the tunnel scenario instead:
// each switch (govs, OVS netdev) runs as two instances in two namespaces
// joined by an underlay veth, and the load crosses generator → switch
// (encapsulation) → tunnel → switch (decapsulation) → sink; the cases are
// reported as "govs+geneve", "ovs+geneve".
//
// It must run as root. Everything it creates (namespaces, veths, daemons,
// temporary run directories) is removed on exit, on error and on
// SIGINT/SIGTERM. See bench/run for the measurement method.
//
// Usage:
//
//	govs-bench [-quick] [-switches govs,ovs,...] [-sizes 64,512,1500]
//	           [-flows 1,1000,100000] [-runs 3] [-duration 3s] [-tunnel geneve|vxlan]
//	           [-json FILE] [-chart FILE.png]
package main
