package afxdp

import (
	"fmt"
	"strconv"
	"strings"
)

// Mode is options:xdp-mode: how the XDP program is attached and how the
// AF_XDP socket is bound.
type Mode uint8

// Modes, named as OVS names them.
const (
	// ModeBestEffort (the default) attaches in native (driver) mode and
	// falls back to generic (skb) mode when the driver refuses; the socket
	// is bound in copy mode.
	ModeBestEffort Mode = iota
	// ModeNativeZeroCopy attaches in native mode and binds the socket in
	// zero-copy mode; it fails when the driver supports either not.
	ModeNativeZeroCopy
	// ModeNative attaches in native mode (copy mode socket) or fails.
	ModeNative
	// ModeGeneric attaches in generic mode (copy mode socket).
	ModeGeneric
)

var modeNames = [...]string{
	ModeBestEffort:     "best-effort",
	ModeNativeZeroCopy: "native-with-zerocopy",
	ModeNative:         "native",
	ModeGeneric:        "generic",
}

// String returns the option value naming m.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// ParseMode parses an options:xdp-mode value; "" is best-effort.
func ParseMode(s string) (Mode, error) {
	if s == "" {
		return ModeBestEffort, nil
	}
	for m, n := range modeNames {
		if s == n {
			return Mode(m), nil
		}
	}
	return 0, fmt.Errorf("invalid xdp-mode %q (want native-with-zerocopy, native, generic or best-effort)", s)
}

// Options configures an AF_XDP port. The zero value is OVS's default
// configuration (best-effort, need_wakeup on, one rx queue).
type Options struct {
	Mode Mode
	// NoNeedWakeup is options:use-need-wakeup=false: the socket is bound
	// without XDP_USE_NEED_WAKEUP and Write kicks the kernel after every
	// batch, whatever the ring flags say.
	NoNeedWakeup bool
}

// ConfigError is an Interface option govs refuses. Its message is worded
// as OVS's netdev configuration errors:
// "could not set configuration (veth0: invalid xdp-mode "foo" (...))".
type ConfigError struct {
	Device string
	Msg    string
}

func (e *ConfigError) Error() string {
	return "could not set configuration (" + e.Device + ": " + e.Msg + ")"
}

// OptionKeys are the Interface options an afxdp port reads; a change of
// any of them re-creates the port.
var OptionKeys = []string{"xdp-mode", "n_rxq", "use-need-wakeup"}

// ParseOptions reads the afxdp keys of an Interface's options column
// (other keys are ignored, as OVS ignores them) for the device dev:
//   - xdp-mode: see Mode;
//   - n_rxq: the number of rx queues to read. govs reads queue 0 only, so
//     any value but 1 is refused (OVS, like govs, takes a value below 1
//     as 1);
//   - use-need-wakeup: "true" (default) or "false".
func ParseOptions(dev string, m map[string]string) (Options, error) {
	var o Options
	var err error
	if o.Mode, err = ParseMode(m["xdp-mode"]); err != nil {
		return Options{}, &ConfigError{Device: dev, Msg: err.Error()}
	}
	if s, ok := m["n_rxq"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return Options{}, &ConfigError{Device: dev, Msg: fmt.Sprintf("invalid n_rxq %q", s)}
		}
		if n > 1 {
			return Options{}, &ConfigError{Device: dev, Msg: fmt.Sprintf("n_rxq=%d is not supported: govs afxdp ports read rx queue 0 only", n)}
		}
	}
	switch s := m["use-need-wakeup"]; s {
	case "", "true":
	case "false":
		o.NoNeedWakeup = true
	default:
		return Options{}, &ConfigError{Device: dev, Msg: fmt.Sprintf("invalid use-need-wakeup %q (want true or false)", s)}
	}
	return o, nil
}
