//go:build !linux

package switches

import (
	"context"
	"errors"

	"govs/bench/topo"
)

var errUnimplemented = errors.New("switches: need Linux")

type unsupported struct{ name string }

func (u unsupported) Name() string                                { return u.name }
func (u unsupported) Start(context.Context, *topo.Topology) error { return errUnimplemented }
func (u unsupported) Stop() error                                 { return nil }

func newGovs(name, _ string, _ Options) Switch     { return unsupported{name} }
func newGovsDatapath(Options) Switch               { return unsupported{NameGovsDatapath} }
func newGovsAFXDP(Options) Switch                  { return unsupported{NameGovsAFXDP} }
func newOVS(name string, _ bool, _ Options) Switch { return unsupported{name} }
func newBridge() Switch                            { return unsupported{NameBridge} }
func newTunnelPair(name string, _ Options) Switch  { return unsupported{name} }
