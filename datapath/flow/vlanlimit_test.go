package flow

import (
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestExtractVLANLimit checks OVS's parse_vlan with flow_vlan_limit: tags
// beyond the limit stay in the payload and eth_type is the next TPID.
func TestExtractVLANLimit(t *testing.T) {
	qinq := func(t testing.TB) []byte {
		return build(t, eth(layers.EthernetTypeQinQ),
			&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 0, Priority: 3, Type: layers.EthernetTypeIPv4},
			ipv4(layers.IPProtocolUDP), udpL(1, 2), payload)
	}
	outerOnly := func() Key {
		k := l2(0x8100) // the inner TPID: the inner tag is payload
		k.SetVLAN(0, 0x88a8, VLANCFI|100)
		return k
	}
	both := func() Key {
		k := l2(0x0800)
		k.SetVLAN(0, 0x88a8, VLANCFI|100)
		k.SetVLAN(1, 0x8100, 3<<13|VLANCFI)
		nw(&k, 17, 0x2e, 64, 0)
		v4(&k)
		tp(&k, 1, 2, 0)
		return k
	}
	single := func() Key {
		k := l2(0x0800)
		k.SetVLAN(0, 0x8100, 5<<13|VLANCFI|10)
		nw(&k, 6, 0x2e, 64, 0)
		v4(&k)
		tp(&k, 1234, 80, TCPSyn|TCPAck)
		return k
	}
	cases := []struct {
		name  string
		limit int
		frame func(testing.TB) []byte
		lay   Layout
		key   func() Key
	}{
		{"qinq-limit-1", 1, qinq, lay(16, 18, -1, 1, 0), outerOnly},
		{"qinq-limit-2", 2, qinq, lay(20, 22, 42, 2, 17), both},
		{"qinq-limit-0-is-max", 0, qinq, lay(20, 22, 42, 2, 17), both},
		{"qinq-limit-9-is-max", 9, qinq, lay(20, 22, 42, 2, 17), both},
		{"single-tag-limit-1", 1, frameVLANTCP, lay(16, 18, 38, 1, 6), single},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.frame(t)
			var k Key
			var l Layout
			if !ExtractVLANs(f, testPort, tc.limit, &k, &l) {
				t.Error("ExtractVLANs returned false")
			}
			if want := tc.key(); k != want {
				t.Errorf("key mismatch\n got %s\nwant %s", k.String(), want.String())
			}
			if l != tc.lay {
				t.Errorf("layout = %+v, want %+v", l, tc.lay)
			}
			if n := testing.AllocsPerRun(100, func() { ExtractVLANs(f, testPort, tc.limit, &k, &l) }); n != 0 {
				t.Errorf("%v allocs per ExtractVLANs, want 0", n)
			}
		})
	}
}

func TestVLANLimit(t *testing.T) {
	for _, c := range []struct{ in, want int }{{-1, MaxVLANs}, {0, MaxVLANs}, {1, 1}, {2, 2}, {3, MaxVLANs}} {
		if got := VLANLimit(c.in); got != c.want {
			t.Errorf("VLANLimit(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}
