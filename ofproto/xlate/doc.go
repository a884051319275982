// Package xlate is the OpenFlow slow path of a bridge: it translates a
// datapath flow key through the ofproto/tables into datapath actions and
// a megaflow mask, as OVS's ofproto-dpif-xlate. Pipeline implements
// bridge.Pipeline (plug it in with Bridge.SetPipeline) and
// datapath.CookieUpcaller.
//
// # Translation
//
// A translation (ctx) starts at table 0 with the packet's key (in_port
// = OpenFlow port; datapath and OpenFlow numbers are equal in govs),
// looks tables up with wildcard accumulation (classifier.Wildcards),
// and executes the rule's ofpact actions on a working copy of the flow
// and the OpenFlow pipeline state (metadata, registers): output,
// NORMAL, FLOOD, ALL, IN_PORT, LOCAL, TABLE, CONTROLLER, enqueue (as
// output), mod_dl/nw/tp_*, mod_vlan_vid/pcp, strip/pop/push_vlan,
// set_field/load/move on packet fields and pipeline state, dec_ttl,
// resubmit, goto_table, write_metadata, write_actions/clear_actions (the
// action set runs at the end in OpenFlow order), set_tunnel and
// set_field to tun_id/tun_src/tun_dst (kept in the flow for tunnel
// output) and note.
//
// # Tunnels
//
// With a tunnel.Table (SetTunnels), output (also NORMAL, FLOOD, ALL) to a
// geneve/vxlan port emits tnl_push with a header interned in the table
// (tunnel.go tunnelOutput: remote/local IP, key from the options or, for
// "flow", from tun_dst/tun_src/tun_id, which are then un-wildcarded; the
// Geneve O bit from tun_flags oam; no
// route to the remote drops the packet). A packet received on a hidden
// underlay port becomes tnl_pop when it is IPv4/UDP to the port's UDP
// port (mask: dl_type, nw_proto, nw_frag, tp_dst), and is dropped
// otherwise; the recirculated inner packet is mapped to its tunnel port
// by Table.Find (tun_id, tun_src, tun_dst exact in the mask) and
// translated as received there. Failures count in Counters.TunnelDrops.
// The pipeline owns its bridge's Geneve TLV map (TLV; given to the tunnel
// table by SetTunnels, to the OpenFlow switch by the daemon):
// set_field:V->tun_metadataN writes the field's place in the working key's
// option slot and its presence bit; Geneve output sends the present
// mapped fields as options (tunnel.BuildOptions, which un-wildcards the
// presence bits of every mapped field and the data it sent); table
// lookups un-wildcard the slot bytes and presence bits they consult like
// any key word. Datapath "set"
// and VLAN actions are emitted only before an output, for what differs
// from the packet as the datapath has it (OVS commit_odp_actions order:
// Ethernet, IPv4 or ARP fields, L4 ports, VLANs). A rewrite the datapath
// cannot do (IPv6 addresses, ICMP type/code) drops the packet
// (FailUnsupportedSet). Output to the input port is skipped unless
// IN_PORT, as OVS. The budget is OVS's: depth 64 and 4096 lookups; over
// it the packet is dropped (FailDepth/FailResubmits, counted in Stats).
//
// The mask holds what translation consulted (ovs-facts §3.4): in_port,
// recirc_id, dl_type and nw_frag always; the classifier's wildcards; the
// fields actions set or read; NORMAL's Decision.Mask. It is finished as
// OVS xlate_wc_finish (CFI with any TCI bit, 8-bit ICMP type/code, no
// L4 ports on later fragments, no bits for VLAN levels the packet did
// not have), and for the datapath an unmatched VLAN TCI becomes
// VID|CFI (dpif-netdev's "no tag" rule). Trace prints the unforced
// mask, as ofproto/trace's "Megaflow:"; TraceWith(learn) is the trace
// with a packet (-generate): NORMAL learns and reports it.
//
// CONTROLLER becomes datapath.Userspace(arg): arg's high 32 bits are
// 0x676f7673 ("govs"), the low 32 bits index a ControllerInfo (reason,
// table, rule cookie, max_len, controller id) interned by the pipeline;
// Pipeline.ControllerInfo(arg) recovers it for the packet-in.
//
// Port config bits (bridge.PortInfo.Config, from PORT_MOD) act as in OVS
// 3.1: no-receive (no-receive-stp for frames to 01:80:c2:00:00:00) looks
// table 0 up but runs none of the rule's actions (may_receive);
// no-forward skips every output to the port, traced "OFPPC_NO_FWD set,
// skipping output"; no-flood takes the port out of FLOOD and NORMAL
// flooding (not ALL).
//
// SetFailOpen(true) (a standalone bridge that lost its controllers)
// makes a hidden catch-all NORMAL rule of priority FailOpenPriority
// decide every packet, traced as OVS's fail-open rule.
//
// # PACKET_OUT
//
// TranslatePacketOut runs a PACKET_OUT's actions (not a table lookup) on
// the frame's flow with in_port set to the message's in_port (a port,
// LOCAL, CONTROLLER or NONE), with the same translation and side effects
// as an upcall: output:TABLE looks table 0 up (the rules hit count the
// packet), NORMAL learns, CONTROLLER sends a packet-in. PacketOut then
// executes the datapath actions with datapath.Execute (serialised with
// the workers, never on a worker). A PACKET_OUT from a no-receive port
// does nothing, as OVS.
//
// # Counters and revalidation
//
// Each megaflow's cookie is its xlate cache: the *tables.Rule list the
// translation went through. UpcallCookie credits the upcalled packet to
// every rule at once; Tick pulls the datapath's per-megaflow deltas
// every StatsInterval (500 ms) with datapath.PullStats and credits
// them through the cache (allocation-free per flow), so dump-flows
// counters and idle_age are exact within 500 ms, and idle timeouts are
// measured on them. Tick also ages MAC entries, expires timed-out rules
// (Config.OnRemoved receives them for FLOW_REMOVED) and returns true
// when the MAC table or the tables changed, so the bridge revalidates.
// The OpenFlow server must itself call Bridge.Revalidate after a flow
// mod and before BARRIER_REPLY (see ofproto/tables). During
// revalidation (SetRevalidating), and in any re-translation of an
// installed flow (UpcallCookie with frameLen 0, which a datapath worker
// may run after the bridge's revalidation ended), NORMAL does not learn.
//
// The datapath calls UpcallCookie only when its Upcaller implements
// datapath.CookieUpcaller: a bridge that delegates to a pipeline must
// forward it (otherwise Upcall is used and only NORMAL learning, not
// rule counters, works).
//
// # Concurrency and allocation
//
// UpcallCookie and Upcall run concurrently on datapath workers: tables
// are read lock-free, ports through an atomic snapshot, the MAC table is
// safe for concurrent use, controller interning takes a small mutex.
// PortsChanged, Tick, SetRevalidating and Close are called by the bridge
// with its lock held. Translation allocates (the upcall path may);
// the stats pull does not allocate per flow.
package xlate
