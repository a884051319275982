//go:build linux

package ethtool

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/sys/unix"
)

// struct ethtool_cmd (linux/ethtool.h), the ETHTOOL_GSET argument.
const (
	ethtoolGSET   = 0x00000001
	cmdSize       = 44
	cmdSpeedOff   = 12 // __u16 speed
	cmdDuplexOff  = 14 // __u8 duplex
	cmdPortOff    = 15 // __u8 port
	cmdSpeedHiOff = 28 // __u16 speed_hi
	duplexFull    = 0x01
	portTP        = 0x00
	portFibre     = 0x03
	speedUnknown  = 0xffffffff
	speedHiShift  = 16
	maxNameLength = unix.IFNAMSIZ - 1
)

// LinkSettings returns name's current link settings (ETHTOOL_GSET).
func LinkSettings(name string) (Link, error) {
	var cmd [cmdSize]byte
	binary.NativeEndian.PutUint32(cmd[:], ethtoolGSET)
	if err := ioctl(name, cmd[:]); err != nil {
		return Link{}, fmt.Errorf("ETHTOOL_GSET %s: %w", name, err)
	}
	speed := uint32(binary.NativeEndian.Uint16(cmd[cmdSpeedOff:])) |
		uint32(binary.NativeEndian.Uint16(cmd[cmdSpeedHiOff:]))<<speedHiShift
	if speed == speedUnknown {
		speed = 0
	}
	return Link{SpeedMbps: speed, FullDuplex: cmd[cmdDuplexOff] == duplexFull, TwistedPair: cmd[cmdPortOff] == portTP, Fibre: cmd[cmdPortOff] == portFibre}, nil
}

// DriverInfo returns name's driver (ETHTOOL_GDRVINFO).
func DriverInfo(name string) (Driver, error) {
	if len(name) > maxNameLength {
		return Driver{}, unix.ENODEV
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return Driver{}, err
	}
	defer unix.Close(fd)
	info, err := unix.IoctlGetEthtoolDrvinfo(fd, name)
	if err != nil {
		return Driver{}, fmt.Errorf("ETHTOOL_GDRVINFO %s: %w", name, err)
	}
	return Driver{Name: cstr(info.Driver[:]), Version: cstr(info.Version[:]), Firmware: cstr(info.Fw_version[:])}, nil
}

func cstr(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// ioctl issues SIOCETHTOOL for name with data as ifr_data.
func ioctl(name string, data []byte) error {
	if len(name) > maxNameLength {
		return unix.ENODEV
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return ioctlData(fd, name, data)
}
