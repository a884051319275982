package switches

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"govs/bench/topo"
)

// Switch names.
const (
	NameGovs         = "govs"
	NameGovsAFXDP    = "govs-afxdp"
	NameGovsDatapath = "govs-datapath"
	NameOVS          = "ovs"
	NameOVSAFXDP     = "ovs-afxdp"
	NameBridge       = "bridge"
	// NameGovsRef is govs-vswitchd from Options.RefBinDir (another
	// build, e.g. of main), to A/B two builds in the same run.
	NameGovsRef = "govs-ref"
)

// Names lists every switch, in the order they are measured.
var Names = []string{NameGovs, NameGovsAFXDP, NameGovsDatapath, NameOVS, NameOVSAFXDP, NameBridge}

// Extra lists the switches that exist but are measured only when named
// (not by "all").
var Extra = []string{NameGovsRef}

// BridgeName is the bridge created in the OVS-like switches.
const BridgeName = "br0"

// Switch is a switch under test.
type Switch interface {
	// Name is one of Names.
	Name() string
	// Start makes the switch forward frames between t.SwGenDev and
	// t.SwSinkDev (both ways).
	Start(ctx context.Context, t *topo.Topology) error
	// Stop undoes Start (also a failed one). It is idempotent.
	Stop() error
}

// Processor is a switch that runs as its own processes: their CPU time
// is measured per forwarded frame.
type Processor interface {
	// PIDs returns the switch's forwarding processes (e.g. ovs-vswitchd,
	// not ovsdb-server).
	PIDs() []int
}

// RuleLoader is a switch with an OpenFlow management socket.
type RuleLoader interface {
	// LoadRules deletes all flows, then times `ovs-ofctl add-flows` of
	// file against the switch.
	LoadRules(ctx context.Context, file string) (time.Duration, error)
}

// Options configure the switches.
type Options struct {
	// BinDir holds govs-vswitchd and govs-vsctl.
	BinDir string
	// RefBinDir holds the govs-vswitchd and govs-vsctl of govs-ref.
	RefBinDir string
	// OVSSchema is the vswitch.ovsschema for ovsdb-tool create.
	OVSSchema string
	// XDPMode is options:xdp-mode of the afxdp ports (ovs-afxdp and
	// govs-afxdp; "" is best-effort).
	XDPMode string
	// Workers is the number of govs datapath workers (0: 1).
	Workers int
	// Tunnel, when set (geneve or vxlan), selects the tunnel scenario:
	// the switch is two instances joined by a tunnel of that type across
	// a topo.NewTunnel lab. Only govs and ovs have one.
	Tunnel string
}

// DefaultOVSSchema is where Debian installs the OVS schema.
const DefaultOVSSchema = "/usr/share/openvswitch/vswitch.ovsschema"

// ErrUnknown is returned by New for a name not in Names.
var ErrUnknown = errors.New("unknown switch")

// ErrNoTunnel is returned by New for a switch without a tunnel scenario.
var ErrNoTunnel = errors.New("no tunnel scenario")

// TunnelSwitches are the switches with a tunnel scenario, TunnelTypes
// the tunnel types it knows.
var (
	TunnelSwitches = []string{NameGovs, NameOVS}
	TunnelTypes    = []string{"geneve", "vxlan"}
)

// New returns the switch called name.
func New(name string, o Options) (Switch, error) {
	if o.Tunnel != "" {
		if !slices.Contains(TunnelTypes, o.Tunnel) {
			return nil, fmt.Errorf("%w: unknown tunnel type %q (known: %v)", ErrNoTunnel, o.Tunnel, TunnelTypes)
		}
		switch name {
		case NameGovs, NameOVS:
			return newTunnelPair(name, o), nil
		case NameGovsAFXDP, NameGovsDatapath, NameOVSAFXDP, NameBridge:
			return nil, fmt.Errorf("%w for switch %q (only %v)", ErrNoTunnel, name, TunnelSwitches)
		}
		return nil, fmt.Errorf("%w %q (known: %v)", ErrUnknown, name, Names)
	}
	switch name {
	case NameGovs:
		return newGovs(NameGovs, o.BinDir, o), nil
	case NameGovsAFXDP:
		return newGovsAFXDP(o), nil
	case NameGovsRef:
		if o.RefBinDir == "" {
			return nil, fmt.Errorf("%s needs a reference build directory (-ref-bin-dir)", NameGovsRef)
		}
		return newGovs(NameGovsRef, o.RefBinDir, o), nil
	case NameGovsDatapath:
		return newGovsDatapath(o), nil
	case NameOVS:
		return newOVS(name, false, o), nil
	case NameOVSAFXDP:
		return newOVS(name, true, o), nil
	case NameBridge:
		return newBridge(), nil
	}
	return nil, fmt.Errorf("%w %q (known: %v)", ErrUnknown, name, append(Names[:len(Names):len(Names)], Extra...))
}
