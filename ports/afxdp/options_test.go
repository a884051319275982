package afxdp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseOptions(t *testing.T) {
	tests := []struct {
		in      map[string]string
		want    Options
		wantErr string
	}{
		{nil, Options{}, ""},
		{map[string]string{"xdp-mode": "best-effort"}, Options{Mode: ModeBestEffort}, ""},
		{map[string]string{"xdp-mode": "native"}, Options{Mode: ModeNative}, ""},
		{map[string]string{"xdp-mode": "generic"}, Options{Mode: ModeGeneric}, ""},
		{map[string]string{"xdp-mode": "native-with-zerocopy"}, Options{Mode: ModeNativeZeroCopy}, ""},
		{map[string]string{"xdp-mode": "skb"}, Options{}, `could not set configuration (veth0: invalid xdp-mode "skb"`},
		{map[string]string{"n_rxq": "1"}, Options{}, ""},
		{map[string]string{"n_rxq": "0"}, Options{}, ""},
		{map[string]string{"n_rxq": "2"}, Options{}, "n_rxq=2 is not supported: govs afxdp ports read rx queue 0 only"},
		{map[string]string{"n_rxq": "x"}, Options{}, `invalid n_rxq "x"`},
		{map[string]string{"use-need-wakeup": "false"}, Options{NoNeedWakeup: true}, ""},
		{map[string]string{"use-need-wakeup": "true"}, Options{}, ""},
		{map[string]string{"use-need-wakeup": "yes"}, Options{}, `invalid use-need-wakeup "yes"`},
		{map[string]string{"peer": "x", "xdp-mode": "generic"}, Options{Mode: ModeGeneric}, ""},
	}
	for _, tt := range tests {
		got, err := ParseOptions("veth0", tt.in)
		if tt.wantErr != "" {
			var ce *ConfigError
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ce) {
				t.Errorf("ParseOptions(%v) = %v, %v; want *ConfigError containing %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseOptions(%v) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestModeStringRoundTrip(t *testing.T) {
	for m := range Mode(len(modeNames)) {
		got, err := ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, err)
		}
	}
	if s := Mode(9).String(); s != "mode(9)" {
		t.Errorf("Mode(9) = %q", s)
	}
}

func FuzzParseOptions(f *testing.F) {
	f.Add("native", "1", "true")
	f.Add("best-effort", "0", "false")
	f.Add("", "2", "")
	f.Add("drv", " 1", "x")
	f.Fuzz(func(t *testing.T, mode, nrxq, wakeup string) {
		m := map[string]string{"xdp-mode": mode, "n_rxq": nrxq, "use-need-wakeup": wakeup}
		o, err := ParseOptions("d", m)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "could not set configuration (d: ") {
				t.Fatalf("error %v is not a ConfigError", err)
			}
			return
		}
		if o.Mode.String() != mode && !(mode == "" && o.Mode == ModeBestEffort) {
			t.Fatalf("mode %q parsed as %v", mode, o.Mode)
		}
		if o.NoNeedWakeup != (wakeup == "false") {
			t.Fatalf("use-need-wakeup %q parsed as NoNeedWakeup=%v", wakeup, o.NoNeedWakeup)
		}
	})
}
