package xlate

import (
	"net/netip"
	"strings"
	"testing"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/tables"
	"govs/ports"
	"govs/ports/memport"
	"govs/tunnel"
)

// tunnelHost is one bridge with an endpoint port p1 (1), a tunnel port t0
// (2) and a memport as its underlay: what one host writes to its
// underlay is what the other host's underlay port reads (outer
// Ethernet/IPv4/UDP + tunnel header), so two hosts are joined by moving
// frames between them.
type tunnelHost struct {
	br       *bridge.Bridge
	p        *Pipeline
	tbl      *tunnel.Table
	ep, ul   *memport.Port
	underlay flow.PortNo
}

func newTunnelHost(t *testing.T, local, remote string, typ tunnel.Type, opts map[string]string, flows ...string) *tunnelHost {
	t.Helper()
	br, err := bridge.New(bridge.Config{Name: "br-int", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { br.Close() })
	h := &tunnelHost{br: br}
	tb := tables.New(tables.Config{})
	if len(flows) == 0 {
		tb.AddDefaultNormal()
	}
	for _, f := range flows {
		addFlow(t, tb, f)
	}
	h.p = New(Config{Bridge: "br-int", Tables: tb, Datapath: br.Datapath()})
	src := netip.MustParseAddr(local).As4()
	h.tbl = tunnel.NewTable(tunnel.TableConfig{Bridge: "br-int", Datapath: br.Datapath(),
		Open: func(ty tunnel.Type, port uint16) (ports.Port, error) {
			m, err := memport.New(ty.SysName(port), rigPortCap)
			h.ul = m
			return m, err
		},
		Route: func(uint32) (uint32, error) {
			return uint32(src[0])<<24 | uint32(src[1])<<16 | uint32(src[2])<<8 | uint32(src[3]), nil
		}})
	t.Cleanup(h.tbl.Close)
	br.Datapath().SetTunnelHook(h.tbl)
	h.p.SetTunnels(h.tbl)
	br.SetPipeline(h.p)
	if h.ep, err = memport.New("p1", rigPortCap); err != nil {
		t.Fatal(err)
	}
	if err := br.AddPort(port(t, 1, "p1", 0), h.ep); err != nil {
		t.Fatal(err)
	}
	o := map[string]string{"remote_ip": remote}
	for k, v := range opts {
		o[k] = v
	}
	cfg, _, err := tunnel.ParseConfig("t0", typ, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.tbl.AddTunnel(2, "t0", cfg); err != nil {
		t.Fatal(err)
	}
	info := port(t, 2, "t0", 0)
	info.Type = typ.String()
	if err := br.AddPort(info, tunnel.NewPort("t0", func() ports.Stats { return h.tbl.PortStats(2) })); err != nil {
		t.Fatal(err)
	}
	ti, _ := h.tbl.Tunnel(2)
	h.underlay = ti.Underlay
	return h
}

func (h *tunnelHost) inject(in flow.PortNo, frames ...[]byte) {
	b := ports.NewBatch()
	for i, f := range frames {
		copy(b.Bufs[i][b.Off[i]:], f)
		b.Len[i] = len(f)
	}
	b.N = len(frames)
	h.br.Datapath().Worker(0).ProcessBatch(in, b)
}

// carry moves what a wrote on its underlay to b's underlay input.
func carry(a, b *tunnelHost) int {
	fs := a.ul.DrainFrames()
	if len(fs) > 0 {
		b.inject(b.underlay, fs...)
	}
	return len(fs)
}

func TestTunnelBetweenBridges(t *testing.T) {
	for _, typ := range []tunnel.Type{tunnel.TypeGeneve, tunnel.TypeVXLAN} {
		t.Run(typ.String(), func(t *testing.T) {
			a := newTunnelHost(t, "10.1.1.41", "10.1.1.42", typ, map[string]string{"key": "7"})
			b := newTunnelHost(t, "10.1.1.42", "10.1.1.41", typ, map[string]string{"key": "7"})
			req := udpFrame(1, 2, 53)
			a.inject(1, req)
			if n := carry(a, b); n != 1 {
				t.Fatalf("A sent %d frames on its underlay", n)
			}
			got := b.ep.DrainFrames()
			if len(got) != 1 || string(got[0]) != string(req) {
				t.Fatalf("B's endpoint got %d frames", len(got))
			}
			// B learned 00..01 on t0: the reply is unicast back.
			b.inject(1, udpFrame(2, 1, 53))
			if n := carry(b, a); n != 1 {
				t.Fatalf("B sent %d frames", n)
			}
			if got := a.ep.DrainFrames(); len(got) != 1 {
				t.Fatalf("A's endpoint got %d frames", len(got))
			}
			var sb strings.Builder
			if err := a.br.Datapath().DumpFlows(&sb, nil); err != nil {
				t.Fatal(err)
			}
			flows := sb.String()
			want := "tnl_push(tnl_port(2),header(size=50,type=5,eth(dst=00:00:00:00:00:00,src=00:00:00:00:00:00,dl_type=0x0800),ipv4(src=10.1.1.41,dst=10.1.1.42,proto=17,tos=0,ttl=64,frag=0x4000),udp(src=0,dst=6081,csum=0x0),geneve(vni=0x7)),out_port(65296))"
			if typ == tunnel.TypeVXLAN {
				want = "udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x7)),out_port(65296))"
			}
			if !strings.Contains(flows, want) || !strings.Contains(flows, "actions:tnl_pop(65296)") ||
				!strings.Contains(flows, "tunnel(tun_id=0x7,src=10.1.1.42,dst=10.1.1.41") {
				t.Fatalf("dump-flows:\n%s", flows)
			}
			if st := a.tbl.Stats(); st.Encap != 1 || st.Decap != 1 {
				t.Fatalf("A's tunnel counters %+v", st)
			}
			if ps, _ := a.br.Port(2); ps.Stats().TxPackets != 1 || ps.Stats().RxPackets != 1 ||
				ps.Stats().TxBytes != uint64(len(req)) {
				t.Fatalf("t0 stats %+v", ps.Stats())
			}
		})
	}
}

func TestTunnelKeyIsolation(t *testing.T) {
	a := newTunnelHost(t, "10.1.1.41", "10.1.1.42", tunnel.TypeGeneve, map[string]string{"key": "1"})
	b := newTunnelHost(t, "10.1.1.42", "10.1.1.41", tunnel.TypeGeneve, map[string]string{"key": "2"})
	a.inject(1, udpFrame(1, 2, 53))
	carry(a, b)
	if got := b.ep.DrainFrames(); len(got) != 0 {
		t.Fatal("key 1 reached a key 2 port")
	}
	if b.p.Stats().TunnelDrops != 1 {
		t.Fatalf("tunnel drops %d", b.p.Stats().TunnelDrops)
	}
	// A packet from an unknown remote is not mapped either.
	c := newTunnelHost(t, "10.1.1.43", "10.1.1.41", tunnel.TypeGeneve, map[string]string{"key": "2"})
	c.inject(1, udpFrame(3, 2, 53))
	carry(c, b)
	if got := b.ep.DrainFrames(); len(got) != 0 {
		t.Fatal("a packet from 10.1.1.43 reached a remote_ip=10.1.1.41 port")
	}
}

// TestTunnelFlowBased: key=flow and remote_ip=flow ports take tun_id and
// tun_dst from the flow (set_field), un-wildcard them, and tun_id/tun_src
// are matchable on receive.
func TestTunnelFlowBased(t *testing.T) {
	a := newTunnelHost(t, "10.1.1.41", "flow", tunnel.TypeGeneve, map[string]string{"key": "flow", "csum": "true"},
		"in_port=1,actions=set_field:0x99->tun_id,set_field:10.1.1.42->tun_dst,output:2",
		"in_port=2,tun_id=0x99,tun_src=10.1.1.42,actions=output:1")
	b := newTunnelHost(t, "10.1.1.42", "10.1.1.41", tunnel.TypeGeneve, map[string]string{"key": "0x99"})
	k := ipKey(1, 1, 2, 17, 64)
	var mask flow.Key
	var da datapath.Actions
	if _, err := a.p.UpcallCookie(&k, &mask, &da, 0); err != nil {
		t.Fatal(err)
	}
	acts := string(datapath.AppendActionsTunnel(nil, da, nil, a.tbl))
	if !strings.HasPrefix(acts, "tnl_push(tnl_port(2),header(") || !strings.Contains(acts, "csum=0xffff),geneve(vni=0x99)),out_port(65296))") {
		t.Fatalf("actions %s", acts)
	}
	if mask.TunID() != ^uint64(0) || mask.TunDst() != ^uint32(0) {
		t.Fatalf("tunnel fields not un-wildcarded: %x", mask.W[13:15])
	}
	a.inject(1, udpFrame(1, 2, 53))
	carry(a, b)
	if got := b.ep.DrainFrames(); len(got) != 1 {
		t.Fatalf("B got %d frames", len(got))
	}
	b.inject(1, udpFrame(2, 1, 53))
	carry(b, a)
	if got := a.ep.DrainFrames(); len(got) != 1 {
		t.Fatalf("A got %d frames (tun_id/tun_src match)", len(got))
	}
	// remote_ip=flow without tun_dst: dropped and counted.
	addFlow(t, a.p.Tables(), "priority=40000,in_port=1,actions=output:2")
	if acts, _ := translate(t, a.p, k); acts != "drop" || a.p.Stats().TunnelDrops == 0 {
		t.Fatalf("no tun_dst: %s", acts)
	}
}

// TestTunnelFindPriority follows OVS tnl_find: exact key before key=flow,
// exact remote_ip before remote_ip=flow.
func TestTunnelFindPriority(t *testing.T) {
	tbl := tunnel.NewTable(tunnel.TableConfig{Datapath: nopDP{}, Open: func(tunnel.Type, uint16) (ports.Port, error) {
		return memport.New("u", 8)
	}})
	defer tbl.Close()
	add := func(no flow.PortNo, o map[string]string) {
		cfg, _, err := tunnel.ParseConfig("x", tunnel.TypeGeneve, o)
		if err != nil {
			t.Fatal(err)
		}
		if err := tbl.AddTunnel(no, "x", cfg); err != nil {
			t.Fatal(err)
		}
	}
	add(1, map[string]string{"remote_ip": "flow", "key": "flow"})
	add(2, map[string]string{"remote_ip": "10.0.0.2", "key": "flow"})
	add(3, map[string]string{"remote_ip": "flow", "key": "5"})
	add(4, map[string]string{"remote_ip": "10.0.0.2", "key": "5"})
	ti, _ := tbl.Tunnel(1)
	find := func(id uint64, src string) flow.PortNo {
		var k, wc flow.Key
		k.SetInPort(ti.Underlay)
		k.SetTunID(id)
		a := netip.MustParseAddr(src).As4()
		k.SetTunSrc(uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]))
		no, _ := tbl.Find(&k, &wc)
		return no
	}
	for _, tc := range []struct {
		id   uint64
		src  string
		want flow.PortNo
	}{{5, "10.0.0.2", 4}, {5, "10.0.0.9", 3}, {6, "10.0.0.2", 2}, {6, "10.0.0.9", 1}} {
		if got := find(tc.id, tc.src); got != tc.want {
			t.Errorf("key %d from %s: port %d, want %d", tc.id, tc.src, got, tc.want)
		}
	}
	tbl.RemoveTunnel(1)
	if got := find(6, "10.0.0.9"); got != 0 {
		t.Errorf("removed port still found: %d", got)
	}
}

type nopDP struct{}

func (nopDP) AddPort(flow.PortNo, ports.Port) error { return nil }
func (nopDP) RemovePort(flow.PortNo) error          { return nil }

// TestTunnelOAMFlag: tun_flags=+oam set by load on one side becomes the
// Geneve O bit and is matched by tun_flags on the other side.
func TestTunnelOAMFlag(t *testing.T) {
	a := newTunnelHost(t, "10.1.1.41", "10.1.1.42", tunnel.TypeGeneve, map[string]string{"key": "1"},
		"in_port=1,udp,tp_dst=53,actions=load:1->NXM_NX_TUN_FLAGS[],output:2",
		"in_port=1,udp,tp_dst=54,actions=output:2")
	b := newTunnelHost(t, "10.1.1.42", "10.1.1.41", tunnel.TypeGeneve, map[string]string{"key": "1"},
		"in_port=2,tun_flags=+oam,actions=output:1",
		"in_port=2,tun_flags=-oam,actions=drop")
	a.inject(1, udpFrame(1, 2, 53))
	frames := a.ul.DrainFrames()
	if len(frames) != 1 || !tunnel.Geneve(frames[0][tunnel.OuterLen:]).OAM() {
		t.Fatalf("no Geneve O bit in %d frames", len(frames))
	}
	b.inject(b.underlay, frames...)
	if got := b.ep.DrainFrames(); len(got) != 1 {
		t.Fatalf("tun_flags=+oam: B got %d frames", len(got))
	}
	a.inject(1, udpFrame(1, 2, 54))
	carry(a, b)
	if got := b.ep.DrainFrames(); len(got) != 0 {
		t.Fatalf("tun_flags=-oam: B got %d frames", len(got))
	}
}
