package normal

import (
	"testing"

	"govs/datapath/flow"
	"govs/datapath/header"
	"govs/ofproto/maclearn"
)

// TestVLANModeMatrix covers input mode × output mode × input tagging
// with a two-port bridge and a broadcast destination. Expectations
// follow OVS 3.1 (and are checked against a real ovs-vswitchd in
// TestDifferentialOVS).
func TestVLANModeMatrix(t *testing.T) {
	type input struct {
		name     string
		vid, pcp int
	}
	inputs := []input{{"untagged", -1, 0}, {"vlan10", 10, 0}, {"vlan20", 20, 0}, {"prio5", 0, 5}}
	modes := map[string]func(flow.PortNo) PortConfig{
		"access10": func(n flow.PortNo) PortConfig { return access(n, 10) },
		"trunk":    func(n flow.PortNo) PortConfig { return trunk(n) },
		"ntagged":  func(n flow.PortNo) PortConfig { return native(n, NativeTagged, 10) },
		"nuntag":   func(n flow.PortNo) PortConfig { return native(n, NativeUntagged, 10) },
	}
	// want[inMode][input][outMode]: "drop" (input VLAN refused), "-"
	// (not output), or the output's VLAN ops.
	want := map[string]map[string]map[string]string{
		"access10": {
			"untagged": {"access10": "=", "trunk": "push(10,0)", "ntagged": "push(10,0)", "nuntag": "="},
			"vlan10":   {"access10": "drop", "trunk": "drop", "ntagged": "drop", "nuntag": "drop"},
			"vlan20":   {"access10": "drop", "trunk": "drop", "ntagged": "drop", "nuntag": "drop"},
			"prio5":    {"access10": "pop", "trunk": "pop,push(10,5)", "ntagged": "pop,push(10,5)", "nuntag": "pop"},
		},
		"trunk": {
			"untagged": {"access10": "-", "trunk": "=", "ntagged": "-", "nuntag": "-"},
			"vlan10":   {"access10": "pop", "trunk": "=", "ntagged": "=", "nuntag": "pop"},
			"vlan20":   {"access10": "-", "trunk": "=", "ntagged": "=", "nuntag": "="},
			"prio5":    {"access10": "-", "trunk": "=", "ntagged": "-", "nuntag": "-"},
		},
		"ntagged": {
			"untagged": {"access10": "=", "trunk": "push(10,0)", "ntagged": "push(10,0)", "nuntag": "="},
			"vlan10":   {"access10": "pop", "trunk": "=", "ntagged": "=", "nuntag": "pop"},
			"vlan20":   {"access10": "-", "trunk": "=", "ntagged": "=", "nuntag": "="},
			"prio5":    {"access10": "pop", "trunk": "pop,push(10,5)", "ntagged": "pop,push(10,5)", "nuntag": "pop"},
		},
	}
	want["nuntag"] = want["ntagged"]
	wantVLAN := map[string]map[string]int{
		"access10": {"untagged": 10, "prio5": 10},
		"trunk":    {"untagged": 0, "vlan10": 10, "vlan20": 20, "prio5": 0},
		"ntagged":  {"untagged": 10, "vlan10": 10, "vlan20": 20, "prio5": 10},
	}
	wantVLAN["nuntag"] = wantVLAN["ntagged"]
	for inName, inMode := range modes {
		for _, inp := range inputs {
			for outName, outMode := range modes {
				t.Run(inName+"/"+inp.name+"/"+outName, func(t *testing.T) {
					ports := []PortConfig{inMode(1), outMode(2)}
					mt, _ := newMAC()
					d := decide(t, ports, 1, pkt(1, macA, bcast, inp.vid, inp.pcp), mt, Options{Learn: true})
					w := want[inName][inp.name][outName]
					got := outs(&d)
					switch w {
					case "drop":
						if d.VLANOK || len(d.Outputs) != 0 || d.Learn || mt.Len() != 0 {
							t.Fatalf("not dropped: %+v", d)
						}
						if d.Drop != DropAccessTagged && d.Drop != DropVLANNotTrunked {
							t.Fatalf("drop reason %v", d.Drop)
						}
						return
					case "-":
						if got != "" {
							t.Fatalf("outputs %q, want none", got)
						}
					default:
						if got != "2:"+w {
							t.Fatalf("outputs %q, want %q", got, "2:"+w)
						}
					}
					if !d.VLANOK || int(d.InVLAN) != wantVLAN[inName][inp.name] {
						t.Fatalf("in VLAN %d ok=%v", d.InVLAN, d.VLANOK)
					}
					if !d.Flood || !d.Learn || !d.Learned {
						t.Fatalf("flood/learn flags %+v", d)
					}
					if p, ok := mt.Lookup(d.InVLAN, macA); !ok || p != 1 {
						t.Fatalf("source not learned in VLAN %d", d.InVLAN)
					}
				})
			}
		}
	}
}

func TestDropReasons(t *testing.T) {
	ports := []PortConfig{access(1, 10), trunk(2, 10, 20), native(3, NativeUntagged, 20, 10, 20), access(4, 20)}
	partial := pkt(2, macA, bcast, -1, 0)
	partial.SetEthType(header.EtherTypeVLAN)
	tests := []struct {
		name   string
		in     flow.PortNo
		key    *flow.Key
		opt    Options
		drop   DropReason
		reason string
	}{
		{"access tagged", 1, pkt(1, macA, bcast, 5, 0), Options{}, DropAccessTagged,
			"dropping VLAN 5 tagged packet received on port p1 configured as VLAN 10 access port"},
		{"access own tag", 1, pkt(1, macA, bcast, 10, 0), Options{}, DropAccessTagged,
			"dropping VLAN 10 tagged packet received on port p1 configured as VLAN 10 access port"},
		{"trunk untagged", 2, pkt(2, macA, bcast, -1, 0), Options{}, DropVLANNotTrunked,
			"dropping VLAN 0 packet received on port p2 not configured for trunking VLAN 0"},
		{"trunk other", 2, pkt(2, macA, bcast, 30, 0), Options{}, DropVLANNotTrunked,
			"dropping VLAN 30 packet received on port p2 not configured for trunking VLAN 30"},
		{"native other", 3, pkt(3, macA, bcast, 30, 0), Options{}, DropVLANNotTrunked,
			"dropping VLAN 30 packet received on port p3 not configured for trunking VLAN 30"},
		{"partial tag", 2, partial, Options{}, DropPartialVLAN,
			"dropping packet with partial VLAN tag received on port p2"},
		{"no input", 9, pkt(9, macA, bcast, -1, 0), Options{}, DropNoInputPort, "no input bundle, dropping"},
		{"stp", 4, pkt(4, macA, maclearn.MAC{0x01, 0x80, 0xc2, 0, 0, 0}, -1, 0), Options{}, DropReservedMAC,
			"packet has reserved destination MAC, dropping"},
		{"lldp", 4, pkt(4, macA, maclearn.MAC{0x01, 0x80, 0xc2, 0, 0, 0x0e}, -1, 0), Options{}, DropReservedMAC,
			"packet has reserved destination MAC, dropping"},
		{"cdp", 4, pkt(4, macA, maclearn.MAC{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}, -1, 0), Options{}, DropReservedMAC,
			"packet has reserved destination MAC, dropping"},
		{"stp forward-bpdu", 4, pkt(4, macA, maclearn.MAC{0x01, 0x80, 0xc2, 0, 0, 0}, -1, 0), Options{ForwardBPDU: true}, DropNone, ""},
		{"01:80:c2:00:00:10 not reserved", 4, pkt(4, macA, maclearn.MAC{0x01, 0x80, 0xc2, 0, 0, 0x10}, -1, 0), Options{}, DropNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mt, _ := newMAC()
			tc.opt.Learn = true
			d := decide(t, ports, tc.in, tc.key, mt, tc.opt)
			if d.Drop != tc.drop || d.Reason() != tc.reason {
				t.Fatalf("drop %v %q, want %v %q", d.Drop, d.Reason(), tc.drop, tc.reason)
			}
			if tc.drop != DropNone && (len(d.Outputs) != 0 || mt.Len() != 0) {
				t.Fatalf("dropped packet output %q or learned %d", outs(&d), mt.Len())
			}
		})
	}
}

// TestOVSFactsTraces reproduces the live traces of ovs-facts §4: p1
// access 10, p2 trunks [10,20], p3 native-untagged 20 trunks [10,20],
// p4 access 20, plus LOCAL.
func TestOVSFactsTraces(t *testing.T) {
	ports := []PortConfig{local(), trunk(5, 10, 20), native(6, NativeUntagged, 20, 10, 20), access(7, 20), access(4, 10)}
	tests := []struct {
		name string
		in   flow.PortNo
		key  *flow.Key
		want string
	}{
		{"p1 untagged broadcast", 4, pkt(4, macA, bcast, -1, 0), "LOCAL:push(10,0) 5:push(10,0) 6:push(10,0)"},
		{"p2 vlan 20", 5, pkt(5, macA, bcast, 20, 0), "LOCAL:= 6:pop 7:pop"},
		{"p3 untagged", 6, pkt(6, macA, bcast, -1, 0), "LOCAL:push(20,0) 5:push(20,0) 7:="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decide(t, ports, tc.in, tc.key, nil, Options{})
			if got := outs(&d); got != tc.want {
				t.Fatalf("got %q want %q", got, tc.want)
			}
		})
	}
}

// TestSeedLab is the seed lab: two access ports; tags 10/20 isolate
// them, 10/10 connect them.
func TestSeedLab(t *testing.T) {
	tests := []struct {
		name       string
		tag2       int
		wantReach  bool
		wantOnLink string
	}{
		{"untagged", NoTag, true, "2:="},
		{"tags 10/20", 20, false, ""},
		{"tags 10/10", 10, true, "2:="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p1, p2 := access(1, 10), access(2, tc.tag2)
			if tc.tag2 == NoTag {
				p1, p2 = trunk(1), trunk(2)
			}
			ports := []PortConfig{local(), p1, p2}
			mt, _ := newMAC()
			opt := Options{Learn: true}
			// ARP request from ns1 (broadcast), reply from ns2 (unicast).
			d := decide(t, ports, 1, pkt(1, macA, bcast, -1, 0), mt, opt)
			reached := false
			for _, o := range d.Outputs {
				reached = reached || o.Port == 2
			}
			if reached != tc.wantReach {
				t.Fatalf("broadcast reached p2=%v: %q", reached, outs(&d))
			}
			d = decide(t, ports, 2, pkt(2, macB, macA, -1, 0), mt, opt)
			if got := outs(&d); tc.wantReach && got != "1:=" {
				t.Fatalf("reply outputs %q", got)
			}
			// Then ns1 → ns2 unicast.
			d = decide(t, ports, 1, pkt(1, macA, macB, -1, 0), mt, opt)
			if got := outs(&d); got != tc.wantOnLink && !(tc.wantOnLink == "" && got == "LOCAL:push(10,0)") {
				t.Fatalf("unicast outputs %q", got)
			}
			if tc.wantReach && d.Flood {
				t.Fatal("unicast to a learned MAC flooded")
			}
		})
	}
}

func TestForwarding(t *testing.T) {
	ports := []PortConfig{local(), access(1, 10), access(2, 10), access(3, 10), access(4, 20)}
	mt, clk := newMAC()
	opt := Options{Learn: true}
	// Unknown destination: flood in VLAN 10.
	d := decide(t, ports, 1, pkt(1, macA, macB, -1, 0), mt, opt)
	if got := outs(&d); got != "LOCAL:push(10,0) 2:= 3:=" || !d.Flood {
		t.Fatalf("flood %q", got)
	}
	// B answers from port 2: unicast to A on port 1.
	d = decide(t, ports, 2, pkt(2, macB, macA, -1, 0), mt, opt)
	if got := outs(&d); got != "1:=" || d.Flood {
		t.Fatalf("unicast %q", got)
	}
	// A to B now unicast.
	d = decide(t, ports, 1, pkt(1, macA, macB, -1, 0), mt, opt)
	if got := outs(&d); got != "2:=" {
		t.Fatalf("unicast %q", got)
	}
	// Broadcast still floods.
	d = decide(t, ports, 1, pkt(1, macA, bcast, -1, 0), mt, opt)
	if got := outs(&d); got != "LOCAL:push(10,0) 2:= 3:=" {
		t.Fatalf("broadcast %q", got)
	}
	// A destination learned on the input port is dropped.
	d = decide(t, ports, 1, pkt(1, macC, macA, -1, 0), mt, opt)
	if d.Drop != DropLearnedOnInput || len(d.Outputs) != 0 {
		t.Fatalf("hairpin %+v", d)
	}
	// B moves to port 3.
	g := mt.Generation()
	d = decide(t, ports, 3, pkt(3, macB, bcast, -1, 0), mt, opt)
	if !d.Learned || mt.Generation() == g {
		t.Fatal("move not reported")
	}
	d = decide(t, ports, 1, pkt(1, macA, macB, -1, 0), mt, opt)
	if got := outs(&d); got != "3:=" {
		t.Fatalf("after move %q", got)
	}
	// Learned in VLAN 10, asked for in VLAN 20: floods VLAN 20.
	d = decide(t, ports, 4, pkt(4, macC, macB, -1, 0), mt, opt)
	if got := outs(&d); got != "LOCAL:push(20,0)" || !d.Flood {
		t.Fatalf("other VLAN %q", got)
	}
	// Without Options.Learn nothing is learned but Learn is reported.
	mt2, _ := newMAC()
	d = decide(t, ports, 1, pkt(1, macA, macB, -1, 0), mt2, Options{})
	if !d.Learn || d.Learned || mt2.Len() != 0 {
		t.Fatalf("side-effect-free decide learned: %+v", d)
	}
	// Multicast source: not learnable.
	d = decide(t, ports, 1, pkt(1, maclearn.MAC{1, 0, 0x5e, 0, 0, 1}, macB, -1, 0), mt2, opt)
	if d.Learn || mt2.Len() != 0 {
		t.Fatal("multicast source learned")
	}
	// Aging: after 300 s B is unknown again and A→B floods.
	clk.t = clk.t.Add(300e9)
	d = decide(t, ports, 1, pkt(1, macA, macB, -1, 0), mt, opt)
	if !d.Flood {
		t.Fatalf("expired MAC not flooded: %q", outs(&d))
	}
	// The learned port left the bridge.
	mt.Learn(10, macC, 9, 0)
	d = decide(t, ports, 1, pkt(1, macA, macC, -1, 0), mt, opt)
	if d.Drop != DropLearnedUnknown {
		t.Fatalf("unknown learned port: %v", d.Drop)
	}
	// The learned port no longer carries the VLAN (config changed
	// without a flush).
	mt.Learn(10, macC, 4, 0)
	d = decide(t, ports, 1, pkt(1, macA, macC, -1, 0), mt, opt)
	if d.Drop != DropLearnedNotInVLAN || d.Reason() != "learned port does not carry VLAN 10, dropping" {
		t.Fatalf("learned port outside VLAN: %v %q", d.Drop, d.Reason())
	}
}

func TestNoFlood(t *testing.T) {
	p3 := access(3, 10)
	p3.NoFlood = true
	ports := []PortConfig{access(1, 10), access(2, 10), p3}
	mt, _ := newMAC()
	d := decide(t, ports, 1, pkt(1, macA, bcast, -1, 0), mt, Options{Learn: true})
	if got := outs(&d); got != "2:=" {
		t.Fatalf("flood %q", got)
	}
	// A learned destination on a no-flood port still gets unicast.
	mt.Learn(10, macC, 3, 0)
	d = decide(t, ports, 1, pkt(1, macA, macC, -1, 0), mt, Options{})
	if got := outs(&d); got != "3:=" {
		t.Fatalf("unicast %q", got)
	}
}

func TestMask(t *testing.T) {
	arp := func(dst maclearn.MAC, op uint8, spa, tpa uint32) *flow.Key {
		k := pkt(1, macA, dst, -1, 0)
		k.SetEthType(0x0806)
		k.SetNwProto(op)
		k.SetIPv4Src(spa)
		k.SetIPv4Dst(tpa)
		return k
	}
	ports := []PortConfig{access(1, 10), trunk(2), access(3, 10)}
	tests := []struct {
		name          string
		in            flow.PortNo
		key           *flow.Key
		arpOp, arpIPs bool
		popMask       bool
		grat          bool
	}{
		{"ip untagged", 1, pkt(1, macA, bcast, -1, 0), false, false, false, false},
		{"arp request bcast", 1, arp(bcast, 1, 0x0a000001, 0x0a000002), true, true, false, false},
		{"garp request", 1, arp(bcast, 1, 0x0a000001, 0x0a000001), true, true, false, true},
		{"garp reply", 1, arp(bcast, 2, 0x0a000001, 0x0a000002), true, false, false, true},
		{"arp unicast", 1, arp(macB, 2, 1, 2), false, false, false, false},
		{"trunk vlan10 to access pops", 2, pkt(2, macA, bcast, 10, 3), false, false, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := decide(t, ports, tc.in, tc.key, nil, Options{})
			m := &d.Mask
			if m.EthSrc() != bcast || m.EthDst() != bcast {
				t.Fatal("eth src/dst not exact")
			}
			tp, tci := m.VLAN(0)
			wantTCI, wantTP := uint16(tciVIDCFI), uint16(0)
			if tc.popMask {
				wantTCI, wantTP = fullMask16, fullMask16
			}
			if tci != wantTCI || tp != wantTP {
				t.Fatalf("vlan mask %#x/%#x want %#x/%#x", tp, tci, wantTP, wantTCI)
			}
			if (m.NwProto() == 0xff) != tc.arpOp {
				t.Fatalf("arp op mask %#x", m.NwProto())
			}
			if (m.IPv4Src() == ^uint32(0) && m.IPv4Dst() == ^uint32(0)) != tc.arpIPs {
				t.Fatalf("arp ip mask %#x %#x", m.IPv4Src(), m.IPv4Dst())
			}
			if d.GratuitousARP != tc.grat || IsGratuitousARP(tc.key, nil) != tc.grat {
				t.Fatalf("gratuitous %v", d.GratuitousARP)
			}
			// Nothing else is consulted.
			var rest flow.Key
			rest = *m
			rest.SetEthSrc(maclearn.MAC{})
			rest.SetEthDst(maclearn.MAC{})
			rest.SetVLAN(0, 0, 0)
			rest.SetNwProto(0)
			rest.SetIPv4Src(0)
			rest.SetIPv4Dst(0)
			if rest != (flow.Key{}) {
				t.Fatalf("extra mask bits %v", rest.W)
			}
		})
	}
}

func TestDoubleTagged(t *testing.T) {
	// Outer 0x88a8 vid 100, inner 0x8100 vid 5 on a trunk: the other
	// trunk gets both tags unchanged; the access port for VLAN 100 is
	// excluded because of the inner VID (xbundle_includes_vlan).
	ports := []PortConfig{trunk(1), trunk(2), access(3, 100)}
	k := pkt(1, macA, bcast, -1, 0)
	k.SetVLAN(0, header.EtherTypeQinQ, 100|flow.VLANCFI)
	k.SetVLAN(1, header.EtherTypeVLAN, 5|flow.VLANCFI)
	d := decide(t, ports, 1, k, nil, Options{})
	if got := outs(&d); got != "2:=" || d.Outputs[0].Treatment() != Unchanged {
		t.Fatalf("double tagged %q", got)
	}
	// An inner priority tag (VID 0, PCP 0) is admitted to the access
	// port, which strips both tags; xvlan_put turns the inner level into
	// "no tag", so trunk output re-commits the stack as OVS does.
	k.SetVLAN(1, header.EtherTypeVLAN, flow.VLANCFI)
	d = decide(t, ports, 1, k, nil, Options{})
	if got := outs(&d); got != "2:pop,pop,push(100,0) 3:pop,pop" {
		t.Fatalf("inner priority tag %q", got)
	}
	if d.Outputs[1].Treatment() != Untagged || d.Outputs[0].Treatment() != Tagged {
		t.Fatal("treatments")
	}
	if tp, tci := d.Mask.VLAN(1); tp != fullMask16 || tci != fullMask16 {
		t.Fatal("popped inner tag not in the mask")
	}
	// Access input with a priority tag keeps the PCP when pushing to a
	// trunk.
	ports = []PortConfig{access(1, 7), trunk(2)}
	d = decide(t, ports, 1, pkt(1, macA, bcast, 0, 6), nil, Options{})
	o := d.Outputs[0]
	if o.Treatment() != Tagged || o.OuterTag().VID() != 7 || o.OuterTag().PCP() != 6 || o.OuterTag().TPID != header.EtherTypeVLAN {
		t.Fatalf("outer %+v", o.OuterTag())
	}
}

// TestDecideConcurrent runs Decide with learning from several
// goroutines on shared ports and one MAC table (run with -race).
func TestDecideConcurrent(t *testing.T) {
	ports := benchPorts()
	mt, _ := newMAC()
	const workers, rounds = 4, 500
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			buf := make([]Output, 0, len(ports))
			for i := range rounds {
				in := &ports[1+(i+w)%(len(ports)-1)]
				src := maclearn.MAC{0, 0, 0, 0, byte(w), byte(i % 16)}
				dst := maclearn.MAC{0, 0, 0, 0, byte((w + 1) % workers), byte(i % 16)}
				vid := -1
				if in.VLANMode != Access {
					vid = 10
				}
				d := Decide(in, pkt(in.OFPort, src, dst, vid, 0), mt, ports, Options{Learn: true}, buf)
				for _, o := range d.Outputs {
					if o.Port == in.OFPort {
						t.Errorf("output to input port %d", o.Port)
					}
				}
			}
		}()
	}
	for range workers {
		<-done
	}
	if mt.Len() == 0 {
		t.Fatal("nothing learned")
	}
}
