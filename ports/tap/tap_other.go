//go:build !linux

package tap

import (
	"fmt"
	"net"
	"runtime"

	"govs/ports"
)

var errUnimplemented = fmt.Errorf("tap: TAP ports are not implemented on %s", runtime.GOOS)

// Port is a TAP port; on this OS Open always fails.
type Port struct{ name string }

var _ ports.Port = (*Port)(nil)

// OpenInternal fails on this OS with an error naming what is unsupported.
func OpenInternal(name string) (*Port, error) { return Open(name, Options{Up: true}) }

// Open fails on this OS with an error naming what is unsupported.
func Open(name string, opts Options) (*Port, error) {
	return nil, &ports.OpenError{Device: name, Err: errUnimplemented}
}

func (p *Port) HardwareAddr() (net.HardwareAddr, error) { return nil, errUnimplemented }
func (p *Port) MTU() (int, error)                       { return 0, errUnimplemented }
func (p *Port) SetHardwareAddr(net.HardwareAddr) error  { return errUnimplemented }
func (p *Port) Name() string                            { return p.name }
func (p *Port) Features() string                        { return "" }
func (p *Port) Created() bool                           { return false }
func (p *Port) PollFD() int                             { return -1 }
func (p *Port) Read(*ports.Batch) (int, error)          { return 0, errUnimplemented }
func (p *Port) Write(*ports.Batch) (int, error)         { return 0, errUnimplemented }
func (p *Port) Stats() ports.Stats                      { return ports.Stats{} }
func (p *Port) Close() error                            { return nil }
