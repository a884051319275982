package run

import (
	"bufio"
	"fmt"
	"io"
)

// ruleBase is the first source address of the rule-load rules (outside
// the generator's addresses): rule i matches ruleBase+i.
const ruleBase = 11 << 24

// WriteRules writes n distinct OpenFlow rules in ovs-ofctl add-flows
// syntax: one exact IPv4 source each, forwarding with NORMAL.
func WriteRules(w io.Writer, n int) error {
	bw := bufio.NewWriter(w)
	for i := range n {
		a := uint32(ruleBase + i)
		if _, err := fmt.Fprintf(bw, "priority=100,ip,nw_src=%d.%d.%d.%d,actions=NORMAL\n", a>>24, a>>16&0xff, a>>8&0xff, a&0xff); err != nil {
			return err
		}
	}
	return bw.Flush()
}
