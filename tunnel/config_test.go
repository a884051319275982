package tunnel

import (
	"net/netip"
	"strings"
	"testing"
)

// TestParseConfigOVSErrors compares Interface.error texts with what OVS
// 3.1's ovs-vswitchd wrote for the same rows (captured on this host with
// a private ovs-vswitchd, netdev datapath).
func TestParseConfigOVSErrors(t *testing.T) {
	tests := []struct {
		name string
		typ  Type
		opts map[string]string
		err  string // "" = accepted
	}{
		{"g0", TypeGeneve, map[string]string{}, "g0: geneve type requires valid 'remote_ip' argument"},
		{"g2", TypeGeneve, map[string]string{"remote_ip": "foo"}, "g2: bad geneve 'remote_ip'\ng2: geneve type requires valid 'remote_ip' argument"},
		{"g3", TypeVXLAN, map[string]string{"remote_ip": "224.1.1.1"}, "g3: multicast remote_ip=224.1.1.1 not allowed"},
		{"g6", TypeGeneve, map[string]string{"remote_ip": "1.1.1.1", "local_ip": "flow"}, "g6: geneve type requires 'remote_ip=flow' with 'local_ip=flow'"},
		{"g1", TypeGeneve, map[string]string{"remote_ip": "flow", "local_ip": "flow"}, ""},
		{"g4", TypeVXLAN, map[string]string{"remote_ip": "1.1.1.1", "local_ip": "bar"}, ""},                             // warning only
		{"g5", TypeVXLAN, map[string]string{"remote_ip": "1.1.1.1", "tos": "300", "key": "99999999", "bogus": "1"}, ""}, // warnings only
		{"g8", TypeGeneve, map[string]string{"remote_ip": "1.1.1.1", "key": "flow", "dst_port": "abc", "ttl": "300", "csum": "yes"}, ""},
		{"g9", TypeGeneve, map[string]string{"remote_ip": "1.1.1.2", "key": "0x10"}, ""},
		{"v6", TypeGeneve, map[string]string{"remote_ip": "fe80::1"}, "v6: IPv6 remote_ip=fe80::1 is not supported by govs"},
	}
	for _, tc := range tests {
		cfg, _, err := ParseConfig(tc.name, tc.typ, tc.opts)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: unexpected error %q", tc.name, err)
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
		if err != nil {
			continue
		}
		switch tc.name {
		case "g8":
			// OVS: dpif/show "(geneve: key=flow, remote_ip=1.1.1.1, ttl=44)".
			if got := cfg.Summary(); got != "key=flow, remote_ip=1.1.1.1, ttl=44" || cfg.DstPort != GenevePort || cfg.Csum {
				t.Errorf("g8: %q port %d csum %v", got, cfg.DstPort, cfg.Csum)
			}
		case "g9":
			if got := cfg.Summary(); got != "key=16, remote_ip=1.1.1.2" {
				t.Errorf("g9: %q", got)
			}
		case "g5":
			if got := cfg.Summary(); got != "key=99999999, remote_ip=1.1.1.1" || cfg.TOS != 0 {
				t.Errorf("g5: %q tos %d", got, cfg.TOS)
			}
		case "g4":
			if cfg.LocalIP.IsValid() {
				t.Error("g4: bad local_ip kept")
			}
		}
	}
}

func TestParseConfigValues(t *testing.T) {
	cfg, warns, err := ParseConfig("t", TypeVXLAN, map[string]string{"remote_ip": "10.0.0.2", "local_ip": "10.0.0.1",
		"in_key": "5", "out_key": "flow", "dst_port": "8472", "csum": "true", "tos": "inherit", "ttl": "inherit", "df_default": "false"})
	if err != nil || len(warns) != 0 {
		t.Fatal(err, warns)
	}
	want := Config{Type: TypeVXLAN, RemoteIP: netip.MustParseAddr("10.0.0.2"), LocalIP: netip.MustParseAddr("10.0.0.1"),
		InKey: 5, InKeyPresent: true, OutKeyFlow: true, OutKeyPresent: true, DstPort: 8472, Csum: true,
		TOSInherit: true, TTLInherit: true, TTL: DefaultTTL}
	if cfg != want {
		t.Fatalf("got %+v\nwant %+v", cfg, want)
	}
	if _, _, err := ParseConfig("t", TypeGeneve, map[string]string{"remote_ip": "1.1.1.1", "exts": "gbp"}); err == nil ||
		!strings.Contains(err.Error(), "not supported by govs") {
		t.Fatalf("exts: %v", err)
	}
	for _, typ := range []string{"gre", "stt", "erspan"} {
		if _, tun, err := ParseType("x", typ); !tun || err == nil || !strings.Contains(err.Error(), "not supported by govs") {
			t.Errorf("%s: %v %v", typ, tun, err)
		}
	}
	if _, tun, err := ParseType("x", "internal"); tun || err != nil {
		t.Error("internal is not a tunnel")
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add("remote_ip", "10.0.0.1", "key", "flow")
	f.Add("remote_ip", "flow", "local_ip", "flow")
	f.Add("tos", "0x10", "ttl", "-5")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		cfg, _, err := ParseConfig("f", TypeGeneve, map[string]string{k1: v1, k2: v2})
		if err == nil && !cfg.RemoteFlow && !cfg.RemoteIP.Is4() {
			t.Fatalf("accepted without a remote: %+v", cfg)
		}
		_ = cfg.Summary()
	})
}
