package classifier

import (
	"math/rand/v2"
	"slices"
	"testing"
)

type trieRef struct {
	val  u128
	plen int
}

// refLookup is trie_lookup_value in closed form over the stored
// prefixes: the walk reaches L, the longest agreement between the packet
// and any stored prefix; it needs one more bit iff some longer prefix
// agrees with the packet on those L bits (the other branch exists).
func refLookup(prefixes []trieRef, bitsN int, v u128) (maskbits int, plens map[int]bool) {
	plens = map[int]bool{}
	l := 0
	for _, p := range prefixes {
		agree := min(p.plen, p.val.xor(v).clz())
		if agree == p.plen {
			plens[p.plen] = true
		}
		l = max(l, agree)
	}
	if l >= bitsN {
		return bitsN, plens
	}
	for _, p := range prefixes {
		if p.plen > l && p.val.xor(v).leading(l) == (u128{}) {
			return l + 1, plens
		}
	}
	return l, plens
}

func TestTrieAgainstReference(t *testing.T) {
	for _, fi := range []int{trieIPv4Dst, trieIPv6Src} {
		f := &trieFields[fi]
		r := rand.New(rand.NewPCG(uint64(fi), 77))
		bases := []u128{{0x0a00000000000000, 0}, {0x0a01000000000000, 0}, {0xc0a8000000000000, 1}, {0x20010db800000000, 5}}
		randVal := func() u128 {
			x := bases[r.IntN(len(bases))]
			return x.xor(u128{1 << (unitBits - 1), 0}.shr(r.IntN(f.bits))).leading(f.bits)
		}
		var root *trieNode
		var ref []trieRef
		for op := range 1500 {
			var v units
			x := randVal()
			setField(f, &v, x)
			switch {
			case r.IntN(3) > 0 || len(ref) == 0:
				p := 1 + r.IntN(f.bits)
				root = trieInsert(root, f, &v, p)
				ref = append(ref, trieRef{x.leading(p), p})
			default:
				i := r.IntN(len(ref))
				setField(f, &v, ref[i].val)
				root = trieRemove(root, f, &v, ref[i].plen)
				ref = slices.Delete(ref, i, i+1)
			}
			setField(f, &v, x)
			var c trieCtx
			trieLookup(root, f, &v, &c)
			mb, pl := refLookup(ref, f.bits, x)
			if c.maskbits != mb {
				t.Fatalf("field %d op %d: maskbits %d, want %d", fi, op, c.maskbits, mb)
			}
			for p := 1; p <= f.bits; p++ {
				if c.has(p) != pl[p] {
					t.Fatalf("field %d op %d: plen %d: %v, want %v", fi, op, p, c.has(p), pl[p])
				}
			}
			checkCompressed(t, root, true)
		}
		for _, p := range ref {
			var v units
			setField(f, &v, p.val)
			root = trieRemove(root, f, &v, p.plen)
		}
		if root != nil {
			t.Fatalf("field %d: trie not empty after removing everything", fi)
		}
	}
}

// checkCompressed asserts OVS's shape: every non-root node has bits, and
// no node without rules has fewer than two children.
func checkCompressed(t *testing.T, n *trieNode, root bool) {
	t.Helper()
	if n == nil {
		return
	}
	if !root && n.nBits == 0 {
		t.Fatal("empty non-root node")
	}
	kids := 0
	for _, c := range n.child {
		if c != nil {
			kids++
			checkCompressed(t, c, false)
		}
	}
	if n.n == 0 && kids < 2 {
		t.Fatalf("rule-less node with %d children", kids)
	}
}

// setField writes x (left-aligned) into the field's bits of v.
func setField(f *trieField, v *units, x u128) {
	for i := 0; i < f.bits; i++ {
		p := f.off + i
		w, sh := f.first+p/unitBits, uint(unitBits-1-p%unitBits)
		v[w] = v[w]&^(1<<sh) | uint64(x.bit(i))<<sh
	}
}
