package flowtable

import "strings"

// Protocols is a set of OpenFlow flow protocols (OVS enum ofputil_protocol):
// which wire formats can express a flow. Bit order is OVS's, so the lowest
// set bit is the protocol ovs-ofctl picks.
type Protocols uint32

// Single protocols.
const (
	ProtoOF10Std    Protocols = 1 << 0 // OpenFlow 1.0, no table_id extension
	ProtoOF10StdTID Protocols = 1 << 1 // OpenFlow 1.0 + NXT_FLOW_MOD_TABLE_ID
	ProtoOF10NXM    Protocols = 1 << 2 // Nicira extended match
	ProtoOF10NXMTID Protocols = 1 << 3 // NXM + table_id
	ProtoOF11Std    Protocols = 1 << 4
	ProtoOF12OXM    Protocols = 1 << 5
	ProtoOF13OXM    Protocols = 1 << 6
	ProtoOF14OXM    Protocols = 1 << 7
	ProtoOF15OXM    Protocols = 1 << 8
)

// Protocol groups, as the OFPUTIL_P_* macros.
const (
	ProtoNone       Protocols = 0
	ProtoOF10StdAny           = ProtoOF10Std | ProtoOF10StdTID
	ProtoOF10NXMAny           = ProtoOF10NXM | ProtoOF10NXMTID
	ProtoOF10Any              = ProtoOF10StdAny | ProtoOF10NXMAny
	ProtoAnyOXM               = ProtoOF12OXM | ProtoOF13OXM | ProtoOF14OXM | ProtoOF15OXM
	ProtoNXMOF11Up            = ProtoOF10NXMAny | ProtoOF11Std | ProtoAnyOXM
	ProtoNXMOXMAny            = ProtoOF10NXMAny | ProtoAnyOXM
	ProtoOF11Up               = ProtoOF11Std | ProtoAnyOXM
	ProtoOF15Up               = ProtoOF15OXM
	ProtoOF14Up               = ProtoOF14OXM | ProtoOF15Up
	ProtoOF13Up               = ProtoOF13OXM | ProtoOF14Up
	ProtoOF12Up               = ProtoOF12OXM | ProtoOF13Up
	ProtoAny        Protocols = 1<<9 - 1
	ProtoTID                  = ProtoOF10StdTID | ProtoOF10NXMTID | ProtoOF11Std | ProtoAnyOXM
)

var protoNames = [...]string{
	"OpenFlow10-table_id", "OpenFlow10+table_id", "NXM-table_id", "NXM+table_id",
	"OpenFlow11", "OXM-OpenFlow12", "OXM-OpenFlow13", "OXM-OpenFlow14", "OXM-OpenFlow15",
}

var protoAbbrevs = [...]struct {
	p    Protocols
	name string
}{
	{ProtoAny, "any"},
	{ProtoOF10StdAny, "OpenFlow10"},
	{ProtoOF10NXMAny, "NXM"},
	{ProtoAnyOXM, "OXM"},
}

// String formats the set as ofputil_protocols_to_string ("any",
// "NXM,OXM", "none", ...).
func (p Protocols) String() string {
	p &= ProtoAny
	if p == 0 {
		return "none"
	}
	var b strings.Builder
	for p != 0 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		done := false
		for _, a := range protoAbbrevs {
			if p&a.p == a.p {
				b.WriteString(a.name)
				p &^= a.p
				done = true
				break
			}
		}
		if done {
			continue
		}
		for i := range protoNames {
			if bit := Protocols(1) << uint(i); p&bit != 0 {
				b.WriteString(protoNames[i])
				p &^= bit
				break
			}
		}
	}
	return b.String()
}

// Lowest returns the lowest protocol in p (the one ovs-ofctl chooses), or 0.
func (p Protocols) Lowest() Protocols { return p & -p }

// Version returns the OpenFlow wire version of a single protocol
// (1 = OF1.0 ... 6 = OF1.5), or 0.
func (p Protocols) Version() int {
	switch p {
	case ProtoOF10Std, ProtoOF10StdTID, ProtoOF10NXM, ProtoOF10NXMTID:
		return OFVersion10
	case ProtoOF11Std:
		return OFVersion11
	case ProtoOF12OXM:
		return OFVersion12
	case ProtoOF13OXM:
		return OFVersion13
	case ProtoOF14OXM:
		return OFVersion14
	case ProtoOF15OXM:
		return OFVersion15
	}
	return 0
}

// OpenFlow wire versions.
const (
	OFVersion10 = 1
	OFVersion11 = 2
	OFVersion12 = 3
	OFVersion13 = 4
	OFVersion14 = 5
	OFVersion15 = 6
)

// ProtocolsForVersion returns the protocols usable when the given OpenFlow
// version is negotiated (ofputil_protocols_from_ofp_version).
func ProtocolsForVersion(v int) Protocols {
	switch v {
	case OFVersion10:
		return ProtoOF10Any
	case OFVersion11:
		return ProtoOF11Std
	case OFVersion12:
		return ProtoOF12OXM
	case OFVersion13:
		return ProtoOF13OXM
	case OFVersion14:
		return ProtoOF14OXM
	case OFVersion15:
		return ProtoOF15OXM
	}
	return 0
}

// ProtocolName returns the name of a single protocol ("" if p is not one).
func ProtocolName(p Protocols) string {
	for i := range protoNames {
		if p == Protocols(1)<<uint(i) {
			return protoNames[i]
		}
	}
	return ""
}
