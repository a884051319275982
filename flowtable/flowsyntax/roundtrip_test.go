package flowsyntax

import (
	"strconv"
	"strings"
	"testing"

	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// formatAsParsed prints fm in add-flow syntax: the normalized match, the
// non-match fields, and the actions as written.
func formatAsParsed(fm *FlowMod) string {
	var b []byte
	if fm.Table != TableAll {
		b = append(b, "table="...)
		b = appendUint(b, uint64(fm.Table))
		b = append(b, ',')
	}
	m := fm.Match
	m.NXMRoundTrip()
	b = flowtable.AppendMatch(b, &m, int(fm.Priority), nil)
	b = append(b, " actions="...)
	return string(ofpact.AppendActions(b, fm.Actions, ofpact.AsParsed, nil))
}

func appendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }

// anySetField is how OVS prints a set_field with an all-zero mask; like
// OVS, it does not parse back.
const anySetField = "set_field:ANY->"

// checkRoundTrip verifies parse → format → parse: the second parse must
// succeed, give the same normalized Match, priority and table, and format
// to the same text (a fixpoint).
func checkRoundTrip(t *testing.T, s string, cmd Command) {
	t.Helper()
	fm, _, err := ParseFlow(s, cmd, nil)
	if err != nil {
		return
	}
	cmd = fm.Command // CmdAuto resolves to a real command
	withActions := cmd == CmdAdd || cmd == CmdModify || cmd == CmdModifyStrict
	text := formatAsParsed(fm)
	if !withActions {
		text = strings.TrimSuffix(text, " actions=drop")
		if fm.Priority != flowtable.DefaultPriority && cmd != CmdDeleteStrict {
			// priority is not part of these commands' syntax.
			return
		}
	}
	if strings.Contains(text, anySetField) {
		return
	}
	fm2, _, err := ParseFlow(text, cmd, nil)
	if err != nil {
		t.Fatalf("%q formatted as %q which does not parse: %v", s, text, err)
	}
	m1, m2 := fm.Match, fm2.Match
	m1.NXMRoundTrip()
	m2.NXMRoundTrip()
	if m1 != m2 {
		t.Fatalf("%q: match changed through %q:\n%+v\n%+v", s, text, m1, m2)
	}
	if fm.Priority != fm2.Priority || fm.Table != fm2.Table {
		t.Fatalf("%q: priority/table changed through %q", s, text)
	}
	if text2 := formatAsParsed(fm2); withActions && text2 != text {
		t.Fatalf("%q: not a fixpoint: %q then %q", s, text, text2)
	}
}

func TestRoundTripCorpus(t *testing.T) {
	n := 0
	for _, c := range loadCases(t) {
		flow, _, _ := splitCase(c)
		checkRoundTrip(t, flow, CmdAdd)
		n++
	}
	if n < 200 {
		t.Fatalf("corpus too small: %d", n)
	}
}

func FuzzParseFlow(f *testing.F) {
	for _, c := range loadCases(f) {
		flow, _, _ := splitCase(c)
		f.Add(flow)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkRoundTrip(t, s, CmdAdd)
		if out, err := ParseFlowOutput(s, AllowedDefault); err == nil && !strings.HasPrefix(out, "usable protocols: ") {
			t.Fatalf("bad output %q", out)
		}
		_, _ = ParseFlowOutput(s, flowtable.ProtoOF13OXM)
	})
}

func FuzzParseMatch(f *testing.F) {
	seeds := []string{"", "in_port=1", "tcp,tp_dst=80,out_port=2", "table=3,cookie=0x5/-1",
		"ip,nw_src=10.0.0.0/8,out_group=4", "reg0[0..3]=5", "priority=5", "dl_vlan=5,dl_vlan_pcp=2"}
	for _, c := range loadCases(f) {
		flow, _, _ := splitCase(c)
		if i := strings.Index(flow, "action"); i >= 0 {
			flow = flow[:i]
		}
		seeds = append(seeds, flow)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkRoundTrip(t, s, CmdStats)
		checkRoundTrip(t, s, CmdDelete)
		checkRoundTrip(t, s, CmdAuto)
	})
}
