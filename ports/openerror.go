package ports

import (
	"errors"
	"strings"
	"syscall"
)

// OpenError reports a device that a port could not open. Its message is
// worded as OVS words Interface.error, e.g.
// "could not open network device veth9 (No such device)", so that the
// config plane can copy it into the database as is.
type OpenError struct {
	Device string // device name as configured
	Err    error  // cause; usually a syscall.Errno
}

// Error returns "could not open network device <Device> (<strerror>)".
func (e *OpenError) Error() string {
	return "could not open network device " + e.Device + " (" + strerror(e.Err) + ")"
}

// Unwrap returns the cause, so errors.Is(err, syscall.ENODEV) works.
func (e *OpenError) Unwrap() error { return e.Err }

// strerror renders err as C's strerror does: Go's errno strings are the
// C ones with the first letter lowered.
func strerror(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		if err == nil {
			return "unknown error"
		}
		return err.Error()
	}
	s := errno.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
