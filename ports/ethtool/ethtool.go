package ethtool

import "errors"

// ErrUnsupported is returned where ethtool does not exist (not Linux).
var ErrUnsupported = errors.New("ethtool: not supported on this system")

// Link is a device's current link settings.
type Link struct {
	// SpeedMbps is the speed in Mb/s; 0 when the driver does not know it.
	SpeedMbps uint32
	// FullDuplex is true for full duplex.
	FullDuplex bool
	// TwistedPair is true when the port type is twisted pair (PORT_TP),
	// which virtual devices (veth, tun) report.
	TwistedPair bool
	// Fibre is true when the port type is fibre (PORT_FIBRE).
	Fibre bool
}

// Driver is a device's ETHTOOL_GDRVINFO answer.
type Driver struct {
	Name, Version, Firmware string
}
