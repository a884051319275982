// Package reconcile is govs-vswitchd's configuration plane: it watches the
// Open_vSwitch database (tables Open_vSwitch, Bridge, Port, Interface,
// Controller) and makes the live bridges (package ofproto/bridge) and
// their ports match it, then writes the results back, as OVS's
// vswitchd/bridge.c does.
//
// # One code path for both database modes
//
// The Reconciler always talks OVSDB through ovsdb/client: it takes the
// "ovs_vswitchd" lock, starts a monitor_cond on every column of the five
// tables, keeps a replica (client.Cache) and asserts the lock in each of
// its transactions. Config.Dial chooses the server: RemoteDial for an
// external ovsdb-server (`--db unix:/path/db.sock`), PipeListener.Dial for
// govs's embedded server (served in-process over net.Pipe). Without the
// lock nothing is reconfigured or written (OVS does the same).
//
// # A pass
//
// Every database change, every StatsInterval and after a failed write the
// Run goroutine parses a snapshot of the replica and applies it:
//
//  1. Removals: bridges no longer in Open_vSwitch.bridges are closed
//     (their TAP devices disappear); interfaces gone, or whose type,
//     patch peer or ofport_request changed, are detached and closed.
//  2. Additions: missing bridges are created, each with the OpenFlow
//     pipeline OFPipeline (ofproto/xlate over ofproto/tables; the
//     daemon serves its tables over OpenFlow from Config.OnBridge); missing interfaces are
//     opened: type "" / "system" as AF_PACKET, "internal" as a TAP (the one
//     named like the bridge is LOCAL, ofport 65534), "tap" as a TAP,
//     "patch" as one end of a ports/patch pair (pairs are joined when both
//     sides exist; the waiting end is kept by the reconciler), "geneve"
//     and "vxlan" as tunnel ports (tunnel.go: options parsed by
//     tunnel.ParseConfig, whose errors are OVS's Interface.error texts;
//     the port registered in the bridge's tunnel.Table, which opens the
//     shared underlay port through the Opener's UnderlayOpener; a change
//     of options re-creates the port), "afxdp" as a ports/afxdp AF_XDP
//     port through the Opener's OptionsOpener (options xdp-mode, n_rxq,
//     use-need-wakeup checked by afxdp.ParseOptions, whose errors are
//     Interface.error; a change of one of them re-creates the port; an
//     Opener without OptionsOpener refuses the type). Any other type (gre, stt...)
//     fails with "could not open network device X (unsupported
//     interface type "T")". ofport: ofport_request, else the ofport in the
//     database, else the next free number after the last allocated one.
//     A Port with several interfaces (a bond) fails: bonds are not
//     supported.
//  3. Port VLAN columns (tag, trunks, vlan_mode), Bridge fail_mode,
//     other_config:forward-bpdu and whether the bridge has controllers
//     (Bridge.SetHasControllers: from none to some or back flushes every
//     flow, and the standalone NORMAL flow exists only without
//     controllers) are applied to live objects; Config.OnControllers gets
//     the Controller targets and probe interval when they change.
//  4. As OVS's bridge_configure_datapath_id: the LOCAL TAP gets the
//     bridge's Ethernet address (other_config:hwaddr, else the lowest
//     universally administered MAC of a system port, else its own) and
//     the bridge its datapath id (other_config:datapath-id, else
//     0000<MAC>), which FEATURES_REPLY reports (Bridge.DatapathID).
//  5. One transaction writes back only the columns whose value differs
//     from the replica: Interface ofport / error / ifindex / mac_in_use /
//     mtu / admin_state / link_state / link_speed / duplex / status
//     (ethtool driver info) / link_resets (carrier changes since the
//     port was added) (statistics every StatsInterval; a failed
//     interface gets ofport -1, its error and cleared status),
//     Bridge datapath_id / datapath_version, Controller is_connected
//     (Config.ControllerConnected), and Open_vSwitch cur_cfg =
//     next_cfg (so ovs-vsctl's wait ends), datapath_types, iface_types,
//     dpdk_initialized=false, dpdk_version="none" — what ovs-vswitchd
//     writes. ovs_version, db_version, system_type and system_version
//     are ovs-ctl's, not ovs-vswitchd's: govs-vswitchd's embedded
//     database sets them at start (cmd/govs-vswitchd initDatabase).
//
// Failed interfaces are retried on every pass, so a device created after
// add-port is picked up within StatsInterval. A bad row never panics and
// never blocks other bridges or interfaces: each failure is confined to
// its Interface row's error column.
//
// # Goroutines, locks, ownership
//
// Run's goroutine owns the engine (live bridges, pending patch ends).
// Reconciler.mu guards the bridge map for concurrent readers (Bridge,
// BridgeNames: unixctl and metrics). Monitor callbacks run on the client's
// reader goroutine and only update the replica (under its own mutex) and
// wake Run. Close, after Run returns, closes every bridge and port.
//
// This is control-plane code; it allocates freely.
package reconcile
