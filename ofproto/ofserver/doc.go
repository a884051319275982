// Package ofserver is the OpenFlow connection server of one bridge: what
// ovs-vswitchd's connmgr/ofconn do. It accepts management connections on
// punix:<rundir>/<bridge>.mgmt (ovs-ofctl), passive controller
// connections (ptcp:PORT[:IP]) and keeps active controller connections
// (tcp:IP[:PORT], unix:PATH) with reconnection (1 s backoff doubling to
// 8 s). It speaks the ofproto/ofp codec and operates on a Switch.
//
// SetControllers applies a bridge's Controller targets as a set: new
// active targets are dialled, new passive ones listened on (controller
// connections), and removed ones are stopped with their connections.
// Controllers reports each target's is_connected (a connection that
// completed HELLO); FailureDuration is OVS's connmgr_failure_duration
// over the active targets, from which the daemon decides fail-open.
//
// # Connection model
//
// Each connection has two goroutines. The reader sends HELLO, reads the
// peer's HELLO and negotiates (highest common version; HELLO_FAILED /
// INCOMPATIBLE and close when there is none, or when the common version
// is one the codec does not implement), then reads one message at a time
// and applies it completely before reading the next. The writer owns all
// writes to the socket and drains a bounded queue (Config.QueueLen).
// Replies wait for room in the queue; asynchronous messages (PACKET_IN,
// FLOW_REMOVED, PORT_STATUS) are dropped and counted when it is full,
// so a slow controller never blocks a datapath worker.
//
// Per-connection state, as OVS keeps it: negotiated version, flow format
// (NXT_SET_FLOW_FORMAT), NXT_FLOW_MOD_TABLE_ID, miss_send_len and the
// invalid-TTL flag (SET_CONFIG), controller id. The fragment mode is
// switch-wide. Kinds: KindService connections (the .mgmt socket) start
// with miss_send_len 0 and receive no asynchronous messages until they set
// a non-zero one; KindController connections start at 128 and receive
// every asynchronous message (all connections are role "equal").
//
// The offered versions default to 1.0 and 1.3 (HELLO version 0x04 with a
// bitmap), the versions the codec implements; Config.Versions may offer
// 1.0–1.5 exactly like vswitchd (0x06, no bitmap), in which case peers
// that pick 1.1, 1.2, 1.4 or 1.5 get HELLO_FAILED.
//
// # Ordering and barrier guarantee
//
// A connection's messages are applied in order, one at a time, and their
// replies are queued in the same order. BARRIER_REQUEST calls
// Switch.Barrier, which returns only once every earlier change is in
// effect in the datapath (TablesSwitch revalidates the datapath when the
// tables changed since the last revalidation, serialised across
// connections), and only then is BARRIER_REPLY queued: when the client
// sees it, the flow mods it sent before are applied and no datapath flow
// forwards with stale actions.
//
// Flow mod runs: consecutive FLOW_MODs (OFPT_FLOW_MOD or NXT_FLOW_MOD)
// that are already whole in a connection's read buffer, as "ovs-ofctl
// add-flows" sends them, are applied inside one FlowModBatcher run when
// the Switch implements it (TablesSwitch does, with a tables.Batch), so n
// ADDs publish the classifier once per run instead of once per rule
// (O(n) instead of O(n²)). Each message is still decoded, checked and
// applied in order with its own error; a run ends before any other
// message, when the buffered input ends, or after a message that got an
// error reply, and that reply is queued once the run is published. So
// the order of replies and the barrier guarantee are unchanged.
//
// # What is refused, and how
//
// Every refused message gets the OFPT_ERROR OVS sends, with the offending
// request echoed as data (whole, like OVS), and the connection stays up:
// decode errors carry the codec's code (ofp.Error); a version other than
// the negotiated one is OFPBRC_BAD_VERSION; messages a switch never
// receives (replies, PACKET_IN...) OFPBRC_BAD_TYPE; a 1.0 flow mod with a
// table id without NXT_FLOW_MOD_TABLE_ID OFPFMFC_BAD_COMMAND; buffer ids
// other than NO_BUFFER OFPBRC_BUFFER_UNKNOWN (after applying the flow mod,
// as OVS); PACKET_OUT actions that do not fit the packet's own flow
// (checked as a flow's actions, as OVS) OFPBAC_*, e.g. an OpenFlow 1.3
// set_field:ip_dst on an ARP frame OFPBAC_MATCH_INCONSISTENT;
// NXT_SET_FLOW_FORMAT over 1.3 and non-standard packet-in
// formats OFPBRC_EPERM; PORT_MOD on an unknown port OFPPMFC_BAD_PORT, with
// a wrong hardware address OFPPMFC_BAD_HW_ADDR; table-features requests
// that change tables OFPBRC_EPERM; role requests, groups, meters, bundles
// and flow monitors are not in the codec (OFPBRC_BAD_TYPE / BAD_STAT /
// BAD_SUBTYPE). Switch errors that are not *ofp.Error are OFPBRC_EPERM.
// Unsupported SET_CONFIG fragment modes are logged and ignored (OVS).
// Geneve TLV map (tlv.go, TLVSwitch; TablesSwitch implements it on its
// tlv.Table): NXT_TLV_TABLE_MOD errors are OVS's NXTTMFC_* (ALREADY_MAPPED,
// DUP_ENTRY, TABLE_FULL beyond govs's 32-byte option space, BAD_OPT_LEN
// also for zero-length options, INVALID_TLV_DEL for a field a flow
// matches or sets); the reply reports max option space=32. Flow mods and
// flow stats requests have their tun_metadata fields bound to the map;
// an unmapped one (match or set_field) is NXFMFC_INVALID_TLV_FIELD.
// Only broken framing closes a connection: a length field below 8 bytes
// (OVS closes on it too), a non-HELLO first message, or EOF.
//
// # Ownership, locks, allocation
//
// Decoded messages live in a buffer allocated per message, so the
// PacketOut data and actions handed to the Switch are the Switch's.
// Switch methods are called concurrently from connection goroutines.
// The live connection list is an immutable slice behind an atomic
// pointer, so PacketIn takes no lock; connection registration, listeners
// and the last port list (PortsChanged) are guarded by Server.mu.
// Everything is control-plane code except PacketIn and
// ControllerHook.Controller, which run on datapath workers and allocate
// nothing once a connection is warm: each connection recycles its output
// buffers through a bounded free list (TestPacketInAllocs,
// TestControllerHookAllocs, BenchmarkPacketIn).
package ofserver
