package reconcile

import (
	"fmt"

	"govs/ports"
	"govs/ports/afpacket"
	"govs/ports/tap"
)

// Interface types.
const (
	TypeSystem   = "system" // also the empty type
	TypeInternal = "internal"
	TypeTap      = "tap"
	TypePatch    = "patch"
)

// Opener opens the device behind an interface of type "" (system),
// internal or tap. Patch ports are built by the reconciler itself.
// Errors should be *ports.OpenError (their text goes to Interface.error).
type Opener interface {
	Open(name, typ string) (ports.Port, error)
}

// SystemOpener opens real devices: AF_PACKET for system interfaces, TAP
// devices (brought up) for internal ones, TAP devices for tap ones.
type SystemOpener struct {
	AFPacket afpacket.Options
}

// Open implements Opener.
func (o SystemOpener) Open(name, typ string) (ports.Port, error) {
	switch typ {
	case "", TypeSystem:
		return afpacket.Open(name, o.AFPacket)
	case TypeInternal:
		return tap.OpenInternal(name)
	case TypeTap:
		return tap.Open(name, tap.Options{})
	}
	return nil, unsupportedType(name, typ)
}

// unsupportedType is the Interface.error of a type govs cannot open. OVS
// words an unknown type "could not open network device X (Address family
// not supported by protocol)"; govs names the type instead, because OVS
// itself supports most of these (geneve, vxlan, afxdp, dpdk...).
func unsupportedType(name, typ string) error {
	return fmt.Errorf("could not open network device %s (unsupported interface type %q)", name, typ)
}
