package classifier

import (
	"encoding/binary"
	"math/rand/v2"

	"govs/datapath/flow"
	"govs/flowtable"
)

// Random rules and packets for the differential and fuzz tests. Values
// come from small pools so that rules overlap and packets hit them.

var (
	ipv4Pool = []uint32{0x0a000000, 0x0a010000, 0x0a010203, 0xc0a80101, 0xac100000, 0x08080808}
	ipv6Pool = [][2]uint64{{0x20010db8 << 32, 0}, {0x20010db8<<32 | 1, 1}, {0xfe80 << 48, 0x1234}, {0, 1}}
	macPool  = []uint64{0x000000000001, 0x000000000002, 0xffffffffffff}
	portPool = []uint16{22, 80, 443, 0}
	plens    = []int{1, 2, 4, 7, 8, 12, 15, 16, 24, 31, 32}
	ethPool  = []uint16{flowtable.EthTypeIPv4, flowtable.EthTypeIPv6, flowtable.EthTypeARP}
)

// byteSource feeds math/rand from fuzz input. Each input word goes
// through splitmix64 with a counter, so an all-zero or exhausted input
// still yields varied numbers (a constant source would make
// rand.IntN's rejection sampling loop forever).
type byteSource struct {
	b []byte
	n uint64
}

// splitmix64 constants.
const (
	smGamma = 0x9e3779b97f4a7c15
	smMul1  = 0xbf58476d1ce4e5b9
	smMul2  = 0x94d049bb133111eb
)

func (s *byteSource) Uint64() uint64 {
	var w [8]byte
	n := copy(w[:], s.b)
	s.b = s.b[n:]
	s.n += smGamma
	z := binary.LittleEndian.Uint64(w[:]) + s.n
	z = (z ^ z>>30) * smMul1
	z = (z ^ z>>27) * smMul2
	return z ^ z>>31
}

func (s *byteSource) empty() bool { return len(s.b) == 0 }

func pick[T any](r *rand.Rand, pool []T) T { return pool[r.IntN(len(pool))] }

func prefix32(n int) uint32 { return prefixMask32(n) }

func prefix128(n int) (hi, lo uint64) {
	switch {
	case n == 0:
		return 0, 0
	case n <= unitBits:
		return ^uint64(0) << uint(unitBits-n), 0
	default:
		return ^uint64(0), ^uint64(0) << uint(ipv6Bits-n)
	}
}

// addrMask returns a CIDR mask most of the time, an arbitrary one sometimes.
func addrMask32(r *rand.Rand) uint32 {
	if r.IntN(5) == 0 {
		return uint32(r.Uint64())
	}
	return prefix32(pick(r, plens))
}

// randRule returns a random rule (not normalised: Insert does that).
func randRule(r *rand.Rand, id int) *Rule[int] {
	var m flowtable.Match
	k, w := &m.Key, &m.Mask
	if r.IntN(3) == 0 {
		m.InPort, m.InPortMask = flowtable.PortNo(1+r.IntN(3)), flowtable.PortNone
	}
	if r.IntN(4) == 0 {
		k.W[wordEthDst] = pick(r, macPool) << 16
		w.W[wordEthDst] |= 0xffffffffffff << 16
	}
	if r.IntN(6) == 0 {
		k.SetVLAN(0, 0, flow.VLANCFI|uint16(r.IntN(3)))
		w.SetVLAN(0, 0, 0x1fff)
	}
	if r.IntN(6) == 0 {
		m.Metadata, m.MetadataMask = uint64(r.IntN(2)), 1
	}
	if r.IntN(6) == 0 {
		m.Regs[1], m.RegMasks[1] = uint32(r.IntN(3)), 0xff
	}
	if r.IntN(4) != 0 {
		k.SetEthType(pick(r, ethPool))
		w.SetEthType(0xffff)
	}
	switch k.EthType() {
	case flowtable.EthTypeIPv4, flowtable.EthTypeARP:
		if r.IntN(2) == 0 {
			k.SetIPv4Dst(pick(r, ipv4Pool))
			w.SetIPv4Dst(addrMask32(r))
		}
		if r.IntN(3) == 0 {
			k.SetIPv4Src(pick(r, ipv4Pool))
			w.SetIPv4Src(addrMask32(r))
		}
	case flowtable.EthTypeIPv6:
		if r.IntN(2) == 0 {
			a := pick(r, ipv6Pool)
			hi, lo := prefix128(r.IntN(ipv6Bits + 1))
			k.W[wordIPv6Dst], k.W[wordIPv6Dst+1] = a[0], a[1]
			w.W[wordIPv6Dst], w.W[wordIPv6Dst+1] = hi, lo
		}
		if r.IntN(3) == 0 {
			a := pick(r, ipv6Pool)
			hi, lo := prefix128(r.IntN(ipv6Bits + 1))
			k.W[wordIPv6Src], k.W[wordIPv6Src+1] = a[0], a[1]
			w.W[wordIPv6Src], w.W[wordIPv6Src+1] = hi, lo
		}
	}
	if k.EthType() != 0 && r.IntN(2) == 0 {
		k.SetNwProto(pick(r, []uint8{6, 17, 1}))
		w.SetNwProto(0xff)
		if r.IntN(2) == 0 {
			k.SetTpDst(pick(r, portPool))
			w.SetTpDst(pick(r, []uint16{0xffff, 0xfff0, 0x8000}))
		}
	}
	return &Rule[int]{Match: m, Priority: uint16(r.IntN(6)), Value: id}
}

// randPacket returns a packet, derived from a rule's match half the time.
func randPacket(r *rand.Rand, rules []*Rule[int]) (flow.Key, flowtable.PipelineState) {
	var k flow.Key
	var st flowtable.PipelineState
	st.InPort = flowtable.PortNo(1 + r.IntN(4))
	st.Metadata = uint64(r.IntN(2))
	st.Regs[1] = uint32(r.IntN(3))
	k.W[wordEthDst] = pick(r, macPool) << 16
	k.SetVLAN(0, 0, pick(r, []uint16{0, flow.VLANCFI, flow.VLANCFI | 1}))
	k.SetEthType(pick(r, ethPool))
	k.SetIPv4Dst(pick(r, ipv4Pool) ^ uint32(r.IntN(2))<<uint(r.IntN(32)))
	k.SetIPv4Src(pick(r, ipv4Pool) ^ uint32(r.IntN(2))<<uint(r.IntN(32)))
	a := pick(r, ipv6Pool)
	k.W[wordIPv6Dst], k.W[wordIPv6Dst+1] = a[0]^uint64(r.IntN(2))<<uint(r.IntN(64)), a[1]
	a = pick(r, ipv6Pool)
	k.W[wordIPv6Src], k.W[wordIPv6Src+1] = a[0], a[1]^uint64(r.IntN(2))<<uint(r.IntN(64))
	k.SetNwProto(pick(r, []uint8{6, 17, 1}))
	k.SetTpDst(pick(r, portPool) ^ uint16(r.IntN(2))<<uint(r.IntN(16)))
	k.SetTpSrc(uint16(r.Uint64()))
	if len(rules) > 0 && r.IntN(2) == 0 {
		m := &pick(r, rules).Match
		for i := range k.W {
			k.W[i] = k.W[i]&^m.Mask.W[i] | m.Key.W[i]&m.Mask.W[i]
		}
		st.InPort = st.InPort&^m.InPortMask | m.InPort&m.InPortMask
		st.Metadata = st.Metadata&^m.MetadataMask | m.Metadata&m.MetadataMask
		st.Regs[1] = st.Regs[1]&^m.RegMasks[1] | m.Regs[1]&m.RegMasks[1]
	}
	return k, st
}

// blend returns the packet that agrees with (k, st) on wc's bits and with
// (k2, st2) elsewhere.
func blend(wc *Wildcards, k, k2 *flow.Key, st, st2 *flowtable.PipelineState) (flow.Key, flowtable.PipelineState) {
	var rk flow.Key
	for i := range rk.W {
		rk.W[i] = k.W[i]&wc.Key.W[i] | k2.W[i]&^wc.Key.W[i]
	}
	rs := flowtable.PipelineState{
		InPort:   st.InPort&wc.InPort | st2.InPort&^wc.InPort,
		Metadata: st.Metadata&wc.Metadata | st2.Metadata&^wc.Metadata,
	}
	for i := range rs.Regs {
		rs.Regs[i] = st.Regs[i]&wc.Regs[i] | st2.Regs[i]&^wc.Regs[i]
	}
	return rk, rs
}

// brute is the reference: a linear scan for the highest-priority rule
// that flowtable.Match.Matches. Ties go to the rule whose subtable comes
// first in the classifier's current search order (the documented
// deterministic tie-break).
func brute[V any](c *Classifier[V], rules []*Rule[V], k *flow.Key, st *flowtable.PipelineState) *Rule[V] {
	var best *Rule[V]
	bestPos := 0
	for _, r := range rules {
		if !r.Match.Matches(k, st) {
			continue
		}
		switch {
		case best == nil || r.Priority > best.Priority:
			best, bestPos = r, -1
		case r.Priority == best.Priority:
			if bestPos < 0 {
				bestPos = subtablePos(c, best)
			}
			if pos := subtablePos(c, r); pos < bestPos {
				best, bestPos = r, pos
			}
		}
	}
	return best
}

func subtablePos[V any](c *Classifier[V], r *Rule[V]) int {
	var v, m units
	flatten(&r.Match, &v, &m)
	for i, s := range c.cur.Load().subtables {
		if s.mask == m {
			return i
		}
	}
	return -1
}
