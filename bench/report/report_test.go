package report

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"
)

func TestStats(t *testing.T) {
	tests := []struct {
		name                string
		xs                  []float64
		median, p99, spread float64
	}{
		{"empty", nil, 0, 0, 0},
		{"one", []float64{3}, 3, 3, 0},
		{"odd", []float64{3, 1, 2}, 2, 3, 100},
		{"even", []float64{4, 1, 3, 2}, 2.5, 4, 120},
		{"zero median", []float64{0, 0, 0}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Median(tt.xs); got != tt.median {
				t.Errorf("Median = %v, want %v", got, tt.median)
			}
			if got := Percentile(tt.xs, 99); got != tt.p99 {
				t.Errorf("P99 = %v, want %v", got, tt.p99)
			}
			if got := SpreadPct(tt.xs); math.Abs(got-tt.spread) > 1e-9 {
				t.Errorf("Spread = %v, want %v", got, tt.spread)
			}
		})
	}
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = float64(100 - i)
	}
	for _, tt := range []struct{ p, want float64 }{{50, 50}, {99, 99}, {1, 1}, {100, 100}, {0, 1}, {-5, 1}, {200, 100}} {
		if got := Percentile(xs, tt.p); got != tt.want {
			t.Errorf("Percentile(1..100, %v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if xs[0] != 100 {
		t.Error("Percentile sorted its input")
	}
}

func sampleReport() *Report {
	r := &Report{Started: time.Unix(1700000000, 0).UTC(), Host: "h", Command: "govs-bench -quick", Duration: "1s"}
	add := func(kind, sw string, size, flows int, mpps ...float64) {
		c := Case{Kind: kind, Switch: sw, Size: size, Flows: flows}
		for i, m := range mpps {
			c.Runs = append(c.Runs, Sample{Seconds: 1, Sent: 1000, Received: uint64(m * 1e6), Mpps: m, LossPct: float64(i), P50us: 10, P99us: 100})
		}
		c.Summarize()
		r.Cases = append(r.Cases, c)
	}
	add(KindThroughput, "bridge", 64, 1, 0.5, 0.6, 0.55)
	add(KindThroughput, "ovs", 64, 1, 0.3, 0.31, 0.29)
	add(KindThroughput, "bridge", 64, 1000, 0.4)
	r.Cases[len(r.Cases)-1].Latency = &Sample{Received: 100, P50us: 12.5, P99us: 40}
	r.Cases[len(r.Cases)-1].LatencyRate = 10000
	r.Cases = append(r.Cases, Case{Kind: KindThroughput, Switch: "ovs-afxdp", Size: 64, Flows: 1, Unavailable: "could not open network device\nfoo (Operation not supported)"})
	add(KindFlowSetup, "ovs", 64, 1<<20, 0.01)
	r.RuleLoads = []RuleLoad{{Switch: "ovs", Rules: 100000, Seconds: []float64{2, 1, 3}}, {Switch: "govs", Rules: 100000, Unavailable: "no br0.mgmt"}}
	for i := range r.RuleLoads {
		r.RuleLoads[i].Summarize()
	}
	return r
}

func TestSummarize(t *testing.T) {
	r := sampleReport()
	s := r.Cases[0].Summary
	if s.MppsMedian != 0.55 || s.MppsMin != 0.5 || s.MppsMax != 0.6 || s.LossPct != 1 || s.P99us != 100 {
		t.Fatalf("summary %+v", s)
	}
	if math.Abs(s.SpreadPct-0.1/0.55*100) > 1e-9 {
		t.Fatalf("spread %v", s.SpreadPct)
	}
	if r.RuleLoads[0].Median != 2 {
		t.Fatalf("rule load median %v", r.RuleLoads[0].Median)
	}
	var c Case
	c.Summarize()
	if c.Summary != (Summary{}) {
		t.Fatal("empty case has a summary")
	}
}

func TestTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Mpps(median)", "p99 µs", "0.550", "18.2%", "unavailable: could not open network device foo (Operation not supported)",
		"flow setup", "10.0", "new/frame", "12.5/40.0 @10000 fps", "rule load", "2.00", "unavailable: no br0.mgmt",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[1], "bridge") || !strings.Contains(lines[2], "ovs") {
		t.Errorf("rows out of order:\n%s", out)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	r := sampleReport()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"mpps_median"`, `"p99_us"`, `"unavailable"`, `"rule_loads"`, `"frame_size": 64`} {
		if !strings.Contains(b.String(), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
	got, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cases) != len(r.Cases) || got.Cases[0].Summary != r.Cases[0].Summary || got.RuleLoads[0].Median != 2 {
		t.Fatalf("round trip: %+v", got)
	}
	if _, err := ReadJSON(strings.NewReader("{")); err == nil {
		t.Fatal("truncated JSON accepted")
	}
}

func TestChart(t *testing.T) {
	var b bytes.Buffer
	if err := WriteChart(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	bd := img.Bounds()
	if bd.Dy() != chartHeight || bd.Dx() < plotLeft+2*barWidth {
		t.Fatalf("bounds %v", bd)
	}
	// The first bar (bridge, 64 B, 1 flow) is drawn in the first colour
	// just above the axis.
	x := plotLeft + groupGap/2 + barWidth/2 - 3
	r, g, bl, _ := img.At(x, chartHeight-plotBottom-2).RGBA()
	want := palette[0]
	if uint8(r>>8) != want.R || uint8(g>>8) != want.G || uint8(bl>>8) != want.B {
		t.Fatalf("pixel at first bar = %d,%d,%d, want %v", r>>8, g>>8, bl>>8, want)
	}
	if err := WriteChart(&b, &Report{}); err == nil {
		t.Fatal("empty report charted")
	}
}

func TestFont(t *testing.T) {
	for r, g := range glyphs {
		for _, line := range g {
			if len(line) != glyphW {
				t.Errorf("glyph %q row %q is not %d wide", r, line, glyphW)
			}
		}
	}
	if textWidth("", 2) != 0 || textWidth("ab", 1) != 2*glyphW+glyphGap {
		t.Error("textWidth")
	}
}

func TestNiceCeil(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{{0.7, 1}, {1.2, 2}, {3, 5}, {7, 10}, {0.012, 0.02}, {10, 10}} {
		if got := niceCeil(tt.in); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("niceCeil(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
