package switches

import (
	"context"
	"errors"

	"govs/bench/topo"
)

// bridge is a Linux bridge in the switch namespace.
type bridge struct {
	t *topo.Topology
}

func newBridge() *bridge { return &bridge{} }

func (b *bridge) Name() string { return NameBridge }

func (b *bridge) Start(ctx context.Context, t *topo.Topology) error {
	b.t = t
	for _, args := range [][]string{
		{"ip", "link", "add", BridgeName, "type", "bridge"},
		{"ip", "link", "set", t.SwGenDev, "master", BridgeName},
		{"ip", "link", "set", t.SwSinkDev, "master", BridgeName},
		{"ip", "link", "set", BridgeName, "up"},
	} {
		if _, err := t.Switch.Run(args...); err != nil {
			return err
		}
	}
	return nil
}

func (b *bridge) Stop() error {
	if b.t == nil {
		return nil
	}
	t := b.t
	b.t = nil
	var errs []error
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		if _, err := t.Switch.Run("ip", "link", "set", dev, "nomaster"); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := t.Switch.Run("ip", "link", "del", BridgeName); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
