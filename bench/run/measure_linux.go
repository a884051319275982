package run

import (
	"context"
	"errors"
	"fmt"
	"time"

	"govs/bench/gen"
	"govs/bench/report"
)

// measureCase runs the warm-up and cfg.Runs measurements of one case.
func (l *lab) measureCase(ctx context.Context, c *report.Case, newFlows bool) error {
	tmpl, err := template(c.Size)
	if err != nil {
		return err
	}
	flows, err := gen.NewFlows(tmpl, c.Flows, newFlows)
	if err != nil {
		return err
	}
	s, err := gen.NewSender(l.gen, tmpl, flows, l.cfg.Rate)
	if err != nil {
		return err
	}
	label := fmt.Sprintf("%s %s %dB %d flows", c.Switch, c.Kind, c.Size, c.Flows)
	if newFlows {
		label = fmt.Sprintf("%s %s %dB (a new flow per frame)", c.Switch, c.Kind, c.Size)
	}
	l.learn()
	if l.cfg.Warmup > 0 && !newFlows {
		if _, err := l.measureOnce(ctx, s, l.cfg.Warmup, napPoll); err != nil {
			return err
		}
	}
	for i := range l.cfg.Runs {
		sm, err := l.measureOnce(ctx, s, l.cfg.Duration, napPoll)
		if err != nil {
			return err
		}
		c.Runs = append(c.Runs, sm)
		rate := fmt.Sprintf("%.3f Mpps", sm.Mpps)
		if newFlows {
			rate = fmt.Sprintf("%.1f k new flows/s", sm.Mpps*1e3)
		}
		cpu := ""
		if sm.CPUusPerFrame > 0 {
			cpu = fmt.Sprintf(", switch CPU %.2fµs/frame", sm.CPUusPerFrame)
		}
		l.progress("%s run %d/%d: %s, loss %.2f%%, p50 %.1fµs p99 %.1fµs%s", label, i+1, l.cfg.Runs, rate, sm.LossPct, sm.P50us, sm.P99us, cpu)
	}
	c.Summarize()
	if l.cfg.LatencyRate > 0 && !newFlows {
		ls, err := gen.NewSender(l.gen, tmpl, flows, l.cfg.LatencyRate)
		if err != nil {
			return err
		}
		sm, err := l.measureOnce(ctx, ls, min(l.cfg.Duration, latencyMaxDuration), pollFD)
		if err != nil {
			return err
		}
		c.Latency, c.LatencyRate = &sm, l.cfg.LatencyRate
		l.progress("%s at %.0f frames/s: p50 %.1fµs p99 %.1fµs, loss %.2f%%", label, l.cfg.LatencyRate, sm.P50us, sm.P99us, sm.LossPct)
	}
	return nil
}

// measureOnce offers load for d and counts what reaches the sink, which
// waits for frames with poll.
func (l *lab) measureOnce(ctx context.Context, s *gen.Sender, d time.Duration, poll gen.Poller) (report.Sample, error) {
	k := l.newSink(s, poll)
	s.SetWindow(l.cfg.Window, k.Received)
	sinkDone := make(chan error, 1)
	go func() { sinkDone <- k.Run() }()
	stopWatch := context.AfterFunc(ctx, s.Stop)
	sent0 := s.Sent()
	cpu0, cpuOK := processCPU(l.swPIDs)
	start, startNs := time.Now(), gen.Now()
	sendErr := s.Run(d)
	sendTime := time.Since(start)
	stopWatch()
	// Drain: until no frame arrived for drainQuiet, at most drainMax.
	drainEnd := time.Now().Add(drainMax)
	for time.Now().Before(drainEnd) && ctx.Err() == nil {
		last := k.LastNs()
		if last != 0 && time.Duration(gen.Now()-last) > drainQuiet {
			break
		}
		if last == 0 && time.Since(start) > sendTime+drainQuiet {
			break
		}
		time.Sleep(drainQuiet / 10)
	}
	k.Stop()
	cpu1, cpuOK1 := processCPU(l.swPIDs)
	sinkErr := <-sinkDone
	if err := errors.Join(sendErr, sinkErr, ctx.Err()); err != nil {
		return report.Sample{}, err
	}
	sent := s.Sent() - sent0
	got := k.Received()
	// The rate is over the time from the first send to the last frame
	// counted (frames queued on the way arrive after the sender stopped).
	elapsed := max(sendTime, time.Duration(k.LastNs()-startNs))
	sm := report.Sample{Seconds: elapsed.Seconds(), Sent: sent, Received: got}
	if elapsed > 0 {
		sm.Mpps = float64(got) / elapsed.Seconds() / 1e6
	}
	if sent > 0 {
		sm.LossPct = percent * (1 - min(float64(got)/float64(sent), 1))
	}
	if cpuOK && cpuOK1 && got > 0 {
		sm.CPUusPerFrame = float64(cpu1-cpu0) / float64(time.Microsecond) / float64(got)
	}
	h := k.Histogram()
	sm.P50us = float64(h.Quantile(p50)) / nsPerUs
	sm.P99us = float64(h.Quantile(p99)) / nsPerUs
	return sm, nil
}
