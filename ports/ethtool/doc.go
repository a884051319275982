// Package ethtool reads what OVS's netdev-linux asks ethtool about a
// network device: its current link settings (ETHTOOL_GSET: speed,
// duplex, port type) and its driver (ETHTOOL_GDRVINFO: driver name,
// version, firmware version). The reconciler writes them to the
// Interface row's link_speed, duplex and status columns as ovs-vswitchd
// does.
//
// Unlike /sys/class/net/DEV/speed, ETHTOOL_GSET answers for a device that
// is down (a veth reports 10 Gb/s full duplex either way), as OVS sees it.
//
// Every call opens and closes its own AF_INET datagram socket; the
// functions are safe for concurrent use and keep no state. On systems
// other than Linux they return ErrUnsupported.
package ethtool
