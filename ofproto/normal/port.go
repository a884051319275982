package normal

import (
	"errors"
	"fmt"

	"govs/datapath/flow"
)

// VLANMode is a port's vlan_mode, as OVS's enum port_vlan_mode.
type VLANMode uint8

const (
	// Trunk carries the VLANs in Trunks (all when empty), tagged;
	// untagged frames are VLAN 0.
	Trunk VLANMode = iota
	// Access carries one VLAN (Tag, or 0 without one), untagged.
	Access
	// NativeTagged is a trunk whose untagged frames belong to Tag; the
	// native VLAN is sent tagged.
	NativeTagged
	// NativeUntagged is a trunk whose untagged frames belong to Tag; the
	// native VLAN is sent untagged.
	NativeUntagged
)

var modeNames = [...]string{Trunk: "trunk", Access: "access", NativeTagged: "native-tagged", NativeUntagged: "native-untagged"}

func (m VLANMode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("VLANMode(%d)", m)
}

// NoTag is PortConfig.Tag for a port without a tag.
const NoTag = -1

// VLAN numbers.
const (
	vidBits = 12
	// MaxVID is the largest VLAN ID.
	MaxVID = 1<<vidBits - 1
	// numVIDs is the number of VLAN IDs.
	numVIDs  = 1 << vidBits
	wordBits = 64
)

// VLANSet is a set of VLAN IDs, as OVS's trunks bitmap. The zero value
// is the empty configuration, which means "all VLANs" (an empty Port
// trunks column).
type VLANSet struct {
	bits [numVIDs / wordBits]uint64
	set  bool // false: no trunks configured = all VLANs
}

// NewVLANSet returns the set of vids; IDs outside 0..4095 are ignored,
// as vlan_bitmap_from_array. No IDs gives the "all VLANs" set.
func NewVLANSet(vids ...int) VLANSet {
	var s VLANSet
	for _, v := range vids {
		s.Add(v)
	}
	return s
}

// Add adds vid (ignored outside 0..4095). After the first Add the set is
// explicit (no longer "all").
func (s *VLANSet) Add(vid int) {
	if vid < 0 || vid > MaxVID {
		return
	}
	s.set = true
	s.bits[vid/wordBits] |= 1 << (vid % wordBits)
}

// All reports whether the set is the unconfigured "all VLANs" set.
func (s *VLANSet) All() bool { return !s.set }

// Has reports whether vid is in the set (always true for "all").
func (s *VLANSet) Has(vid uint16) bool {
	return !s.set || (vid <= MaxVID && s.bits[vid/wordBits]&(1<<(vid%wordBits)) != 0)
}

// PortConfig is one bridge port (an OVS bundle with one interface) as
// NORMAL sees it. Build it with PortFromDB from the OVSDB Port row, or
// directly; Decide interprets the fields exactly as OVS's bundle_set
// does, so no normalisation is needed.
type PortConfig struct {
	// OFPort is the OpenFlow port number (flow.PortLocal for the
	// bridge's internal port).
	OFPort flow.PortNo
	// Name is the port name, used in drop reasons.
	Name string
	// VLANMode is the effective mode.
	VLANMode VLANMode
	// Tag is the access VLAN or native VLAN (NoTag for none; a
	// non-trunk port without a valid tag uses VLAN 0). Ignored in Trunk
	// mode.
	Tag int
	// Trunks is the trunked VLAN set (zero value: all). Ignored in
	// Access mode. Native modes always trunk their native VLAN and
	// never VLAN 0 when the native VLAN is not 0, as OVS forces.
	Trunks VLANSet
	// NoFlood excludes the port from flooding (OFPPC_NO_FLOOD).
	NoFlood bool
	// IsLocal marks the bridge's LOCAL port. It has no special VLAN
	// handling: without a tag it is a trunk for all VLANs, as in OVS.
	IsLocal bool
}

// vlan is OVS's bundle->vlan: -1 for trunks, else the tag or 0.
func (p *PortConfig) vlan() int {
	if p.VLANMode == Trunk {
		return -1
	}
	if p.Tag >= 0 && p.Tag <= MaxVID {
		return p.Tag
	}
	return 0
}

// TrunksVLAN reports whether the port carries vid as a trunk, as OVS's
// xbundle_trunks_vlan (with bundle_set's native-VLAN forcing).
func (p *PortConfig) TrunksVLAN(vid uint16) bool {
	switch p.VLANMode {
	case Access:
		return false
	case NativeTagged, NativeUntagged:
		if v := p.vlan(); v != 0 {
			if int(vid) == v {
				return true
			}
			if vid == 0 {
				return false
			}
		}
	}
	return p.Trunks.Has(vid)
}

// IncludesVLAN reports whether the port carries vid (a frame with one
// tag or none), as OVS's xbundle_includes_vlan.
func (p *PortConfig) IncludesVLAN(vid uint16) bool {
	return p.includes(&xvlan{{vid: vid}})
}

// Errors from PortFromDB.
var (
	ErrDot1qTunnel = errors.New("normal: vlan_mode dot1q-tunnel is not supported")
)

// PortFromDB derives a PortConfig from a Port row as OVS's bridge.c
// port_configure: tag (NoTag when the column is empty; values outside
// 0..4095 count as none), trunks, vlan_mode ("" derives access when
// tagged, else trunk). It returns warnings OVS would log (unknown mode,
// trunks ignored for an implicit access port) and an error for modes
// govs does not support (dot1q-tunnel).
func PortFromDB(ofport flow.PortNo, name string, tag int64, trunks []int64, vlanMode string) (PortConfig, []string, error) {
	p := PortConfig{OFPort: ofport, Name: name, Tag: NoTag, IsLocal: ofport == flow.PortLocal}
	if tag >= 0 && tag <= MaxVID {
		p.Tag = int(tag)
	}
	for _, v := range trunks {
		if v >= 0 && v <= MaxVID {
			p.Trunks.Add(int(v))
		}
	}
	var warn []string
	switch vlanMode {
	case "access":
		p.VLANMode = Access
	case "trunk":
		p.VLANMode = Trunk
	case "native-tagged":
		p.VLANMode = NativeTagged
	case "native-untagged":
		p.VLANMode = NativeUntagged
	case "dot1q-tunnel":
		return PortConfig{}, nil, fmt.Errorf("port %s: %w", name, ErrDot1qTunnel)
	case "":
		if p.Tag >= 0 {
			p.VLANMode = Access
			if len(trunks) > 0 {
				warn = append(warn, fmt.Sprintf("port %s: ignoring trunks in favor of implicit vlan", name))
			}
		} else {
			p.VLANMode = Trunk
		}
	default:
		warn = append(warn, fmt.Sprintf("port %s: unknown VLAN mode %s, falling back to trunk mode", name, vlanMode))
		p.VLANMode = Trunk
	}
	if p.VLANMode == Access {
		p.Trunks = VLANSet{}
	}
	return p, warn, nil
}

// findPort returns the port with OpenFlow number no, or nil.
func findPort(ports []PortConfig, no flow.PortNo) *PortConfig {
	for i := range ports {
		if ports[i].OFPort == no {
			return &ports[i]
		}
	}
	return nil
}

// displayName is the name used in drop reasons.
func (p *PortConfig) displayName() string {
	if p.Name != "" {
		return p.Name
	}
	return fmt.Sprint(uint32(p.OFPort))
}
