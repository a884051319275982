package classifier_test

import (
	"fmt"

	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/classifier"
)

func Example() {
	c := classifier.New[string]()

	var m flowtable.Match
	m.SetEthType(flowtable.EthTypeIPv4)
	m.Key.SetIPv4Dst(0x0a000000) // 10.0.0.0/8
	m.Mask.SetIPv4Dst(0xff000000)
	c.Insert(&classifier.Rule[string]{Match: m, Priority: 10, Value: "to-10/8"})
	c.Insert(&classifier.Rule[string]{Priority: 0, Value: "catch-all"})

	var k flow.Key
	k.SetEthType(flowtable.EthTypeIPv4)
	k.SetIPv4Dst(0xc0a80101) // 192.168.1.1
	st := flowtable.PipelineState{InPort: 1}
	var wc classifier.Wildcards
	r := c.Lookup(&k, &st, &wc)
	fmt.Printf("%s dl_type/%#x nw_dst/%#x\n", r.Value, wc.Key.EthType(), wc.Key.IPv4Dst())
	// Output: catch-all dl_type/0xffff nw_dst/0x80000000
}
