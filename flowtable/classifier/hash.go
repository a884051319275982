package classifier

import "math/bits"

// Hash constants (murmur3/xxhash family: odd, well mixed).
const (
	hashSeed  = 0x9e3779b97f4a7c15
	hashMul1  = 0xff51afd7ed558ccd
	hashMul2  = 0xc4ceb9fe1a85ec53
	hashRot   = 31
	hashFold1 = 33
	hashFold2 = 29
)

// mix folds one unit into a running hash. Stage hashes are cumulative:
// the hash after stage i is the hash over every unit of stages 0..i.
func mix(h, v uint64) uint64 {
	h ^= v * hashMul1
	h = bits.RotateLeft64(h, hashRot)
	return h * hashMul2
}

// slotOf spreads a hash for open-addressing slot selection.
func slotOf(h uint64) uint64 {
	h ^= h >> hashFold1
	h *= hashMul1
	return h ^ h>>hashFold2
}
