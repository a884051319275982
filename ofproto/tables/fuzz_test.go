package tables

import (
	"fmt"
	"testing"
	"time"

	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

var (
	fuzzCmds    = []flowsyntax.Command{flowsyntax.CmdAdd, flowsyntax.CmdModify, flowsyntax.CmdModifyStrict, flowsyntax.CmdDelete, flowsyntax.CmdDeleteStrict}
	fuzzMatches = []string{"", "in_port=1", "in_port=2,ip", "ip", "tcp,tp_dst=80", "dl_vlan=5", "table=3,in_port=1", "table=1", "cookie=0x1/0x1"}
	fuzzExtras  = []string{"", ",priority=5", ",cookie=0x1", ",check_overlap", ",reset_counts", ",idle_timeout=1", ",hard_timeout=2,send_flow_rem", ",out_port=2"}
)

// FuzzApply runs random flow-mod sequences and checks the table
// invariants: no panic, Len equals the selectable rules, expiry empties
// timed rules.
func FuzzApply(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 2, 2, 3, 0, 0})
	f.Add([]byte{0, 0, 3, 0, 4, 2, 1, 1, 1, 3, 0, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, clk := newClockTables()
		for i := 0; i+2 < len(data); i += 3 {
			cmd := fuzzCmds[int(data[i])%len(fuzzCmds)]
			s := fuzzMatches[int(data[i+1])%len(fuzzMatches)] + fuzzExtras[int(data[i+2])%len(fuzzExtras)]
			if cmd == flowsyntax.CmdAdd || cmd == flowsyntax.CmdModify || cmd == flowsyntax.CmdModifyStrict {
				s += fmt.Sprintf(",actions=output:%d", data[i]%4)
			}
			if len(s) > 0 && s[0] == ',' {
				s = s[1:]
			}
			fm, _, err := flowsyntax.ParseFlow(s, cmd, nil)
			if err != nil {
				continue
			}
			v := ofpact.OF10
			if data[i]&0x80 != 0 {
				v = ofpact.OF13
			}
			tb.Apply(fm, v)
			clk.t = clk.t.Add(time.Second)
		}
		all := SelectAll()
		if n := len(tb.Select(&all)); n != tb.Len() {
			t.Fatalf("Len %d but %d rules selectable", tb.Len(), n)
		}
		checkTimedCount(t, tb)
		clk.t = clk.t.Add(time.Hour)
		tb.Expire(clk.t)
		for _, r := range tb.Select(&all) {
			if r.IdleTimeout != 0 || r.HardTimeout != 0 {
				t.Fatalf("timed rule survived: %+v", r)
			}
		}
		checkTimedCount(t, tb)
	})
}

// checkTimedCount checks the timed-rule count Expire relies on against
// the rules.
func checkTimedCount(t *testing.T, tb *Tables) {
	t.Helper()
	all := SelectAll()
	n := 0
	for _, r := range tb.Select(&all) {
		if timed(r) {
			n++
		}
	}
	if got := tb.nTimed.Load(); got != int64(n) || tb.HasTimeouts() != (n > 0) {
		t.Fatalf("nTimed %d, %d timed rules", got, n)
	}
}
