package report

import (
	"slices"
	"time"
)

// Kinds of measurement.
const (
	KindThroughput = "throughput"
	KindFlowSetup  = "flow-setup"
)

// Sample is one measurement run.
type Sample struct {
	Seconds  float64 `json:"seconds"`
	Sent     uint64  `json:"sent"`
	Received uint64  `json:"received"`
	// Mpps is received frames per second / 1e6 (for flow-setup runs: new
	// flows forwarded per second / 1e6).
	Mpps    float64 `json:"mpps"`
	LossPct float64 `json:"loss_pct"`
	P50us   float64 `json:"p50_us"`
	P99us   float64 `json:"p99_us"`
	// CPUusPerFrame is the CPU time (user + system) the switch's own
	// processes used during the run, in µs per received frame; 0 when the
	// switch has no process of its own (Linux bridge, in-process
	// datapath). It is less sensitive to a busy host than Mpps.
	CPUusPerFrame float64 `json:"cpu_us_per_frame,omitempty"`
}

// Summary condenses the samples of a case: medians, plus the spread of
// the rate ((max-min)/median, in percent).
type Summary struct {
	MppsMedian float64 `json:"mpps_median"`
	MppsMin    float64 `json:"mpps_min"`
	MppsMax    float64 `json:"mpps_max"`
	SpreadPct  float64 `json:"spread_pct"`
	LossPct    float64 `json:"loss_pct_median"`
	P50us      float64 `json:"p50_us_median"`
	P99us      float64 `json:"p99_us_median"`
	// CPUusPerFrame is the median of the runs' CPUusPerFrame.
	CPUusPerFrame float64 `json:"cpu_us_per_frame_median,omitempty"`
}

// Case is one switch × frame size × flow count, measured Runs times.
type Case struct {
	Kind   string `json:"kind"`
	Switch string `json:"switch"`
	Size   int    `json:"frame_size"`
	Flows  int    `json:"flows"`
	// Unavailable, when set, says why the switch could not be measured.
	Unavailable string   `json:"unavailable,omitempty"`
	Runs        []Sample `json:"runs,omitempty"`
	Summary     Summary  `json:"summary"`
	// Latency, when measured, is a run at the light load LatencyRate
	// (frames/s), where queues stay short: the switch's own latency.
	// The percentiles in Summary are under the full offered load.
	Latency     *Sample `json:"latency,omitempty"`
	LatencyRate float64 `json:"latency_rate,omitempty"`
}

// RuleLoad is the time `ovs-ofctl add-flows` took for Rules rules.
type RuleLoad struct {
	Switch      string    `json:"switch"`
	Rules       int       `json:"rules"`
	Unavailable string    `json:"unavailable,omitempty"`
	Seconds     []float64 `json:"seconds,omitempty"`
	Median      float64   `json:"seconds_median"`
}

// Report is a whole govs-bench run.
type Report struct {
	Started   time.Time  `json:"started"`
	Host      string     `json:"host"`
	Command   string     `json:"command"`
	Duration  string     `json:"duration_per_run"`
	Note      string     `json:"note,omitempty"`
	Cases     []Case     `json:"cases"`
	RuleLoads []RuleLoad `json:"rule_loads,omitempty"`
}

// Median returns the median of xs (the mean of the middle two for an even
// count); 0 for none. xs is not modified.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Percentile returns the p-th percentile (0..100) of xs by the
// nearest-rank method; 0 for none.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	p = min(max(p, 0), 100)
	rank := int(p/100*float64(len(s))+0.5) - 1 // nearest rank, 1-based
	return s[min(max(rank, 0), len(s)-1)]
}

// SpreadPct returns (max-min)/median in percent; 0 for fewer than two
// values or a zero median.
func SpreadPct(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	m := Median(xs)
	if m == 0 {
		return 0
	}
	return (slices.Max(xs) - slices.Min(xs)) / m * 100
}

// Summarize computes c.Summary from c.Runs.
func (c *Case) Summarize() {
	if len(c.Runs) == 0 {
		c.Summary = Summary{}
		return
	}
	col := func(f func(Sample) float64) []float64 {
		v := make([]float64, len(c.Runs))
		for i, r := range c.Runs {
			v[i] = f(r)
		}
		return v
	}
	mpps := col(func(s Sample) float64 { return s.Mpps })
	c.Summary = Summary{
		MppsMedian:    Median(mpps),
		MppsMin:       slices.Min(mpps),
		MppsMax:       slices.Max(mpps),
		SpreadPct:     SpreadPct(mpps),
		LossPct:       Median(col(func(s Sample) float64 { return s.LossPct })),
		P50us:         Median(col(func(s Sample) float64 { return s.P50us })),
		P99us:         Median(col(func(s Sample) float64 { return s.P99us })),
		CPUusPerFrame: Median(col(func(s Sample) float64 { return s.CPUusPerFrame })),
	}
}

// Summarize computes r.Median from r.Seconds.
func (r *RuleLoad) Summarize() { r.Median = Median(r.Seconds) }
