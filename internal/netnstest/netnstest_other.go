//go:build !linux

package netnstest

import (
	"context"
	"errors"
	"os/exec"
	"testing"
)

// ErrNoNetns is what Do returns: network namespaces need Linux.
var ErrNoNetns = errors.New("netnstest: network namespaces need Linux")

// NS is a named network namespace; there are none on this OS.
type NS struct{ Name string }

// Require skips tb: network namespaces exist only on Linux.
func Require(tb testing.TB) { tb.Helper(); tb.Skip("skipping: network namespaces need Linux") }

// New skips tb.
func New(tb testing.TB, prefix string) *NS { tb.Helper(); Require(tb); return nil }

// Exec is never reached (New skipped).
func (ns *NS) Exec(tb testing.TB, args ...string) string { tb.Helper(); return "" }

// Command returns a command that fails: there are no namespaces.
func (ns *NS) Command(ctx context.Context, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "false")
}

// Do fails: network namespaces need Linux.
func (ns *NS) Do(f func() error) error { return ErrNoNetns }

// Veth is never reached (New skipped).
func Veth(tb testing.TB, ns *NS, a string, peer *NS, b string) { tb.Helper() }
