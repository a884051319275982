package classifier

import (
	"encoding/binary"

	"govs/datapath/flow"
	"govs/flowtable"
)

// The classifier works on a flat array of 64-bit "units": the 20 flow.Key
// words followed by the OpenFlow-only fields of a flowtable.Match. A rule
// becomes a (value, mask) pair of units and a packet a value of units, so
// every subtable operation is a loop over the mask's non-zero units.
const (
	unitInPort    = flow.KeyWords    // OpenFlow in_port (16 bits used)
	unitMetadata  = unitInPort + 1   // OpenFlow metadata
	unitRegs      = unitMetadata + 1 // reg0..reg15, two per unit (even reg in the high half)
	regsPerUnit   = 2                // 32-bit registers packed in one unit
	numRegUnits   = flowtable.NumRegs / regsPerUnit
	unitNDTarget  = unitRegs + numRegUnits // nd_target, high then low 64 bits
	ndTargetUnits = 2
	numUnits      = unitNDTarget + ndTargetUnits
)

const (
	unitBytes = 8  // bytes per unit (nd_target halves)
	regBits   = 32 // bits per register (two per unit)
)

// units is a rule value, a mask or a packet in flat form.
type units [numUnits]uint64

// Key word indices (mirror the flow.Key layout comment).
const (
	wordInPort  = 0
	wordEthDst  = 1
	wordVLAN    = 3
	wordIPv4    = 5
	wordIPv6Src = 6
	wordIPv6Dst = 8
	wordTp      = 10
	wordTunnel  = 13 // first tunnel word; tunnel words run to the end of the key
)

// Lookup stages, in the order OVS's staged lookup visits them
// (flow_segment_u64s: metadata, L2, L3, L4).
const (
	stageMeta = iota
	stageL2
	stageL3
	stageL4
	numStages
)

// stageOf returns the stage of unit u. The split is per 64-bit unit, so
// it follows the flow.Key word layout: w2 carries eth_src and the key
// flags (L2); w10 carries tp_src, tp_dst and tcp_flags (L4; OVS keeps
// tcp_flags in L3).
func stageOf(u int) int {
	switch {
	case u == wordInPort, u >= wordTunnel && u < flow.KeyWords, u >= unitInPort && u < unitNDTarget:
		return stageMeta
	case u >= wordEthDst && u <= wordVLAN:
		return stageL2
	case u == wordTp:
		return stageL4
	default:
		return stageL3
	}
}

// normalize makes m's values zero wherever its mask is zero (the
// flowtable.Match invariant), so equal matches have equal bits.
func normalize(m *flowtable.Match) {
	m.Key.And(&m.Mask)
	m.InPort &= m.InPortMask
	m.Metadata &= m.MetadataMask
	for i := range m.Regs {
		m.Regs[i] &= m.RegMasks[i]
	}
	for i := range m.NDTarget {
		m.NDTarget[i] &= m.NDTargetMask[i]
	}
}

// flatten converts m into (value, mask) units; the value is masked.
func flatten(m *flowtable.Match, val, mask *units) {
	for i := 0; i < flow.KeyWords; i++ {
		mask[i] = m.Mask.W[i]
		val[i] = m.Key.W[i] & mask[i]
	}
	mask[unitInPort] = uint64(m.InPortMask)
	val[unitInPort] = uint64(m.InPort & m.InPortMask)
	mask[unitMetadata] = m.MetadataMask
	val[unitMetadata] = m.Metadata & m.MetadataMask
	for i := 0; i < numRegUnits; i++ {
		r := regsPerUnit * i
		mask[unitRegs+i] = pack32(m.RegMasks[r], m.RegMasks[r+1])
		val[unitRegs+i] = pack32(m.Regs[r], m.Regs[r+1]) & mask[unitRegs+i]
	}
	for i := 0; i < ndTargetUnits; i++ {
		mask[unitNDTarget+i] = binary.BigEndian.Uint64(m.NDTargetMask[unitBytes*i:])
		val[unitNDTarget+i] = binary.BigEndian.Uint64(m.NDTarget[unitBytes*i:]) & mask[unitNDTarget+i]
	}
}

// loadPacket fills pv with a packet's fields. The packet's nd_target is
// not available (neither flow.Key nor PipelineState carries it) and reads
// as the all-zero address.
func loadPacket(pv *units, k *flow.Key, st *flowtable.PipelineState) {
	copy(pv[:flow.KeyWords], k.W[:])
	pv[unitInPort] = uint64(st.InPort)
	pv[unitMetadata] = st.Metadata
	for i := 0; i < numRegUnits; i++ {
		r := regsPerUnit * i
		pv[unitRegs+i] = pack32(st.Regs[r], st.Regs[r+1])
	}
	pv[unitNDTarget], pv[unitNDTarget+1] = 0, 0
}

func pack32(hi, lo uint32) uint64 { return uint64(hi)<<regBits | uint64(lo) }

// covers reports whether mask a has every bit of mask b.
func (a *units) covers(b *units) bool {
	for i := range a {
		if a[i]&b[i] != b[i] {
			return false
		}
	}
	return true
}
