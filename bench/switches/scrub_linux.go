package switches

import (
	"errors"
	"strings"

	"govs/bench/topo"
)

// scrub removes what a stopped OVS-like daemon may leave in the switch
// namespace, so that the next switch starts clean: the netdev
// datapath's bridge tap device (OVS keeps it when killed) and XDP
// programs on the switch's veths (afxdp ports).
func scrub(t *topo.Topology) error {
	if t == nil || t.Switch == nil {
		return nil
	}
	var errs []error
	if _, err := t.Switch.Run("ip", "link", "del", BridgeName); err != nil && !noDevice(err) {
		errs = append(errs, err)
	}
	for _, dev := range []string{t.SwGenDev, t.SwSinkDev} {
		for _, mode := range []string{"xdpgeneric", "xdpdrv"} {
			// Detaching when nothing is attached succeeds.
			if _, err := t.Switch.Run("ip", "link", "set", "dev", dev, mode, "off"); err != nil && !noDevice(err) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func noDevice(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot find device") || strings.Contains(s, "does not exist")
}
