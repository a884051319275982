//go:build !linux

package datapathtest

import (
	"net/netip"
	"time"

	"govs/internal/netnstest"
)

// Ping fails: network namespaces need Linux.
func Ping(ns *NS, dst netip.Addr, count int, timeout time.Duration) error {
	return netnstest.ErrNoNetns
}
