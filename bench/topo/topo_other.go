//go:build !linux

package topo

import (
	"context"
	"errors"
	"os/exec"
)

var errUnimplemented = errors.New("topo: network namespaces need Linux")

// NS is a named network namespace.
type NS struct{ Name string }

// Topology is the lab; see the Linux implementation.
type Topology struct {
	Gen, Switch, Sink   *NS
	GenDev, SwGenDev    string
	SinkDev, SwSinkDev  string
	Switch2             *NS
	UnderDev, Under2Dev string
}

// UnderlayMTU is the MTU of the tunnel lab's underlay veths.
const UnderlayMTU = 1600

func NewNS(string) (*NS, error) { return nil, errUnimplemented }
func (ns *NS) Delete() error    { return errUnimplemented }
func (ns *NS) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "false")
}
func (ns *NS) Run(...string) (string, error) { return "", errUnimplemented }
func (ns *NS) Do(func() error) error         { return errUnimplemented }
func New() (*Topology, error)                { return nil, errUnimplemented }
func NewTunnel() (*Topology, error)          { return nil, errUnimplemented }
func (t *Topology) SinkSwitch() *NS          { return t.Switch }
func (t *Topology) Close() error             { return nil }
func Live() []string                         { return nil }
func CleanupAll()                            {}
