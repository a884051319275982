// Package normal is the decision logic of the OpenFlow NORMAL action
// (OVS 3.1 ofproto/ofproto-dpif-xlate.c xlate_normal and its helpers):
// VLAN admission, MAC learning, unicast/flood output selection, per-port
// VLAN tagging, and the flow-key bits NORMAL consults. It is pure logic
// that the ofproto translator calls; it sends nothing itself.
//
// # Port configuration
//
// PortConfig is one bridge port as OVS's bundle: VLANMode (access,
// trunk, native-tagged, native-untagged), Tag, Trunks (empty = all),
// NoFlood, IsLocal. PortFromDB derives it from a Port row as bridge.c:
// an empty vlan_mode means access when tag is set (trunks ignored, with
// OVS's warning) and trunk otherwise; an unknown mode falls back to
// trunk with a warning. Native modes always trunk their native VLAN and
// never VLAN 0 (unless the native VLAN is 0). The LOCAL port is an
// ordinary port: untagged it is a trunk for all VLANs. OVS flushes the
// MAC table when a port's VLAN configuration changes; the caller does
// that (maclearn.Table.Flush).
//
// # Rules (Decide)
//
//   - Ingress: a VLAN ethertype without a tag is dropped (partial tag).
//     Access ports drop frames with a non-zero VID (even their own);
//     untagged and priority-tagged frames join the access VLAN with their
//     PCP. Trunks accept the VLANs in Trunks (untagged = VLAN 0). Native
//     ports put untagged frames in the native VLAN, tagged ones must be
//     trunked. Drop reasons carry OVS's log text (Decision.Reason).
//   - Reserved multicast destinations (01:80:c2:00:00:0x and the other
//     addresses of OVS's eth_addr_is_reserved) are dropped unless
//     Options.ForwardBPDU.
//   - Learning: a unicast source is learned in the input VLAN on the
//     input port (Decision.Learn; done in Decide when Options.Learn),
//     before the destination lookup, as OVS. Gratuitous ARPs are flagged.
//   - Forwarding: multicast/broadcast and unknown destinations flood to
//     every port except the input that carries the VLAN and is not
//     NoFlood, in the order of the ports slice. A learned destination
//     goes to its port; learned on the input port, on a port no longer
//     in the bridge, or (govs) on a port not carrying the VLAN: dropped.
//   - Egress tagging (Output.VLANs, and Pop/Push relative to the key):
//     access untagged; trunk and native-tagged keep the bridge VLAN as a
//     tag (VLAN 0 with PCP 0 is untagged); native-untagged untags its
//     native VLAN. PCP is preserved from the input tag (0 when untagged).
//   - Mask (Decision.Mask): eth src and dst, outer VLAN VID|CFI; for ARP
//     to broadcast the opcode, and for requests sender and target IP;
//     the full outer tag (TPID, PCP) when an output pops it, as OVS's
//     commit_vlan_action.
//
// # Concurrency and allocation
//
// Decide and the PortConfig methods only read their arguments; they are
// safe for concurrent use with shared ports (the MAC table locks
// itself). Decide allocates nothing when the output buffer has room for
// every port; Decision.Outputs aliases that buffer, and the Decision
// keeps a pointer to the input PortConfig for Reason.
//
// # Not supported
//
// Bonds (and their SLB admissibility), mirrors, multicast snooping,
// STP/RSTP port states, dot1q-tunnel ports (PortFromDB returns
// ErrDot1qTunnel), other_config:priority-tags (behaves as "never"),
// cvlans, and Bridge.flood_vlans is handled by maclearn.SetFloodVLANs.
// The caller filters ports that are down or blocked before Decide.
package normal
