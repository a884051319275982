// Package switches starts and stops the switches govs-bench measures, each
// forwarding between the two switch-side veths of a topo.Topology:
//
//   - "govs": bin/govs-vswitchd (with its embedded OVSDB server) started
//     inside the switch namespace with a private --rundir/--dbdir,
//     configured with bin/govs-vsctl (bridge br0, NORMAL forwarding);
//   - "govs-afxdp": the same with type=afxdp ports (options:xdp-mode, as
//     ovs-afxdp; Start fails with the Interface.error of a port that did
//     not open);
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
// With Options.Tunnel (geneve or vxlan), New returns the tunnel scenario
// of "govs" or "ovs" instead (tunnel_linux.go): two instances of the
// switch, one in each switch namespace of a topo.NewTunnel lab, each with
// br0 holding its host veth and a tunnel port (key 1) to the other, so
// that every frame is encapsulated by one and decapsulated by the other.
// govs puts the underlay address on the underlay veth (its tunnel ports
// use kernel sockets); OVS puts it on the internal port of an underlay
// bridge br-phy holding the veth (native tunnelling, ovs-facts §6).
//
// Start either makes the switch forward or returns an error that names
// what failed (the runner reports the switch as "unavailable: <error>").
// Stop undoes everything Start did, even after a failed Start: daemons
// are stopped by the pid in their pidfile (SIGTERM, then SIGKILL after
// daemonStopTimeout) and their run directory is removed. Every external
// command runs with a timeout. A Switch is used by one goroutine.
package switches
