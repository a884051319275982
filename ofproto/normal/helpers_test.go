package normal

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"govs/datapath/flow"
	"govs/datapath/header"
	"govs/ofproto/maclearn"
)

var (
	bcast = maclearn.MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	macA  = maclearn.MAC{0, 0, 0, 0, 0, 1}
	macB  = maclearn.MAC{0, 0, 0, 0, 0, 2}
	macC  = maclearn.MAC{0, 0, 0, 0, 0, 3}
)

// pkt builds a key: vid < 0 untagged, else one 802.1Q tag.
func pkt(in flow.PortNo, src, dst maclearn.MAC, vid, pcp int) *flow.Key {
	var k flow.Key
	k.SetInPort(in)
	k.SetEthSrc(src)
	k.SetEthDst(dst)
	k.SetEthType(0x0800)
	if vid >= 0 {
		k.SetVLAN(0, header.EtherTypeVLAN, uint16(vid)|uint16(pcp)<<pcpShift|flow.VLANCFI)
	}
	return &k
}

func access(no flow.PortNo, tag int) PortConfig {
	return PortConfig{OFPort: no, Name: fmt.Sprintf("p%d", no), VLANMode: Access, Tag: tag}
}

func trunk(no flow.PortNo, vids ...int) PortConfig {
	return PortConfig{OFPort: no, Name: fmt.Sprintf("p%d", no), VLANMode: Trunk, Tag: NoTag, Trunks: NewVLANSet(vids...)}
}

func native(no flow.PortNo, mode VLANMode, tag int, vids ...int) PortConfig {
	return PortConfig{OFPort: no, Name: fmt.Sprintf("p%d", no), VLANMode: mode, Tag: tag, Trunks: NewVLANSet(vids...)}
}

func local() PortConfig {
	return PortConfig{OFPort: flow.PortLocal, Name: "br0", VLANMode: Trunk, Tag: NoTag, IsLocal: true}
}

// ops formats an output's VLAN operations: "=" for none, else
// "pop", "push(vid,pcp)" joined by commas.
func ops(o *Output) string {
	var s []string
	for range o.Pop {
		s = append(s, "pop")
	}
	for _, t := range o.Push[:o.NPush] {
		s = append(s, fmt.Sprintf("push(%d,%d)", t.VID(), t.PCP()))
	}
	if len(s) == 0 {
		return "="
	}
	return strings.Join(s, ",")
}

// outs formats all outputs as "port:ops" in order.
func outs(d *Decision) string {
	var s []string
	for i := range d.Outputs {
		s = append(s, fmt.Sprintf("%s:%s", maclearn.PortName(d.Outputs[i].Port), ops(&d.Outputs[i])))
	}
	return strings.Join(s, " ")
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

func newMAC() (*maclearn.Table, *fakeClock) {
	c := &fakeClock{t: time.Unix(1_000_000, 0)}
	return maclearn.New(maclearn.Config{Clock: c.Now}), c
}

func decide(t testing.TB, ports []PortConfig, in flow.PortNo, k *flow.Key, mt *maclearn.Table, opt Options) Decision {
	t.Helper()
	buf := make([]Output, 0, len(ports))
	return Decide(findPort(ports, in), k, mt, ports, opt, buf)
}
