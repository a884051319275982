package classifier

import "math/bits"

// Prefix tries, as OVS's default_prefix_fields (nw_dst, nw_src) plus the
// IPv6 addresses. One trie per field per table version holds the prefix
// of every rule whose subtable matches that field with a CIDR mask
// (/1../N); rules that wildcard the field or use a non-prefix mask are
// not in it. The trie is persistent: writers copy the path they change,
// readers walk a published root without locks.

// Trie indices (the order of trieFields).
const (
	trieIPv4Dst = iota
	trieIPv4Src
	trieIPv6Dst
	trieIPv6Src
	numTries
)

const (
	unitBits     = 64
	ipv4Bits     = 32
	ipv6Bits     = 128
	plenWords    = ipv6Bits / unitBits // words in a prefix-length bitmap
	ipv4DstShift = 32                  // ipv4_dst is the low half of its word
	portsBits    = 32                  // tp_src(16) | tp_dst(16)
)

// trieField locates a field in units: bits [off, off+bits) counted from
// the most significant bit of unit first.
type trieField struct {
	first int
	off   int
	bits  int
	stage int
}

var trieFields = [numTries]trieField{
	trieIPv4Dst: {first: wordIPv4, off: ipv4DstShift, bits: ipv4Bits, stage: stageL3},
	trieIPv4Src: {first: wordIPv4, off: 0, bits: ipv4Bits, stage: stageL3},
	trieIPv6Dst: {first: wordIPv6Dst, off: 0, bits: ipv6Bits, stage: stageL3},
	trieIPv6Src: {first: wordIPv6Src, off: 0, bits: ipv6Bits, stage: stageL3},
}

// bit returns bit i (0 = most significant) of the field in v.
func (f *trieField) bit(v *units, i int) uint {
	p := f.off + i
	return uint(v[f.first+p/unitBits]>>(unitBits-1-p%unitBits)) & 1
}

// rangeMask returns a word with bits [a, b) set, counted from the MSB.
func rangeMask(a, b int) uint64 {
	return ^uint64(0) >> uint(a) &^ (^uint64(0) >> uint(b))
}

// plen returns the prefix length of mask on the field when it is a
// non-empty CIDR prefix, else 0 (the trie does not apply).
func (f *trieField) plen(mask *units) int {
	n := 0
	for n < f.bits && f.bit(mask, n) == 1 {
		n++
	}
	for i := n; i < f.bits; i++ {
		if f.bit(mask, i) == 1 {
			return 0
		}
	}
	return n
}

// setPrefix un-wildcards the field's first n bits in w.
func (f *trieField) setPrefix(w *Wildcards, n int) {
	for p := f.off; p < f.off+n; {
		q := p / unitBits
		end := min(f.off+n, (q+1)*unitBits)
		w.orUnit(f.first+q, rangeMask(p-q*unitBits, end-q*unitBits))
		p = end
	}
}

// prefixSet reports whether w already has the field's first n bits.
func (f *trieField) prefixSet(w *Wildcards, n int) bool {
	for p := f.off; p < f.off+n; {
		q := p / unitBits
		end := min(f.off+n, (q+1)*unitBits)
		m := rangeMask(p-q*unitBits, end-q*unitBits)
		if w.unit(f.first+q)&m != m {
			return false
		}
		p = end
	}
	return true
}

// prefixMask32 returns a 32-bit mask of the n leading bits.
func prefixMask32(n int) uint32 {
	if n <= 0 {
		return 0
	}
	return ^uint32(0) << uint(ipv4Bits-n)
}

// u128 is a field value, left-aligned: bit 0 is the MSB of hi.
type u128 struct{ hi, lo uint64 }

func (x u128) shl(n int) u128 {
	switch {
	case n == 0:
		return x
	case n < unitBits:
		return u128{x.hi<<uint(n) | x.lo>>uint(unitBits-n), x.lo << uint(n)}
	case n < ipv6Bits:
		return u128{x.lo << uint(n-unitBits), 0}
	default:
		return u128{}
	}
}

func (x u128) shr(n int) u128 {
	switch {
	case n == 0:
		return x
	case n < unitBits:
		return u128{x.hi >> uint(n), x.lo>>uint(n) | x.hi<<uint(unitBits-n)}
	case n < ipv6Bits:
		return u128{0, x.hi >> uint(n-unitBits)}
	default:
		return u128{}
	}
}

func (x u128) or(y u128) u128 { return u128{x.hi | y.hi, x.lo | y.lo} }

// bit returns bit i (0 = MSB).
func (x u128) bit(i int) uint {
	if i < unitBits {
		return uint(x.hi>>uint(unitBits-1-i)) & 1
	}
	return uint(x.lo>>uint(ipv6Bits-1-i)) & 1
}

// leading keeps the n leading bits.
func (x u128) leading(n int) u128 {
	switch {
	case n <= 0:
		return u128{}
	case n < unitBits:
		return u128{x.hi &^ (^uint64(0) >> uint(n)), 0}
	case n < ipv6Bits:
		return u128{x.hi, x.lo &^ (^uint64(0) >> uint(n-unitBits))}
	default:
		return x
	}
}

// clz returns the number of leading zero bits.
func (x u128) clz() int {
	if x.hi != 0 {
		return bits.LeadingZeros64(x.hi)
	}
	return unitBits + bits.LeadingZeros64(x.lo)
}

// value returns the field's bits of v, left-aligned.
func (f *trieField) value(v *units) u128 {
	x := u128{v[f.first], 0}
	if f.first+1 < numUnits {
		x.lo = v[f.first+1]
	}
	return x.shl(f.off).leading(f.bits)
}

// trieNode is a path-compressed trie node, as OVS's trie_node: seg holds
// the nBits bits of the prefix that this node adds (left-aligned; the
// first is the bit its parent branched on), n counts the rules whose
// prefix ends at this node. Only the root may have nBits == 0.
// Published nodes are immutable.
type trieNode struct {
	seg   u128
	nBits int
	n     int32
	child [2]*trieNode
}

func (n *trieNode) isLeaf() bool { return n.child[0] == nil && n.child[1] == nil }

// eqBits returns how many leading bits of n's segment equal v's bits
// from depth on (at most n.nBits).
func (n *trieNode) eqBits(v u128, depth int) int {
	return min(n.nBits, v.shl(depth).leading(n.nBits).xor(n.seg).clz())
}

func (x u128) xor(y u128) u128 { return u128{x.hi ^ y.hi, x.lo ^ y.lo} }

// trieInsert returns a new root with one more rule of prefix length plen
// whose value is v (path copied; plen > 0).
func trieInsert(root *trieNode, f *trieField, v *units, plen int) *trieNode {
	return insertNode(root, f.value(v).leading(plen), 0, plen)
}

func insertNode(n *trieNode, v u128, depth, plen int) *trieNode {
	if n == nil {
		return &trieNode{seg: v.shl(depth), nBits: plen - depth, n: 1}
	}
	eq := min(n.eqBits(v, depth), plen-depth)
	if eq < n.nBits {
		// Split n after eq bits.
		rest := *n
		rest.seg, rest.nBits = n.seg.shl(eq), n.nBits-eq
		parent := &trieNode{seg: n.seg.leading(eq), nBits: eq}
		parent.child[rest.seg.bit(0)] = &rest
		if depth+eq == plen {
			parent.n = 1
		} else {
			leaf := &trieNode{seg: v.shl(depth + eq), nBits: plen - depth - eq, n: 1}
			parent.child[leaf.seg.bit(0)] = leaf
		}
		return parent
	}
	c := *n
	end := depth + n.nBits
	if end == plen {
		c.n++
		return &c
	}
	b := v.bit(end)
	c.child[b] = insertNode(n.child[b], v, end, plen)
	return &c
}

// trieRemove returns a new root with one rule of prefix length plen and
// value v less, pruning and re-merging nodes. An absent prefix is ignored.
func trieRemove(root *trieNode, f *trieField, v *units, plen int) *trieNode {
	return removeNode(root, f.value(v).leading(plen), 0, plen)
}

func removeNode(n *trieNode, v u128, depth, plen int) *trieNode {
	if n == nil || depth+n.nBits > plen || n.eqBits(v, depth) < n.nBits {
		return n
	}
	c := *n
	end := depth + n.nBits
	if end == plen {
		if c.n == 0 {
			return n
		}
		c.n--
	} else {
		b := v.bit(end)
		c.child[b] = removeNode(n.child[b], v, end, plen)
	}
	if c.n > 0 {
		return &c
	}
	switch {
	case c.isLeaf():
		return nil
	case c.child[0] == nil || c.child[1] == nil:
		// A rule-less node with one child: merge them.
		only := c.child[0]
		if only == nil {
			only = c.child[1]
		}
		m := *only
		m.seg = c.seg.or(only.seg.shr(c.nBits))
		m.nBits = c.nBits + only.nBits
		return &m
	}
	return &c
}

// trieCtx is one lookup's lazily computed trie result for one field.
type trieCtx struct {
	done     bool
	maskbits int               // bits that must be un-wildcarded to justify plens
	plens    [plenWords]uint64 // bit p-1 set: some rule of length p matches the packet
}

func (c *trieCtx) has(plen int) bool {
	return c.plens[(plen-1)/unitBits]>>uint((plen-1)%unitBits)&1 != 0
}

// trieLookup is OVS's trie_lookup_value: it walks the packet's path,
// records every prefix length with rules on it, and sets maskbits to the
// number of leading field bits that decide that set — up to and
// including the first bit where the packet leaves the trie, or, when the
// walk falls off a node, that node's length if it is a leaf and one more
// bit if the other branch exists.
func trieLookup(root *trieNode, f *trieField, pv *units, c *trieCtx) {
	c.done = true
	v := f.value(pv)
	n, matchLen := root, 0
	var prev *trieNode
	for n != nil {
		eq := n.eqBits(v, matchLen)
		matchLen += eq
		if eq < n.nBits {
			c.maskbits = matchLen + 1
			return
		}
		if n.n > 0 && matchLen > 0 {
			c.plens[(matchLen-1)/unitBits] |= 1 << uint((matchLen-1)%unitBits)
		}
		if matchLen >= f.bits {
			c.maskbits = f.bits
			return
		}
		prev, n = n, n.child[v.bit(matchLen)]
	}
	if prev == nil || prev.isLeaf() {
		c.maskbits = matchLen
	} else {
		c.maskbits = matchLen + 1
	}
}
