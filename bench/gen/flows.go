package gen

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Flow variation: flow i uses source port PortBase+i%PortsPerIP and source
// address SrcIP+i/PortsPerIP.
const (
	// PortsPerIP is how many source ports one source address gets.
	PortsPerIP = 1000
	// PortBase is the first source port.
	PortBase = 10000
	// MaxFlows bounds a flow set (distinct addresses stay in a /8, and
	// varied MACs in their 24 low bits).
	MaxFlows = 1 << 24
	// variedMACTag is byte 2 of varied source MACs (02:67:76:xx:xx:xx),
	// so they never collide with the lab's fixed MACs (02:67:62:...).
	variedMACTag = 0x76
)

var errFlows = errors.New("gen: invalid flow count")

// Flows varies a template over N distinct flows.
type Flows struct {
	n       uint32
	baseIP  uint32
	varyMAC bool
}

// NewFlows returns the flow set of n flows over template (whose source IP
// is flow 0's). With varyMAC each flow also gets its own source MAC (for
// flow-setup runs, where the switch must learn every flow): 02:67:76
// followed by the 24-bit flow index.
func NewFlows(template []byte, n int, varyMAC bool) (*Flows, error) {
	if n < 1 || n > MaxFlows {
		return nil, fmt.Errorf("%w: %d (want 1..%d)", errFlows, n, MaxFlows)
	}
	if len(template) < OffPayload {
		return nil, fmt.Errorf("%w: template of %d bytes", errSpec, len(template))
	}
	return &Flows{
		n:       uint32(n),
		baseIP:  binary.BigEndian.Uint32(template[offIPSrc:]),
		varyMAC: varyMAC,
	}, nil
}

// N returns the number of flows.
func (f *Flows) N() int { return int(f.n) }

// Apply rewrites frame (a template, at least OffPayload bytes) to be flow
// i mod N and fixes its IPv4 checksum. It does not allocate.
func (f *Flows) Apply(frame []byte, i uint64) {
	if len(frame) < OffPayload {
		return
	}
	k := uint32(i % uint64(f.n))
	binary.BigEndian.PutUint32(frame[offIPSrc:], f.baseIP+k/PortsPerIP)
	binary.BigEndian.PutUint16(frame[offUDPSport:], uint16(PortBase+k%PortsPerIP))
	if f.varyMAC {
		binary.BigEndian.PutUint32(frame[offSrcMAC+2:], variedMACTag<<24|k)
	}
	binary.BigEndian.PutUint16(frame[offIPCsum:], 0)
	binary.BigEndian.PutUint16(frame[offIPCsum:], IPv4Checksum(frame[offIP:offIP+ipv4Len]))
}

// IPv4Checksum returns the Internet checksum of hdr.
func IPv4Checksum(hdr []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(hdr); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(hdr[i:]))
	}
	if len(hdr)%2 == 1 {
		sum += uint32(hdr[len(hdr)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}
