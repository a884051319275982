package ofctl

import (
	"fmt"
	"sort"
	"strconv"

	"govs/flowtable"
	"govs/ofproto/ofp"
)

// bitName maps one wire bit to its printed name, per version.
type bitName struct {
	name       string
	bit10      uint32 // 0: not in OpenFlow 1.0
	bit13      uint32 // 0: not in OpenFlow 1.3
	ofputilBit int    // print order (ofputil enum bit)
}

// capabilityNames are the OFPC_* bits in ofputil_capabilities order.
var capabilityNames = []bitName{
	{"FLOW_STATS", 1 << 0, 1 << 0, 0},
	{"TABLE_STATS", 1 << 1, 1 << 1, 1},
	{"PORT_STATS", 1 << 2, 1 << 2, 2},
	{"STP", 1 << 3, 0, 3},
	{"GROUP_STATS", 0, 1 << 3, 4},
	{"IP_REASM", 1 << 5, 1 << 5, 5},
	{"QUEUE_STATS", 1 << 6, 1 << 6, 6},
	{"ARP_MATCH_IP", 1 << 7, 0, 7},
	{"PORT_BLOCKED", 0, 1 << 8, 8},
}

// actionNames10 are the OpenFlow 1.0 action bitmap names in ofpact order.
var actionNames10 = []struct {
	name string
	bit  uint32
}{
	{"output", 1 << 0}, {"enqueue", 1 << 11}, {"set_vlan_vid", 1 << 1}, {"set_vlan_pcp", 1 << 2},
	{"strip_vlan", 1 << 3}, {"mod_dl_src", 1 << 4}, {"mod_dl_dst", 1 << 5}, {"mod_nw_src", 1 << 6},
	{"mod_nw_dst", 1 << 7}, {"mod_nw_tos", 1 << 8}, {"mod_tp_src", 1 << 9}, {"mod_tp_dst", 1 << 10},
}

// appendNamedBits is ofp_print_bit_names over a version's bit table.
func appendNamedBits(b []byte, bits uint32, v uint8, names []bitName) []byte {
	if bits == 0 {
		return append(b, '0')
	}
	n := 0
	for _, bn := range names {
		bit := bn.bit13
		if v == ofp.Version10 {
			bit = bn.bit10
		}
		if bit != 0 && bits&bit != 0 {
			if n > 0 {
				b = append(b, ' ')
			}
			b = append(b, bn.name...)
			bits &^= bit
			n++
		}
	}
	if bits != 0 {
		if n > 0 {
			b = append(b, ' ')
		}
		b = fmt.Appendf(b, "0x%x", bits)
	}
	return b
}

// appendFeatures is ofputil_switch_features_format.
func appendFeatures(b []byte, m *ofp.FeaturesReply) []byte {
	b = fmt.Appendf(b, " dpid:%016x\n", m.DatapathID)
	b = fmt.Appendf(b, "n_tables:%d, n_buffers:%d", m.NTables, m.NBuffers)
	if m.AuxiliaryID != 0 {
		b = fmt.Appendf(b, ", auxiliary_id:%d", m.AuxiliaryID)
	}
	b = append(b, "\ncapabilities: "...)
	b = appendNamedBits(b, m.Capabilities, m.Version, capabilityNames)
	b = append(b, '\n')
	if m.Version == ofp.Version10 && m.Actions != 0 {
		b = append(b, "actions: "...)
		n := 0
		for _, a := range actionNames10 {
			if m.Actions&a.bit != 0 {
				if n > 0 {
					b = append(b, ' ')
				}
				b = append(b, a.name...)
				n++
			}
		}
		b = append(b, '\n')
	}
	return b
}

// portConfigNames / portStateNames are OFPPC_* / OFPPS_* in ofputil order.
var portConfigNames = []bitName{
	{"PORT_DOWN", ofp.PortConfigPortDown, ofp.PortConfigPortDown, 0},
	{"NO_STP", ofp.PortConfigNoSTP, 0, 1},
	{"NO_RECV", ofp.PortConfigNoRecv, ofp.PortConfigNoRecv, 2},
	{"NO_RECV_STP", ofp.PortConfigNoRecvSTP, 0, 3},
	{"NO_FLOOD", ofp.PortConfigNoFlood, 0, 4},
	{"NO_FWD", ofp.PortConfigNoFwd, ofp.PortConfigNoFwd, 5},
	{"NO_PACKET_IN", ofp.PortConfigNoPacketIn, ofp.PortConfigNoPacketIn, 6},
}

var portStateNames = []bitName{
	{"LINK_DOWN", ofp.PortStateLinkDown, ofp.PortStateLinkDown, 0},
	{"BLOCKED", 0, ofp.PortStateBlocked, 1},
	{"LIVE", 0, ofp.PortStateLive, 2},
}

// OpenFlow 1.0 STP state field of ofp_phy_port.state.
const (
	stpMask10    = 3 << 8
	stpLearn10   = 1 << 8
	stpForward10 = 2 << 8
)

func appendPortConfig(b []byte, c uint32) []byte {
	return append(appendNamedBits(b, c, ofp.Version10, portConfigNames), '\n')
}

func appendPortState(b []byte, s uint32, v uint8) []byte {
	if v == ofp.Version10 {
		if stp := s & stpMask10; stp != 0 {
			switch stp {
			case stpLearn10:
				b = append(b, "STP_LEARN"...)
			case stpForward10:
				b = append(b, "STP_FORWARD"...)
			default:
				b = append(b, "STP_BLOCK"...)
			}
			s &^= stpMask10
			if s != 0 {
				b = appendNamedBits(b, s, v, portStateNames)
			}
			return append(b, '\n')
		}
	}
	return append(appendNamedBits(b, s, v, portStateNames), '\n')
}

// featureNames are NETDEV_F_* in order; bit10/bit13 are OFPPF bits.
var featureNames = []bitName{
	{"10MB-HD", 1 << 0, 1 << 0, 0}, {"10MB-FD", 1 << 1, 1 << 1, 1},
	{"100MB-HD", 1 << 2, 1 << 2, 2}, {"100MB-FD", 1 << 3, 1 << 3, 3},
	{"1GB-HD", 1 << 4, 1 << 4, 4}, {"1GB-FD", 1 << 5, 1 << 5, 5},
	{"10GB-FD", 1 << 6, 1 << 6, 6}, {"40GB-FD", 0, 1 << 7, 7},
	{"100GB-FD", 0, 1 << 8, 8}, {"1TB-FD", 0, 1 << 9, 9},
	{"OTHER", 0, 1 << 10, 10}, {"COPPER", 1 << 7, 1 << 11, 11},
	{"FIBER", 1 << 8, 1 << 12, 12}, {"AUTO_NEG", 1 << 9, 1 << 13, 13},
	{"AUTO_PAUSE", 1 << 10, 1 << 14, 14}, {"AUTO_PAUSE_ASYM", 1 << 11, 1 << 15, 15},
}

// appendFeatureNames is netdev_features_format: names then '\n'.
func appendFeatureNames(b []byte, f uint32, v uint8) []byte {
	n := 0
	for _, fn := range featureNames {
		bit := fn.bit13
		if v == ofp.Version10 {
			bit = fn.bit10
		}
		if bit != 0 && f&bit != 0 {
			if n > 0 {
				b = append(b, ' ')
			}
			b = append(b, fn.name...)
			n++
		}
	}
	return append(b, '\n')
}

// featureSpeedKbps is netdev_features_to_bps/1000 for OpenFlow 1.0 ports,
// which carry no speed fields.
func featureSpeedKbps(f uint32) uint32 {
	speeds := []struct {
		mask uint32
		kbps uint32
	}{
		{1 << 6, 10000000}, {1<<4 | 1<<5, 1000000}, {1<<2 | 1<<3, 100000}, {1<<0 | 1<<1, 10000},
	}
	for _, s := range speeds {
		if f&s.mask != 0 {
			return s.kbps
		}
	}
	return 0
}

const kbpsPerMbps = 1000

// appendPhyPorts is ofputil_phy_ports_format: ports sorted by number.
func appendPhyPorts(b []byte, ports []ofp.PhyPort, v uint8) []byte {
	ps := append([]ofp.PhyPort(nil), ports...)
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].PortNo < ps[j].PortNo })
	for i := range ps {
		b = appendPhyPort(b, &ps[i], v)
	}
	return b
}

func appendPhyPort(b []byte, p *ofp.PhyPort, v uint8) []byte {
	name := p.Name
	for i := 0; i < len(name); i++ {
		if name[i] < ' ' || name[i] >= 0x7f {
			name = name[:i]
			break
		}
	}
	b = append(b, ' ')
	b = flowtable.AppendPort(b, p.PortNo, nil)
	b = append(b, '(')
	b = append(b, name...)
	b = append(b, "): addr:"...)
	b = flowtable.AppendMAC(b, p.HWAddr)
	b = append(b, "\n     config:     "...)
	b = appendPortConfig(b, p.Config)
	b = append(b, "     state:      "...)
	b = appendPortState(b, p.State, v)
	for _, f := range []struct {
		label string
		bits  uint32
	}{{"     current:    ", p.Curr}, {"     advertised: ", p.Advertised}, {"     supported:  ", p.Supported}, {"     peer:       ", p.Peer}} {
		if f.bits != 0 {
			b = append(b, f.label...)
			b = appendFeatureNames(b, f.bits, v)
		}
	}
	cur, max := p.CurrSpeed, p.MaxSpeed
	if v == ofp.Version10 {
		cur, max = featureSpeedKbps(p.Curr), featureSpeedKbps(p.Supported)
	}
	return fmt.Appendf(b, "     speed: %d Mbps now, %d Mbps max\n", cur/kbpsPerMbps, max/kbpsPerMbps)
}

// appendPortStats is the OFPST_PORT reply body (ofputil_format_port_stats).
func appendPortStats(b []byte, ports []ofp.PortStats, v uint8, pm *flowtable.PortMap) []byte {
	b = fmt.Appendf(b, " %d ports\n", len(ports))
	const narrowPort = 10
	for i := range ports {
		p := &ports[i]
		b = append(b, "  port "...)
		if p.PortNo < narrowPort {
			b = append(b, ' ')
		}
		b = flowtable.AppendPort(b, p.PortNo, pm)
		b = append(b, ": rx "...)
		b = appendStat(b, "pkts=", p.RxPackets, true)
		b = appendStat(b, "bytes=", p.RxBytes, true)
		b = appendStat(b, "drop=", p.RxDropped, true)
		b = appendStat(b, "errs=", p.RxErrors, true)
		b = appendStat(b, "frame=", p.RxFrameErr, true)
		b = appendStat(b, "over=", p.RxOverErr, true)
		b = appendStat(b, "crc=", p.RxCRCErr, false)
		b = append(b, "           tx "...)
		b = appendStat(b, "pkts=", p.TxPackets, true)
		b = appendStat(b, "bytes=", p.TxBytes, true)
		b = appendStat(b, "drop=", p.TxDropped, true)
		b = appendStat(b, "errs=", p.TxErrors, true)
		b = appendStat(b, "coll=", p.Collisions, false)
		if v != ofp.Version10 && p.DurationSec != ^uint32(0) {
			b = append(b, "           duration="...)
			b = appendDuration(b, p.DurationSec, p.DurationNsec)
			b = append(b, "s\n"...)
		}
	}
	return b
}

func appendStat(b []byte, name string, v uint64, more bool) []byte {
	b = append(b, name...)
	if v == ^uint64(0) {
		b = append(b, '?')
	} else {
		b = strconv.AppendUint(b, v, 10)
	}
	if more {
		return append(b, ", "...)
	}
	return append(b, '\n')
}

// appendDuration is ofp_print_duration.
func appendDuration(b []byte, sec, nsec uint32) []byte {
	const nsPerMs = 1000000
	b = strconv.AppendUint(b, uint64(sec), 10)
	if nsec == 0 {
		return b
	}
	if nsec%nsPerMs == 0 {
		return fmt.Appendf(b, ".%03d", nsec/nsPerMs)
	}
	s := fmt.Sprintf(".%09d", nsec)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return append(b, s...)
}
