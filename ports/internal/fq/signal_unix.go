//go:build unix

package fq

import "golang.org/x/sys/unix"

// signal is a non-blocking pipe used as a level-triggered readiness flag.
type signal struct {
	r, w int
	one  [1]byte // the byte written and read back; kept here so no call allocates
}

func newSignal() (signal, error) {
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return signal{r: -1, w: -1}, err
	}
	for _, fd := range p {
		unix.CloseOnExec(fd)
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return signal{r: -1, w: -1}, err
		}
	}
	return signal{r: p[0], w: p[1]}, nil
}

func (s *signal) fd() int { return s.r }

// raise writes the flag byte. The pipe holds at most one byte, so the
// write cannot hit EAGAIN; errors are not actionable and are ignored.
func (s *signal) raise() {
	for {
		if _, err := unix.Write(s.w, s.one[:]); err != unix.EINTR {
			return
		}
	}
}

// clear reads the flag byte back.
func (s *signal) clear() {
	for {
		if _, err := unix.Read(s.r, s.one[:]); err != unix.EINTR {
			return
		}
	}
}

func (s *signal) close() error {
	err := unix.Close(s.r)
	if werr := unix.Close(s.w); err == nil {
		err = werr
	}
	s.r, s.w = -1, -1
	return err
}
