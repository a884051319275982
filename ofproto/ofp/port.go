package ofp

import "govs/flowtable"

// OpenFlow 1.1+ port numbering: reserved ports are 0xffffff00+, mapped to
// OpenFlow 1.0's 0xff00+ by subtracting of11PortOffset (OVS
// ofputil_port_from_ofp11).
const (
	of11PortOffset = 0xffff0000
	of11PortMax    = 0xffffff00
)

// PortTo11 converts a port number to its OpenFlow 1.1+ 32-bit form.
func PortTo11(p flowtable.PortNo) uint32 {
	if p < flowtable.PortMax {
		return uint32(p)
	}
	return uint32(p) + of11PortOffset
}

// PortFrom11 converts an OpenFlow 1.1+ port number; numbers between the
// 16-bit range and the reserved range are OFPBAC_BAD_OUT_PORT, as OVS.
func PortFrom11(u uint32) (flowtable.PortNo, error) {
	switch {
	case u < uint32(flowtable.PortMax):
		return flowtable.PortNo(u), nil
	case u >= of11PortMax:
		return flowtable.PortNo(u - of11PortOffset), nil
	}
	return 0, newErr(OFPBAC_BAD_OUT_PORT, "port %d is outside the supported range", u)
}

// Port description sizes.
const (
	phyPort10Len = 48
	port11Len    = 64
	portNameLen  = 16
)

// Port config bits (OFPPC_*), common to 1.0 and 1.3 where they overlap.
const (
	PortConfigPortDown   = 1 << 0
	PortConfigNoSTP      = 1 << 1 // 1.0 only
	PortConfigNoRecv     = 1 << 2
	PortConfigNoRecvSTP  = 1 << 3 // 1.0 only
	PortConfigNoFlood    = 1 << 4 // 1.0 only
	PortConfigNoFwd      = 1 << 5
	PortConfigNoPacketIn = 1 << 6
)

// Port feature bits (OFPPF_*) as OpenFlow 1.1+ numbers them; OpenFlow
// 1.0 has no 40GB/100GB/1TB/OTHER and numbers the medium and pause bits
// from 1<<7 (Features10 converts).
const (
	PortFeature10MBHD    = 1 << 0
	PortFeature10MBFD    = 1 << 1
	PortFeature100MBHD   = 1 << 2
	PortFeature100MBFD   = 1 << 3
	PortFeature1GBHD     = 1 << 4
	PortFeature1GBFD     = 1 << 5
	PortFeature10GBFD    = 1 << 6
	PortFeature40GBFD    = 1 << 7
	PortFeature100GBFD   = 1 << 8
	PortFeature1TBFD     = 1 << 9
	PortFeatureOther     = 1 << 10
	PortFeatureCopper    = 1 << 11
	PortFeatureFiber     = 1 << 12
	PortFeatureAutoneg   = 1 << 13
	PortFeaturePause     = 1 << 14
	PortFeaturePauseAsym = 1 << 15

	// features10Shift moves COPPER..PAUSE_ASYM to their 1.0 positions.
	features10Shift = 4
	features10Speed = 1<<7 - 1 // 10MB_HD..10GB_FD, the same in 1.0
)

// Features10 converts OpenFlow 1.1+ feature bits to OpenFlow 1.0's (as
// OVS's netdev_port_features_to_ofp10): the 40GB, 100GB, 1TB and OTHER
// speeds have no 1.0 bit.
func Features10(f uint32) uint32 {
	const media = PortFeatureCopper | PortFeatureFiber | PortFeatureAutoneg | PortFeaturePause | PortFeaturePauseAsym
	return f&features10Speed | f&media>>features10Shift
}

// Port state bits.
const (
	PortStateLinkDown = 1 << 0
	PortStateBlocked  = 1 << 1 // 1.1+
	PortStateLive     = 1 << 2 // 1.1+
)

// PhyPort is a port description (ofp10_phy_port / ofp11_port). CurrSpeed
// and MaxSpeed (kbps) exist only in 1.1+.
type PhyPort struct {
	PortNo     flowtable.PortNo
	HWAddr     [6]byte
	Name       string
	Config     uint32
	State      uint32
	Curr       uint32
	Advertised uint32
	Supported  uint32
	Peer       uint32
	CurrSpeed  uint32
	MaxSpeed   uint32
}

func (p *PhyPort) append(b []byte, v uint8) []byte {
	if is10(v) {
		b = put16(b, uint16(p.PortNo))
		b = append(b, p.HWAddr[:]...)
		b = putString(b, p.Name, portNameLen)
	} else {
		b = put32(b, PortTo11(p.PortNo))
		b = putZeros(b, 4)
		b = append(b, p.HWAddr[:]...)
		b = putZeros(b, 2)
		b = putString(b, p.Name, portNameLen)
	}
	for _, x := range [...]uint32{p.Config, p.State, p.Curr, p.Advertised, p.Supported, p.Peer} {
		b = put32(b, x)
	}
	if !is10(v) {
		b = put32(b, p.CurrSpeed)
		b = put32(b, p.MaxSpeed)
	}
	return b
}

func (p *PhyPort) read(r *reader, v uint8) error {
	if is10(v) {
		p.PortNo = flowtable.PortNo(r.u16())
		p.HWAddr = r.mac()
		p.Name = cString(r.bytes(portNameLen))
	} else {
		n := r.u32()
		r.skip(4)
		p.HWAddr = r.mac()
		r.skip(2)
		p.Name = cString(r.bytes(portNameLen))
		if r.err == nil {
			pn, err := PortFrom11(n)
			if err != nil {
				return newErr(OFPBRC_BAD_PORT, "%v", err)
			}
			p.PortNo = pn
		}
	}
	p.Config, p.State, p.Curr = r.u32(), r.u32(), r.u32()
	p.Advertised, p.Supported, p.Peer = r.u32(), r.u32(), r.u32()
	if !is10(v) {
		p.CurrSpeed, p.MaxSpeed = r.u32(), r.u32()
	}
	return r.err
}

func portLen(v uint8) int {
	if is10(v) {
		return phyPort10Len
	}
	return port11Len
}

// FeaturesReply is OFPT_FEATURES_REPLY. Ports are sent only in 1.0 (1.3
// switches answer OFPMP_PORT_DESC instead); Actions is the 1.0 supported
// actions bitmap (the 1.3 "reserved" word). AuxiliaryID is 1.3 only.
type FeaturesReply struct {
	Header
	DatapathID   uint64
	NBuffers     uint32
	NTables      uint8
	AuxiliaryID  uint8
	Capabilities uint32
	Actions      uint32
	Ports        []PhyPort
}

const featuresReplyLen = HeaderLen + 24

// AppendBinary implements Message.
func (m *FeaturesReply) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, TypeFeaturesReply, m.Xid)
	b = put64(b, m.DatapathID)
	b = put32(b, m.NBuffers)
	b = put8(b, m.NTables)
	if is10(m.Version) {
		b = putZeros(b, 3)
	} else {
		b = put8(b, m.AuxiliaryID)
		b = putZeros(b, 2)
	}
	b = put32(b, m.Capabilities)
	b = put32(b, m.Actions)
	if is10(m.Version) {
		for i := range m.Ports {
			b = m.Ports[i].append(b, m.Version)
		}
	}
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *FeaturesReply) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	r := newReader(b[HeaderLen:m.Length])
	m.DatapathID, m.NBuffers, m.NTables = r.u64(), r.u32(), r.u8()
	if is10(m.Version) {
		r.skip(3)
	} else {
		m.AuxiliaryID = r.u8()
		r.skip(2)
	}
	m.Capabilities, m.Actions = r.u32(), r.u32()
	if r.err != nil {
		return newErr(OFPBRC_BAD_LEN, "features reply too short")
	}
	m.Ports = nil
	if is10(m.Version) {
		if r.left()%phyPort10Len != 0 {
			return newErr(OFPBRC_BAD_LEN, "features reply port list of %d bytes", r.left())
		}
		for r.left() > 0 {
			var p PhyPort
			if err := p.read(r, m.Version); err != nil {
				return err
			}
			m.Ports = append(m.Ports, p)
		}
	}
	return nil
}

// Port status reasons.
const (
	PortReasonAdd    = 0
	PortReasonDelete = 1
	PortReasonModify = 2
)

// PortStatus is OFPT_PORT_STATUS.
type PortStatus struct {
	Header
	Reason uint8
	Desc   PhyPort
}

// AppendBinary implements Message.
func (m *PortStatus) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, TypePortStatus, m.Xid)
	b = put8(b, m.Reason)
	b = putZeros(b, 7)
	b = m.Desc.append(b, m.Version)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *PortStatus) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	if int(m.Length) != HeaderLen+8+portLen(m.Version) {
		return newErr(OFPBRC_BAD_LEN, "port status of %d bytes", m.Length)
	}
	r := newReader(b[HeaderLen:m.Length])
	m.Reason = r.u8()
	r.skip(7)
	if m.Reason > PortReasonModify {
		return newErr(NXBRC_BAD_REASON, "port status reason %d", m.Reason)
	}
	return m.Desc.read(r, m.Version)
}

// PortMod is OFPT_PORT_MOD.
type PortMod struct {
	Header
	PortNo    flowtable.PortNo
	HWAddr    [6]byte
	Config    uint32
	Mask      uint32
	Advertise uint32
}

const (
	portMod10Len = HeaderLen + 24
	portMod11Len = HeaderLen + 32
)

// AppendBinary implements Message.
func (m *PortMod) AppendBinary(b []byte) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, typeFor(m.Version, Type10PortMod, Type13PortMod), m.Xid)
	if is10(m.Version) {
		b = put16(b, uint16(m.PortNo))
		b = append(b, m.HWAddr[:]...)
	} else {
		b = put32(b, PortTo11(m.PortNo))
		b = putZeros(b, 4)
		b = append(b, m.HWAddr[:]...)
		b = putZeros(b, 2)
	}
	b = put32(b, m.Config)
	b = put32(b, m.Mask)
	b = put32(b, m.Advertise)
	b = putZeros(b, 4)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *PortMod) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	want := portMod11Len
	if is10(m.Version) {
		want = portMod10Len
	}
	if int(m.Length) != want {
		return newErr(OFPBRC_BAD_LEN, "port mod of %d bytes, want %d", m.Length, want)
	}
	r := newReader(b[HeaderLen:m.Length])
	if is10(m.Version) {
		m.PortNo = flowtable.PortNo(r.u16())
		m.HWAddr = r.mac()
	} else {
		p, err := PortFrom11(r.u32())
		if err != nil {
			return newErr(OFPPMFC_BAD_PORT, "%v", err)
		}
		m.PortNo = p
		r.skip(4)
		m.HWAddr = r.mac()
		r.skip(2)
	}
	m.Config, m.Mask, m.Advertise = r.u32(), r.u32(), r.u32()
	return r.err
}
