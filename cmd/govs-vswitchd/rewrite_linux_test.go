package main

import (
	"bytes"
	"net"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// serialize builds a frame with lengths and checksums filled in.
func serialize(t *testing.T, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	var nl gopacket.NetworkLayer
	for _, l := range ls {
		if n, ok := l.(gopacket.NetworkLayer); ok {
			nl = n
		}
	}
	for _, l := range ls {
		switch l := l.(type) {
		case *layers.UDP:
			_ = l.SetNetworkLayerForChecksum(nl)
		case *layers.TCP:
			_ = l.SetNetworkLayerForChecksum(nl)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checksumsOK re-serializes a decoded frame with computed checksums and
// compares: the switch's incremental checksum updates must be exact.
func checksumsOK(t *testing.T, frame []byte) bool {
	t.Helper()
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	var ls []gopacket.SerializableLayer
	for _, l := range p.Layers() {
		if sl, ok := l.(gopacket.SerializableLayer); ok {
			ls = append(ls, sl)
		}
	}
	if pl := p.ApplicationLayer(); pl != nil {
		ls = append(ls[:len(ls)-1], gopacket.Payload(pl.Payload()))
	}
	return bytes.Equal(serialize(t, ls...), frame)
}

// TestRewriteTraffic sends UDP and TCP frames through real veths and
// flows with mod_dl_src, mod_nw_dst, mod_tp_dst/mod_tp_src, dec_ttl,
// resubmit and (OpenFlow 1.3) goto_table, and decodes what arrives on
// the other port with gopacket: every field rewritten, TTL decremented,
// checksums exact; a TTL-1 packet is dropped by dec_ttl.
func TestRewriteTraffic(t *testing.T) {
	l := newOFLab(t, "rw")
	l.mustOfctl(t, false, "del-flows", l.target)
	l.mustOfctl(t, false, "add-flow", l.target,
		"table=0,priority=10,in_port=1,udp,actions=mod_dl_src:02:00:00:00:aa:01,mod_nw_dst:10.95.0.99,mod_tp_dst:4321,dec_ttl,resubmit(,1)")
	l.mustOfctl(t, false, "add-flow", l.target, "table=1,priority=5,udp,nw_dst=10.95.0.99,actions=output:2")
	l.mustOfctl(t, false, "-O", "OpenFlow13", "add-flow", l.target,
		"table=0,priority=10,in_port=1,tcp,actions=mod_tp_src:1111,goto_table:2")
	l.mustOfctl(t, false, "-O", "OpenFlow13", "add-flow", l.target, "table=2,priority=5,tcp,actions=dec_ttl,output:2")

	eth := func() *layers.Ethernet {
		return &layers.Ethernet{SrcMAC: mustMAC("02:00:00:00:73:01"), DstMAC: mustMAC("02:00:00:00:73:02"), EthernetType: layers.EthernetTypeIPv4}
	}
	ip := func(proto layers.IPProtocol, ttl uint8) *layers.IPv4 {
		return &layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Protocol: proto, SrcIP: net.IPv4(10, 95, 0, 1).To4(), DstIP: net.IPv4(10, 95, 0, 2).To4()}
	}
	tests := []struct {
		name  string
		frame []byte
		check func(t *testing.T, p gopacket.Packet)
		drop  bool
	}{
		{name: "udp: mod_dl_src, mod_nw_dst, mod_tp_dst, dec_ttl, resubmit",
			frame: serialize(t, eth(), ip(layers.IPProtocolUDP, 64), &layers.UDP{SrcPort: 5000, DstPort: 6000}, gopacket.Payload("govs-rewrite-udp")),
			check: func(t *testing.T, p gopacket.Packet) {
				e := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
				i := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
				u := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
				if e.SrcMAC.String() != "02:00:00:00:aa:01" || e.DstMAC.String() != "02:00:00:00:73:02" ||
					!i.DstIP.Equal(net.IPv4(10, 95, 0, 99)) || !i.SrcIP.Equal(net.IPv4(10, 95, 0, 1)) ||
					i.TTL != 63 || u.DstPort != 4321 || u.SrcPort != 5000 {
					t.Fatalf("rewritten frame: eth %v>%v ip %v>%v ttl %d udp %d>%d", e.SrcMAC, e.DstMAC, i.SrcIP, i.DstIP, i.TTL, u.SrcPort, u.DstPort)
				}
			}},
		{name: "tcp: mod_tp_src, goto_table, dec_ttl",
			frame: serialize(t, eth(), ip(layers.IPProtocolTCP, 9), &layers.TCP{SrcPort: 7000, DstPort: 80, Seq: 1, SYN: true, Window: 1000}, gopacket.Payload("govs-rewrite-tcp")),
			check: func(t *testing.T, p gopacket.Packet) {
				i := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
				c := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
				if i.TTL != 8 || c.SrcPort != 1111 || c.DstPort != 80 || !i.DstIP.Equal(net.IPv4(10, 95, 0, 2)) {
					t.Fatalf("rewritten frame: ttl %d tcp %d>%d ip dst %v", i.TTL, c.SrcPort, c.DstPort, i.DstIP)
				}
			}},
		{name: "udp with TTL 1: dec_ttl drops",
			frame: serialize(t, eth(), ip(layers.IPProtocolUDP, 1), &layers.UDP{SrcPort: 5001, DstPort: 6000}, gopacket.Payload("govs-rewrite-ttl1")),
			drop:  true},
	}
	bad := append([]byte(nil), tests[0].frame...)
	bad[len(bad)-1] ^= 1
	if checksumsOK(t, bad) || !checksumsOK(t, tests[0].frame) {
		t.Fatal("the checksum check does not tell a corrupted frame from a good one")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := tt.frame[len(tt.frame)-len("govs-rewrite-udp"):]
			l.cap1.send(t, tt.frame)
			timeout := frameTimeout
			if tt.drop {
				timeout = absentTimeout
			}
			got, ok := l.cap2.waitFrame(timeout, hasPayload(payload))
			if tt.drop {
				if ok {
					t.Fatalf("frame forwarded: % x", got)
				}
				return
			}
			if !ok {
				t.Fatal("frame not seen on port 2's peer")
			}
			tt.check(t, gopacket.NewPacket(got, layers.LayerTypeEthernet, gopacket.Default))
			if !checksumsOK(t, got) {
				t.Fatalf("checksums are not exact: % x", got)
			}
		})
	}
}
