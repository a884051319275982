package reconcile

import (
	"log/slog"
	"sort"
	"strings"

	"govs/ofproto/bridge"
	"govs/ports"
	"govs/tunnel"
)

// UnderlayOpener is an optional Opener capability: the shared underlay
// port of tunnel ports of one type and UDP port (genev_sys_6081...).
// Without it, geneve and vxlan interfaces fail with a clear error.
type UnderlayOpener interface {
	OpenUnderlay(t tunnel.Type, dstPort uint16, log *slog.Logger) (ports.Port, error)
}

// OpenUnderlay implements UnderlayOpener with kernel UDP and raw sockets.
func (o SystemOpener) OpenUnderlay(t tunnel.Type, dstPort uint16, log *slog.Logger) (ports.Port, error) {
	return tunnel.OpenUnderlayPort(t, dstPort, log)
}

// newTunnelTable returns the tunnel table of a new bridge and installs it
// as the datapath's tunnel hook.
func (e *engine) newTunnelTable(name string, br *bridge.Bridge) *tunnel.Table {
	cfg := tunnel.TableConfig{Bridge: name, Datapath: br.Datapath(), Log: e.log}
	if uo, ok := e.opener.(UnderlayOpener); ok {
		cfg.Open = func(t tunnel.Type, dstPort uint16) (ports.Port, error) {
			return uo.OpenUnderlay(t, dstPort, e.log.With("bridge", name))
		}
	}
	t := tunnel.NewTable(cfg)
	br.Datapath().SetTunnelHook(t)
	return t
}

// openTunnel parses a geneve/vxlan interface's options (errors worded
// as OVS's, for Interface.error), registers it with the bridge's tunnel
// table (opening the underlay port if it is the first of its type and
// UDP port) and returns its virtual bridge port.
func (e *engine) openTunnel(lb *liveBridge, li *liveIface, ic *ifaceCfg) (ports.Port, error) {
	typ, _, err := tunnel.ParseType(ic.Name, ic.Type)
	if err != nil {
		return nil, err
	}
	cfg, warns, err := tunnel.ParseConfig(ic.Name, typ, ic.Options)
	for _, w := range warns {
		e.log.Warn(w, "bridge", lb.name)
	}
	if err != nil {
		return nil, err
	}
	if err := lb.tnl.AddTunnel(li.ofport, ic.Name, cfg); err != nil {
		return nil, err
	}
	li.tnlOpts = optionsKey(ic.Options)
	tbl, no := lb.tnl, li.ofport
	return tunnel.NewPort(ic.Name, func() ports.Stats { return tbl.PortStats(no) }), nil
}

// optionsKey is a canonical text of an options map (change detection).
func optionsKey(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("\x00")
	for _, k := range keys {
		b.WriteString(k + "=" + m[k] + "\x00")
	}
	return b.String()
}
