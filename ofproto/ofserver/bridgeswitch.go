package ofserver

import (
	"sync"
	"time"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/ofproto/bridge"
	"govs/ofproto/ofp"
	"govs/ofproto/tables"
	"govs/tunnel/tlv"
)

// BridgeOptions completes what NewBridgeSwitch cannot learn from the
// bridge. Every field is optional.
type BridgeOptions struct {
	// Describe fills in a port's description beyond its number, name and
	// the bridge's config bits (hardware address, PORT_DOWN, link state,
	// speeds). Nil reports a zero address and every port as LIVE.
	Describe func(info bridge.PortInfo, d *PortDesc)
	// PortMod applies OFPT_PORT_MOD (nil: refused with OFPBRC_EPERM).
	PortMod func(m *PortMod) error
	// PacketOut executes OFPT_PACKET_OUT (nil: refused with OFPBRC_EPERM).
	PacketOut func(po *PacketOut) error
	// TLV is the bridge's Geneve TLV map (nil: a map of the switch's own).
	TLV *tlv.Table
	// TLVInUse: see TablesSwitchConfig.TLVInUse.
	TLVInUse func(index int) bool
	// Now is the clock for port durations (nil: time.Now).
	Now func() time.Time
}

// NewBridgeSwitch returns the Switch of bridge b whose OpenFlow tables are
// t (the tables of the bridge's xlate pipeline): the datapath id, ports
// and port counters from the bridge, flow mods and stats on t, Barrier revalidating the
// bridge's datapath. Call SetEvents(server) on the result before serving,
// and call server.PortsChanged after every port change of the bridge.
func NewBridgeSwitch(b *bridge.Bridge, t *tables.Tables, o BridgeOptions) *TablesSwitch {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	pa := &portAges{now: now, seen: make(map[flow.PortNo]time.Time)}
	return NewTablesSwitch(TablesSwitchConfig{
		Tables:     t,
		DatapathID: b.DatapathID,
		Ports: func() []PortDesc {
			infos := b.Ports()
			out := make([]PortDesc, 0, len(infos))
			for _, in := range infos {
				d := PortDesc{PortNo: flowtable.PortNo(in.OFPort), Name: in.Name, State: ofp.PortStateLive, Config: in.Config}
				if o.Describe != nil {
					o.Describe(in, &d)
				}
				out = append(out, d)
			}
			return out
		},
		PortStats: func() []PortStats {
			infos := b.Ports()
			out := make([]PortStats, 0, len(infos))
			for _, in := range infos {
				ps := PortStats{PortNo: flowtable.PortNo(in.OFPort), Duration: pa.age(in.OFPort)}
				if p, ok := b.Port(in.OFPort); ok {
					st := p.Stats()
					ps.RxPackets, ps.RxBytes, ps.RxDropped, ps.RxErrors = st.RxPackets, st.RxBytes, st.RxDropped, st.RxErrors
					ps.TxPackets, ps.TxBytes, ps.TxDropped, ps.TxErrors = st.TxPackets, st.TxBytes, st.TxDropped, st.TxErrors
				}
				out = append(out, ps)
			}
			pa.forget(infos)
			return out
		},
		PortMod:    o.PortMod,
		PacketOut:  o.PacketOut,
		Revalidate: b.Revalidate,
		TLV:        o.TLV,
		TLVInUse:   o.TLVInUse,
	})
}

// portAges remembers when each port was first seen (port duration).
type portAges struct {
	now func() time.Time
	mu  sync.Mutex
	// seen maps port → first seen; guarded by mu.
	seen map[flow.PortNo]time.Time
}

func (a *portAges) age(p flow.PortNo) time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	t, ok := a.seen[p]
	if !ok {
		a.seen[p] = now
		return 0
	}
	return now.Sub(t)
}

// forget drops ports that are gone, so a re-added port starts at 0.
func (a *portAges) forget(live []bridge.PortInfo) {
	a.mu.Lock()
	defer a.mu.Unlock()
	keep := make(map[flow.PortNo]bool, len(live))
	for _, in := range live {
		keep[in.OFPort] = true
	}
	for p := range a.seen {
		if !keep[p] {
			delete(a.seen, p)
		}
	}
}
