package run

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"time"

	"govs/bench/gen"
	"govs/bench/report"
	"govs/bench/switches"
	"govs/bench/topo"
	"govs/ports"
	"govs/ports/afpacket"
)

const (
	// drainQuiet ends a measurement's drain: no frame for this long.
	drainQuiet = 100 * time.Millisecond
	// drainMax bounds the drain.
	drainMax = 2 * time.Second
	// probeTimeout is how long a switch gets to forward its first frame.
	probeTimeout = 5 * time.Second
	probeEvery   = 50 * time.Millisecond
	// sinkRcvBuf is the sink socket's receive buffer (recvmmsg; see
	// the package doc for why not a TPACKET_V2 ring).
	sinkRcvBuf = 32 << 20
	// seqShift gives each measurement 2^seqShift sequence numbers.
	seqShift = 40
	// flowSetupSize is the frame size of the flow-setup measurement.
	flowSetupSize = gen.MinSize
	udpDiscard    = 9
	nsPerUs       = 1e3
	percent       = 100
	p50, p99      = 0.50, 0.99
	// learnEtherType marks the frames that teach learning switches where
	// the sink and the generator are (IEEE local experimental).
	learnEtherType = 0x88b5
)

// Lab addresses of the generated frames (the hosts have no IP address:
// their stacks drop the frames right after the sink's socket saw them).
var (
	genIP  = netip.MustParseAddr("10.203.0.1")
	sinkIP = netip.MustParseAddr("10.204.0.2")
)

// lab is the topology plus the generator's and the sink's ports.
type lab struct {
	t          *topo.Topology
	gen, sink  *afpacket.Port
	seq        uint64 // measurement counter, for sequence ranges
	progress   func(format string, args ...any)
	cfg        *Config
	learnBatch *ports.Batch
	// swPIDs are the processes of the switch being measured (for CPU
	// per frame), nil when it has none of its own.
	swPIDs []int
}

// Run measures what cfg selects; see the package doc.
func Run(ctx context.Context, cfg Config) (rep *report.Report, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	rep = &report.Report{Started: time.Now().UTC(), Host: host, Command: cfg.Command, Duration: cfg.Duration.String()}
	l := &lab{cfg: &cfg, progress: func(string, ...any) {}}
	if cfg.Progress != nil {
		l.progress = func(format string, args ...any) {
			fmt.Fprintf(cfg.Progress, "[govs-bench %s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
		}
	}
	if tun := cfg.Switch.Tunnel; tun != "" {
		l.progress("building the tunnel lab (namespaces gen, switch, switch2, sink; %s tunnel over an underlay veth)", tun)
		l.t, err = topo.NewTunnel()
	} else {
		l.progress("building the lab (namespaces gen, switch, sink; two veth pairs)")
		l.t, err = topo.New()
	}
	if err != nil {
		return rep, err
	}
	defer func() { err = errors.Join(err, l.close()) }()
	if err := l.openPorts(); err != nil {
		return rep, err
	}
	var ruleFile string
	if cfg.Rules > 0 {
		f, err := os.CreateTemp("", "govs-bench-rules-*.txt")
		if err != nil {
			return rep, err
		}
		ruleFile = f.Name()
		defer os.Remove(ruleFile)
		err = WriteRules(f, cfg.Rules)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return rep, err
		}
	}
	for _, name := range cfg.Switches {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if err := l.measureSwitch(ctx, rep, name, ruleFile); err != nil {
			return rep, err
		}
	}
	return rep, ctx.Err()
}

// openPorts opens the generator's port (it only sends: recvmmsg, so no
// ring memory for the few flooded frames that reach it) and the sink's
// (promiscuous, recvmmsg: see the package doc).
func (l *lab) openPorts() error {
	err := l.t.Gen.Do(func() (err error) {
		l.gen, err = afpacket.Open(l.t.GenDev, afpacket.Options{NoPromisc: true, RecvMmsg: true})
		return err
	})
	if err != nil {
		return err
	}
	err = l.t.Sink.Do(func() (err error) {
		l.sink, err = afpacket.Open(l.t.SinkDev, afpacket.Options{RcvBuf: sinkRcvBuf, RecvMmsg: true})
		return err
	})
	if err != nil {
		return err
	}
	l.learnBatch = ports.NewBatch()
	return nil
}

func (l *lab) close() error {
	var errs []error
	for _, p := range []*afpacket.Port{l.gen, l.sink} {
		if p != nil {
			errs = append(errs, p.Close())
		}
	}
	errs = append(errs, l.t.Close())
	l.progress("lab removed")
	return errors.Join(errs...)
}

// measureSwitch starts one switch, measures it and stops it. Only a
// cancelled ctx is returned as an error: everything else makes the
// switch's cases unavailable.
func (l *lab) measureSwitch(ctx context.Context, rep *report.Report, swName, ruleFile string) error {
	cfg := l.cfg
	sw, err := switches.New(swName, cfg.Switch)
	if err != nil {
		return err
	}
	// The report names the tunnel scenario's cases "govs+geneve" etc.
	name := swName
	if cfg.Switch.Tunnel != "" {
		name += "+" + cfg.Switch.Tunnel
	}
	l.progress("%s: starting", name)
	err = sw.Start(ctx, l.t)
	if err == nil {
		err = l.probe(ctx)
	}
	l.swPIDs = nil
	if p, ok := sw.(switches.Processor); ok && err == nil {
		l.swPIDs = p.PIDs()
	}
	defer func() {
		if serr := sw.Stop(); serr != nil {
			l.progress("%s: stop: %v", name, serr)
		} else {
			l.progress("%s: stopped", name)
		}
	}()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.progress("%s: unavailable: %v", name, err)
		l.unavailable(rep, name, err.Error(), ruleFile != "" && isRuleLoader(sw))
		return nil
	}
	for _, size := range cfg.Sizes {
		for _, flows := range cfg.Flows {
			c := report.Case{Kind: report.KindThroughput, Switch: name, Size: size, Flows: flows}
			if err := l.measureCase(ctx, &c, false); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				c.Unavailable = err.Error()
			}
			rep.Cases = append(rep.Cases, c)
		}
	}
	if cfg.FlowSetup && swName != switches.NameBridge {
		c := report.Case{Kind: report.KindFlowSetup, Switch: name, Size: flowSetupSize, Flows: gen.MaxFlows}
		if err := l.measureCase(ctx, &c, true); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			c.Unavailable = err.Error()
		}
		rep.Cases = append(rep.Cases, c)
	}
	if ruleFile != "" {
		if rl, ok := sw.(switches.RuleLoader); ok {
			rep.RuleLoads = append(rep.RuleLoads, l.loadRules(ctx, name, rl, ruleFile))
		}
	}
	return ctx.Err()
}

func isRuleLoader(sw switches.Switch) bool { _, ok := sw.(switches.RuleLoader); return ok }

// unavailable records every case of a switch that could not be measured.
func (l *lab) unavailable(rep *report.Report, name, why string, rules bool) {
	for _, size := range l.cfg.Sizes {
		for _, flows := range l.cfg.Flows {
			rep.Cases = append(rep.Cases, report.Case{Kind: report.KindThroughput, Switch: name, Size: size, Flows: flows, Unavailable: why})
		}
	}
	if l.cfg.FlowSetup && name != switches.NameBridge {
		rep.Cases = append(rep.Cases, report.Case{Kind: report.KindFlowSetup, Switch: name, Size: flowSetupSize, Flows: gen.MaxFlows, Unavailable: why})
	}
	if rules {
		rep.RuleLoads = append(rep.RuleLoads, report.RuleLoad{Switch: name, Rules: l.cfg.Rules, Unavailable: why})
	}
}

func (l *lab) loadRules(ctx context.Context, name string, rl switches.RuleLoader, file string) report.RuleLoad {
	r := report.RuleLoad{Switch: name, Rules: l.cfg.Rules}
	for i := range l.cfg.Runs {
		d, err := rl.LoadRules(ctx, file)
		if err != nil {
			r.Unavailable = err.Error()
			l.progress("%s: rule load: unavailable: %v", name, err)
			return r
		}
		r.Seconds = append(r.Seconds, d.Seconds())
		l.progress("%s: rule load %d/%d: %d rules in %.2fs", name, i+1, l.cfg.Runs, l.cfg.Rules, d.Seconds())
	}
	r.Summarize()
	return r
}

// LeftOver lists the lab namespaces of this process still present
// (they should be none after Run returns).
func LeftOver() []string { return topo.Live() }
