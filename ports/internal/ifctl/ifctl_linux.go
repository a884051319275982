package ifctl

import (
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// ethAddrLen is the length of an Ethernet hardware address.
const ethAddrLen = 6

// ifreqHW is struct ifreq as SIOCGIFHWADDR fills it: the name, then a
// struct sockaddr (family, 14 data bytes), padded to sizeof(struct ifreq).
type ifreqHW struct {
	name   [unix.IFNAMSIZ]byte
	family uint16
	data   [14]byte
	_      [8]byte
}

// HardwareAddr returns the MAC address of the device called name.
func HardwareAddr(sock int, name string) (net.HardwareAddr, error) {
	if len(name) >= unix.IFNAMSIZ {
		return nil, unix.ENODEV
	}
	var req ifreqHW
	copy(req.name[:], name)
	if err := ioctlHW(sock, &req); err != nil {
		return nil, fmt.Errorf("SIOCGIFHWADDR %s: %w", name, err)
	}
	return append(net.HardwareAddr(nil), req.data[:ethAddrLen]...), nil
}

// SetHardwareAddr sets the MAC address of the Ethernet device called name.
func SetHardwareAddr(sock int, name string, mac net.HardwareAddr) error {
	if len(name) >= unix.IFNAMSIZ {
		return unix.ENODEV
	}
	if len(mac) != ethAddrLen {
		return fmt.Errorf("SIOCSIFHWADDR %s: %v is not an Ethernet address", name, mac)
	}
	var req ifreqHW
	copy(req.name[:], name)
	req.family = unix.ARPHRD_ETHER
	copy(req.data[:], mac)
	if err := ioctlHWReq(sock, unix.SIOCSIFHWADDR, &req); err != nil {
		return fmt.Errorf("SIOCSIFHWADDR %s: %w", name, err)
	}
	return nil
}

// MTU returns the MTU of the device called name.
func MTU(sock int, name string) (int, error) {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, err
	}
	if err := unix.IoctlIfreq(sock, unix.SIOCGIFMTU, ifr); err != nil {
		return 0, fmt.Errorf("SIOCGIFMTU %s: %w", name, err)
	}
	return int(ifr.Uint32()), nil
}
