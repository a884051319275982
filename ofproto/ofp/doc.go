// Package ofp is the OpenFlow wire codec of govs: OpenFlow 1.0 (with the
// Nicira extensions ovs-ofctl uses: NXM matches, NXT_* messages, NXST_*
// stats and NXAST_* actions) and OpenFlow 1.3 (OXM matches, instructions,
// multipart), byte-compatible with what Open vSwitch 3.1 sends and
// expects. It only translates bytes; connection handling, version
// negotiation state and the flow table live in ofproto.
//
// # Model
//
// Every message is a Go struct that embeds Header and implements Message:
//
//	Hdr() *Header
//	AppendBinary(b []byte) ([]byte, error) // whole message, for Hdr().Version/Xid
//	UnmarshalBinary(b []byte) error        // one whole message
//
// Decode(b) reads the 8-byte header, checks that its length fits in b,
// bounds the body by that length (trailing bytes are the next message of
// the stream; ReadLength frames a buffer and ReadMessage reads one whole
// message off an io.Reader, refusing a length below the header with
// ErrFraming) and dispatches on version, type and, for vendor/stats
// messages, the subtype. Encode(m, version, xid) sets the header and
// appends; the length is patched after the body. Multipart replies (flow,
// port, port-desc, table stats, table features) are split below 64 KiB with
// the MORE flag by EncodeMultipart.
//
// Matches decode straight into flowtable.Match (DecodeMatch10 for the
// OpenFlow 1.0 ofp_match, DecodeNXMMatch / DecodeOXMMatch for TLVs) and
// encode back from it in OVS's field order, so what ovs-ofctl sends
// re-encodes byte for byte. Actions decode into ofpact actions and encode
// from them (DecodeActions/AppendActions, DecodeInstructions/
// AppendInstructions). Decoded flow mods are checked with ofpact.Check
// (OFPBAC_MATCH_INCONSISTENT etc.), as OVS does when it decodes them. The
// NXM/OXM header of each flowtable field is in this package
// (nxm_fields.go), keyed by the flowtable field name.
//
// # Versions and messages
//
// HELLO (with version bitmap; see Negotiate), ERROR and ECHO decode in any
// version. Everything else is implemented for OpenFlow 1.0 and 1.3:
// FEATURES_REQUEST/REPLY (ports only in 1.0), GET_CONFIG_REQUEST/REPLY,
// SET_CONFIG, BARRIER_REQUEST/REPLY, PACKET_IN, PACKET_OUT, FLOW_MOD,
// FLOW_REMOVED, PORT_STATUS, PORT_MOD; NXT_SET_FLOW_FORMAT,
// NXT_FLOW_MOD (1.0), NXT_FLOW_MOD_TABLE_ID, NXT_SET_PACKET_IN_FORMAT,
// NXT_SET_CONTROLLER_ID, NXT_TLV_TABLE_MOD/REQUEST/REPLY (Geneve TLV map;
// NXTTMFC_* errors for bad commands, option lengths and field indexes);
// stats DESC, FLOW/NXST_FLOW, AGGREGATE/
// NXST_AGGREGATE, TABLE, TABLE_FEATURES (1.3), PORT, PORT_DESC (type 13,
// also in 1.0 as OVS does).
//
// tun_metadata0..63 (NXM_NX_TUN_METADATA<n>, variable length) decode into
// the match's own layout (flowtable.Match.TunMeta); the switch binds it to
// its TLV map. set_field to tun_metadata is OFPAT_SET_FIELD with that
// header in 1.3, and NXAST_REG_LOAD2 in 1.0 and for masked writes (as
// OVS); NXAST_REG_LOAD2 to other fields is refused (OFPBAC_BAD_VENDOR_TYPE).
//
// # What is refused, and with which error
//
// Decoding errors are *Error values whose Code is the OpenFlow error OVS
// replies with; Error.Reply builds that OFPT_ERROR (first 64 bytes of the
// request as data). In OpenFlow 1.0, errors without a standard code are
// sent the way OVS does: NXET_VENDOR/NXVC_VENDOR_ERROR carrying the
// Nicira (type, code); in 1.3 Nicira errors are OFPET_EXPERIMENTER.
//
//   - Other versions (1.1, 1.2, 1.4, 1.5) beyond HELLO/ERROR/ECHO:
//     OFPBRC_BAD_VERSION. Unknown types: OFPBRC_BAD_TYPE; unknown stats:
//     OFPBRC_BAD_STAT; other vendors: OFPBRC_BAD_VENDOR; other Nicira
//     subtypes (NXT_PACKET_IN2, flow monitor, ...): OFPBRC_BAD_SUBTYPE.
//   - Matches: unknown or unsupported fields (pkt_mark, ct_*, MPLS,
//     ...): OFPBMC_BAD_FIELD; wrong lengths OFPBMC_BAD_LEN (also a
//     NXM_NX_TUN_METADATA<n> of 0 or more than 124 bytes, or longer than
//     govs's 32-byte option slot);
//     masks on unmaskable fields OFPBMC_BAD_MASK; invalid values
//     OFPBMC_BAD_VALUE; unmet prerequisites (checked in order, as OVS)
//     OFPBMC_BAD_PREREQ; repeated fields OFPBMC_DUP_FIELD; non-OXM match
//     types OFPBMC_BAD_TYPE.
//   - Actions: unknown types OFPBAC_BAD_TYPE; copy_ttl, MPLS and PBB
//     actions OFPBAC_BAD_TYPE (ofpact has no type for them); group
//     OFPBAC_BAD_OUT_GROUP (no group table); unsupported Nicira actions
//     (output_reg, learn, ct, multipath, bundle, reg_load2, ...)
//     OFPBAC_BAD_VENDOR_TYPE; set_queue/pop_queue other than the
//     set_queue,output,pop_queue sequence OVS uses for enqueue, which
//     becomes ofpact.Enqueue. Instructions: meter/experimenter
//     OFPBIC_UNSUP_INST, unknown OFPBIC_UNKNOWN_INST, duplicates
//     OFPBIC_DUP_INST.
//   - Encoding a match into an OpenFlow 1.0 ofp_match that it cannot
//     express returns NXBRC_UNENCODABLE_ERROR naming the field (use NXM).
//   - One deliberate difference from OVS's encoder: an OXM match writes
//     OXM_OF_VLAN_PCP only when the VLAN present bit is matched as set
//     (its prerequisite). OVS also writes it for a VID matched without
//     that bit (possible via NXM_OF_VLAN_TCI, which OXM decoding accepts)
//     and then rejects its own bytes with OFPBMC_BAD_PREREQ; so every
//     match that decodes re-encodes to bytes that decode.
//
// Note for servers: ovs-ofctl 3.1 refuses an OFPMP_TABLE_FEATURES reply
// with an empty body (OVS's message layer requires at least one 64-byte
// entry, and each entry must carry the eight required properties): send
// TableFeaturesReply{Tables: ...} with EmptyTableFeatureProperties(). An
// empty OFPST_TABLE (1.0) reply is accepted.
//
// # Connection state the codec does not keep
//
// The OpenFlow 1.0 table id in a flow mod's command is meaningful only
// after NXT_FLOW_MOD_TABLE_ID (see FlowMod.TableIDExt); the flow format
// (FormatOF10/FormatNXM) selects which flow-mod and flow-stats form a
// server sends. The server keeps both per connection.
//
// # Ownership, concurrency, allocation
//
// Decoded messages may alias the input for opaque payloads (PacketIn.Data,
// PacketOut.Data, EchoRequest.Data, ErrorMsg.Data, table features
// properties): keep the input buffer alive and unmodified while using
// them, or copy. Everything else is copied. The package has no global
// mutable state (tables are built at init); values are not safe for
// concurrent mutation, but distinct messages may be used from different
// goroutines. One connection's messages must be decoded and applied in
// order on one goroutine (barrier semantics). This is control-plane code:
// decoding allocates the message, its actions and slices, and
// EncodeMultipart allocates its messages. The one message a switch sends
// per packet, PACKET_IN, appends into a buffer with enough capacity
// without allocating (TestAppendPacketInAllocs, BenchmarkEncodePacketIn);
// so do flow mods and other messages whose actions encode without
// conversion (BenchmarkEncodeFlowMod).
package ofp
