package datapath

import (
	"math/bits"

	"govs/datapath/flow"
)

// Hash constants (from the murmur3/xxhash families: odd, well mixed).
const (
	hashSeed = 0x9e3779b97f4a7c15
	hashMul1 = 0xff51afd7ed558ccd
	hashMul2 = 0xc4ceb9fe1a85ec53
	hashRot  = 31
)

// Key words that vary between typical flows; the EMC hash mixes these one
// by one and folds the rest with XOR (see emcHash).
const (
	wordInPort = 0
	wordEthDst = 1
	wordEthSrc = 2
	wordVLAN   = 3
	wordNw     = 4
	wordIPv4   = 5
	wordTp     = 10
)

func mixWord(h, w uint64) uint64 {
	h ^= w * hashMul1
	h = bits.RotateLeft64(h, hashRot)
	return h * hashMul2
}

func finishHash(h uint64) uint32 {
	h ^= h >> 33
	h *= hashMul1
	h ^= h >> 29
	return uint32(h) ^ uint32(h>>32)
}

// emcHash hashes a whole key for the exact-match cache: the seven words
// that carry L2 and the 5-tuple are multiplied by distinct odd constants
// (independent multiplies, no dependency chain), the other thirteen (IPv6,
// ARP, tunnel) are XOR-folded into an eighth term, and the sum gets a
// final avalanche. Collisions only cost a miss: the EMC compares whole keys.
func emcHash(k *flow.Key) uint32 {
	w := &k.W
	rest := w[6] ^ w[7] ^ w[8] ^ w[9] ^ w[11] ^ w[12] ^ w[13] ^ w[14] ^
		w[15] ^ w[16] ^ w[17] ^ w[18] ^ w[19]
	h := (w[wordInPort]^hashSeed)*emcMul[0] + w[wordEthDst]*emcMul[1] +
		w[wordEthSrc]*emcMul[2] + w[wordVLAN]*emcMul[3] + w[wordNw]*emcMul[4] +
		w[wordIPv4]*emcMul[5] + w[wordTp]*emcMul[6] + rest*emcMul[7]
	return finishHash(h ^ h>>hashRot)
}

// emcMul are odd 64-bit multipliers (from splitmix64/murmur3/xxhash).
var emcMul = [8]uint64{
	0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0xff51afd7ed558ccd,
	0xc4ceb9fe1a85ec53, 0x87c37b91114253d5, 0x4cf5ad432745937f, 0x9fb21c651e98df25,
}

// maskWords lists the indices of a mask's non-zero words: the only words a
// subtable hashes and compares (like OVS's miniflow map).
type maskWords struct {
	idx [flow.KeyWords]uint8
	n   int
}

func newMaskWords(m *flow.Key) maskWords {
	var mw maskWords
	for i, w := range m.W {
		if w != 0 {
			mw.idx[mw.n] = uint8(i)
			mw.n++
		}
	}
	return mw
}

// maskedHash hashes k&m over the words in mw only.
func maskedHash(k, m *flow.Key, mw *maskWords) uint32 {
	h := uint64(hashSeed)
	for _, i := range mw.idx[:mw.n] {
		h = mixWord(h, k.W[i]&m.W[i])
	}
	return finishHash(h)
}
