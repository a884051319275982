package datapath

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"govs/datapath/flow"
)

// Metric descriptors. Port metrics are labelled by port number and name,
// datapath metrics by worker.
var (
	portLabels   = []string{"port_no", "port"}
	workerLabels = []string{"worker"}

	descPortRxPackets = prometheus.NewDesc("govs_port_rx_packets_total", "Packets received by the port.", portLabels, nil)
	descPortRxBytes   = prometheus.NewDesc("govs_port_rx_bytes_total", "Bytes received by the port.", portLabels, nil)
	descPortRxDropped = prometheus.NewDesc("govs_port_rx_dropped_total", "Received packets dropped by the port (including kernel drops).", portLabels, nil)
	descPortRxErrors  = prometheus.NewDesc("govs_port_rx_errors_total", "Receive errors of the port.", portLabels, nil)
	descPortTxPackets = prometheus.NewDesc("govs_port_tx_packets_total", "Packets sent by the port.", portLabels, nil)
	descPortTxBytes   = prometheus.NewDesc("govs_port_tx_bytes_total", "Bytes sent by the port.", portLabels, nil)
	descPortTxDropped = prometheus.NewDesc("govs_port_tx_dropped_total", "Packets the port could not send.", portLabels, nil)
	descPortTxErrors  = prometheus.NewDesc("govs_port_tx_errors_total", "Transmit errors of the port.", portLabels, nil)

	descRx         = prometheus.NewDesc("govs_datapath_rx_packets_total", "Packets received by the worker.", workerLabels, nil)
	descRecirc     = prometheus.NewDesc("govs_datapath_recirculations_total", "Packets recirculated (tunnel pop).", workerLabels, nil)
	descEMCHits    = prometheus.NewDesc("govs_datapath_emc_hits_total", "Exact-match cache hits.", workerLabels, nil)
	descMFHits     = prometheus.NewDesc("govs_datapath_megaflow_hits_total", "Megaflow classifier hits.", workerLabels, nil)
	descMisses     = prometheus.NewDesc("govs_datapath_misses_total", "Cache misses sent to the upcall handler (success or not).", workerLabels, nil)
	descLost       = prometheus.NewDesc("govs_datapath_lost_total", "Misses executed but not installed because of the flow limit.", workerLabels, nil)
	descUpcallErrs = prometheus.NewDesc("govs_datapath_upcall_errors_total", "Misses whose upcall failed (packet dropped).", workerLabels, nil)
	descDrops      = prometheus.NewDesc("govs_datapath_drops_total", "Packets dropped by the datapath, by reason.", []string{"worker", "reason"}, nil)
	descFlows      = prometheus.NewDesc("govs_datapath_flows", "Installed megaflows.", workerLabels, nil)
	descSubtables  = prometheus.NewDesc("govs_datapath_subtables", "Classifier subtables.", workerLabels, nil)
	descAvgLookups = prometheus.NewDesc("govs_datapath_subtable_lookups_per_megaflow_hit", "Average subtables probed per megaflow hit.", workerLabels, nil)
)

// Describe implements prometheus.Collector.
func (dp *Datapath) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		descPortRxPackets, descPortRxBytes, descPortRxDropped, descPortRxErrors,
		descPortTxPackets, descPortTxBytes, descPortTxDropped, descPortTxErrors,
		descRx, descRecirc, descEMCHits, descMFHits, descMisses, descLost, descUpcallErrs,
		descDrops, descFlows, descSubtables, descAvgLookups,
	} {
		ch <- d
	}
}

// Collect implements prometheus.Collector: it reads the port counters
// (Port.Stats) and the workers' per-batch counters at scrape time.
func (dp *Datapath) Collect(ch chan<- prometheus.Metric) {
	type named struct {
		no   flow.PortNo
		name string
		st   func() [8]uint64
	}
	dp.pt.Lock()
	ps := make([]named, 0, len(dp.pt.m))
	for no, e := range dp.pt.m {
		p := e.port
		ps = append(ps, named{no: no, name: p.Name(), st: func() [8]uint64 {
			s := p.Stats()
			return [8]uint64{s.RxPackets, s.RxBytes, s.RxDropped, s.RxErrors, s.TxPackets, s.TxBytes, s.TxDropped, s.TxErrors}
		}})
	}
	dp.pt.Unlock()
	portDescs := [8]*prometheus.Desc{descPortRxPackets, descPortRxBytes, descPortRxDropped, descPortRxErrors,
		descPortTxPackets, descPortTxBytes, descPortTxDropped, descPortTxErrors}
	for _, p := range ps {
		no := strconv.FormatUint(uint64(p.no), 10)
		for i, v := range p.st() {
			ch <- prometheus.MustNewConstMetric(portDescs[i], prometheus.CounterValue, float64(v), no, p.name)
		}
	}
	for i, s := range dp.Stats() {
		wl := strconv.Itoa(i)
		counter := func(d *prometheus.Desc, v uint64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), wl)
		}
		counter(descRx, s.RxPackets)
		counter(descRecirc, s.Recirculations)
		counter(descEMCHits, s.EMCHits)
		counter(descMFHits, s.MegaflowHits)
		counter(descMisses, s.MissUpcallOK+s.MissUpcallFailed)
		counter(descLost, s.Lost)
		counter(descUpcallErrs, s.MissUpcallFailed)
		for r, v := range s.Drops {
			ch <- prometheus.MustNewConstMetric(descDrops, prometheus.CounterValue, float64(v), wl, DropReason(r).String())
		}
		ch <- prometheus.MustNewConstMetric(descFlows, prometheus.GaugeValue, float64(s.Flows), wl)
		ch <- prometheus.MustNewConstMetric(descSubtables, prometheus.GaugeValue, float64(s.Subtables), wl)
		ch <- prometheus.MustNewConstMetric(descAvgLookups, prometheus.GaugeValue, s.AvgSubtableLookups(), wl)
	}
}
