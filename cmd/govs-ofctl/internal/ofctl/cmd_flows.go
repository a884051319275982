package ofctl

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"sort"
	"strings"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// flowDumpProtocols is ofputil_flow_dump_protocols (OpenFlow 1.1, 1.2,
// 1.4 and 1.5 are never allowed here).
var flowDumpProtocols = []flowtable.Protocols{
	flowtable.ProtoOF15OXM, flowtable.ProtoOF14OXM, flowtable.ProtoOF13OXM,
	flowtable.ProtoOF12OXM, flowtable.ProtoOF11Std, flowtable.ProtoOF10NXM, flowtable.ProtoOF10Std,
}

// protoBase strips the table-id extension from an OpenFlow 1.0 protocol.
func protoBase(p flowtable.Protocols) flowtable.Protocols {
	switch p {
	case flowtable.ProtoOF10StdTID:
		return flowtable.ProtoOF10Std
	case flowtable.ProtoOF10NXMTID:
		return flowtable.ProtoOF10NXM
	}
	return p
}

func protoHasTID(p flowtable.Protocols) bool { return p&flowtable.ProtoTID != 0 }

func protoWithTID(p flowtable.Protocols, tid bool) flowtable.Protocols {
	switch protoBase(p) {
	case flowtable.ProtoOF10Std:
		if tid {
			return flowtable.ProtoOF10StdTID
		}
		return flowtable.ProtoOF10Std
	case flowtable.ProtoOF10NXM:
		if tid {
			return flowtable.ProtoOF10NXMTID
		}
		return flowtable.ProtoOF10NXM
	}
	return p
}

// initialProtocol is ofputil_protocol_from_ofp_version.
func (c *conn) initialProtocol() flowtable.Protocols {
	return flowtable.ProtocolsForVersion(int(c.version)).Lowest()
}

// trySetProtocol is try_set_protocol: NXT_SET_FLOW_FORMAT and/or
// NXT_FLOW_MOD_TABLE_ID, each with a barrier; an error reply means no.
func (c *conn) trySetProtocol(want flowtable.Protocols, cur *flowtable.Protocols) (bool, error) {
	for {
		var req ofp.Message
		next := *cur
		switch {
		case cur.Version() != want.Version():
			return *cur == want, nil
		case protoBase(*cur) != protoBase(want):
			next = protoWithTID(protoBase(want), protoHasTID(*cur))
			f := ofp.FormatOF10
			if protoBase(want) == flowtable.ProtoOF10NXM {
				f = ofp.FormatNXM
			}
			req = &ofp.SetFlowFormat{Format: f}
		case protoHasTID(*cur) != protoHasTID(want):
			next = protoWithTID(*cur, protoHasTID(want))
			req = &ofp.FlowModTableID{Enable: protoHasTID(want)}
		default:
			return true, nil
		}
		r, err := c.transactNoReply(req)
		if err != nil {
			return false, err
		}
		if r != nil {
			return false, nil
		}
		*cur = next
	}
}

// openForFlowMod is open_vconn_for_flow_mod.
func (s *Session) openForFlowMod(target string, usable flowtable.Protocols) (*conn, flowtable.Protocols, error) {
	allowed := s.opt.Allowed
	if usable&allowed == 0 {
		return nil, 0, fatalf("none of the usable flow formats (%s) is among the allowed flow formats (%s)", usable, allowed)
	}
	c, err := s.open(target)
	if err != nil {
		return nil, 0, err
	}
	cur := c.initialProtocol()
	if usable&allowed&cur != 0 {
		return c, cur, nil
	}
	const protocolBits = 32
	for i := 0; i < protocolBits; i++ {
		f := flowtable.Protocols(1) << uint(i)
		if f != cur && f&usable&allowed != 0 {
			ok, err := c.trySetProtocol(f, &cur)
			if err != nil {
				c.close()
				return nil, 0, err
			}
			if ok {
				return c, f, nil
			}
		}
	}
	c.close()
	return nil, 0, fatalf("switch does not support any of the usable flow formats (%s)", usable)
}

// setProtocolForFlowDump is set_protocol_for_flow_dump.
func (c *conn) setProtocolForFlowDump(usable flowtable.Protocols) (flowtable.Protocols, error) {
	allowed := c.s.opt.Allowed
	cur := c.initialProtocol()
	for _, f := range flowDumpProtocols {
		if f&usable&allowed != 0 {
			ok, err := c.trySetProtocol(f, &cur)
			if err != nil {
				return 0, err
			}
			if ok {
				return f, nil
			}
		}
	}
	if usable&allowed != 0 {
		return 0, fatalf("switch does not support any of the usable flow formats (%s)", usable)
	}
	return 0, fatalf("none of the usable flow formats (%s) is among the allowed flow formats (%s)", usable, allowed)
}

// encodeFlowMod builds the wire flow mod for protocol p
// (ofputil_encode_flow_mod).
func encodeFlowMod(fm *flowsyntax.FlowMod, p flowtable.Protocols) *ofp.FlowMod {
	m := &ofp.FlowMod{FlowMod: *fm, BufferID: ofp.NoBuffer}
	m.Version = uint8(p.Version())
	if p&flowtable.ProtoOF10NXMAny != 0 {
		m.Format = ofp.FormatNXM
	}
	if m.Version == ofp.Version10 {
		m.TableIDExt = protoHasTID(p)
	} else if m.Command == flowsyntax.CmdAdd && m.Table == flowsyntax.TableAll {
		m.Table = 0
	}
	return m
}

// flowModFlows sends each flow mod with a barrier (ofctl_flow_mod__).
func (s *Session) flowModFlows(target string, fms []*flowsyntax.FlowMod, usable flowtable.Protocols) error {
	c, p, err := s.openForFlowMod(target, usable)
	if err != nil {
		return err
	}
	defer c.close()
	for _, fm := range fms {
		if err := c.noReplyOrFail(encodeFlowMod(fm, p)); err != nil {
			return err
		}
	}
	return nil
}

// flowMod is ofctl_flow_mod: one flow from the command line, or "-".
func (s *Session) flowMod(args []string, cmd flowsyntax.Command) error {
	target := args[1]
	if len(args) > 2 && args[2] == "-" {
		return s.flowModFile(target, "-", cmd)
	}
	pm, err := s.acceptMaps(target)
	if err != nil {
		return err
	}
	flow := ""
	if len(args) > 2 {
		flow = args[2]
	}
	fm, usable, err := flowsyntax.ParseFlow(flow, cmd, &flowsyntax.Options{Ports: pm})
	if err != nil {
		return fatalf("%s", err.Error())
	}
	return s.flowModFlows(target, []*flowsyntax.FlowMod{fm}, usable)
}

// flowModFile is ofctl_flow_mod_file / parse_ofp_flow_mod_file.
func (s *Session) flowModFile(target, file string, cmd flowsyntax.Command) error {
	if cmd == flowsyntax.CmdAdd {
		cmd = flowsyntax.CmdAuto
	}
	pm, err := s.acceptMaps(target)
	if err != nil {
		return err
	}
	var r io.Reader = s.env.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return fatalf("%s: open failed (%s)", file, errnoText(err))
		}
		defer f.Close()
		r = f
	}
	if r == nil {
		r = bytes.NewReader(nil)
	}
	usable := flowtable.ProtoAny
	var fms []*flowsyntax.FlowMod
	err = readPreprocessedLines(r, func(line string, n int) error {
		fm, u, err := flowsyntax.ParseFlow(line, cmd, &flowsyntax.Options{Ports: pm})
		if err != nil {
			return fatalf("%s:%d: %s", file, n, err.Error())
		}
		usable &= u
		fms = append(fms, fm)
		return nil
	})
	if err != nil {
		return err
	}
	return s.flowModFlows(target, fms, usable)
}

// readPreprocessedLines is ds_get_preprocessed_line: '#' comments and
// surrounding white space are removed, blank lines skipped, and a line
// ending in '\' continues on the next one.
func readPreprocessedLines(r io.Reader, each func(line string, n int) error) error {
	sc := bufio.NewScanner(r)
	const maxLine = 1 << 20
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	var acc strings.Builder
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.HasSuffix(line, "\\") {
			acc.WriteString(line[:len(line)-1])
			continue
		}
		acc.WriteString(line)
		full := acc.String()
		acc.Reset()
		if i := strings.IndexByte(full, '#'); i >= 0 {
			full = full[:i]
		}
		full = strings.TrimSpace(full)
		if full == "" {
			continue
		}
		if err := each(full, n); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fatalf("read failed (%s)", errnoText(err))
	}
	return nil
}

func (s *Session) cmdAddFlow(args []string) error { return s.flowMod(args, flowsyntax.CmdAdd) }

func (s *Session) cmdAddFlows(args []string) error {
	return s.flowModFile(args[1], args[2], flowsyntax.CmdAdd)
}

func (s *Session) cmdModFlows(args []string) error {
	if s.opt.Strict {
		return s.flowMod(args, flowsyntax.CmdModifyStrict)
	}
	return s.flowMod(args, flowsyntax.CmdModify)
}

func (s *Session) cmdDelFlows(args []string) error {
	if s.opt.Strict {
		return s.flowMod(args, flowsyntax.CmdDeleteStrict)
	}
	return s.flowMod(args, flowsyntax.CmdDelete)
}

// prepareDumpFlows parses the match (names looked up first when one is
// given: ports, then tables), connects and selects the dump protocol.
func (s *Session) prepareDumpFlows(args []string, aggregate bool) (*conn, *ofp.FlowStatsRequest, error) {
	target := args[1]
	match := ""
	if len(args) > 2 {
		match = args[2]
	}
	var pm *flowtable.PortMap
	if match != "" {
		var err error
		if pm, err = s.portsToAccept(target); err != nil {
			return nil, nil, err
		}
		if err := s.tablesToAccept(target); err != nil {
			return nil, nil, err
		}
	}
	fm, usable, err := flowsyntax.ParseMatch(match, &flowsyntax.Options{Ports: pm})
	if err != nil {
		return nil, nil, fatalf("%s", err.Error())
	}
	// A flow stats request carries its table id in every protocol.
	if usable&flowtable.ProtoOF10StdTID != 0 {
		usable |= flowtable.ProtoOF10Std
	}
	if usable&flowtable.ProtoOF10NXMTID != 0 {
		usable |= flowtable.ProtoOF10NXM
	}
	c, err := s.open(target)
	if err != nil {
		return nil, nil, err
	}
	p, err := c.setProtocolForFlowDump(usable)
	if err != nil {
		c.close()
		return nil, nil, err
	}
	req := &ofp.FlowStatsRequest{
		Aggregate: aggregate, NX: p == flowtable.ProtoOF10NXM, Match: fm.Match,
		TableID: fm.Table, OutPort: fm.OutPort, OutGroup: fm.OutGroup,
		Cookie: fm.Cookie, CookieMask: fm.CookieMask,
	}
	return c, req, nil
}

func (s *Session) cmdDumpAggregate(args []string) error {
	c, req, err := s.prepareDumpFlows(args, true)
	if err != nil {
		return err
	}
	defer c.close()
	return c.dumpTransaction(req)
}

// cmdDumpFlows prints the raw reply unless sorting, names or --no-stats
// ask for the reformatted per-flow listing (ofctl_dump_flows).
func (s *Session) cmdDumpFlows(args []string) error {
	c, req, err := s.prepareDumpFlows(args, false)
	if err != nil {
		return err
	}
	defer c.close()
	if len(s.opt.Sort) == 0 && !s.showNames() && s.opt.ShowStats {
		return c.dumpTransaction(req)
	}
	flows, v, err := c.dumpFlows(req)
	if err != nil {
		return err
	}
	if len(s.opt.Sort) > 0 {
		sortFlows(flows, s.opt.Sort)
	}
	var b []byte
	for i := range flows {
		if err := s.tablesToShow(args[1]); err != nil {
			return err
		}
		pm, err := s.portsToShow(args[1])
		if err != nil {
			return err
		}
		o := &flowsyntax.StatsOptions{ShowStats: s.opt.ShowStats, Version: ofpact.OF10, Ports: pm}
		if v != ofp.Version10 {
			o.Version = ofpact.OF13
		}
		fs := flows[i]
		// ofputil_flow_stats_format in this path shows no ages.
		fs.Importance, fs.IdleAge, fs.HardAge = 0, -1, -1
		if v == ofp.Version10 {
			fs.Flags = 0
		}
		b = append(b, ' ')
		b = flowsyntax.AppendFlowStats(b, &fs, o)
		b = append(b, '\n')
	}
	_, err = s.stdout.Write(b)
	return err
}

// dumpFlows is vconn_dump_flows: all parts of a flow stats reply.
func (c *conn) dumpFlows(req *ofp.FlowStatsRequest) ([]flowsyntax.FlowStats, uint8, error) {
	xid, err := c.send(req)
	if err != nil {
		return nil, 0, err
	}
	var flows []flowsyntax.FlowStats
	for {
		m, err := c.recvXID(xid, "dump flows")
		if err != nil {
			return nil, 0, err
		}
		dm, derr := m.decode()
		if derr == nil {
			if e, ok := dm.(*ofp.ErrorMsg); ok {
				return nil, 0, fatalf("dump flows (%s)", e.ErrCode())
			}
		}
		r, ok := dm.(*ofp.FlowStatsReply)
		if derr != nil || !ok {
			return nil, 0, fatalf("dump flows (Protocol error)")
		}
		flows = append(flows, r.Flows...)
		if r.Flags&ofp.StatsFlagMore == 0 {
			return flows, c.version, nil
		}
	}
}

// sortFlows is compare_flows under qsort: criteria in order, fields
// missing from a flow sort last either way; ties keep reply order.
func sortFlows(flows []flowsyntax.FlowStats, criteria []sortCriterion) {
	sort.SliceStable(flows, func(i, j int) bool {
		return compareFlows(&flows[i], &flows[j], criteria) < 0
	})
}

func compareFlows(a, b *flowsyntax.FlowStats, criteria []sortCriterion) int {
	for _, sc := range criteria {
		var ret int
		if sc.field == nil {
			ret = cmpInt(int(a.Priority), int(b.Priority))
		} else {
			av, am := sc.field.Get(&a.Match)
			bv, bm := sc.field.Get(&b.Match)
			ina := a.Match.PrereqsOK(sc.field.Prereq) && !allZero(am[:sc.field.Bytes])
			inb := b.Match.PrereqsOK(sc.field.Prereq) && !allZero(bm[:sc.field.Bytes])
			if ina != inb {
				if ina {
					return -1
				}
				return 1
			}
			ret = bytes.Compare(av[:sc.field.Bytes], bv[:sc.field.Bytes])
		}
		if ret != 0 {
			if sc.desc {
				return -ret
			}
			return ret
		}
	}
	return 0
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// cmdParseFlow is the parse-flow testing command (flowsyntax does it all).
func (s *Session) cmdParseFlow(args []string) error {
	out, err := flowsyntax.ParseFlowOutput(args[1], s.opt.Allowed)
	if _, werr := io.WriteString(s.stdout, out); werr != nil {
		return werr
	}
	if err != nil {
		return fatalf("%s", err.Error())
	}
	return nil
}
