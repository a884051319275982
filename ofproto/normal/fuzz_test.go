package normal

import (
	"encoding/binary"
	"testing"

	"govs/datapath/flow"
	"govs/ofproto/maclearn"
)

// fuzzPortBytes is how many input bytes describe one fuzzed port.
const fuzzPortBytes = 6

// FuzzDecide builds a bridge of random ports (mode, tag, a few trunks,
// no-flood) and a random key (VLAN tags, MACs, ARP fields), runs Decide
// twice (learning, then with the learned table) and checks: no panic,
// no output to the input port, every output port carries the VLAN,
// outputs only when the input VLAN was accepted, and the pops/pushes
// turn the key's tags into the output's tags.
func FuzzDecide(f *testing.F) {
	f.Add([]byte{0, 10, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, uint64(0x0000000000011000), uint64(0), uint16(0), uint8(1))
	f.Add([]byte{3, 20, 10, 20, 0, 1, 2, 0xff, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1}, uint64(0x81001014_88a82064), uint64(0xffffffffffff0806), uint16(0x0806), uint8(2))
	f.Add([]byte{1, 0xff, 1, 2, 3, 0, 2, 7, 0, 0, 0, 1}, uint64(0x8100300a00000000), uint64(0x0180c2000000), uint16(0x8100), uint8(0))
	f.Fuzz(func(t *testing.T, cfg []byte, vlans, macs uint64, ethType uint16, inSel uint8) {
		var ports []PortConfig
		for i := 0; len(cfg) >= fuzzPortBytes && i < 8; i++ {
			c := cfg[:fuzzPortBytes]
			cfg = cfg[fuzzPortBytes:]
			p := PortConfig{OFPort: flow.PortNo(i + 1), VLANMode: VLANMode(c[0] % 4), Tag: int(int8(c[1]))}
			if c[0]&0x80 != 0 {
				p.Tag = int(binary.BigEndian.Uint16(c[1:])) // may be out of range
			}
			for _, v := range c[2:5] {
				if v != 0 {
					p.Trunks.Add(int(v) - 1)
				}
			}
			p.NoFlood = c[5]&1 != 0
			if c[5]&2 != 0 && i == 0 { // port numbers stay unique
				p.OFPort = flow.PortLocal
			}
			ports = append(ports, p)
		}
		if len(ports) == 0 {
			return
		}
		in := &ports[int(inSel)%len(ports)]
		var k flow.Key
		k.SetInPort(in.OFPort)
		k.W[3] = vlans
		k.SetEthType(ethType)
		src := maclearn.MAC{byte(macs >> 56), byte(macs >> 48), 0, 0, byte(macs >> 40), byte(macs >> 32)}
		dst := maclearn.MAC{byte(macs >> 24), byte(macs >> 16), byte(macs >> 8), byte(macs), 0, 0}
		if macs&1 != 0 {
			dst = maclearn.MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		}
		k.SetEthSrc(src)
		k.SetEthDst(dst)
		k.SetNwProto(uint8(macs >> 8))
		mt, _ := newMAC()
		// Pre-learn the destination on a pseudo-random port.
		mt.Learn(uint16(vlans)&maclearn.MaxVID, dst, ports[int(macs>>40)%len(ports)].OFPort, 0)
		buf := make([]Output, 0, len(ports))
		for round := range 2 {
			d := Decide(in, &k, mt, ports, Options{Learn: round == 0}, buf)
			_ = d.Reason()
			if len(d.Outputs) > 0 && (!d.VLANOK || d.Drop != DropNone) {
				t.Fatalf("outputs on a dropped packet: %+v", d)
			}
			inX := extractXVLAN(&k)
			x := in.inputTranslate(&inX)
			base := keyTags(&k)
			for i := range d.Outputs {
				o := &d.Outputs[i]
				if o.Port == in.OFPort {
					t.Fatalf("output to the input port %d", o.Port)
				}
				p := findPort(ports, o.Port)
				if p == nil || !p.includes(&x) || !p.IncludesVLAN(d.InVLAN) && x[1].vid == 0 {
					t.Fatalf("output to port %d not carrying VLAN %d", o.Port, d.InVLAN)
				}
				checkCommit(t, &base, o)
			}
		}
	})
}

// checkCommit applies o's pops and pushes to base and compares with
// o.VLANs.
func checkCommit(t *testing.T, base *[vlanLevels]Tag, o *Output) {
	t.Helper()
	n := countTags(base)
	stack := append([]Tag(nil), base[:n]...)
	if int(o.Pop) > len(stack) {
		t.Fatalf("pops %d tags of %d", o.Pop, len(stack))
	}
	stack = stack[o.Pop:]
	for _, p := range o.Push[:o.NPush] {
		stack = append([]Tag{p}, stack...)
	}
	want := o.VLANs[:countTags(&o.VLANs)]
	if len(stack) != len(want) {
		t.Fatalf("commit gives %v, want %v", stack, want)
	}
	for i := range want {
		if stack[i] != want[i] {
			t.Fatalf("commit gives %v, want %v", stack, want)
		}
	}
}
