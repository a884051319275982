//go:build !linux

package afxdp

import (
	"fmt"
	"runtime"

	"govs/ports"
)

var errUnimplemented = fmt.Errorf("afxdp: AF_XDP ports are not implemented on %s", runtime.GOOS)

// Port is an AF_XDP port; on this OS Open always fails.
type Port struct{ name string }

var _ ports.Port = (*Port)(nil)

// Open fails on this OS with an error naming what is unsupported.
func Open(name string, opts Options) (*Port, error) {
	return nil, &ports.OpenError{Device: name, Err: errUnimplemented}
}

func (p *Port) Name() string                    { return p.name }
func (p *Port) Ifindex() int                    { return 0 }
func (p *Port) Mode() string                    { return "" }
func (p *Port) ModeInUse() string               { return "" }
func (p *Port) Features() string                { return "" }
func (p *Port) PollFD() int                     { return -1 }
func (p *Port) Read(*ports.Batch) (int, error)  { return 0, errUnimplemented }
func (p *Port) Write(*ports.Batch) (int, error) { return 0, errUnimplemented }
func (p *Port) Stats() ports.Stats              { return ports.Stats{} }
func (p *Port) Close() error                    { return nil }
