//go:build unix

package fq

import (
	"testing"

	"golang.org/x/sys/unix"
)

// pollReadable reports whether fd is readable right now.
func pollReadable(t *testing.T, fd int) bool {
	t.Helper()
	pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(pfd, 0)
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return n == 1 && pfd[0].Revents&unix.POLLIN != 0
}
