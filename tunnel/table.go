package tunnel

import (
	"errors"
	"fmt"
	"govs/tunnel/tlv"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ports"
)

// Hidden datapath port numbers of underlay ports: above OpenFlow's
// OFPP_MAX (0xff00), so no OpenFlow port can have them, below the
// reserved ports.
const (
	UnderlayPortBase flow.PortNo = 0xff10
	maxUnderlays                 = 0xfff0 - 0xff10
	// MaxHeaders bounds the interned encapsulation headers of one bridge
	// (distinct (tunnel port, remote, key, tos, ttl) combinations). Over
	// it a translation that needs a new one drops the packet.
	MaxHeaders = 1 << 16
)

// Datapath is what a Table needs of its bridge's datapath: a place for the
// hidden underlay ports.
type Datapath interface {
	AddPort(no flow.PortNo, p ports.Port) error
	RemovePort(no flow.PortNo) error
}

// UnderlayOpener opens the underlay port of (type, UDP port).
type UnderlayOpener func(t Type, dstPort uint16) (ports.Port, error)

// TableConfig configures a Table.
type TableConfig struct {
	Bridge   string
	Datapath Datapath
	Open     UnderlayOpener
	Log      *slog.Logger
	// Route returns the source address the host uses towards dst (0 if
	// unreachable); nil uses the kernel's routing table.
	Route func(dst uint32) (uint32, error)
}

// Counters are a Table's counters (cumulative).
type Counters struct {
	Encap, Decap    uint64
	EncapDrops      [numEncapDrops]uint64
	DecapErrors     [numDecapErrors]uint64
	HeadersInterned uint64
}

// Encap drop reasons.
const (
	EncapDropNoHeader = iota // unknown header handle (a stale action)
	EncapDropNoHeadroom
	EncapDropOversize
	EncapDropBadFrame
	numEncapDrops
)

// TunnelInfo is one tunnel port as translation sees it.
type TunnelInfo struct {
	OFPort   flow.PortNo
	Name     string
	Config   Config
	Underlay flow.PortNo // the shared datapath port of (type, dst_port)

	c *portCounters // shared by every snapshot's copy
}

// portCounters are a tunnel port's packet counters, updated per packet
// by Push and Pop (one atomic add each).
type portCounters struct {
	rxPackets, rxBytes, txPackets, txBytes atomic.Uint64
}

type underlayKey struct {
	t    Type
	port uint16
}

type underlay struct {
	no   flow.PortNo
	key  underlayKey
	port ports.Port
	refs int
}

// snapshot is the immutable port view the packet and upcall paths read.
type snapshot struct {
	tunnels    map[flow.PortNo]*TunnelInfo
	underlays  map[flow.PortNo]underlayKey
	byUnderlay map[flow.PortNo][]*TunnelInfo
}

type hdrEntry struct {
	h    Header
	tmpl []byte
}

// Table is one bridge's tunnel state: its tunnel ports, the underlay
// ports they share, the interned encapsulation headers, and the
// datapath.TunnelHook that encapsulates and decapsulates. See doc.go.
type Table struct {
	name  string
	dp    Datapath
	open  UnderlayOpener
	log   *slog.Logger
	route *routeCache

	mu struct {
		sync.Mutex
		tunnels   map[flow.PortNo]*TunnelInfo // guarded by mu
		underlays map[underlayKey]*underlay   // guarded by mu
		closed    bool                        // guarded by mu
	}
	snap atomic.Pointer[snapshot]
	tlv  atomic.Pointer[tlv.Table] // the bridge's Geneve TLV map (nil: none)

	hdr struct {
		sync.Mutex
		idx  map[Header]uint32 // guarded by hdr.Mutex
		list atomic.Pointer[[]*hdrEntry]
	}

	encap, decap atomic.Uint64
	encapDrops   [numEncapDrops]atomic.Uint64
	decapErrs    [numDecapErrors]atomic.Uint64
	lastLog      atomic.Int64 // unix ns of the last rate-limited log
}

var _ datapath.TunnelHook = (*Table)(nil)

// NewTable returns an empty table.
func NewTable(cfg TableConfig) *Table {
	t := &Table{name: cfg.Bridge, dp: cfg.Datapath, open: cfg.Open, log: cfg.Log}
	if t.log == nil {
		t.log = slog.Default()
	}
	t.route = newRouteCache(cfg.Route)
	t.mu.tunnels = map[flow.PortNo]*TunnelInfo{}
	t.mu.underlays = map[underlayKey]*underlay{}
	t.hdr.idx = map[Header]uint32{}
	empty := []*hdrEntry{}
	t.hdr.list.Store(&empty)
	t.publishLocked()
	return t
}

// publishLocked rebuilds the snapshot (t.mu held, or during NewTable).
func (t *Table) publishLocked() {
	s := &snapshot{tunnels: map[flow.PortNo]*TunnelInfo{}, underlays: map[flow.PortNo]underlayKey{},
		byUnderlay: map[flow.PortNo][]*TunnelInfo{}}
	for no, ti := range t.mu.tunnels {
		c := *ti
		s.tunnels[no] = &c
		s.byUnderlay[c.Underlay] = append(s.byUnderlay[c.Underlay], &c)
	}
	for k, u := range t.mu.underlays {
		s.underlays[u.no] = k
	}
	for _, l := range s.byUnderlay {
		sort.Slice(l, func(i, j int) bool { return l[i].OFPort < l[j].OFPort })
	}
	t.snap.Store(s)
}

// AddTunnel registers tunnel port ofport with cfg, opening (or sharing)
// the underlay port of (cfg.Type, cfg.DstPort).
func (t *Table) AddTunnel(ofport flow.PortNo, name string, cfg Config) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.mu.closed {
		return errors.New("tunnel table closed")
	}
	if _, dup := t.mu.tunnels[ofport]; dup {
		return fmt.Errorf("tunnel port %d exists", ofport)
	}
	k := underlayKey{cfg.Type, cfg.DstPort}
	u := t.mu.underlays[k]
	if u == nil {
		if t.open == nil {
			return fmt.Errorf("could not open network device %s (no tunnel underlay available)", name)
		}
		no, ok := t.freeUnderlayNoLocked()
		if !ok {
			return fmt.Errorf("could not open network device %s (too many tunnel UDP ports)", name)
		}
		p, err := t.open(cfg.Type, cfg.DstPort)
		if err != nil {
			return fmt.Errorf("could not open network device %s (%s: %v)", name, cfg.Type.SysName(cfg.DstPort), err)
		}
		if err := t.dp.AddPort(no, p); err != nil {
			_ = p.Close()
			return fmt.Errorf("could not add network device %s to ofproto (%v)", name, err)
		}
		u = &underlay{no: no, key: k, port: p}
		t.mu.underlays[k] = u
	}
	u.refs++
	t.mu.tunnels[ofport] = &TunnelInfo{OFPort: ofport, Name: name, Config: cfg, Underlay: u.no, c: new(portCounters)}
	t.publishLocked()
	return nil
}

func (t *Table) freeUnderlayNoLocked() (flow.PortNo, bool) {
	used := map[flow.PortNo]bool{}
	for _, u := range t.mu.underlays {
		used[u.no] = true
	}
	for i := 0; i < maxUnderlays; i++ {
		if no := UnderlayPortBase + flow.PortNo(i); !used[no] {
			return no, true
		}
	}
	return 0, false
}

// RemoveTunnel unregisters tunnel port ofport; the last user of an
// underlay port removes and closes it.
func (t *Table) RemoveTunnel(ofport flow.PortNo) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ti := t.mu.tunnels[ofport]
	if ti == nil {
		return
	}
	delete(t.mu.tunnels, ofport)
	k := underlayKey{ti.Config.Type, ti.Config.DstPort}
	if u := t.mu.underlays[k]; u != nil {
		if u.refs--; u.refs <= 0 {
			delete(t.mu.underlays, k)
			_ = t.dp.RemovePort(u.no)
			_ = u.port.Close()
		}
	}
	t.publishLocked()
}

// Close removes and closes every underlay port.
func (t *Table) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.mu.closed {
		return
	}
	t.mu.closed = true
	for k, u := range t.mu.underlays {
		_ = t.dp.RemovePort(u.no)
		_ = u.port.Close()
		delete(t.mu.underlays, k)
	}
	clear(t.mu.tunnels)
	t.publishLocked()
}

// Tunnel returns tunnel port no.
func (t *Table) Tunnel(no flow.PortNo) (*TunnelInfo, bool) {
	ti, ok := t.snap.Load().tunnels[no]
	return ti, ok
}

// Underlay reports whether no is an underlay port, and its type and UDP
// port.
func (t *Table) Underlay(no flow.PortNo) (Type, uint16, bool) {
	k, ok := t.snap.Load().underlays[no]
	return k.t, k.port, ok
}

// UnderlayName returns the name of underlay port no ("" if none).
func (t *Table) UnderlayName(no flow.PortNo) string {
	if k, ok := t.snap.Load().underlays[no]; ok {
		return k.t.SysName(k.port)
	}
	return ""
}

// Find maps a decapsulated packet (in_port = underlay port, tunnel fields
// set) to its tunnel port as OVS's tnl_find: exact key before key=flow,
// exact remote_ip before remote_ip=flow, configured local_ip before none
// before local_ip=flow. It sets in wc the bits it consulted.
func (t *Table) Find(k, wc *flow.Key) (flow.PortNo, bool) {
	wc.SetTunID(^uint64(0))
	wc.SetTunSrc(^uint32(0))
	wc.SetTunDst(^uint32(0))
	if ti := find(t.snap.Load().byUnderlay[k.InPort()], k.TunID(), k.TunSrc(), k.TunDst()); ti != nil {
		return ti.OFPort, true
	}
	return 0, false
}

// find is tnl_find over the tunnel ports of one underlay port.
func find(list []*TunnelInfo, id uint64, src, dst uint32) *TunnelInfo {
	var best *TunnelInfo
	bestScore := -1
	for _, ti := range list {
		c := &ti.Config
		score := 0
		switch {
		case c.InKeyFlow:
		case c.InKey == id:
			score += 8
		default:
			continue
		}
		switch {
		case c.RemoteFlow:
		case c.RemoteIP.Is4() && ip4(c.RemoteIP) == src:
			score += 4
		default:
			continue
		}
		switch {
		case c.LocalFlow:
		case c.LocalIP.Is4():
			if ip4(c.LocalIP) != dst {
				continue
			}
			score += 2
		default:
			score++
		}
		if score > bestScore {
			best, bestScore = ti, score
		}
	}
	return best
}

// PortStats returns tunnel port no's counters: tx are packets Push
// encapsulated for it, rx packets Pop decapsulated that map to it (both
// counted before the underlay's send or after its receive).
func (t *Table) PortStats(no flow.PortNo) ports.Stats {
	ti, ok := t.snap.Load().tunnels[no]
	if !ok {
		return ports.Stats{}
	}
	return ports.Stats{RxPackets: ti.c.rxPackets.Load(), RxBytes: ti.c.rxBytes.Load(),
		TxPackets: ti.c.txPackets.Load(), TxBytes: ti.c.txBytes.Load()}
}

// Intern returns the handle of h (the tnl_push action's data).
func (t *Table) Intern(h *Header) (uint64, error) {
	t.hdr.Lock()
	defer t.hdr.Unlock()
	if i, ok := t.hdr.idx[*h]; ok {
		return uint64(i), nil
	}
	old := *t.hdr.list.Load()
	if len(old) >= MaxHeaders {
		return 0, fmt.Errorf("more than %d tunnel headers", MaxHeaders)
	}
	e := &hdrEntry{h: *h, tmpl: make([]byte, h.Len())}
	e.h.template(e.tmpl)
	nl := append(old[:len(old):len(old)], e)
	t.hdr.list.Store(&nl)
	t.hdr.idx[*h] = uint32(len(old))
	return uint64(len(old)), nil
}

// header returns the interned header data (nil if unknown).
func (t *Table) header(data uint64) *hdrEntry {
	l := *t.hdr.list.Load()
	if data >= uint64(len(l)) {
		return nil
	}
	return l[data]
}

// AppendTunnelHeader appends the header(...) text of tnl_push data.
func (t *Table) AppendTunnelHeader(b []byte, data uint64) []byte {
	if e := t.header(data); e != nil {
		return e.h.AppendText(b)
	}
	return append(b, "unknown"...)
}

// SourceIP returns the source address for dst from the routing table
// (cached for a few seconds).
func (t *Table) SourceIP(dst uint32) (uint32, error) { return t.route.lookup(dst) }

// Push implements datapath.TunnelHook: it encapsulates p with the header
// interned as data. It allocates nothing.
func (t *Table) Push(p *flow.Packet, tnlPort flow.PortNo, data uint64) bool {
	e := t.header(data)
	if e == nil {
		t.encapDrops[EncapDropNoHeader].Add(1)
		return false
	}
	n := p.Len
	switch Encap(p, &e.h, e.tmpl) {
	case EncapOK:
		t.encap.Add(1)
		if ti := t.snap.Load().tunnels[tnlPort]; ti != nil {
			ti.c.txPackets.Add(1)
			ti.c.txBytes.Add(uint64(n))
		}
		return true
	case EncapNoHeadroom:
		t.encapDrops[EncapDropNoHeadroom].Add(1)
	case EncapOversize:
		t.encapDrops[EncapDropOversize].Add(1)
		t.rateLog("tunnel packet over 65535 bytes dropped", p.Len)
	default:
		t.encapDrops[EncapDropBadFrame].Add(1)
	}
	return false
}

// Pop implements datapath.TunnelHook: p arrived on underlay port port;
// its outer headers are stripped and the tunnel metadata stored in tun.
func (t *Table) Pop(p *flow.Packet, port flow.PortNo, tun *flow.Key) bool {
	snap := t.snap.Load()
	k, ok := snap.underlays[port]
	if !ok {
		t.decapErrs[DecapMalformedTunnel].Add(1)
		return false
	}
	f := p.Frame()
	if f == nil {
		t.decapErrs[DecapMalformedOuter].Add(1)
		return false
	}
	start, end, e := Decap(f, k.t, t.tlv.Load().Load(), tun)
	if e != DecapOK {
		t.decapErrs[e].Add(1)
		return false
	}
	p.Off += start
	p.Len = end - start
	t.decap.Add(1)
	if ti := find(snap.byUnderlay[port], tun.TunID(), tun.TunSrc(), tun.TunDst()); ti != nil {
		ti.c.rxPackets.Add(1)
		ti.c.rxBytes.Add(uint64(p.Len))
	}
	return true
}

// rateLog logs at most once a second.
func (t *Table) rateLog(msg string, n int) {
	now := time.Now().UnixNano()
	last := t.lastLog.Load()
	if now-last < int64(time.Second) || !t.lastLog.CompareAndSwap(last, now) {
		return
	}
	t.log.Warn(msg, "bridge", t.name, "len", n)
}

// Stats returns the counters.
func (t *Table) Stats() Counters {
	c := Counters{Encap: t.encap.Load(), Decap: t.decap.Load(), HeadersInterned: uint64(len(*t.hdr.list.Load()))}
	for i := range c.EncapDrops {
		c.EncapDrops[i] = t.encapDrops[i].Load()
	}
	for i := range c.DecapErrors {
		c.DecapErrors[i] = t.decapErrs[i].Load()
	}
	return c
}

// Listening is one underlay port as tnl/ports/show lists it.
type Listening struct {
	Name    string
	Port    flow.PortNo // hidden datapath port number
	Type    Type
	DstPort uint16
	Refs    int // tunnel ports using it
}

// ListeningPorts returns the underlay ports, sorted by name.
func (t *Table) ListeningPorts() []Listening {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Listening
	for k, u := range t.mu.underlays {
		out = append(out, Listening{Name: k.t.SysName(k.port), Port: u.no, Type: k.t, DstPort: k.port, Refs: u.refs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SetTLV sets the bridge's Geneve TLV map: Pop places the options it maps
// into the key's tun_metadata slot, Geneve output emits them.
func (t *Table) SetTLV(m *tlv.Table) { t.tlv.Store(m) }

// TLV returns the TLV map set by SetTLV (nil if none).
func (t *Table) TLV() *tlv.Table { return t.tlv.Load() }
