package datapath

import (
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"govs/datapath/flow"
)

// Shared by the end-to-end tests (e2e_*_test.go, netns_*_test.go).
const (
	e2ePortA       flow.PortNo = 1 // the datapath port towards host A
	e2ePortB       flow.PortNo = 2 // the datapath port towards host B
	e2eVID                     = 10
	e2eSrcPortBase             = 30000
	e2eDstPort                 = 9 // discard
)

// crossConnect is the fixed slow path of the e2e tests: in_port 1 goes to
// port 2 and back, matching on in_port only (plus what the datapath
// forces). With vlan set, A→B pushes tag e2eVID and B→A pops it.
type crossConnect struct{ vlan bool }

func (c crossConnect) Upcall(k, mask *flow.Key, acts *Actions) error {
	switch k.InPort() {
	case e2ePortA:
		if c.vlan {
			*acts = append(*acts, PushVLAN(ethTypeVLAN, e2eVID))
		}
		*acts = append(*acts, Output(e2ePortB))
	case e2ePortB:
		if c.vlan {
			*acts = append(*acts, PopVLAN())
		}
		*acts = append(*acts, Output(e2ePortA))
	default:
		return fmt.Errorf("crossConnect: unexpected in_port %d", k.InPort())
	}
	return nil
}

// checkMetrics gathers dp's metrics through a registry and compares them
// with want. A key with labels names one series; a bare metric name is the
// sum over all its series (e.g. over workers).
func checkMetrics(t *testing.T, dp *Datapath, want map[string]float64) {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(dp)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]float64)
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			// Getters are nil-safe: a counter has no gauge and vice versa.
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			got[mf.GetName()] += v
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			got[mf.GetName()+"{"+strings.Join(labels, ",")+"}"] = v
		}
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("metric %s missing", k)
		} else if g != w {
			t.Errorf("metric %s = %v, want %v", k, g, w)
		}
	}
}
