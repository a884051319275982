//go:build !linux

package ethtool

// LinkSettings is not available outside Linux.
func LinkSettings(name string) (Link, error) { return Link{}, ErrUnsupported }

// DriverInfo is not available outside Linux.
func DriverInfo(name string) (Driver, error) { return Driver{}, ErrUnsupported }
