package header

import (
	"encoding/binary"
	"hash/crc32"
)

// Checksum returns the 16-bit ones' complement sum of b (not complemented),
// added to initial. An odd trailing byte is padded with zero, as RFC 1071.
// To get the value to store in a header, complement the result (^sum).
func Checksum(b []byte, initial uint16) uint16 {
	sum := uint64(initial)
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		sum += v>>48 + v>>32&0xffff + v>>16&0xffff + v&0xffff
		b = b[8:]
	}
	for len(b) >= 2 {
		sum += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint64(b[0]) << 8
	}
	return fold(sum)
}

// ChecksumCombine adds two ones' complement sums.
func ChecksumCombine(a, b uint16) uint16 { return fold(uint64(a) + uint64(b)) }

func fold(sum uint64) uint16 {
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return uint16(sum)
}

// PseudoHeaderChecksumV4 returns the (uncomplemented) sum of the IPv4
// pseudo header for an upper-layer segment of length l.
func PseudoHeaderChecksumV4(proto uint8, src, dst uint32, l uint16) uint16 {
	sum := uint64(src>>16) + uint64(src&0xffff) + uint64(dst>>16) + uint64(dst&0xffff)
	sum += uint64(proto) + uint64(l)
	return fold(sum)
}

// PseudoHeaderChecksumV6 returns the (uncomplemented) sum of the IPv6
// pseudo header (RFC 8200 §8.1) for an upper-layer packet of length l.
func PseudoHeaderChecksumV6(proto uint8, src, dst []byte, l uint32) uint16 {
	s := Checksum(src, 0)
	s = Checksum(dst, s)
	return fold(uint64(s) + uint64(l>>16) + uint64(l&0xffff) + uint64(proto))
}

// ChecksumUpdate16 returns the checksum field value after one 16-bit word
// covered by it changed from old to new (RFC 1624 eqn. 3:
// HC' = ~(~HC + ~m + m')). csum and the result are the stored
// (complemented) checksum.
func ChecksumUpdate16(csum, old, new uint16) uint16 {
	return ^fold(uint64(^csum) + uint64(^old) + uint64(new))
}

// ChecksumUpdate32 is ChecksumUpdate16 for a 32-bit value (e.g. an IPv4
// address in a header or pseudo header).
func ChecksumUpdate32(csum uint16, old, new uint32) uint16 {
	sum := uint64(^csum) + uint64(^uint16(old>>16)) + uint64(^uint16(old)) +
		uint64(uint16(new>>16)) + uint64(uint16(new))
	return ^fold(sum)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CRC32c returns the CRC32c (Castagnoli) of b as SCTP uses it (RFC 4960
// Appendix B); store it with SCTP.SetChecksum, which writes the bytes in
// the order the RFC (and Linux, and OVS) use.
func CRC32c(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// CRC32cUpdate continues a CRC32c over b (crc is a previous CRC32c result).
func CRC32cUpdate(crc uint32, b []byte) uint32 { return crc32.Update(crc, castagnoli, b) }
