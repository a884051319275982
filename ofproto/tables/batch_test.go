package tables

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// fuzzOps decodes data into flow mods (3 bytes each), as FuzzApply.
func fuzzOps(data []byte) (fms []*flowsyntax.FlowMod, vs []ofpact.FormatVersion) {
	for i := 0; i+2 < len(data); i += 3 {
		cmd := fuzzCmds[int(data[i])%len(fuzzCmds)]
		s := fuzzMatches[int(data[i+1])%len(fuzzMatches)] + fuzzExtras[int(data[i+2])%len(fuzzExtras)]
		if cmd == flowsyntax.CmdAdd || cmd == flowsyntax.CmdModify || cmd == flowsyntax.CmdModifyStrict {
			s += fmt.Sprintf(",actions=output:%d", data[i]%4)
		}
		if data[i+1]&0x40 != 0 {
			s += ",table=254" // refused: read-only table
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
		fms, vs = append(fms, fm), append(vs, v)
	}
	return fms, vs
}

// FuzzBatchEqualsApply checks that a Batch is Apply in order: the same
// error and removed rules per flow mod, the same final tables (match,
// actions, cookie, counters forwarded or reset), no live rule marked
// removed, and a run of plain ADDs invisible to readers (no generation
// bump) until Commit.
func FuzzBatchEqualsApply(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 2, 2, 3, 0, 0}, []byte{0, 1, 4, 0, 1, 0, 0, 3, 3, 1, 1, 1})
	f.Add([]byte{0, 0, 3, 0, 4, 2}, []byte{0, 0, 3, 0, 0, 4, 0, 5, 3, 0, 0, 1, 5, 1, 1, 0, 0x41, 0})
	f.Add([]byte{}, []byte{0, 2, 0, 0, 2, 0, 0, 2, 4, 4, 2, 0, 0, 2, 1})
	f.Fuzz(func(t *testing.T, setup, data []byte) {
		ta, clkA := newClockTables()
		tb, clkB := newClockTables()
		pre, preV := fuzzOps(setup)
		for i, fm := range pre {
			ta.Apply(fm, preV[i])
			tb.Apply(fm, preV[i])
		}
		all := SelectAll()
		for _, tt := range []*Tables{ta, tb} {
			for _, cr := range tt.Select(&all) {
				cr.Stats().Credit(1, 100, clkA.t)
			}
		}
		clkA.t = clkA.t.Add(time.Second)
		clkB.t = clkA.t
		fms, vs := fuzzOps(data)
		genBefore := tb.Generation()
		bt := tb.Begin()
		sawNonAdd := false
		for i, fm := range fms {
			ra, ea := ta.Apply(fm, vs[i])
			rb, eb := bt.Apply(fm, vs[i])
			if fmt.Sprint(ea) != fmt.Sprint(eb) {
				t.Fatalf("op %d: Apply error %v, Batch error %v", i, ea, eb)
			}
			if len(ra) != len(rb) {
				t.Fatalf("op %d: Apply removed %d, Batch removed %d", i, len(ra), len(rb))
			}
			if fm.Command != flowsyntax.CmdAdd || fm.Flags&flowsyntax.FlagCheckOverlap != 0 {
				sawNonAdd = true
			}
		}
		if !sawNonAdd && tb.Generation() != genBefore {
			t.Fatal("plain ADDs published before Commit")
		}
		bt.Commit()
		if a, b := dump(ta), dump(tb); !slices.Equal(a, b) {
			t.Fatalf("tables differ:\nApply: %q\nBatch: %q", a, b)
		}
		checkTimedCount(t, tb)
		if ta.Len() != tb.Len() {
			t.Fatalf("Len %d vs %d", ta.Len(), tb.Len())
		}
		for _, r := range tb.Select(&all) {
			if r.Removed() {
				t.Fatalf("live rule marked removed: %+v", r)
			}
		}
		if len(fms) > 0 && tb.Generation() == genBefore && ta.Generation() != genBefore {
			t.Fatal("Batch changed tables without a generation bump")
		}
	})
}

// BenchmarkBatchAdds loads n rules through one Batch (the server's run
// of buffered FLOW_MODs); compare BenchmarkApplyAdds.
func BenchmarkBatchAdds(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			fms := addFlowMods(b, n)
			for b.Loop() {
				tb, _ := newClockTables()
				bt := tb.Begin()
				for _, f := range fms {
					if _, err := bt.Apply(f, ofpact.OF10); err != nil {
						b.Fatal(err)
					}
				}
				bt.Commit()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/rule")
		})
	}
}
