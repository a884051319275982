package gen

import (
	"encoding/binary"
	"time"
)

// Stamp layout at OffPayload: magic(2) seq(8) sent-nanoseconds(8); it
// fits the 18 payload bytes of a 64-byte frame.
const (
	// StampMagic marks govs-bench frames ("gB").
	StampMagic  = 0x6742
	stampSeq    = 2
	stampTime   = 10
	StampLen    = 18
	ethTypeIPv4 = 0x0800
	ipProtoUDP  = 17
	offEthType  = 12
	offIPProto  = offIP + 9
	ipv4VerIHL  = 0x45
)

// epoch anchors Now: monotonic nanoseconds since package init.
var epoch = time.Now()

// Now returns monotonic nanoseconds on the process's clock, the time base
// of stamps. It does not allocate.
func Now() int64 { return int64(time.Since(epoch)) }

// PutStamp writes a stamp into frame (a Template frame). It does not
// allocate; a frame too short is left alone.
func PutStamp(frame []byte, seq uint64, ns int64) {
	if len(frame) < OffPayload+StampLen {
		return
	}
	p := frame[OffPayload:]
	binary.BigEndian.PutUint16(p, StampMagic)
	binary.BigEndian.PutUint64(p[stampSeq:], seq)
	binary.BigEndian.PutUint64(p[stampTime:], uint64(ns))
}

// ParseStamp returns the stamp of a govs-bench frame: untagged Ethernet,
// IPv4 without options, UDP, payload starting with StampMagic. ok is false
// for any other frame. It does not allocate.
func ParseStamp(frame []byte) (seq uint64, ns int64, ok bool) {
	if len(frame) < OffPayload+StampLen ||
		binary.BigEndian.Uint16(frame[offEthType:]) != ethTypeIPv4 ||
		frame[offIP] != ipv4VerIHL || frame[offIPProto] != ipProtoUDP {
		return 0, 0, false
	}
	p := frame[OffPayload:]
	if binary.BigEndian.Uint16(p) != StampMagic {
		return 0, 0, false
	}
	return binary.BigEndian.Uint64(p[stampSeq:]), int64(binary.BigEndian.Uint64(p[stampTime:])), true
}
