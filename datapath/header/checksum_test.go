package header

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// naiveChecksum is RFC 1071 word by word, the reference for Checksum.
func naiveChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return uint16(sum)
}

func TestChecksum(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want uint16
	}{
		{"empty", nil, 0},
		{"one-byte", []byte{0xab}, 0xab00},
		{"rfc1071-example", []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}, 0xddf2},
		{"carry", []byte{0xff, 0xff, 0x00, 0x01}, 0x0001},
		// A real IPv4 header (checksum field zeroed); its checksum is 0xb861.
		{"ipv4-header", []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
			0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}, ^uint16(0xb861)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Checksum(tc.in, 0); got != tc.want {
				t.Errorf("Checksum = %#04x, want %#04x", got, tc.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if got, want := Checksum(b, 0), naiveChecksum(b); got != want {
			t.Fatalf("len %d: Checksum %#x, naive %#x", n, got, want)
		}
	}
}

// TestChecksumUpdate checks RFC 1624 incremental updates against full
// recomputation over random buffers and random 16/32-bit rewrites.
func TestChecksumUpdate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		b := make([]byte, 4+2*r.IntN(30))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		csum := ^Checksum(b, 0)
		if r.IntN(2) == 0 {
			i := 2 * r.IntN(len(b)/2)
			old := binary.BigEndian.Uint16(b[i:])
			nw := uint16(r.Uint32())
			binary.BigEndian.PutUint16(b[i:], nw)
			got, want := ChecksumUpdate16(csum, old, nw), ^Checksum(b, 0)
			if got != want && !(got == 0 && want == 0xffff) && !(got == 0xffff && want == 0) {
				t.Fatalf("16-bit update %#x, recomputed %#x", got, want)
			}
		} else {
			i := 2 * r.IntN(len(b)/2-1)
			old := binary.BigEndian.Uint32(b[i:])
			nw := r.Uint32()
			binary.BigEndian.PutUint32(b[i:], nw)
			got, want := ChecksumUpdate32(csum, old, nw), ^Checksum(b, 0)
			if got != want && !(got == 0 && want == 0xffff) && !(got == 0xffff && want == 0) {
				t.Fatalf("32-bit update %#x, recomputed %#x", got, want)
			}
		}
	}
}

func TestUDPChecksumRules(t *testing.T) {
	tests := []struct {
		name        string
		csum        uint16
		old, new    uint16
		want        uint16
		description string
	}{
		{"none-stays-none", 0, 1, 2, 0, "a zero UDP checksum means none and is kept"},
		{"zero-result-is-ffff", 0xffff, 0x1234, 0x1234, 0xffff, "a computed 0 is stored as 0xffff"},
		{"normal", 0x1000, 0x0001, 0x0002, 0x0fff, "plain update"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := UDP(make([]byte, UDPSize))
			u.SetChecksum(tc.csum)
			u.UpdateChecksum16(tc.old, tc.new)
			if got := u.Checksum(); got != tc.want {
				t.Errorf("%s: got %#04x, want %#04x", tc.description, got, tc.want)
			}
		})
	}
}

func TestCRC32c(t *testing.T) {
	// RFC 3720 B.4 / the usual check value of CRC-32C.
	if got := CRC32c([]byte("123456789")); got != 0xe3069283 {
		t.Errorf("CRC32c = %#08x, want 0xe3069283", got)
	}
	if got := CRC32cUpdate(CRC32c([]byte("1234")), []byte("56789")); got != 0xe3069283 {
		t.Errorf("CRC32cUpdate = %#08x, want 0xe3069283", got)
	}
	// RFC 3720 B.4: 32 bytes of zeros.
	if got := CRC32c(make([]byte, 32)); got != 0x8a9136aa {
		t.Errorf("CRC32c(zeros) = %#08x, want 0x8a9136aa", got)
	}
}

func TestPseudoHeader(t *testing.T) {
	src := []byte{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	dst := []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}
	ph := make([]byte, 0, 40)
	ph = append(ph, src...)
	ph = append(ph, dst...)
	ph = append(ph, 0, 0, 0, 20, 0, 0, 0, ProtoTCP)
	if got, want := PseudoHeaderChecksumV6(ProtoTCP, src, dst, 20), Checksum(ph, 0); got != want {
		t.Errorf("v6 pseudo header %#x, want %#x", got, want)
	}
	ph4 := []byte{10, 0, 0, 1, 10, 0, 0, 2, 0, ProtoUDP, 0, 28}
	if got, want := PseudoHeaderChecksumV4(ProtoUDP, 0x0a000001, 0x0a000002, 28), Checksum(ph4, 0); got != want {
		t.Errorf("v4 pseudo header %#x, want %#x", got, want)
	}
}

func TestChecksumAllocs(t *testing.T) {
	b := make([]byte, 1500)
	s := SCTP(make([]byte, 64))
	n := testing.AllocsPerRun(100, func() {
		Checksum(b, 0)
		ChecksumUpdate32(1, 2, 3)
		CRC32c(b)
		s.SetPortsWithChecksumUpdate(1, 2)
	})
	if n != 0 {
		t.Errorf("%v allocs, want 0", n)
	}
}

func BenchmarkChecksum(b *testing.B) {
	buf := make([]byte, 1500)
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		Checksum(buf, 0)
	}
}
