package run

import (
	"errors"
	"fmt"
	"io"
	"time"

	"govs/bench/gen"
	"govs/bench/switches"
)

// Defaults.
const (
	DefaultDuration = 3 * time.Second
	DefaultRuns     = 3
	DefaultRules    = 100000
	DefaultWarmup   = 300 * time.Millisecond
	// DefaultLatencyRate is the light load of the latency run.
	DefaultLatencyRate = 10000
	// latencyMaxDuration caps the latency run.
	latencyMaxDuration = time.Second
)

// Config selects what Run measures.
type Config struct {
	Switches []string // switch names, in order (switches.Names)
	Sizes    []int    // frame sizes with FCS
	Flows    []int    // distinct flows per measurement
	Runs     int      // measurements per case
	Duration time.Duration
	// Warmup is sent (and not counted) before the runs of each case.
	Warmup time.Duration
	// Rate is the offered load in frames/s (0: as fast as possible).
	Rate float64
	// Window > 0 runs closed loop: the generator keeps at most Window
	// frames in flight (sent, not yet counted at the sink), so that it
	// does not starve the switch of CPU on a small host.
	Window int
	// LatencyRate > 0 adds, per throughput case, one run of at most
	// latencyMaxDuration at this light load (frames/s) for latency.
	LatencyRate float64
	// FlowSetup adds the flow-setup measurement (every frame a new flow).
	FlowSetup bool
	// Rules > 0 adds the rule-load measurement with that many rules.
	Rules    int
	Switch   switches.Options
	Progress io.Writer // progress lines; nil for none
	Command  string    // recorded in the report
}

var errConfig = errors.New("run: invalid config")

// Validate checks c.
func (c *Config) Validate() error {
	if len(c.Switches) == 0 || len(c.Sizes) == 0 || len(c.Flows) == 0 {
		return fmt.Errorf("%w: need at least one switch, size and flow count", errConfig)
	}
	if c.Runs < 1 || c.Duration <= 0 || c.Warmup < 0 || c.Rate < 0 || c.LatencyRate < 0 || c.Rules < 0 || c.Window < 0 {
		return fmt.Errorf("%w: runs %d, duration %v, warmup %v, rate %v, latency rate %v, rules %d, window %d",
			errConfig, c.Runs, c.Duration, c.Warmup, c.Rate, c.LatencyRate, c.Rules, c.Window)
	}
	for _, s := range c.Sizes {
		if s < gen.MinSize || s > gen.MaxSize {
			return fmt.Errorf("%w: frame size %d outside %d..%d", errConfig, s, gen.MinSize, gen.MaxSize)
		}
	}
	for _, f := range c.Flows {
		if f < 1 || f > gen.MaxFlows {
			return fmt.Errorf("%w: flow count %d outside 1..%d", errConfig, f, gen.MaxFlows)
		}
	}
	for _, s := range c.Switches {
		if _, err := switches.New(s, c.Switch); err != nil {
			return fmt.Errorf("%w: %w", errConfig, err)
		}
	}
	return nil
}
