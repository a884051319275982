//go:build !linux

package datapath

import (
	"errors"

	"govs/ports"
)

var errNoLoop = errors.New("datapath: worker poll loop (epoll) is only supported on Linux")

// loopState is empty off Linux: workers can only be driven with
// ProcessBatch.
type loopState struct {
	running bool
	stop    bool
	exited  chan struct{}
}

func (w *Worker) start() error               { return errNoLoop }
func (w *Worker) pollAdd(p ports.Port) error { return nil }
func (w *Worker) pollDel(p ports.Port)       {}
func (w *Worker) closeLoop()                 {}
func (w *Worker) wakeup()                    {}
