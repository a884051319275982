package ofp

import "encoding/binary"

// reader is a bounds-checked cursor over a byte slice. Every read checks
// the remaining length first; a short read records errShort and returns
// zero values, so decoders can read a fixed layout and test err once.
type reader struct {
	b   []byte
	off int
	err error
}

func newReader(b []byte) *reader { return &reader{b: b} }

func (r *reader) left() int { return len(r.b) - r.off }

func (r *reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || r.left() < n {
		r.err = errShort
		return false
	}
	return true
}

func (r *reader) u8() uint8 {
	if !r.need(1) {
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u16() uint16 {
	if !r.need(2) {
		return 0
	}
	v := binary.BigEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u32() uint32 {
	if !r.need(4) {
		return 0
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64() uint64 {
	if !r.need(8) {
		return 0
	}
	v := binary.BigEndian.Uint64(r.b[r.off:])
	r.off += 8
	return v
}

// bytes returns the next n bytes (a sub-slice of the input, not a copy).
func (r *reader) bytes(n int) []byte {
	if !r.need(n) {
		return nil
	}
	v := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return v
}

func (r *reader) skip(n int) { r.bytes(n) }

// rest returns everything not read yet.
func (r *reader) rest() []byte {
	if r.err != nil {
		return nil
	}
	v := r.b[r.off:]
	r.off = len(r.b)
	return v
}

func (r *reader) mac() (m [6]byte) {
	copy(m[:], r.bytes(6))
	return
}

// Append helpers (big-endian).
func put8(b []byte, v uint8) []byte   { return append(b, v) }
func put16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }
func put32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }
func put64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }
func putZeros(b []byte, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, 0)
	}
	return b
}

// padTo8 appends zeros until len(b)-start is a multiple of 8.
func padTo8(b []byte, start int) []byte {
	for (len(b)-start)%align8 != 0 {
		b = append(b, 0)
	}
	return b
}

// align8 is the OpenFlow alignment for actions, matches and messages.
const align8 = 8

func roundUp8(n int) int { return (n + align8 - 1) / align8 * align8 }

// putString appends s as a NUL-padded fixed-width field of n bytes
// (truncated to n-1 bytes so it stays NUL terminated).
func putString(b []byte, s string, n int) []byte {
	if len(s) > n-1 {
		s = s[:n-1]
	}
	b = append(b, s...)
	return putZeros(b, n-len(s))
}

// cString returns the bytes of b up to the first NUL.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// patchLen16 writes len(b)-start as a big-endian uint16 at b[at:].
func patchLen16(b []byte, at, start int) error {
	n := len(b) - start
	if n > maxMsgLen {
		return errTooLong
	}
	binary.BigEndian.PutUint16(b[at:], uint16(n))
	return nil
}
