package tap

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

type syscallPollFd struct {
	fd     int32
	events int16
}

const pollIn = unix.POLLIN

// poll waits up to timeout for the descriptors and returns how many are ready.
func poll(t *testing.T, fds []syscallPollFd, timeout time.Duration) int {
	t.Helper()
	pfds := make([]unix.PollFd, len(fds))
	for i, f := range fds {
		pfds[i] = unix.PollFd{Fd: f.fd, Events: f.events}
	}
	n, err := unix.Poll(pfds, int(timeout/time.Millisecond))
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return n
}
