package flowsyntax

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// AllowedDefault is what ovs-ofctl allows without -O: OpenFlow 1.0 only.
const AllowedDefault = flowtable.ProtoOF10Any

// ChooseProtocol picks the protocol ovs-ofctl uses: the lowest protocol
// bit in usable ∩ allowed, or 0 if there is none.
func ChooseProtocol(usable, allowed flowtable.Protocols) flowtable.Protocols {
	return (usable & allowed).Lowest()
}

// EncodeMatch returns m as a switch speaking protocol p would see it
// (prerequisite normalization; OpenFlow 1.0 VLAN and TOS forms).
func EncodeMatch(m flowtable.Match, p flowtable.Protocols) flowtable.Match {
	switch {
	case p&flowtable.ProtoOF10StdAny != 0:
		m.OF10RoundTrip()
	case p&flowtable.ProtoAnyOXM != 0:
		m.OXMRoundTrip()
	default:
		m.NXMRoundTrip()
	}
	return m
}

func formatVersion(p flowtable.Protocols) ofpact.FormatVersion {
	switch v := p.Version(); {
	case v == flowtable.OFVersion10:
		return ofpact.OF10
	case v >= flowtable.OFVersion15:
		return ofpact.OF15
	}
	return ofpact.OF13
}

// msgHeader returns e.g. "OFPT_FLOW_MOD (xid=0x1):" for protocol p.
func msgHeader(p flowtable.Protocols, xid uint32) string {
	name := "OFPT_FLOW_MOD"
	ver := ""
	switch p {
	case flowtable.ProtoOF10NXM, flowtable.ProtoOF10NXMTID:
		name = "NXT_FLOW_MOD"
	case flowtable.ProtoOF11Std:
		ver = " (OF1.1)"
	case flowtable.ProtoOF12OXM:
		ver = " (OF1.2)"
	case flowtable.ProtoOF13OXM:
		ver = " (OF1.3)"
	case flowtable.ProtoOF14OXM:
		ver = " (OF1.4)"
	case flowtable.ProtoOF15OXM:
		ver = " (OF1.5)"
	}
	return name + ver + " (xid=0x" + strconv.FormatUint(uint64(xid), 16) + "):"
}

// AppendFlowMod appends the ofp_print text of fm encoded with protocol p
// ("OFPT_FLOW_MOD (xid=0x1): ADD priority=2,in_port=1 actions=drop").
func AppendFlowMod(b []byte, fm *FlowMod, p flowtable.Protocols, xid uint32, pm *flowtable.PortMap) []byte {
	b = append(b, msgHeader(p, xid)...)
	b = append(b, ' ')
	b = append(b, fm.Command.String()...)
	table := fm.Table
	if p&flowtable.ProtoTID == 0 || (table == TableAll && fm.Command == CmdAdd) {
		table = 0
	}
	if table != 0 {
		b = append(b, " table:"...)
		b = strconv.AppendUint(b, uint64(table), 10)
	}
	b = append(b, ' ')
	m := EncodeMatch(fm.Match, p)
	b = flowtable.AppendMatch(b, &m, int(fm.Priority), pm)
	if b[len(b)-1] != ' ' {
		b = append(b, ' ')
	}
	if fm.NewCookie != 0 && fm.NewCookie != CookieNoChange {
		b = append(b, "cookie:0x"...)
		b = strconv.AppendUint(b, fm.NewCookie, 16)
		b = append(b, ' ')
	}
	if fm.CookieMask != 0 {
		b = append(b, "cookie:0x"...)
		b = strconv.AppendUint(b, fm.Cookie, 16)
		b = append(b, "/0x"...)
		b = strconv.AppendUint(b, fm.CookieMask, 16)
		b = append(b, ' ')
	}
	b = appendU16Word(b, "idle:", fm.IdleTimeout)
	b = appendU16Word(b, "hard:", fm.HardTimeout)
	if p.Version() >= flowtable.OFVersion14 {
		// Only OpenFlow 1.4+ flow_mods carry importance.
		b = appendU16Word(b, "importance:", fm.Importance)
	}
	if fm.OutPort != flowtable.PortNone {
		b = append(b, "out_port:"...)
		b = flowtable.AppendPort(b, fm.OutPort, pm)
		b = append(b, ' ')
	}
	flags := fm.Flags
	if p.Version() <= flowtable.OFVersion11 {
		flags &^= FlagResetCounts
	}
	b = appendFlags(b, flags)
	b = append(b, "actions="...)
	return ofpact.AppendActions(b, fm.Actions, formatVersion(p), pm)
}

func appendU16Word(b []byte, name string, v uint16) []byte {
	if v == 0 {
		return b
	}
	b = append(b, name...)
	b = strconv.AppendUint(b, uint64(v), 10)
	return append(b, ' ')
}

// ParseFlowOutput implements "ovs-ofctl parse-flow FLOW": it returns what
// ovs-ofctl prints on stdout and, on failure, the error it prints on
// stderr after "ovs-ofctl: " (the exit status is then 1). allowed is the
// set enabled by -O (AllowedDefault without -O).
func ParseFlowOutput(flow string, allowed flowtable.Protocols) (stdout string, err error) {
	fm, usable, err := ParseFlow(flow, CmdAdd, nil)
	if err != nil {
		return "", err
	}
	b := []byte("usable protocols: ")
	b = append(b, usable.String()...)
	b = append(b, '\n')
	p := ChooseProtocol(usable, allowed)
	if p == 0 {
		return string(b), errorf("no usable protocol")
	}
	b = append(b, "chosen protocol: "...)
	b = append(b, flowtable.ProtocolName(p)...)
	b = append(b, '\n')
	const firstXID = 1
	b = AppendFlowMod(b, fm, p, firstXID, nil)
	b = append(b, '\n')
	return string(b), nil
}

// versionNames are the -O spellings of OpenFlow versions.
var versionNames = map[string]int{
	"OpenFlow10": flowtable.OFVersion10, "OpenFlow11": flowtable.OFVersion11,
	"OpenFlow12": flowtable.OFVersion12, "OpenFlow13": flowtable.OFVersion13,
	"OpenFlow14": flowtable.OFVersion14, "OpenFlow15": flowtable.OFVersion15,
}

// AllowedForVersions converts an ovs-ofctl -O argument ("OpenFlow13",
// "OpenFlow10,OpenFlow13") into the protocols it allows.
func AllowedForVersions(s string) (flowtable.Protocols, error) {
	var p flowtable.Protocols
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		n, ok := versionNames[v]
		if !ok {
			return 0, errorf("Unknown OpenFlow version: \"%s\"", v)
		}
		p |= flowtable.ProtocolsForVersion(n)
	}
	return p, nil
}

// ParseFlowCommand runs "ovs-ofctl [-O VERSIONS] parse-flow FLOW" with args
// being everything after the program name ("-O", "OpenFlow13",
// "parse-flow", FLOW; "--protocols=..." is accepted too). It writes what
// ovs-ofctl writes to stdout and stderr and returns its exit status.
func ParseFlowCommand(args []string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "ovs-ofctl: %s\n", err)
		return 1
	}
	allowed := AllowedDefault
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-O" || a == "--protocols":
			if i+1 >= len(args) {
				return fail(errorf("option '%s' requires an argument", a))
			}
			i++
			p, err := AllowedForVersions(args[i])
			if err != nil {
				return fail(err)
			}
			allowed = p
		case strings.HasPrefix(a, "--protocols="):
			p, err := AllowedForVersions(strings.TrimPrefix(a, "--protocols="))
			if err != nil {
				return fail(err)
			}
			allowed = p
		default:
			rest = append(rest, a)
		}
	}
	if len(rest) == 0 || rest[0] != "parse-flow" {
		return fail(errorf("only the parse-flow command is implemented here"))
	}
	switch {
	case len(rest) < 2:
		return fail(errorf("'parse-flow' command requires at least 1 arguments"))
	case len(rest) > 2:
		return fail(errorf("'parse-flow' command takes at most 1 arguments"))
	}
	out, err := ParseFlowOutput(rest[1], allowed)
	io.WriteString(stdout, out)
	if err != nil {
		return fail(err)
	}
	return 0
}
