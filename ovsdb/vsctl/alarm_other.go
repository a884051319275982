//go:build !linux

package vsctl

import "os"

// DieOfAlarm exits with ExitTimeout (on Linux it dies of SIGALRM).
func DieOfAlarm() { os.Exit(ExitTimeout) }
