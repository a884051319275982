package reconcile

import (
	"fmt"

	"govs/ports"
	"govs/ports/afpacket"
	"govs/ports/afxdp"
	"govs/ports/tap"
)

// Interface types.
const (
	TypeSystem   = "system" // also the empty type
	TypeInternal = "internal"
	TypeTap      = "tap"
	TypePatch    = "patch"
	TypeAFXDP    = "afxdp"
)

// Opener opens the device behind an interface of type "" (system),
// internal or tap. Patch ports are built by the reconciler itself.
// Errors should be *ports.OpenError (their text goes to Interface.error).
type Opener interface {
	Open(name, typ string) (ports.Port, error)
}

// OptionsOpener is an optional Opener capability: opening interface types
// whose device reads Interface options (afxdp: xdp-mode, n_rxq,
// use-need-wakeup). An Opener without it cannot open afxdp interfaces.
// A change of the options the type reads re-creates the interface.
type OptionsOpener interface {
	OpenWithOptions(name, typ string, options map[string]string) (ports.Port, error)
}

// SystemOpener opens real devices: AF_PACKET for system interfaces, TAP
// devices (brought up) for internal ones, TAP devices for tap ones, and
// AF_XDP sockets for afxdp ones (OpenWithOptions).
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

// OpenWithOptions implements OptionsOpener: afxdp interfaces, with their
// options checked by afxdp.ParseOptions; other types as Open.
func (o SystemOpener) OpenWithOptions(name, typ string, options map[string]string) (ports.Port, error) {
	if typ != TypeAFXDP {
		return o.Open(name, typ)
	}
	opts, err := afxdp.ParseOptions(name, options)
	if err != nil {
		return nil, err
	}
	return afxdp.Open(name, opts)
}

// deviceOptionsKey is the part of an interface's options that its device
// was opened with ("" for types whose device reads none), compared by the
// reconciler to decide whether an options change re-creates the port.
func deviceOptionsKey(typ string, options map[string]string) string {
	if typ != TypeAFXDP {
		return ""
	}
	m := map[string]string{}
	for _, k := range afxdp.OptionKeys {
		if v, ok := options[k]; ok {
			m[k] = v
		}
	}
	return optionsKey(m)
}

// unsupportedType is the Interface.error of a type govs cannot open. OVS
// words an unknown type "could not open network device X (Address family
// not supported by protocol)"; govs names the type instead, because OVS
// itself supports most of these (geneve, vxlan, afxdp, dpdk...).
func unsupportedType(name, typ string) error {
	return fmt.Errorf("could not open network device %s (unsupported interface type %q)", name, typ)
}
