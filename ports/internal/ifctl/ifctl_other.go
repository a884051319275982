//go:build !linux

package ifctl

import (
	"fmt"
	"net"
	"runtime"
)

var errUnimplemented = fmt.Errorf("ifctl: interface ioctls are not implemented on %s", runtime.GOOS)

// HardwareAddr fails on this OS.
func HardwareAddr(sock int, name string) (net.HardwareAddr, error) { return nil, errUnimplemented }

// MTU fails on this OS.
func MTU(sock int, name string) (int, error) { return 0, errUnimplemented }

// SetHardwareAddr fails on this OS.
func SetHardwareAddr(sock int, name string, mac net.HardwareAddr) error { return errUnimplemented }
