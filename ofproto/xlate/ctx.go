package xlate

import (
	"sync"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/classifier"
	"govs/flowtable/ofpact"
	"govs/ofproto/bridge"
	"govs/ofproto/tables"
)

// Translation budget, as OVS's MAX_DEPTH and MAX_RESUBMITS: a packet
// whose translation exceeds either is dropped (the drop megaflow is still
// installed, as OVS).
const (
	MaxDepth     = 64
	MaxResubmits = 4096
)

// Failure says why a translation dropped the packet as a whole.
type Failure uint8

// Failures (counted in Counters).
const (
	FailNone Failure = iota
	// FailDepth: resubmit nesting over MaxDepth.
	FailDepth
	// FailResubmits: more than MaxResubmits table lookups.
	FailResubmits
	// FailUnsupportedSet: an action changed a field the datapath cannot
	// rewrite (IPv6 addresses, ARP fields, ICMP type/code...).
	FailUnsupportedSet
	numFailures
)

var failureText = [...]string{
	FailNone:           "",
	FailDepth:          "Recursion too deep",
	FailResubmits:      "Too many resubmits",
	FailUnsupportedSet: "Field rewrite not supported by the govs datapath",
}

// String returns OVS's xlate_strerror text (govs's own for the others).
func (f Failure) String() string {
	if int(f) < len(failureText) {
		return failureText[f]
	}
	return "unknown"
}

// ctx is one translation: OVS's struct xlate_ctx.
type ctx struct {
	p     *Pipeline
	ports *portSnap

	orig flow.Key // the packet as received
	base flow.Key // the packet as the datapath actions emitted so far leave it
	work flow.Key // the packet as the OpenFlow actions see it
	st   flowtable.PipelineState

	wc   classifier.Wildcards
	acts datapath.Actions

	table      uint8
	ruleCookie uint64
	depth      int
	resubmits  int
	fail       Failure
	exit       bool // stop translating (action set ran, error)

	actionSet []ofpact.Action
	rules     []*tables.Rule // every rule the packet went through (xlate cache)

	learn bool   // NORMAL may learn MACs (upcall, not revalidation/trace)
	tr    *trace // nil unless tracing
	// noRecv: the input port may not receive this packet (no-receive,
	// or no-receive-stp and an STP frame): the table-0 rule is looked up
	// and counted but its actions do not run (OVS may_receive).
	noRecv bool
}

// stpMAC is the 802.1D bridge group address (OVS eth_addr_stp).
var stpMAC = [6]byte{0x01, 0x80, 0xc2, 0, 0, 0}

// newCtx prepares a translation of k.
func (p *Pipeline) newCtx(k *flow.Key, learn bool) *ctx {
	c := new(ctx)
	p.initCtx(c, k, learn)
	return c
}

// ctxPool recycles the contexts of upcalls and revalidations (about 1 KiB
// each: during a flow-setup storm their allocation and the GC it drove
// were a third of govs-vswitchd's CPU).
var ctxPool = sync.Pool{New: func() any { return new(ctx) }}

// initCtx prepares c (fresh or from ctxPool) for a translation of k,
// keeping only the storage of its rules slice.
func (p *Pipeline) initCtx(c *ctx, k *flow.Key, learn bool) {
	rules := c.rules[:0]
	*c = ctx{p: p, ports: p.ports.Load(), orig: *k, base: *k, work: *k, learn: learn, rules: rules}
	c.st.InPort = flowtable.PortNo(k.InPort())
	c.wc.AddAlwaysExact(k)
	deny := uint32(bridge.PortNoRecv)
	if k.EthDst() == stpMAC {
		deny = bridge.PortNoRecvSTP
	}
	c.noRecv = c.ports.portConfig(k.InPort())&deny != 0
}

// releaseCtx returns c to ctxPool; nothing may use c afterwards.
func releaseCtx(c *ctx) {
	clear(c.rules)
	rules := c.rules[:0]
	*c = ctx{rules: rules}
	ctxPool.Put(c)
}

// FailOpenPriority is the priority of OVS's hidden fail-open rule
// (FAIL_OPEN_PRIORITY), above every OpenFlow priority.
const FailOpenPriority = 0xf0f0f0

// run translates the packet through table 0 and the action set; in
// fail-open, the hidden "actions=NORMAL" rule outranks every flow.
func (c *ctx) run() {
	if t := c.p.tunnels.Load(); t != nil && c.underlayInput(t) {
		return
	}
	if c.p.failOpen.Load() {
		c.tr.hiddenRule(0, FailOpenPriority)
		if !c.noRecv {
			c.tr.actionText("NORMAL")
			c.normal()
		}
		return
	}
	c.lookupTable(0)
	if c.fail == FailNone && len(c.actionSet) > 0 {
		c.runActionSet()
	}
	if c.fail != FailNone {
		c.acts = c.acts[:0]
	}
}

// lookupTable looks the working flow up in table id and executes the
// matching rule's actions (OVS xlate_table_action). A miss does nothing
// (the table-miss behaviour of OVS 3.1's default config is drop).
func (c *ctx) lookupTable(id uint8) {
	r := c.p.tables.Lookup(id, &c.work, &c.st, &c.wc)
	c.resubmits++
	if r == nil {
		old := c.tr.cur()
		c.tr.table(id, nil)
		c.tr.restore(old)
		return
	}
	c.rules = append(c.rules, r)
	oldTable, oldCookie, oldList := c.table, c.ruleCookie, c.tr.cur()
	c.table, c.ruleCookie = id, r.Cookie
	c.tr.table(id, r)
	if c.noRecv {
		// Only the first lookup happens: nothing runs after it.
		c.exit = true
	} else {
		c.doActions(r.Actions)
	}
	c.table, c.ruleCookie = oldTable, oldCookie
	c.tr.restore(oldList)
}

// resourceCheck is OVS's xlate_resubmit_resource_check.
func (c *ctx) resourceCheck() bool {
	switch {
	case c.depth >= MaxDepth:
		c.tr.errorf("over max translation depth %d", MaxDepth)
		c.failWith(FailDepth)
	case c.resubmits >= MaxResubmits:
		c.tr.errorf("over %d resubmit actions", MaxResubmits)
		c.failWith(FailResubmits)
	default:
		return true
	}
	return false
}

func (c *ctx) failWith(f Failure) {
	if c.fail == FailNone {
		c.fail = f
	}
	c.exit = true
}

// resubmit is resubmit(port,table) and goto_table: look up table (255:
// the current one) with in_port temporarily set to inPort (IN_PORT:
// unchanged).
func (c *ctx) resubmit(inPort flowtable.PortNo, table uint8) {
	if !c.resourceCheck() {
		return
	}
	if table == tables.TableAll {
		table = c.table
	}
	deepens := table <= c.table
	if deepens {
		c.depth++
	}
	oldIn := c.st.InPort
	if inPort != flowtable.PortInPort {
		c.st.InPort = inPort
	}
	c.lookupTable(table)
	c.st.InPort = oldIn
	if deepens {
		c.depth--
	}
}

// finishMask turns the consulted bits into the megaflow mask (OVS
// xlate_wc_finish): CFI whenever any TCI bit is matched, ICMP type/code
// trimmed to 8 bits, no L4 ports for later fragments.
func (c *ctx) finishMask() flow.Key {
	m := c.wc.Key
	for i := range flow.MaxVLANs {
		tpid, tci := m.VLAN(i)
		if _, otci := c.orig.VLAN(i); otci&flow.VLANCFI == 0 {
			// The packet had no such tag: the bits were set by push or
			// set actions and say nothing about the packet.
			m.SetVLAN(i, 0, 0)
		} else if tci != 0 {
			m.SetVLAN(i, tpid, tci|flow.VLANCFI)
		}
	}
	k := &c.orig
	if t := k.EthType(); t == flowtable.EthTypeIPv4 || t == flowtable.EthTypeIPv6 {
		p := k.NwProto()
		if p == flowtable.IPProtoICMP || p == flowtable.IPProtoICMPv6 {
			m.SetTpSrc(m.TpSrc() & icmpFieldMask)
			m.SetTpDst(m.TpDst() & icmpFieldMask)
		}
		if k.NwFrag()&flow.FragLater != 0 {
			m.SetTpSrc(0)
			m.SetTpDst(0)
		}
	}
	return m
}

// icmpFieldMask is the width of ICMP type and code.
const icmpFieldMask = 0xff
