package flowtable

import (
	"net/netip"
	"testing"
)

// TestAppendIPv6MatchesGlibc compares with glibc inet_ntop (recorded with
// Python's socket.inet_ntop on this host).
func TestAppendIPv6MatchesGlibc(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2001:db8::1", "2001:db8::1"},
		{"fe80::1:2:3:4", "fe80::1:2:3:4"},
		{"::", "::"},
		{"::1", "::1"},
		{"::2", "::2"},
		{"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"::1.2.3.4", "::1.2.3.4"},
		{"1::", "1::"},
		{"1:0:0:1:0:0:0:1", "1:0:0:1::1"},
		{"0:0:0:0:0:1:0:0", "::1:0:0"},
		{"ffff::", "ffff::"},
		{"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
		{"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"},
		{"::ffff:0:0", "::ffff:0.0.0.0"},
		{"0:0:1::", "0:0:1::"},
	}
	for _, tc := range tests {
		a := netip.MustParseAddr(tc.in).As16()
		if got := string(AppendIPv6(nil, a)); got != tc.want {
			t.Errorf("%s: got %q want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseIPv4Masked(t *testing.T) {
	tests := []struct {
		in         string
		ip, mask   uint32
		err        string
		formatBack string
	}{
		{in: "10.0.0.1", ip: 0x0a000001, mask: 0xffffffff, formatBack: "10.0.0.1"},
		{in: "10.0.0.0/8", ip: 0x0a000000, mask: 0xff000000, formatBack: "10.0.0.0/8"},
		{in: "10.0.0.0/255.0.255.0", ip: 0x0a000000, mask: 0xff00ff00, formatBack: "10.0.0.0/255.0.255.0"},
		{in: "0.0.0.0/0", mask: 0, formatBack: "0.0.0.0/0"},
		{in: "1.2.3.4/33", err: "1.2.3.4/33: IPv4 network prefix bits not between 0 and 32, inclusive"},
		{in: "1.2.3", err: "1.2.3: invalid IP address"},
		{in: "1.2.3.4x", err: "1.2.3.4x: invalid IP address"},
		{in: "", err: ": invalid IP address"},
	}
	for _, tc := range tests {
		ip, mask, err := ParseIPv4Masked(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: err %v want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || ip != tc.ip || mask != tc.mask {
			t.Errorf("%q: got %#x/%#x %v", tc.in, ip, mask, err)
		}
		if got := string(appendIPv4Masked(nil, ip, mask)); got != tc.formatBack {
			t.Errorf("%q: formats as %q", tc.in, got)
		}
	}
}

func TestParseMAC(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: "00:11:22:33:44:55", want: "00:11:22:33:44:55"},
		{in: "0:1:2:3:4:5", want: "00:01:02:03:04:05"},
		{in: "00:11:22:33:44", err: "00:11:22:33:44: invalid Ethernet address"},
		{in: "00:11:22:33:44:55/ff:ff:ff:00:00:00", want: "00:11:22:33:44:55/ff:ff:ff:00:00:00"},
		{in: "zz:11:22:33:44:55", err: "zz:11:22:33:44:55: invalid Ethernet address"},
	}
	for _, tc := range tests {
		v, m, err := parseMACMasked(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q: err %v", tc.in, err)
			}
			continue
		}
		got := string(AppendMAC(nil, v))
		if m != [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff} {
			got += "/" + string(AppendMAC(nil, m))
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %q %v", tc.in, got, err)
		}
	}
}

func TestParsePort(t *testing.T) {
	pm := &PortMap{Number: func(n string) (PortNo, bool) {
		if n == "p1" || n == "with space" {
			return 11, true
		}
		return 0, false
	}}
	tests := []struct {
		in   string
		want PortNo
		ok   bool
	}{
		{"1", 1, true}, {"65279", 65279, true}, {"65280", 65280, true}, {"65534", PortLocal, true},
		{"65535", PortNone, true}, {"65536", 0, false}, {"4294967294", PortLocal, true},
		{"4294967040", PortMax, true}, {"-1", 0, false}, {"0x10", 0, false},
		{"local", PortLocal, true}, {"IN_PORT", PortInPort, true}, {"none", PortNone, true},
		{"ANY", PortNone, true}, {"Controller", PortController, true}, {"UNSET", PortUnset, true},
		{"p1", 11, true}, {`"with space"`, 11, true}, {"p2", 0, false}, {`"p1`, 0, false},
	}
	for _, tc := range tests {
		got, ok := ParsePort(tc.in, pm)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %d,%v want %d,%v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestProtocolsString(t *testing.T) {
	tests := []struct {
		p    Protocols
		want string
	}{
		{ProtoAny, "any"},
		{ProtoNXMOXMAny, "NXM,OXM"},
		{ProtoNXMOF11Up, "NXM,OXM,OpenFlow11"},
		{ProtoOF10Any, "OpenFlow10,NXM"},
		{ProtoOF12Up, "OXM"},
		{ProtoOF13Up, "OXM-OpenFlow13,OXM-OpenFlow14,OXM-OpenFlow15"},
		{ProtoTID, "OXM,OpenFlow10+table_id,NXM+table_id,OpenFlow11"},
		{0, "none"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#x: got %q want %q", uint32(tc.p), got, tc.want)
		}
	}
}

func TestCStrtoull(t *testing.T) {
	tests := []struct {
		in   string
		v    uint64
		n    int
		fail bool
	}{
		{in: "10", v: 10, n: 2}, {in: "0x1f", v: 31, n: 4}, {in: "010", v: 8, n: 3},
		{in: "0x", v: 0, n: 1}, {in: " 7", v: 7, n: 2}, {in: "-1", v: ^uint64(0), n: 2},
		{in: "abc", fail: true}, {in: "", fail: true}, {in: "18446744073709551616", fail: true},
	}
	for _, tc := range tests {
		v, n, err := cStrtoull(tc.in, 0)
		if tc.fail != (err != nil) || (!tc.fail && (v != tc.v || n != tc.n)) {
			t.Errorf("%q: got %d,%d,%v", tc.in, v, n, err)
		}
	}
}

func FuzzParseFieldValue(f *testing.F) {
	for _, s := range []string{"1", "0x5/0xff", "10.0.0.0/8", "::1/64", "00:11:22:33:44:55/ff:00:00:00:00:00",
		"LOCAL", "first", "+syn-ack", "syn|ack", "0x12/0x3f", "*", "", "0x", "1/", "fe80::/ffff::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fd := range Fields() {
			var m Match
			v, mk, err := ParseFieldValue(fd, s, nil)
			if err != nil {
				continue
			}
			fd.Set(&m, v, mk)
			// The Key & Mask invariant must hold after any set.
			for i := range m.Key.W {
				if m.Key.W[i]&^m.Mask.W[i] != 0 {
					t.Fatalf("%s=%q: key bits outside mask in word %d", fd.Name, s, i)
				}
			}
			_ = AppendMatch(nil, &m, DefaultPriority, nil)
		}
	})
}
