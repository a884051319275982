package xlate

import (
	"strings"
	"testing"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/tunnel"
	"govs/tunnel/tlv"
)

// addBoundFlow adds an OpenFlow 1.3 flow whose tun_metadata fields are
// laid out by p's TLV map, as the OpenFlow switch does.
func addBoundFlow(t *testing.T, p *Pipeline, s string) {
	t.Helper()
	fm, _, err := flowsyntax.ParseFlow(s, flowsyntax.CmdAdd, nil)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	if err := fm.Match.BindTunMetadata(p.TLV().Load()); err != nil {
		t.Fatalf("bind %q: %v", s, err)
	}
	if _, err := p.Tables().Apply(fm, ofpact.OF13); err != nil {
		t.Fatalf("add %q: %v", s, err)
	}
}

func mapOVN(t *testing.T, p *Pipeline) {
	t.Helper()
	err := p.TLV().Mod(tlv.CmdAdd, []tlv.Mapping{
		{Class: 0xffff, Type: 0x01, Len: 8, Index: 1}, // first, so tun_metadata0 is not at offset 0
		{Class: 0x0102, Type: 0x80, Len: 4, Index: 0},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
}

// TestTunnelGeneveOptions: node1 sets tun_metadata0 on output to the
// Geneve port; node2 forwards only packets whose option carries the
// value it matches, and drops the others.
func TestTunnelGeneveOptions(t *testing.T) {
	a := newTunnelHost(t, "10.1.1.41", "10.1.1.42", tunnel.TypeGeneve, map[string]string{"key": "5"}, "priority=0,actions=drop")
	b := newTunnelHost(t, "10.1.1.42", "10.1.1.41", tunnel.TypeGeneve, map[string]string{"key": "5"}, "priority=0,actions=drop")
	mapOVN(t, a.p)
	mapOVN(t, b.p)
	addBoundFlow(t, a.p, "in_port=1,udp,tp_dst=53,actions=set_field:0x0a0b0c0d->tun_metadata0,output:2")
	addBoundFlow(t, a.p, "in_port=1,udp,tp_dst=54,actions=set_field:0x0a0b0c0e->tun_metadata0,output:2")
	addBoundFlow(t, a.p, "in_port=1,udp,tp_dst=55,actions=output:2")
	addBoundFlow(t, b.p, "in_port=2,tun_metadata0=0x0a0b0c0d,actions=output:1")

	// Translation on node1: the option is in the tnl_push header text,
	// with the C bit (type 0x80), as OVS prints it.
	k := ipKey(1, 1, 2, 17, 64)
	k.SetTpDst(53)
	var mask flow.Key
	var da datapath.Actions
	if _, err := a.p.UpcallCookie(&k, &mask, &da, 0); err != nil {
		t.Fatal(err)
	}
	acts := string(datapath.AppendActionsTunnel(nil, da, nil, a.tbl))
	if !strings.Contains(acts, "geneve(crit,vni=0x5,options({class=0x102,type=0x80,len=4,0xa0b0c0d}))") || !strings.Contains(acts, "header(size=58,") {
		t.Fatalf("actions %s", acts)
	}

	a.inject(1, udpFrame(1, 2, 53))
	if n := carry(a, b); n != 1 {
		t.Fatalf("node1 sent %d frames", n)
	}
	if got := b.ep.DrainFrames(); len(got) != 1 {
		t.Fatalf("matching option: node2 delivered %d frames, want 1", len(got))
	}
	a.inject(1, udpFrame(1, 2, 54)) // another value
	carry(a, b)
	if got := b.ep.DrainFrames(); len(got) != 0 {
		t.Fatalf("non-matching option: node2 delivered %d frames", len(got))
	}
	a.inject(1, udpFrame(1, 2, 55)) // no option: tun_metadata0 absent
	carry(a, b)
	if got := b.ep.DrainFrames(); len(got) != 0 {
		t.Fatalf("no option: node2 delivered %d frames", len(got))
	}

	// Node2's decapsulated key: the option at the map's offset (4, after
	// tun_metadata1's 8 bytes... tun_metadata1 took offset 0) and the
	// presence bit; a flow matching it un-wildcards the slot.
	var in flow.Key
	in.SetInPort(b.underlay)
	in.SetFlags(flow.KeyFlagTunnel)
	in.SetTunID(5)
	in.SetTunSrc(0x0a01012a - 1) // 10.1.1.41
	in.SetTunDst(0x0a01012a)     // 10.1.1.42
	in.SetTunFlags(flow.TunFlagKey | flow.TunFlagGeneve | flow.TunFlagOptPresent<<2)
	var md [flow.TunMetadataLen]byte
	copy(md[8:], []byte{0x0a, 0x0b, 0x0c, 0x0d})
	in.SetTunMetadata(md)
	in.SetEthType(0x0800)
	var m2 flow.Key
	var da2 datapath.Actions
	if _, err := b.p.UpcallCookie(&in, &m2, &da2, 0); err != nil {
		t.Fatal(err)
	}
	if got := string(datapath.AppendActionsTunnel(nil, da2, nil, b.tbl)); got != "1" {
		t.Fatalf("node2 actions %q", got)
	}
	mmd := m2.TunMetadata()
	if m2.TunFlags()&(flow.TunFlagOptPresent<<2) == 0 || mmd[8] != 0xff || mmd[11] != 0xff {
		t.Fatalf("tun_metadata0 not un-wildcarded: flags %#x md %x", m2.TunFlags(), mmd)
	}

	// ofproto/trace shows the field in Flow and Megaflow, as OVS.
	tk := in
	tk.SetInPort(2)
	tr := b.p.Trace(&tk, nil)
	if !strings.Contains(tr, "Flow: ip,tun_id=0x5,tun_src=10.1.1.41,tun_dst=10.1.1.42,tun_flags=-oam,tun_metadata0=0xa0b0c0d,in_port=2,") ||
		!strings.Contains(tr, "Megaflow: recirc_id=0,eth,ip,tun_id=0x5,tun_src=10.1.1.41,tun_dst=10.1.1.42,tun_flags=-oam,tun_metadata0=0xa0b0c0d,in_port=2,") ||
		!strings.Contains(tr, "Datapath actions: 1") {
		t.Fatalf("trace:\n%s", tr)
	}

	// A critical option node2 does not map is dropped at decap.
	if err := b.p.TLV().Mod(tlv.CmdDelete, []tlv.Mapping{{Index: 0}}, nil); err != nil {
		t.Fatal(err)
	}
	before := b.tbl.Stats().DecapErrors[tunnel.DecapCriticalOption]
	a.inject(1, udpFrame(1, 2, 53))
	carry(a, b)
	if got := b.ep.DrainFrames(); len(got) != 0 || b.tbl.Stats().DecapErrors[tunnel.DecapCriticalOption] != before+1 {
		t.Fatalf("unknown critical option: delivered %d, critical drops %d", len(got), b.tbl.Stats().DecapErrors[tunnel.DecapCriticalOption])
	}
}
