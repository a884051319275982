package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"govs/bench/run"
	"govs/bench/switches"
)

// Defaults of the list flags.
const (
	defaultSizes   = "64,512,1500"
	defaultFlows   = "1,1000,100000"
	allSwitches    = "all"
	quickDuration  = time.Second
	quickRuns      = 1
	quickSizes     = "64"
	quickFlows     = "1000"
	defaultXDPMode = "best-effort"
	// maxListItems bounds a list flag (a typo like 1,2,3,... of thousands
	// would otherwise run for hours).
	maxListItems = 16
	kilo         = 1000
)

const usageHeader = `govs-bench: measure govs and OVS 3.1 (netdev), each with AF_PACKET and AF_XDP ports, and the
Linux bridge in a private generator -> switch -> sink namespace lab (needs root).
usage: govs-bench [flags]

`

// options is the parsed command line.
type options struct {
	cfg       run.Config
	jsonFile  string
	chartFile string
}

var errUsage = errors.New("usage")

// parseFlags parses args (without the program name).
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("govs-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageHeader)
		fs.PrintDefaults()
	}
	var (
		sws       = fs.String("switches", allSwitches, "switches to measure, comma-separated: "+strings.Join(switches.Names, ",")+" or all (plus "+strings.Join(switches.Extra, ",")+", only when named)")
		sizes     = fs.String("sizes", defaultSizes, "frame sizes in bytes with FCS (64..1518), comma-separated")
		flows     = fs.String("flows", defaultFlows, "distinct flows per measurement, comma-separated (k suffix allowed: 100k)")
		runs      = fs.Int("runs", run.DefaultRuns, "measurements per case (median and spread are reported)")
		duration  = fs.Duration("duration", run.DefaultDuration, "length of one measurement")
		warmup    = fs.Duration("warmup", run.DefaultWarmup, "uncounted load before each case")
		rate      = fs.Float64("rate", 0, "offered load in frames/s (0: as fast as the generator can)")
		window    = fs.Int("window", 0, "closed loop: at most N frames in flight from generator to sink (0: open loop)")
		latRate   = fs.Float64("latency-rate", run.DefaultLatencyRate, "light load in frames/s of the extra latency run per case (0: skip)")
		flowSetup = fs.Bool("flow-setup", true, "measure the flow-setup rate (every frame a new flow)")
		rules     = fs.Int("rules", run.DefaultRules, "rules for the ovs-ofctl add-flows benchmark (0: skip)")
		quick     = fs.Bool("quick", false, "smoke preset: -sizes 64 -flows 1000 -runs 1 -duration 1s -warmup 0 -flow-setup=false -rules 0 -latency-rate 0 (explicit flags win)")
		binDir    = fs.String("bin-dir", run.BinDirDefault(), "directory of govs-vswitchd and govs-vsctl")
		refBinDir = fs.String("ref-bin-dir", "", "directory of another govs build, measured as switch "+switches.NameGovsRef+" (A/B in the same run)")
		schema    = fs.String("ovs-schema", switches.DefaultOVSSchema, "OVS vswitch.ovsschema")
		xdpMode   = fs.String("xdp-mode", defaultXDPMode, "options:xdp-mode of the ovs-afxdp and govs-afxdp ports (generic, native, best-effort, ...)")
		workers   = fs.Int("workers", 1, "govs datapath workers")
		tunnel    = fs.String("tunnel", "", "tunnel scenario: geneve or vxlan; each switch is two instances joined by that tunnel "+
			"(generator -> switch -> tunnel -> switch -> sink: encap+decap); switches: "+strings.Join(switches.TunnelSwitches, ",")+" (the default with -tunnel)")
		jsonFile  = fs.String("json", "", "write the results as JSON to FILE")
		chartFile = fs.String("chart", "", "draw a PNG bar chart to FILE")
	)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *quick {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		preset := map[string]func(){
			"sizes":        func() { *sizes = quickSizes },
			"flows":        func() { *flows = quickFlows },
			"runs":         func() { *runs = quickRuns },
			"duration":     func() { *duration = quickDuration },
			"warmup":       func() { *warmup = 0 },
			"flow-setup":   func() { *flowSetup = false },
			"rules":        func() { *rules = 0 },
			"latency-rate": func() { *latRate = 0 },
		}
		for name, apply := range preset {
			if !set[name] {
				apply()
			}
		}
	}
	o := &options{jsonFile: *jsonFile, chartFile: *chartFile}
	var err error
	if o.cfg.Switches, err = parseSwitches(*sws); err != nil {
		return nil, err
	}
	if *tunnel != "" {
		if !contains(switches.TunnelTypes, *tunnel) {
			return nil, fmt.Errorf("%w: -tunnel: unknown tunnel type %q (known: %s)", errUsage, *tunnel, strings.Join(switches.TunnelTypes, ","))
		}
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || f.Name == "switches" })
		if !set || *sws == allSwitches {
			o.cfg.Switches = append([]string(nil), switches.TunnelSwitches...)
		}
	}
	if o.cfg.Sizes, err = parseIntList("sizes", *sizes); err != nil {
		return nil, err
	}
	if o.cfg.Flows, err = parseIntList("flows", *flows); err != nil {
		return nil, err
	}
	o.cfg.Runs, o.cfg.Duration, o.cfg.Warmup, o.cfg.Rate, o.cfg.LatencyRate = *runs, *duration, *warmup, *rate, *latRate
	o.cfg.FlowSetup, o.cfg.Rules, o.cfg.Window = *flowSetup, *rules, *window
	o.cfg.Switch = switches.Options{BinDir: *binDir, RefBinDir: *refBinDir, OVSSchema: *schema, XDPMode: *xdpMode, Workers: *workers, Tunnel: *tunnel}
	o.cfg.Command = "govs-bench " + strings.Join(args, " ")
	if err := o.cfg.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// parseSwitches parses a comma-separated list of switch names ("all" for
// every switch), keeping the order given and dropping duplicates.
func parseSwitches(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == allSwitches {
		return append([]string(nil), switches.Names...), nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		known := append(switches.Names[:len(switches.Names):len(switches.Names)], switches.Extra...)
		if !contains(known, f) {
			return nil, fmt.Errorf("%w: -switches: unknown switch %q (known: %s, all)", errUsage, f, strings.Join(known, ","))
		}
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// parseIntList parses "1,1000,100k": positive integers, optional k
// suffix (×1000), at most maxListItems, duplicates dropped.
func parseIntList(flagName, s string) ([]int, error) {
	fields := strings.Split(s, ",")
	if len(fields) > maxListItems {
		return nil, fmt.Errorf("%w: -%s: more than %d values", errUsage, flagName, maxListItems)
	}
	var out []int
	seen := map[int]bool{}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		mult := 1
		if n := len(f); n > 0 && (f[n-1] == 'k' || f[n-1] == 'K') {
			f, mult = f[:n-1], kilo
		}
		v, err := strconv.ParseUint(f, 10, 31)
		if err != nil || v == 0 || int(v) > (1<<31-1)/mult {
			return nil, fmt.Errorf("%w: -%s: bad value %q (want a positive integer)", errUsage, flagName, f)
		}
		n := int(v) * mult
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}
