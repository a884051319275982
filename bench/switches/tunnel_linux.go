package switches

import (
	"context"
	"errors"
	"fmt"

	"govs/bench/topo"
)

// Underlay addresses of the tunnel lab: side 0 is the generator's switch
// (topo.Topology.Switch), side 1 the sink's (Switch2).
var underlayIP = [2]string{"10.250.0.1", "10.250.0.2"}

const (
	underlayPrefix = "/24"
	// tunnelPort is the name of the tunnel interface on both sides.
	tunnelPort = "tun0"
	// tunnelKey is the VNI both sides use.
	tunnelKey = "1"
	// underlayBridge is OVS's underlay bridge (native tunnelling wants
	// the underlay IP on a bridge's internal port, never on the bridge
	// that holds the tunnel ports: ovs-facts §6).
	underlayBridge = "br-phy"
)

// tunnelPair is two instances of one switch (govs or OVS netdev), one in
// each switch namespace of a topo.NewTunnel lab, each with bridge br0
// holding its host veth and a tunnel port to the other: frames from the
// generator are encapsulated by the first and decapsulated by the second.
//
//   - govs: the underlay address is on the underlay veth itself; the
//     tunnel ports send and receive through kernel sockets bound to it.
//   - ovs: the underlay veth is a port of bridge br-phy whose internal
//     port holds the underlay address (OVS userspace tunnelling).
type tunnelPair struct {
	kind   string // NameGovs or NameOVS
	tunnel string // geneve or vxlan
	o      Options
	dirs   [2]string
	t      *topo.Topology
}

func newTunnelPair(kind string, o Options) Switch {
	return &tunnelPair{kind: kind, tunnel: o.Tunnel, o: o}
}

func (s *tunnelPair) Name() string { return s.kind }

func (s *tunnelPair) Start(ctx context.Context, t *topo.Topology) error {
	if t.Switch2 == nil {
		return errors.New("the tunnel scenario needs the tunnel lab (topo.NewTunnel)")
	}
	s.t = t
	sides := [2]struct {
		ns       *topo.NS
		host, ul string
	}{{t.Switch, t.SwGenDev, t.UnderDev}, {t.Switch2, t.SwSinkDev, t.Under2Dev}}
	for i, side := range sides {
		var err error
		if s.kind == NameGovs {
			s.dirs[i], err = startGovsDaemon(ctx, s.o, side.ns)
		} else {
			s.dirs[i], err = startOVSDaemons(ctx, s.o, side.ns)
		}
		if err != nil {
			return err
		}
		if err := s.configure(ctx, i, side.ns, side.host, side.ul); err != nil {
			return fmt.Errorf("%s side %d: %w", s.kind, i+1, err)
		}
	}
	return nil
}

// configure sets up side i: underlay address, br0 with the host veth
// and the tunnel port to the other side.
func (s *tunnelPair) configure(ctx context.Context, i int, ns *topo.NS, host, ul string) error {
	remote := underlayIP[1-i]
	tunnelArgs := []string{"add-port", BridgeName, tunnelPort, "--", "set", "interface", tunnelPort,
		"type=" + s.tunnel, "options:remote_ip=" + remote, "options:key=" + tunnelKey}
	if s.kind == NameGovs {
		if _, err := ns.Run("ip", "addr", "add", underlayIP[i]+underlayPrefix, "dev", ul); err != nil {
			return err
		}
		return govsVsctl(ctx, s.o, s.dirs[i],
			[]string{"add-br", BridgeName},
			[]string{"add-port", BridgeName, host},
			tunnelArgs)
	}
	dir := s.dirs[i]
	if _, err := ovsVsctl(ctx, dir, "add-br", underlayBridge, "--", "set", "bridge", underlayBridge, "datapath_type=netdev",
		"--", "add-port", underlayBridge, ul); err != nil {
		return err
	}
	if _, err := ns.Run("ip", "addr", "add", underlayIP[i]+underlayPrefix, "dev", underlayBridge); err != nil {
		return err
	}
	if _, err := ns.Run("ip", "link", "set", underlayBridge, "mtu", fmt.Sprint(topo.UnderlayMTU), "up"); err != nil {
		return err
	}
	args := append([]string{"add-br", BridgeName, "--", "set", "bridge", BridgeName, "datapath_type=netdev",
		"--", "add-port", BridgeName, host, "--"}, tunnelArgs...)
	if _, err := ovsVsctl(ctx, dir, args...); err != nil {
		return err
	}
	for _, dev := range []string{ul, host, tunnelPort} {
		if err := waitInterface(ctx, dir, dev); err != nil {
			return err
		}
	}
	return nil
}

func (s *tunnelPair) Stop() error {
	if s.t == nil {
		return nil
	}
	var errs []error
	for i, dir := range s.dirs {
		if s.kind == NameGovs {
			errs = append(errs, stopGovs(dir))
		} else {
			errs = append(errs, stopOVS(dir))
		}
		s.dirs[i] = ""
	}
	// OVS leaves its bridges' tap devices behind when killed; the
	// underlay veths lose their addresses for the next switch.
	for _, side := range []struct {
		ns *topo.NS
		ul string
	}{{s.t.Switch, s.t.UnderDev}, {s.t.Switch2, s.t.Under2Dev}} {
		for _, dev := range []string{BridgeName, underlayBridge} {
			if _, err := side.ns.Run("ip", "link", "del", dev); err != nil && !noDevice(err) {
				errs = append(errs, err)
			}
		}
		if _, err := side.ns.Run("ip", "addr", "flush", "dev", side.ul); err != nil && !noDevice(err) {
			errs = append(errs, err)
		}
	}
	s.t = nil
	return errors.Join(errs...)
}
