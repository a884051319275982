package xlate

import (
	"bytes"
	"fmt"
	"govs/tunnel/tlv"
	"strings"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/tables"
)

// nodeType is OVS's enum oftrace_node_type.
type nodeType uint8

const (
	nodeBridge nodeType = iota
	nodeTable
	nodeAction
	nodeDetail
	nodeWarn
	nodeError
)

// terminal is oftrace_node_type_is_terminal.
func (t nodeType) terminal() bool { return t >= nodeAction }

type traceNode struct {
	typ  nodeType
	text string
	subs []*traceNode
}

// trace collects ofproto/trace's node tree. Every method is a no-op on a
// nil *trace, so translation calls them unconditionally.
type trace struct {
	root []*traceNode
	top  *[]*traceNode // the first table node's subs (the action set goes there)
	list *[]*traceNode // where new nodes go
}

func (t *trace) add(typ nodeType, text string) *traceNode {
	n := &traceNode{typ: typ, text: text}
	*t.list = append(*t.list, n)
	return n
}

func (t *trace) cur() *[]*traceNode {
	if t == nil {
		return nil
	}
	return t.list
}

func (t *trace) restore(l *[]*traceNode) {
	if t != nil {
		t.list = l
	}
}

// table reports a lookup in table id (r nil: no match) and makes the
// table node the current list, as xlate_report_table.
func (t *trace) table(id uint8, r *tables.Rule) {
	if t == nil {
		return
	}
	b := fmt.Appendf(nil, "%2d. ", id)
	if r == nil {
		b = append(b, "No match."...)
	} else {
		b = flowtable.AppendMatch(b, &r.Match, tables.DefaultPriority, nil)
		if b[len(b)-1] != ' ' {
			b = append(b, ", "...)
		}
		b = fmt.Appendf(b, "priority %d", r.Priority)
		if r.Cookie != 0 {
			b = fmt.Appendf(b, ", cookie %#x", r.Cookie)
		}
	}
	n := t.add(nodeTable, string(b))
	t.list = &n.subs
	if t.top == nil {
		t.top = &n.subs
	}
	if r == nil {
		t.add(nodeAction, "drop")
	}
}

// hiddenRule reports a lookup in table id that hit a hidden catch-all
// rule of priority prio (fail-open), as xlate_report_table.
func (t *trace) hiddenRule(id uint8, prio int) {
	if t == nil {
		return
	}
	n := t.add(nodeTable, fmt.Sprintf("%2d. priority %d", id, prio))
	t.list = &n.subs
	if t.top == nil {
		t.top = &n.subs
	}
}

// actionSetNode starts "--. Executing action set:" at the end of the
// first table's node, as xlate_action_set.
func (t *trace) actionSetNode() {
	if t == nil {
		return
	}
	if t.top != nil {
		t.list = t.top
	}
	n := t.add(nodeTable, "--. Executing action set:")
	t.list = &n.subs
}

func (t *trace) action(a ofpact.Action) {
	if t != nil {
		t.add(nodeAction, string(ofpact.AppendActions(nil, []ofpact.Action{a}, ofpact.AsParsed, nil)))
	}
}

func (t *trace) actionText(s string) {
	if t != nil {
		t.add(nodeAction, s)
	}
}

func (t *trace) detail(s string) {
	if t != nil {
		t.add(nodeDetail, s)
	}
}

func (t *trace) detailf(format string, args ...any) {
	if t != nil {
		t.add(nodeDetail, fmt.Sprintf(format, args...))
	}
}

func (t *trace) warn(s string) {
	if t != nil {
		t.add(nodeWarn, s)
	}
}

func (t *trace) errorf(format string, args ...any) {
	if t != nil {
		t.add(nodeError, fmt.Sprintf(format, args...))
	}
}

// format prints the tree as oftrace_node_print_details.
func formatNodes(sb *strings.Builder, nodes []*traceNode, level int) {
	for i, n := range nodes {
		if n.typ == nodeBridge {
			sb.WriteByte('\n')
		}
		more := 0
		if i < len(nodes)-1 || n.typ.terminal() {
			more = 1
		}
		indent := strings.Repeat(" ", (level+more)*4)
		sb.WriteString(indent)
		switch n.typ {
		case nodeDetail:
			fmt.Fprintf(sb, " -> %s\n", n.text)
		case nodeWarn:
			fmt.Fprintf(sb, " >> %s\n", n.text)
		case nodeError:
			fmt.Fprintf(sb, " >>>> %s <<<<\n", n.text)
		case nodeBridge:
			sb.WriteString(n.text + "\n" + indent + strings.Repeat("-", len(n.text)) + "\n")
		default:
			sb.WriteString(n.text + "\n")
		}
		formatNodes(sb, n.subs, level+2*more)
	}
}

// appendFlow appends k (with OpenFlow in_port inPort) as OVS flow_format
// prints a flow: every field its prerequisites allow, exactly.
func appendFlow(b []byte, k *flow.Key, st *flowtable.PipelineState, tm *tlv.Map) []byte {
	m := flowtable.Match{Key: *k, Mask: allOnesKey, InPort: st.InPort, InPortMask: flowtable.PortNone,
		Metadata: st.Metadata, MetadataMask: ^uint64(0), Regs: st.Regs}
	for i := range m.RegMasks {
		if st.Regs[i] != 0 {
			m.RegMasks[i] = ^uint32(0)
		}
	}
	if st.Metadata == 0 {
		m.MetadataMask = 0
	}
	// Tunnel fields only for tunnelled packets; no second VLAN unless present.
	if k.Flags()&flow.KeyFlagTunnel == 0 {
		for i := 13; i < flow.KeyWords; i++ {
			m.Mask.W[i] = 0
		}
	}
	m.Mask.SetFlags(0)
	if !isIPAny(k) || k.NwProto() != flowtable.IPProtoTCP {
		m.Mask.SetTCPFlags(0)
	}
	m.Mask.SetIPv6Label(0)
	m.Mask.SetVLAN(1, 0, 0)
	m.Normalize()
	m.Key.And(&m.Mask)
	m.LayoutTunMetadata(tm)
	start := len(b)
	b = flowtable.AppendMatch(b, &m, tables.DefaultPriority, nil)
	// flow_wildcards_init_for_packet covers the tags up to the first
	// header that is not one, so a packet with one tag also shows its
	// (absent) second one, and a packet with two shows both; the match
	// formatter prints one tag only.
	if _, tci := k.VLAN(0); tci&flow.VLANCFI != 0 {
		const pcp = "dl_vlan_pcp="
		if i := bytes.Index(b[start:], []byte(pcp)); i >= 0 {
			if j := bytes.IndexByte(b[start+i:], ','); j >= 0 {
				at := start + i + j + 1
				var second []byte
				if _, tci1 := k.VLAN(1); tci1&flow.VLANCFI == 0 {
					second = []byte("vlan_tci1=0x0000,")
				} else {
					second = fmt.Appendf(nil, "dl_vlan1=%d,dl_vlan_pcp1=%d,", tci1&flowtable.VLANVIDMask, tci1>>flowtable.VLANPCPShift)
				}
				b = append(b[:at], append(second, b[at:]...)...)
			}
		}
	}
	return b
}

// appendMegaflow appends the megaflow as ofproto/trace's "Megaflow:".
func appendMegaflow(b []byte, k, mask *flow.Key, tm *tlv.Map) []byte {
	b = append(b, "recirc_id=0,eth,"...)
	m := flowtable.Match{Key: k.Masked(mask), Mask: *mask, InPort: flowtable.PortNo(k.InPort()), InPortMask: flowtable.PortNone}
	m.Mask.SetInPort(0)
	m.Key.SetInPort(0)
	m.Mask.SetRecircID(0)
	m.Key.SetRecircID(0)
	m.LayoutTunMetadata(tm)
	return flowtable.AppendMatch(b, &m, tables.DefaultPriority, nil)
}

// Trace translates k (in_port = OpenFlow port) without side effects and
// returns OVS 3.1's ofproto/trace text: "Flow:", the bridge's table and
// action tree, "Final flow:", "Megaflow:" and "Datapath actions:" (plus
// "Translation failed (...), packet is dropped." on budget exhaustion).
// Port numbers in datapath actions are printed through portName (nil:
// numbers; datapath and OpenFlow numbers are equal in govs).
func (p *Pipeline) Trace(k *flow.Key, portName func(flow.PortNo) string) string {
	return p.TraceWith(k, portName, false)
}

// TraceWith is Trace, with side effects when learn (NORMAL learns the
// source MAC, as ofproto/trace does with -generate or a packet).
func (p *Pipeline) TraceWith(k *flow.Key, portName func(flow.PortNo) string, learn bool) string {
	c := p.newCtx(k, learn)
	c.tr = &trace{}
	br := &traceNode{typ: nodeBridge, text: fmt.Sprintf("bridge(%q)", p.name)}
	c.tr.root = []*traceNode{br}
	c.tr.list = &br.subs
	startSt := c.st
	c.run()
	mask := c.finishMask()

	var sb strings.Builder
	sb.WriteString("Flow: ")
	tm := p.tlv.Load()
	sb.Write(appendFlow(nil, k, &startSt, tm))
	sb.WriteByte('\n')
	formatNodes(&sb, c.tr.root, 0)
	sb.WriteString("\nFinal flow: ")
	if c.work == c.orig && c.st == startSt {
		sb.WriteString("unchanged")
	} else {
		sb.Write(appendFlow(nil, &c.work, &c.st, tm))
	}
	sb.WriteString("\nMegaflow: ")
	sb.Write(appendMegaflow(nil, k, &mask, tm))
	sb.WriteString("\nDatapath actions: ")
	if len(c.acts) == 0 {
		sb.WriteString("drop")
	} else {
		var tt datapath.TunnelHeaderTexter
		if t := p.tunnels.Load(); t != nil {
			tt = t
		}
		sb.Write(datapath.AppendActionsTunnel(nil, c.acts, portName, tt))
	}
	sb.WriteByte('\n')
	if c.fail != FailNone {
		fmt.Fprintf(&sb, "Translation failed (%s), packet is dropped.\n", c.fail)
	}
	return sb.String()
}
