package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"govs/tunnel/tlv"
	"strings"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/ofproto/bridge"
	"govs/ofproto/reconcile"
)

// traceUsage is ofproto/trace's usage, as OVS registers it.
const traceUsage = "{[dp_name] odp_flow | bridge br_flow} [OPTIONS...] [-generate|packet]"

// ofprotoTrace is `ofproto/trace BRIDGE BR_FLOW [-generate|PACKET]`, as
// OVS 3.1 (ofproto-dpif-trace.c): the flow in ovs-ofctl syntax (port
// names accepted), optionally a hex Ethernet frame whose headers replace
// the flow's (in_port and pipeline fields stay the flow's). -generate
// or a packet lets the translation have side effects (NORMAL learns);
// nothing is sent. Datapath (ODP) flows and the --ct-next/--l7 options
// are refused naming them.
func (d *daemon) ofprotoTrace(args []string) (string, error) {
	ta, err := parseTraceArgs(args)
	if err != nil {
		return "", err
	}
	br := d.rec.Bridge(ta.bridge)
	if br == nil {
		return "", fmt.Errorf("%s: unknown bridge", ta.bridge)
	}
	op, ok := br.Pipeline().(*reconcile.OFPipeline)
	if !ok {
		return "", fmt.Errorf("%s: bridge has no OpenFlow pipeline", ta.bridge)
	}
	k, err := traceKey(br.Ports(), ta.flow, ta.packet, br.Datapath().VLANLimit(), op.TLV().Load())
	if err != nil {
		return "", err
	}
	return op.TraceWith(&k, nil, ta.generate || ta.packet != nil), nil
}

// traceArgs are ofproto/trace's parsed arguments.
type traceArgs struct {
	bridge, flow string
	packet       []byte
	generate     bool
}

// parseTraceArgs splits ofproto/trace's arguments as OVS's
// parse_flow_and_packet, with its messages.
func parseTraceArgs(args []string) (traceArgs, error) {
	var ta traceArgs
	var pos []string
	for _, a := range args {
		switch {
		case a == "-generate" || a == "--generate":
			ta.generate = true
		case strings.HasPrefix(a, "--"):
			return ta, fmt.Errorf("ofproto/trace option %s is not supported by govs", a)
		default:
			pos = append(pos, a)
		}
	}
	if len(pos) > 3 {
		return ta, errors.New("too many arguments")
	}
	if len(pos) == 3 {
		if ta.generate {
			return ta, errors.New("Syntax error")
		}
		pkt, err := hex.DecodeString(pos[2])
		if err != nil || len(pkt) == 0 {
			return ta, errors.New("Trailing garbage in packet data")
		}
		ta.packet, pos = pkt, pos[:2]
	}
	switch len(pos) {
	case 0:
		return ta, errors.New("Syntax error")
	case 1:
		return ta, fmt.Errorf("syntax error at %s (or the bridge name was omitted)", pos[0])
	}
	ta.bridge, ta.flow = pos[0], pos[1]
	return ta, nil
}

// traceKey builds the flow ofproto/trace translates: the OpenFlow flow s
// (unspecified fields zero, in_port ANY when absent), or the headers of
// packet with s's in_port, extracted with at most vlanLimit VLAN tags
// (other_config:vlan-limit, as the datapath).
// tun_metadata fields are placed by the bridge's TLV map tm (present, as
// a received option would be).
func traceKey(infos []bridge.PortInfo, s string, packet []byte, vlanLimit int, tm *tlv.Map) (flow.Key, error) {
	if strings.Contains(s, "(") && !strings.Contains(s, "=") {
		return flow.Key{}, fmt.Errorf("%s: datapath flow syntax is not supported by govs's ofproto/trace; give a bridge and an OpenFlow flow", s)
	}
	pm := &flowtable.PortMap{Number: func(name string) (flowtable.PortNo, bool) {
		for _, in := range infos {
			if in.Name == name {
				return flowtable.PortNo(in.OFPort), true
			}
		}
		return 0, false
	}}
	opt := &flowsyntax.Options{Ports: pm}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("Bad openflow flow syntax: %s: %s", s, fmt.Sprintf(format, args...))
	}
	// OVS parse_ofp_exact_flow: only fields (no priority, actions...),
	// no masks, each field's prerequisites met by what precedes it.
	toks := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	for i, tok := range toks {
		name, value, hasValue := strings.Cut(tok, "=")
		if !hasValue {
			continue // protocol shorthands (ip, tcp...): ParseMatch checks them
		}
		if _, ok := flowtable.TunMetadataIndex(name); ok {
			if strings.Contains(value, "/") {
				return flow.Key{}, bad("bad value for %s (%s: wildcards not allowed here)", name, value)
			}
			continue
		}
		f := flowtable.FieldByName(name)
		if f == nil {
			return flow.Key{}, bad("unknown field %s", name)
		}
		prev, _, err := flowsyntax.ParseMatch(strings.Join(toks[:i], ","), opt)
		if err == nil && !prev.Match.PrereqsOK(f.Prereq) {
			return flow.Key{}, bad("prerequisites not met for setting %s", name)
		}
		if strings.Contains(value, "/") {
			return flow.Key{}, bad("bad value for %s (%s: wildcards not allowed here)", name, value)
		}
		if _, _, err := flowsyntax.ParseMatch(tok, opt); err != nil {
			return flow.Key{}, bad("bad value for %s (%v)", name, err)
		}
	}
	fm, _, err := flowsyntax.ParseMatch(s, opt)
	if err != nil {
		return flow.Key{}, bad("%v", err)
	}
	if err := fm.Match.BindTunMetadata(tm); err != nil {
		return flow.Key{}, bad("%v", err)
	}
	in := flowtable.PortNone
	if fm.Match.InPortMask != 0 {
		in = fm.Match.InPort
	}
	var k flow.Key
	if packet != nil {
		var l flow.Layout
		flow.ExtractVLANs(packet, flow.PortNo(in), vlanLimit, &k, &l)
		return k, nil
	}
	k = fm.Match.Key
	k.SetInPort(flow.PortNo(in))
	if tpid, tci := k.VLAN(0); tci&flow.VLANCFI != 0 && tpid == 0 {
		k.SetVLAN(0, vlanTPID, tci)
	}
	return k, nil
}

// vlanTPID is the 802.1Q TPID a flow's dl_vlan implies.
const vlanTPID = 0x8100
