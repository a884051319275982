// Package bridge is one govs bridge: its datapath (one datapath.Datapath per
// bridge, datapath port numbers equal to OpenFlow port numbers, LOCAL =
// flow.PortLocal), its ports with their VLAN configuration, its fail mode
// and the translation Pipeline that answers the datapath's upcalls.
//
// # Pipelines
//
// The Bridge is the datapath's Upcaller and delegates every upcall to the
// current Pipeline (an atomic pointer, so SetPipeline never blocks the
// packet path). A new bridge has the drop pipeline (no flows) until
// SetPipeline installs the OpenFlow one: govs-vswitchd's reconciler
// installs reconcile.OFPipeline (ofproto/xlate over ofproto/tables) on
// every bridge it creates. Its PortsChanged receives every port change
// and Tick runs once per TickInterval on the bridge's maintenance
// goroutine (stats pull, MAC aging, rule expiry).
//
// A pipeline may implement optional capabilities the bridge forwards:
//
//   - datapath.CookieUpcaller: the Bridge implements it too (UpcallCookie),
//     so the datapath's per-megaflow cookie (the rules a translation went
//     through, i.e. OpenFlow rule counters) reaches the pipeline; without
//     it the pipeline's Upcall is used;
//   - FailModeSetter: called when the pipeline is installed and on every
//     fail_mode change (OVS flushes every flow and, in standalone, re-adds
//     "priority=0 actions=NORMAL"); the bridge then revalidates;
//   - ControllerSetter: whether Bridge.controller is non-empty
//     (SetHasControllers); a change flushes every flow, and the
//     standalone NORMAL flow is re-added only without controllers;
//   - BPDUForwarder: other_config:forward-bpdu;
//   - MACTabler: NORMAL's MAC table (fdb/show); MACTable is nil otherwise.
//
// # OpenFlow port config
//
// SetPortConfig keeps the OpenFlow config bits PORT_MOD sets (PortNoRecv,
// PortNoFwd, PortNoFlood, PortNoRecvSTP, PortNoSTP, PortNoPacketIn) in
// PortInfo.Config, across SetPortInfo (the reconciler's VLAN updates);
// PortNoFlood is mirrored into PortInfo.VLAN.NoFlood for NORMAL. They
// live as long as the port (OVS does not store them either). PORT_DOWN
// is the device's IFF_UP, which the daemon changes itself.
//
// # Cache consistency
//
// Every port, VLAN, port-config, fail-mode or forward-bpdu change, and every Tick that
// asks for it (MAC-table or flow-table changes), revalidates the datapath
// (datapath.Revalidate), so no packet is forwarded by a decision made
// under the old configuration once the call that changed it returns (for
// MAC learning and expiry: within one TickInterval). Revalidate is public
// for the OpenFlow server (after flow mods, before BARRIER_REPLY). During
// revalidation the pipeline is told SetRevalidating(true), and every
// re-translation (frameLen 0, which an idle datapath worker may run after
// Revalidate returned) is side-effect free: NORMAL does not learn (OVS's
// allow_side_effects=false), so replaying an old flow never moves a MAC
// back to a port it left.
//
// # Virtual ports
//
// A port that implements VirtualPort (a tunnel port, tunnel.Port) is a
// bridge port for the pipeline, OpenFlow and the database, but it is not
// added to the datapath: translation never outputs to it directly (it
// emits tnl_push towards the tunnel's underlay port instead).
//
// # Ownership, locks, goroutines
//
// The Bridge owns its Datapath and every ports.Port given to AddPort: it
// closes them in RemovePort and Close, and closes the replaced pipeline
// in SetPipeline and the current one in Close. Control methods (AddPort,
// RemovePort, SetPortInfo, SetPortConfig, SetFailMode, SetForwardBPDU, SetPipeline,
// Revalidate, Tick, Close) are serialised by Bridge.mu and call the
// pipeline's control methods with it held (a pipeline must not call back
// into the bridge from them); reads (Ports, Port, MACTable) take it too.
// Upcall and UpcallCookie run on datapath worker goroutines and take no
// bridge lock.
//
// # Allocation
//
// Upcalls may allocate (the datapath allows it); UpcallCookie's
// delegation itself allocates nothing. Everything else is control plane.
package bridge
