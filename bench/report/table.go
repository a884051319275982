package report

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

const (
	tabPad = 2
	// usPerSec and friends convert the stored units for display.
	kppsPerMpps = 1000
)

// WriteTable writes the throughput table, the flow-setup table and the
// rule-load table as aligned text.
func WriteTable(w io.Writer, r *Report) error {
	var sb strings.Builder
	tw := tabwriter.NewWriter(&sb, 0, 0, tabPad, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "switch\tframe\tflows\tMpps(median)\tspread\tloss\tp50 µs\tp99 µs\tCPU µs/frame\truns\tlight-load p50/p99 µs\t\n")
	writeRows(tw, r, KindThroughput, func(s Summary) string { return fmt.Sprintf("%.3f", s.MppsMedian) })
	if err := tw.Flush(); err != nil {
		return err
	}
	if hasKind(r, KindFlowSetup) {
		sb.WriteString("\nflow setup (every frame a new flow):\n")
		tw = tabwriter.NewWriter(&sb, 0, 0, tabPad, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "switch\tframe\tflows\tk setups/s\tspread\tloss\tp50 µs\tp99 µs\tCPU µs/frame\truns\t\t\n")
		writeRows(tw, r, KindFlowSetup, func(s Summary) string { return fmt.Sprintf("%.1f", s.MppsMedian*kppsPerMpps) })
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.RuleLoads) > 0 {
		sb.WriteString("\nrule load (ovs-ofctl add-flows):\n")
		tw = tabwriter.NewWriter(&sb, 0, 0, tabPad, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "switch\trules\tseconds(median)\truns\t\n")
		for _, l := range r.RuleLoads {
			if l.Unavailable != "" {
				fmt.Fprintf(tw, "%s\t%d\tunavailable: %s\t\t\n", l.Switch, l.Rules, oneLine(l.Unavailable))
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%d\t\n", l.Switch, l.Rules, l.Median, len(l.Seconds))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

func hasKind(r *Report, kind string) bool {
	for _, c := range r.Cases {
		if c.Kind == kind {
			return true
		}
	}
	return false
}

func writeRows(tw io.Writer, r *Report, kind string, rate func(Summary) string) {
	for _, c := range r.Cases {
		if c.Kind != kind {
			continue
		}
		if c.Unavailable != "" {
			fmt.Fprintf(tw, "%s\t%d\t%d\tunavailable: %s\t\t\t\t\t\t\t\t\n", c.Switch, c.Size, c.Flows, oneLine(c.Unavailable))
			continue
		}
		s := c.Summary
		light := "-"
		if c.Latency != nil && c.Latency.Received > 0 {
			light = fmt.Sprintf("%.1f/%.1f @%.0f fps", c.Latency.P50us, c.Latency.P99us, c.LatencyRate)
		}
		flows := fmt.Sprint(c.Flows)
		if kind == KindFlowSetup {
			flows = "new/frame"
		}
		cpu := "-"
		if s.CPUusPerFrame > 0 {
			cpu = fmt.Sprintf("%.2f", s.CPUusPerFrame)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.1f%%\t%.2f%%\t%.1f\t%.1f\t%s\t%d\t%s\t\n",
			c.Switch, c.Size, flows, rate(s), s.SpreadPct, s.LossPct, s.P50us, s.P99us, cpu, len(c.Runs), light)
	}
}

// maxReason keeps unavailable reasons readable in a table cell.
const maxReason = 100

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > maxReason {
		s = s[:maxReason] + "…"
	}
	return s
}
