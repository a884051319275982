package ofpact

import "govs/flowtable"

// CheckError is an action consistency error; Code is the OpenFlow error
// name OVS reports (e.g. "OFPBAC_MATCH_INCONSISTENT").
type CheckError struct{ Code string }

func (e *CheckError) Error() string { return e.Code }

// Check validates acts against the flow's match and table (255: none given),
// as OVS ofpacts_check: it returns the protocols that can carry the actions
// with this match, and records VLAN/L4 context in the actions for Encode.
// It does not modify m.
func Check(acts []Action, m *flowtable.Match, table uint8) (flowtable.Protocols, error) {
	usable := flowtable.ProtoAny
	mm := *m
	err := check(acts, &mm, table, &usable)
	return usable, err
}

func inconsistent(u *flowtable.Protocols) { *u &= flowtable.ProtoOF10Any }

func hasVLAN(m *flowtable.Match) bool {
	_, tci := m.Key.VLAN(0)
	return tci&flowtable.VLANCFI != 0
}

func setTCI(m *flowtable.Match, tci uint16) {
	tpid, _ := m.Key.VLAN(0)
	m.Key.SetVLAN(0, tpid, tci)
}

func isIPAny(m *flowtable.Match) bool {
	t := m.Key.EthType()
	return t == flowtable.EthTypeIPv4 || t == flowtable.EthTypeIPv6
}

func check(acts []Action, m *flowtable.Match, table uint8, u *flowtable.Protocols) error {
	for _, a := range acts {
		switch a := a.(type) {
		case *Output:
			if !validOutPort(a.Port) {
				return &CheckError{"OFPBAC_BAD_OUT_PORT"}
			}
		case *Enqueue:
			if a.Port >= flowtable.PortMax && a.Port != flowtable.PortInPort && a.Port != flowtable.PortLocal {
				return &CheckError{"OFPBAC_BAD_OUT_PORT"}
			}
		case *SetVLANVID:
			a.flowHasVLAN = hasVLAN(m)
			if !a.flowHasVLAN && !a.PushIfNeeded {
				inconsistent(u)
			}
			_, tci := m.Key.VLAN(0)
			setTCI(m, tci|flowtable.VLANCFI)
		case *SetVLANPCP:
			a.flowHasVLAN = hasVLAN(m)
			if !a.flowHasVLAN && !a.PushIfNeeded {
				inconsistent(u)
			}
			_, tci := m.Key.VLAN(0)
			setTCI(m, tci|flowtable.VLANCFI)
		case *StripVLAN:
			if !hasVLAN(m) {
				inconsistent(u)
			}
			// Single-tag model: popping leaves no tag.
			setTCI(m, 0)
		case *PushVLAN:
			_, tci := m.Key.VLAN(0)
			setTCI(m, tci|flowtable.VLANCFI)
		case *SetIPv4Src, *SetIPv4Dst:
			if m.Key.EthType() != flowtable.EthTypeIPv4 {
				inconsistent(u)
			}
		case *SetIPDSCP, *SetIPECN, *SetIPTTL, *DecTTL:
			if !isIPAny(m) {
				inconsistent(u)
			}
		case *SetL4SrcPort:
			a.flowProto = checkL4(m, u)
		case *SetL4DstPort:
			a.flowProto = checkL4(m, u)
		case *SetField:
			f := a.Field
			if !m.PrereqsOK(f.Prereq) || (f == flowtable.FieldVLANVID && !hasVLAN(m)) {
				return &CheckError{"OFPBAC_MATCH_INCONSISTENT"}
			}
			a.flowHasVLAN = hasVLAN(m)
			if f == flowtable.FieldVLANTCI {
				setTCI(m, uint16(a.Value[0])<<8|uint16(a.Value[1]))
			}
		case *RegMove:
			if !m.PrereqsOK(a.Src.Field.Prereq) || !m.PrereqsOK(a.Dst.Field.Prereq) {
				return &CheckError{"OFPBAC_MATCH_INCONSISTENT"}
			}
			if !a.Dst.Field.Writable {
				return &CheckError{"OFPBAC_BAD_SET_ARGUMENT"}
			}
		case *WriteActions:
			tmp := *m
			uu := *u
			if err := check(a.Actions, &tmp, table, &uu); err != nil {
				return err
			}
		case *GotoTable:
			if table != 255 && a.Table <= table {
				return &CheckError{"OFPBIC_BAD_TABLE_ID"}
			}
		}
	}
	return nil
}

func checkL4(m *flowtable.Match, u *flowtable.Protocols) uint8 {
	p := m.Key.NwProto()
	if !isIPAny(m) || m.Key.NwFrag()&2 != 0 ||
		(p != flowtable.IPProtoTCP && p != flowtable.IPProtoUDP && p != flowtable.IPProtoSCTP) {
		inconsistent(u)
	}
	return p
}

func validOutPort(p flowtable.PortNo) bool {
	switch p {
	case flowtable.PortInPort, flowtable.PortTable, flowtable.PortNormal, flowtable.PortFlood,
		flowtable.PortAll, flowtable.PortController, flowtable.PortLocal:
		return true
	case flowtable.PortNone:
		return false
	}
	return p < flowtable.PortMax
}
