package classifier

import (
	"encoding/binary"

	"govs/datapath/flow"
	"govs/flowtable"
)

// Wildcards is the set of bits a lookup consulted: a mask shaped like a
// flowtable.Match. Key is the datapath (megaflow) mask; the other fields
// are the OpenFlow-only fields, which a datapath cannot match and which
// the translator must resolve itself (OVS clears metadata and registers
// from the megaflow mask in xlate_wc_finish).
//
// Lookup only ever adds bits (OR). A Wildcards is a plain value owned by
// the caller; one per lookup goroutine.
type Wildcards struct {
	Key      flow.Key
	InPort   flowtable.PortNo
	Metadata uint64
	Regs     [flowtable.NumRegs]uint32
	NDTarget [16]byte
}

// Reset clears every bit (everything wildcarded).
func (w *Wildcards) Reset() { *w = Wildcards{} }

// Match returns w as a flowtable.Match whose mask fields are w and whose
// value fields are zero.
func (w *Wildcards) Match() flowtable.Match {
	return flowtable.Match{Mask: w.Key, InPortMask: w.InPort, MetadataMask: w.Metadata,
		RegMasks: w.Regs, NDTargetMask: w.NDTarget}
}

// AddAlwaysExact un-wildcards the fields OVS's xlate_wc_init always
// makes exact (ovs-facts §3.4), for a packet with key k: in_port and
// recirc_id, dl_type, nw_frag for IPv4/IPv6, and for tunnelled packets
// tun_id, tunnel addresses, flags and TOS. Lookup never adds these
// itself unless a visited subtable matched them.
func (w *Wildcards) AddAlwaysExact(k *flow.Key) {
	var m flow.Key
	m.SetInPort(^flow.PortNo(0))
	m.SetRecircID(^uint32(0))
	m.SetEthType(^uint16(0))
	if t := k.EthType(); t == flowtable.EthTypeIPv4 || t == flowtable.EthTypeIPv6 {
		m.SetNwFrag(^uint8(0))
	}
	if k.Flags()&flow.KeyFlagTunnel != 0 {
		m.SetTunID(^uint64(0))
		m.SetTunSrc(^uint32(0))
		m.SetTunDst(^uint32(0))
		m.SetTunFlags(^uint16(0))
		m.SetTunTos(^uint8(0))
	}
	w.Key.Or(&m)
}

// orUnit adds mask bits m to unit u.
func (w *Wildcards) orUnit(u int, m uint64) {
	switch {
	case u < flow.KeyWords:
		w.Key.W[u] |= m
	case u == unitInPort:
		w.InPort |= flowtable.PortNo(m)
	case u == unitMetadata:
		w.Metadata |= m
	case u < unitNDTarget:
		r := regsPerUnit * (u - unitRegs)
		w.Regs[r] |= uint32(m >> regBits)
		w.Regs[r+1] |= uint32(m)
	default:
		b := w.NDTarget[unitBytes*(u-unitNDTarget):]
		binary.BigEndian.PutUint64(b, binary.BigEndian.Uint64(b)|m)
	}
}

// unit returns unit u of w.
func (w *Wildcards) unit(u int) uint64 {
	switch {
	case u < flow.KeyWords:
		return w.Key.W[u]
	case u == unitInPort:
		return uint64(w.InPort)
	case u == unitMetadata:
		return w.Metadata
	case u < unitNDTarget:
		r := regsPerUnit * (u - unitRegs)
		return pack32(w.Regs[r], w.Regs[r+1])
	default:
		return binary.BigEndian.Uint64(w.NDTarget[unitBytes*(u-unitNDTarget):])
	}
}
