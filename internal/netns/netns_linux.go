package netns

import (
	"fmt"
	"runtime"

	"golang.org/x/sys/unix"
)

// Dir is where `ip netns add` bind-mounts named namespaces.
const Dir = "/run/netns/"

// Do runs f on a new OS thread inside network namespace name and returns
// f's error, or why the thread could not join the namespace.
func Do(name string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
		fd, err := unix.Open(Dir+name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open netns %s: %w", name, err)
			return
		}
		err = unix.Setns(fd, unix.CLONE_NEWNET)
		unix.Close(fd)
		if err != nil {
			errc <- fmt.Errorf("setns %s: %w", name, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}
