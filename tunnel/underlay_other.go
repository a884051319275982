//go:build !linux

package tunnel

import (
	"errors"
	"log/slog"

	"govs/ports"
)

// OpenUnderlayPort needs Linux.
func OpenUnderlayPort(Type, uint16, *slog.Logger) (ports.Port, error) {
	return nil, errors.New("tunnel underlay needs Linux")
}
