package xlate

import (
	"cmp"
	"slices"

	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/normal"
	"govs/tunnel"
)

// portSnap is an immutable snapshot of the bridge ports (read by
// translation through an atomic pointer).
type portSnap struct {
	cfgs   []normal.PortConfig // sorted by OFPort
	idx    map[flow.PortNo]int
	tunnel map[flow.PortNo]bool // tunnel ports (output becomes tnl_push)
}

func newPortSnap(ports []bridge.PortInfo) *portSnap {
	ports = slices.Clone(ports)
	slices.SortFunc(ports, func(a, b bridge.PortInfo) int { return cmp.Compare(a.OFPort, b.OFPort) })
	s := &portSnap{cfgs: make([]normal.PortConfig, len(ports)), idx: make(map[flow.PortNo]int, len(ports)),
		tunnel: map[flow.PortNo]bool{}}
	for i, p := range ports {
		if tunnel.IsTunnelType(p.Type) {
			s.tunnel[p.OFPort] = true
		}
		s.cfgs[i] = p.VLAN
		s.cfgs[i].OFPort, s.cfgs[i].Name = p.OFPort, p.Name
		s.cfgs[i].IsLocal = p.OFPort == flow.PortLocal
		s.idx[p.OFPort] = i
	}
	return s
}

func (s *portSnap) has(p flow.PortNo) bool {
	_, ok := s.idx[p]
	return ok
}

func (s *portSnap) cfg(p flow.PortNo) *normal.PortConfig {
	if i, ok := s.idx[p]; ok {
		return &s.cfgs[i]
	}
	return nil
}

func sameVLAN(a, b *normal.PortConfig) bool {
	return a.VLANMode == b.VLANMode && a.Tag == b.Tag && a.Trunks == b.Trunks && a.NoFlood == b.NoFlood
}
