package switches

import (
	"context"
	"errors"
	"fmt"

	"govs/bench/topo"
	"govs/datapath"
	"govs/datapath/flow"
	"govs/ports/afpacket"
)

// The in-process datapath's port numbers.
const (
	dpPortGen  flow.PortNo = 1
	dpPortSink flow.PortNo = 2
)

// crossConnect is the in-process datapath's slow path: port 1 ↔ port 2,
// megaflows matching in_port and both MACs (what OVS NORMAL un-wildcards
// for a learned unicast destination).
type crossConnect struct{}

var allOnesMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

func (crossConnect) Upcall(k, mask *flow.Key, acts *datapath.Actions) error {
	mask.SetEthSrc(allOnesMAC)
	mask.SetEthDst(allOnesMAC)
	switch k.InPort() {
	case dpPortGen:
		*acts = append(*acts, datapath.Output(dpPortSink))
	case dpPortSink:
		*acts = append(*acts, datapath.Output(dpPortGen))
	default:
		return fmt.Errorf("cross-connect: unexpected in_port %d", k.InPort())
	}
	return nil
}

// govsDatapath runs govs/datapath in this process.
type govsDatapath struct {
	o     Options
	dp    *datapath.Datapath
	ports []*afpacket.Port
}

func newGovsDatapath(o Options) *govsDatapath { return &govsDatapath{o: o} }

func (s *govsDatapath) Name() string { return NameGovsDatapath }

func (s *govsDatapath) Start(_ context.Context, t *topo.Topology) error {
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		var p *afpacket.Port
		err := t.Switch.Do(func() (err error) {
			p, err = afpacket.Open(dev, afpacket.Options{})
			return err
		})
		if err != nil {
			return err
		}
		s.ports = append(s.ports, p)
	}
	dp, err := datapath.New(crossConnect{}, datapath.Config{Workers: max(s.o.Workers, 1)})
	if err != nil {
		return err
	}
	s.dp = dp
	for i, no := range []flow.PortNo{dpPortGen, dpPortSink} {
		if err := dp.AddPort(no, s.ports[i]); err != nil {
			return err
		}
	}
	return dp.Start()
}

func (s *govsDatapath) Stop() error {
	var errs []error
	if s.dp != nil {
		errs = append(errs, s.dp.Close()) // before the ports close
		s.dp = nil
	}
	for _, p := range s.ports {
		errs = append(errs, p.Close())
	}
	s.ports = nil
	return errors.Join(errs...)
}
