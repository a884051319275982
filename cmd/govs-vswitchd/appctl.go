package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/maclearn"
	"govs/ofproto/unixctl"
	"govs/tunnel"
)

// Errors worded as OVS's replies.
var errNoSuchBridge = errors.New("no such bridge")

// onBridge is the reconciler's bridge hook.
func (d *daemon) onBridge(name string, br *bridge.Bridge, added bool) {
	if d.metrics != nil {
		d.metrics.bridge(name, br, added)
	}
	if added {
		d.startOpenFlow(name, br)
	} else {
		d.stopOpenFlow(name)
	}
}

// registerCommands installs govs-vswitchd's unixctl commands.
func (d *daemon) registerCommands(s *unixctl.Server) {
	s.RegisterAfter("exit", "[--cleanup]", 0, 1, func(args []string) (string, error) {
		if len(args) == 1 && args[0] != "--cleanup" {
			return "", fmt.Errorf("unknown option %q", args[0])
		}
		return "", nil
	}, d.cancel)
	s.Register("vlog/set", "{spec | PATTERN:destination:pattern}", 0, unixctl.Unlimited, func(args []string) (string, error) {
		if len(args) == 0 {
			args = []string{"dbg"}
		}
		for _, a := range args {
			if err := d.vlog.set(a); err != nil {
				return "", err
			}
		}
		return "", nil
	})
	s.Register("vlog/list", "", 0, 0, func([]string) (string, error) { return d.vlog.list(), nil })
	s.Register("vlog/reopen", "", 0, 0, d.vlogReopen)
	s.Register("ofproto/list", "", 0, 0, func([]string) (string, error) {
		var b strings.Builder
		for _, n := range d.rec.BridgeNames() {
			b.WriteString(n + "\n")
		}
		return b.String(), nil
	})
	s.Register("dpctl/dump-flows", "[-m] [--names] [dp]", 0, unixctl.Unlimited, d.dumpFlows)
	s.Register("dpif-netdev/pmd-stats-show", "[-pmd core] [dp]", 0, unixctl.Unlimited, d.pmdStats)
	s.Register("fdb/show", "bridge", 1, 1, d.fdbShow)
	s.Register("tnl/ports/show", "[-v]", 0, 1, d.tnlPortsShow)
	s.Register("fdb/flush", "[bridge]", 0, 1, d.fdbFlush)
	s.Register("ofproto/trace", traceUsage, 1, unixctl.Unlimited, d.ofprotoTrace)
	s.Register("bridge/dump-flows", "[--offload-stats] bridge", 1, 2, d.bridgeDumpFlows)
}

// vlogReopen reopens the log file (after logrotate moved it).
func (d *daemon) vlogReopen([]string) (string, error) {
	if d.cfg.LogFile == "" {
		return "", errors.New("Logging to file not configured")
	}
	f, err := os.OpenFile(d.cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, filePerm)
	if err != nil {
		return "", fmt.Errorf("could not reopen log file %s: %v", d.cfg.LogFile, err)
	}
	if old := d.vlog.setFile(f); old != nil {
		_ = old.Close()
	}
	return "", nil
}

// selectBridges maps a dpctl datapath argument to bridges: none, the
// shared name "ovs-netdev" / "netdev@ovs-netdev" → all; "[netdev@]BR" → BR.
func (d *daemon) selectBridges(dp string) ([]*bridge.Bridge, error) {
	dp = strings.TrimPrefix(dp, "netdev@")
	if dp == "" || dp == "ovs-netdev" {
		var out []*bridge.Bridge
		for _, n := range d.rec.BridgeNames() {
			if br := d.rec.Bridge(n); br != nil {
				out = append(out, br)
			}
		}
		return out, nil
	}
	br := d.rec.Bridge(dp)
	if br == nil {
		return nil, fmt.Errorf("opening datapath %s failed (No such device)", dp)
	}
	return []*bridge.Bridge{br}, nil
}

// dpArgs splits dpctl options from the datapath argument. Unsupported
// options (filter=, type=, pmd=) are rejected with a clear error.
func dpArgs(args []string) (names bool, dp string, err error) {
	for _, a := range args {
		switch {
		case a == "-m" || a == "--more":
		case a == "--names":
			names = true
		case a == "--no-names":
			names = false
		case strings.HasPrefix(a, "-"), strings.Contains(a, "="):
			return false, "", fmt.Errorf("govs: dpctl option %q is not supported", a)
		default:
			if dp != "" {
				return false, "", fmt.Errorf("too many arguments")
			}
			dp = a
		}
	}
	return names, dp, nil
}

func (d *daemon) dumpFlows(args []string) (string, error) {
	names, dp, err := dpArgs(args)
	if err != nil {
		return "", err
	}
	brs, err := d.selectBridges(dp)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	for _, br := range brs {
		var pn func(flow.PortNo) string
		if names {
			pn = br.Datapath().PortName
		}
		if err := br.Datapath().DumpFlows(&b, pn); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

func (d *daemon) pmdStats(args []string) (string, error) {
	_, dp, err := dpArgs(args)
	if err != nil {
		return "", err
	}
	brs, err := d.selectBridges(dp)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	for _, br := range brs {
		if len(brs) > 1 {
			fmt.Fprintf(&b, "bridge %s:\n", br.Name())
		}
		if err := br.Datapath().PMDStats(&b); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// fdbHeader is fdb/show's header line for a table with no entries.
const fdbHeader = " port  VLAN  MAC                Age\n"

func (d *daemon) fdbShow(args []string) (string, error) {
	br := d.rec.Bridge(args[0])
	if br == nil {
		return "", errNoSuchBridge
	}
	t := br.MACTable()
	if t == nil {
		return fdbHeader, nil
	}
	return string(t.AppendFDBShow(nil)), nil
}

func (d *daemon) fdbFlush(args []string) (string, error) {
	var brs []*bridge.Bridge
	if len(args) == 1 {
		br := d.rec.Bridge(args[0])
		if br == nil {
			return "", errNoSuchBridge
		}
		brs = append(brs, br)
	} else {
		brs, _ = d.selectBridges("")
	}
	for _, br := range brs {
		if t := br.MACTable(); t != nil {
			t.Flush()
		}
	}
	return maclearn.FlushReply, nil
}

// bridgeDumpFlows prints the bridge's flows including hidden ones, as
// OVS's bridge/dump-flows: the implicit NORMAL flow of a standalone
// bridge (its counters are the datapath's received packets) and the
// table 254 internal flows.
func (d *daemon) bridgeDumpFlows(args []string) (string, error) {
	name := args[len(args)-1]
	if len(args) == 2 && args[0] != "--offload-stats" {
		return "", fmt.Errorf("unknown option %q", args[0])
	}
	br := d.rec.Bridge(name)
	if br == nil {
		return "", errNoSuchBridge
	}
	dur := int64(time.Since(br.Created()) / time.Second)
	var b strings.Builder
	if br.FailMode() == bridge.FailStandalone {
		var pkts, bytes uint64
		for _, s := range br.Datapath().Stats() {
			pkts += s.RxPackets
			bytes += s.RxBytes
		}
		fmt.Fprintf(&b, "duration=%ds, n_packets=%d, n_bytes=%d, priority=0,actions=NORMAL\n", dur, pkts, bytes)
	}
	for _, hidden := range []string{"priority=2,recirc_id=0,actions=drop", "priority=0,reg0=0x1,actions=controller(reason=)",
		"priority=0,reg0=0x2,actions=drop", "priority=0,reg0=0x3,actions=drop"} {
		fmt.Fprintf(&b, "table_id=254, duration=%ds, n_packets=0, n_bytes=0, %s\n", dur, hidden)
	}
	return b.String(), nil
}

// tunnelTabler is a pipeline with a tunnel table (reconcile.OFPipeline).
type tunnelTabler interface{ Tunnels() *tunnel.Table }

// tnlPortsShow is tnl/ports/show: the underlay ports tunnel ports listen
// on, as OVS ("NAME (DP_PORT) ref_cnt=N"). govs's underlay sockets listen
// on every local IPv4 address, so -v shows one entry per port without a
// destination address or MAC.
func (d *daemon) tnlPortsShow(args []string) (string, error) {
	verbose := len(args) == 1 && args[0] == "-v"
	if len(args) == 1 && !verbose {
		return "", fmt.Errorf("unknown option %q", args[0])
	}
	var b strings.Builder
	b.WriteString("Listening ports:\n")
	brs, _ := d.selectBridges("")
	for _, br := range brs {
		tt, ok := br.Pipeline().(tunnelTabler)
		if !ok || tt.Tunnels() == nil {
			continue
		}
		for _, l := range tt.Tunnels().ListeningPorts() {
			if verbose {
				fmt.Fprintf(&b, "%s (%d) : eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=%d)\n", l.Name, l.Port, l.DstPort)
			} else {
				fmt.Fprintf(&b, "%s (%d) ref_cnt=%d\n", l.Name, l.Port, l.Refs)
			}
		}
	}
	return b.String(), nil
}
