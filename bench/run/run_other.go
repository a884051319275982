//go:build !linux

package run

import (
	"context"
	"errors"

	"govs/bench/report"
)

// Run needs Linux (network namespaces, AF_PACKET).
func Run(context.Context, Config) (*report.Report, error) {
	return nil, errors.New("run: govs-bench needs Linux")
}

// LeftOver returns nothing off Linux.
func LeftOver() []string { return nil }
