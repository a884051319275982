// Package switches starts and stops the switches govs-bench measures, each
// forwarding between the two switch-side veths of a topo.Topology:
//
//   - "govs": bin/govs-vswitchd (with its embedded OVSDB server) started
//     inside the switch namespace with a private --rundir/--dbdir,
//     configured with bin/govs-vsctl (bridge br0, NORMAL forwarding);
//   - "govs-datapath": govs/datapath run in this process with two
//     AF_PACKET ports and a fixed cross-connect slow path (port 1 ↔ 2),
//     whose megaflows match in_port and both MACs as OVS NORMAL's do;
//   - "ovs": real OVS (ovsdb-server + ovs-vswitchd from PATH) with
//     datapath_type=netdev and "system" (AF_PACKET) ports, in a private
//     temporary run directory (OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR), never
//     /var/run/openvswitch; ovs-vswitchd runs inside the switch
//     namespace;
//   - "ovs-afxdp": the same with type=afxdp ports (options:xdp-mode);
//   - "bridge": a Linux bridge in the switch namespace.
//
// Start either makes the switch forward or returns an error that names
// what failed (the runner reports the switch as "unavailable: <error>").
// Stop undoes everything Start did, even after a failed Start: daemons
// are stopped by the pid in their pidfile (SIGTERM, then SIGKILL after
// daemonStopTimeout) and their run directory is removed. Every external
// command runs with a timeout. A Switch is used by one goroutine.
package switches
