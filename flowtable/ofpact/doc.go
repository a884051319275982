// Package ofpact is the OpenFlow action model: a flow's actions are a
// []Action of concrete types (*Output, *SetField, *Resubmit, ...), in
// order, with OpenFlow 1.1+ instructions (*ClearActions, *WriteActions,
// *WriteMetadata, *GotoTable) as members of the same slice, like OVS's
// ofpacts.
//
// ParseInstructions parses ovs-ofctl "actions=" syntax with ovs-ofctl 3.1's
// error messages and returns the protocols able to carry the actions.
// Check validates actions against a match (OVS ofpacts_check): it narrows
// the usable protocols (e.g. mod_nw_src without "ip" only works in
// OpenFlow 1.0) and returns OpenFlow error codes such as
// OFPBAC_MATCH_INCONSISTENT or OFPBAC_BAD_OUT_PORT. Encode converts actions
// into what a switch speaking a given OpenFlow version sends back (in 1.0:
// set_field becomes mod_* or load, goto_table becomes resubmit, write/clear
// instructions vanish; in 1.3: mod_* becomes set_field); a switch stores
// Encode(actions, version of the adding connection), then Checks them
// again. AppendActions / FormatActions print them as ovs-ofctl does.
//
// Supported: output (port numbers, reserved names, port names through a
// flowtable.PortMap), NORMAL, FLOOD, ALL, IN_PORT, LOCAL, CONTROLLER[:len],
// controller(reason=,max_len=,id=), enqueue, drop, mod_dl_src/dst,
// mod_nw_src/dst/tos/ecn/ttl, mod_tp_src/dst, mod_vlan_vid/pcp,
// set_vlan_vid/pcp, strip_vlan, pop_vlan, push_vlan, set_field:V[/M]->F,
// set_field:V[/M]->tun_metadataN (SetTunMetadata; load/move on
// tun_metadata are refused),
// load:V->F[a..b], move:F[a..b]->F[a..b], dec_ttl and dec_ttl(ids),
// resubmit:port, resubmit(port,table), goto_table, set_tunnel,
// set_tunnel64, note, write_metadata, clear_actions, write_actions(...).
// Other OVS actions (learn, ct, group, bundle, output_reg, output_trunc,
// clone, sample, meter, mpls, controller userdata/pause/meter_id, ...) are
// refused with "NAME: action not supported by govs"; unknown names give
// OVS's "unknown action NAME".
//
// Actions are immutable once Checked and handed to a flow table; a slice
// may then be shared by any number of readers without locks. Parsing
// allocates; AppendActions allocates nothing for actions without
// set_field values when the buffer has room.
package ofpact
