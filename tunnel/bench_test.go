package tunnel

import (
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

// BenchmarkEncapDecap measures one Geneve encapsulation and decapsulation
// of a 64-byte inner frame through the Table (Push, Pop), the per-packet
// work the datapath does around the underlay sockets.
func BenchmarkEncapDecap(b *testing.B) {
	for _, csum := range []bool{false, true} {
		name := "nocsum"
		if csum {
			name = "csum"
		}
		b.Run(name, func(b *testing.B) {
			tbl := NewTable(TableConfig{Bridge: "br", Datapath: nopDP{},
				Open: func(Type, uint16) (ports.Port, error) { return NewPort("u", nil), nil }})
			cfg, _, _ := ParseConfig("t0", TypeGeneve, map[string]string{"remote_ip": "0.0.0.1", "key": "7"})
			if err := tbl.AddTunnel(1, "t0", cfg); err != nil {
				b.Fatal(err)
			}
			ti, _ := tbl.Tunnel(1)
			h := Header{Type: TypeGeneve, Src: 1, Dst: 2, DstPort: 6081, VNI: 7, TTL: 64, DF: true, Csum: csum}
			data, _ := tbl.Intern(&h)
			inner := innerFrame(b, 64-42)
			p := packetOf(inner)
			var tun flow.Key
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				p.Off, p.Len = ports.Headroom, len(inner)
				if !tbl.Push(p, 1, data) || !tbl.Pop(p, ti.Underlay, &tun) {
					b.Fatal("push/pop")
				}
			}
		})
	}
}
