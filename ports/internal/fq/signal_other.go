//go:build !unix

package fq

// signal has no descriptor on non-unix systems: FD returns -1 and callers
// must poll Len.
type signal struct{}

func newSignal() (signal, error) { return signal{}, nil }
func (s *signal) fd() int        { return -1 }
func (s *signal) raise()         {}
func (s *signal) clear()         {}
func (s *signal) close() error   { return nil }
