//go:build !linux

package main

import (
	"fmt"
	"os"
	"strconv"
)

// createPidfile writes our pid to path (no fcntl locking on this OS, so
// ovs-appctl cannot use it to find the daemon).
func createPidfile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, filePerm)
	if err != nil {
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// lockDBDir does not lock on this OS.
func lockDBDir(dbdir, dbfile string) (*os.File, error) { return nil, nil }
