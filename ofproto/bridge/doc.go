// Package bridge is one govs bridge: its datapath (one datapath.Datapath per
// bridge, datapath port numbers equal to OpenFlow port numbers, LOCAL =
// flow.PortLocal), its ports with their VLAN configuration, its fail mode
// and the translation Pipeline that answers the datapath's upcalls.
//
// # Pipelines
//
// The Bridge is the datapath's Upcaller and delegates every upcall to the
// current Pipeline (an atomic pointer, so SetPipeline never blocks the
// packet path). Without OpenFlow, a bridge behaves as OVS does with only
// its implicit flows:
//
//   - fail_mode standalone (the default): the single flow
//     "priority=0 actions=NORMAL", i.e. the Normal pipeline: VLAN-aware
//     L2 switching through ofproto/normal (the decision) and
//     ofproto/maclearn (the MAC table, per VLAN, shown by fdb/show);
//   - fail_mode secure: no flows, every packet is dropped (Drop pipeline).
//
// The OpenFlow engineer plugs the table pipeline in with SetPipeline; its
// PortsChanged receives every port change and Tick runs once per
// TickInterval on the bridge's maintenance goroutine.
//
// # Cache consistency
//
// Every port, VLAN or fail-mode change, and every MAC-table generation
// change reported by Pipeline.Tick, revalidates the datapath
// (datapath.Revalidate), so no packet is forwarded by a decision made
// under the old configuration once the call that changed it returns (for
// MAC learning: within one TickInterval). During revalidation the Normal
// pipeline does not learn (OVS's allow_side_effects=false), so replaying
// an old flow never moves a MAC back to a port it left.
//
// # Ownership, locks, goroutines
//
// The Bridge owns its Datapath and every ports.Port given to AddPort: it
// closes them in RemovePort and Close. Control methods (AddPort,
// RemovePort, SetPortVLAN, SetFailMode, SetPipeline, Close) are
// serialised by Bridge.mu; reads (Ports, Port) take it too. Upcall runs on
// datapath worker goroutines and takes no bridge lock: the Normal pipeline
// reads an immutable port snapshot through an atomic pointer.
//
// # Allocation
//
// Upcalls may allocate (the datapath allows it); the Normal pipeline
// allocates nothing per upcall when the MAC is already known (tested).
// Everything else is control plane.
package bridge
