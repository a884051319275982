package reconcile

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/normal"
	"govs/ovsdb/schema"
	"govs/ports"
	"govs/ports/patch"
	"govs/tunnel"
)

// liveIface is an interface attached to a live bridge.
type liveIface struct {
	uuid     schema.UUID
	name     string
	typ      string // normalised: "" for system
	peer     string // patch only
	ofport   flow.PortNo
	port     ports.Port
	portName string
	tnlOpts  string // tunnel only: the options it was built with
	devOpts  string // afxdp only: the device options it was opened with (deviceOptionsKey)
	// carrierBase is the device's carrier_changes count when the
	// reconciler first saw it (-1: not yet), so link_resets counts the
	// changes since the port was added, as OVS's carrier_resets.
	carrierBase int64
}

// liveBridge is a bridge the reconciler created.
type liveBridge struct {
	uuid   schema.UUID
	name   string
	br     *bridge.Bridge
	ifaces map[string]*liveIface // by interface name
	last   flow.PortNo           // last allocated ofport
	tnl    *tunnel.Table         // tunnel ports and their underlay ports
	// ctrls and probe are the controller targets and probe interval last
	// given to onControllers.
	ctrls []string
	probe time.Duration
}

// ifaceResult is the outcome for an interface row in the last pass.
type ifaceResult struct {
	live *liveIface // nil on failure
	err  string
}

// engine makes live bridges match a dbState. It is used by one goroutine
// (the reconciler's loop); Reconciler.mu guards the bridges map for
// readers (unixctl, stats).
type engine struct {
	opener  Opener
	log     *slog.Logger
	dpCfg   datapath.Config
	bridges map[string]*liveBridge
	// pending patch ends: the end for interface <key> whose peer is
	// attached but which is not attached itself yet.
	pending map[string]*patch.Port
	results map[schema.UUID]ifaceResult
	// failed and nextFailed hold the errors of the previous and the
	// current pass, so a persisting failure is logged once at Warn.
	failed, nextFailed map[schema.UUID]string
	// onBridge is Config.OnBridge (may be nil).
	onBridge func(name string, br *bridge.Bridge, added bool)
	// connected is Config.ControllerConnected (may be nil).
	connected func(bridge, target string) bool
	// onControllers is Config.OnControllers (may be nil).
	onControllers func(name string, br *bridge.Bridge, targets []string, probe time.Duration)
}

func (e *engine) notify(name string, br *bridge.Bridge, added bool) {
	if e.onBridge != nil {
		e.onBridge(name, br, added)
	}
}

func newEngine(o Opener, log *slog.Logger, dpCfg datapath.Config) *engine {
	return &engine{opener: o, log: log, dpCfg: dpCfg, bridges: map[string]*liveBridge{}, pending: map[string]*patch.Port{}, results: map[schema.UUID]ifaceResult{}}
}

// normType returns the interface type with "system" folded into "".
func normType(t string) string {
	if t == TypeSystem {
		return ""
	}
	return t
}

// wantIface is a desired interface with its port.
type wantIface struct {
	port  *portCfg
	iface *ifaceCfg
}

// apply runs one reconcile pass. lock is taken around every change of
// e.bridges (the map readers use).
func (e *engine) apply(st *dbState, lock func() func()) {
	e.results = map[schema.UUID]ifaceResult{}
	e.nextFailed = map[schema.UUID]string{}
	defer func() { e.failed = e.nextFailed }()
	want := map[string]*bridgeCfg{}
	for _, b := range st.Bridges {
		want[b.Name] = b
	}
	// Desired interfaces per bridge; an interface name used twice (in
	// one bridge or across bridges) is attached once, as OVS.
	wantIfaces := map[string]map[string]wantIface{}
	seen := map[string]bool{}
	for _, b := range st.Bridges {
		m := map[string]wantIface{}
		for _, p := range b.Ports {
			for _, ic := range p.Ifaces {
				if ic.Name == "" || seen[ic.Name] {
					e.results[ic.UUID] = ifaceResult{err: fmt.Sprintf("could not open network device %s (File exists)", ic.Name)}
					continue
				}
				seen[ic.Name] = true
				m[ic.Name] = wantIface{port: p, iface: ic}
			}
		}
		wantIfaces[b.Name] = m
	}

	// Phase 1: removals.
	for name, lb := range e.bridges {
		if b := want[name]; b == nil {
			e.log.Info("deleted bridge", "bridge", name)
			unlock := lock()
			delete(e.bridges, name)
			unlock()
			for _, li := range lb.ifaces {
				e.dropPending(li)
			}
			e.notify(name, lb.br, false)
			_ = lb.br.Close()
			lb.tnl.Close()
			continue
		}
		for iname, li := range lb.ifaces {
			w, ok := wantIfaces[name][iname]
			if ok && !e.changed(li, w) {
				continue
			}
			e.removeIface(lb, li)
		}
	}

	// Open_vSwitch other_config:vlan-limit is global, as in OVS.
	e.dpCfg.VLANLimit = ovsVLANLimit(st.OtherConfig)
	for _, lb := range e.bridges {
		lb.br.Datapath().SetVLANLimit(e.dpCfg.VLANLimit)
	}

	// Phase 2: bridges and additions.
	for _, b := range st.Bridges {
		lb := e.bridges[b.Name]
		if lb == nil {
			br, err := bridge.New(bridge.Config{Name: b.Name, Datapath: e.dpCfg})
			if err != nil {
				e.log.Error("could not create bridge", "bridge", b.Name, "err", err)
				for _, w := range wantIfaces[b.Name] {
					e.results[w.iface.UUID] = ifaceResult{err: err.Error()}
				}
				continue
			}
			tnl := e.newTunnelTable(b.Name, br)
			pipe := NewOFPipeline(br)
			pipe.SetTunnels(tnl)
			br.SetPipeline(pipe)
			lb = &liveBridge{uuid: b.UUID, name: b.Name, br: br, ifaces: map[string]*liveIface{}, tnl: tnl}
			unlock := lock()
			e.bridges[b.Name] = lb
			unlock()
			e.log.Info("created bridge", "bridge", b.Name)
			e.notify(b.Name, br, true)
		}
		lb.uuid = b.UUID
		e.configureBridge(lb, b)
		for _, p := range b.Ports {
			for _, ic := range p.Ifaces {
				w, ok := wantIfaces[b.Name][ic.Name]
				if !ok || w.iface != ic {
					continue
				}
				if li := lb.ifaces[ic.Name]; li != nil {
					li.uuid = ic.UUID
					e.configurePort(lb, li, p)
					e.results[ic.UUID] = ifaceResult{live: li}
					continue
				}
				e.addIface(lb, b, p, ic)
			}
		}
	}
}

// changed reports whether a live interface must be re-created.
func (e *engine) changed(li *liveIface, w wantIface) bool {
	if normType(w.iface.Type) != li.typ {
		return true
	}
	if li.typ == TypePatch && w.iface.Options["peer"] != li.peer {
		return true
	}
	if tunnel.IsTunnelType(li.typ) && optionsKey(w.iface.Options) != li.tnlOpts {
		return true
	}
	if li.typ == TypeAFXDP && deviceOptionsKey(li.typ, w.iface.Options) != li.devOpts {
		return true
	}
	if w.iface.BondError {
		return true
	}
	if r := w.iface.OFPortRequest; r >= 1 && r <= ofpMaxRequest && flow.PortNo(r) != li.ofport && li.ofport != flow.PortLocal {
		return true
	}
	return false
}

// removeIface detaches li. A patch port's live peer is detached too (it
// is re-attached, with a new pair, in phase 2 of the same pass).
func (e *engine) removeIface(lb *liveBridge, li *liveIface) {
	e.log.Info("deleted interface", "bridge", lb.name, "interface", li.name, "ofport", li.ofport)
	delete(lb.ifaces, li.name)
	if li.tnlOpts != "" {
		// Unregister first: the bridge's revalidation below must no
		// longer map decapsulated packets to this port.
		lb.tnl.RemoveTunnel(li.ofport)
	}
	if err := lb.br.RemovePort(li.ofport); err != nil {
		e.log.Warn("removing port", "bridge", lb.name, "interface", li.name, "err", err)
	}
	if li.typ != TypePatch {
		return
	}
	e.dropPending(li)
	for _, ob := range e.bridges {
		if pi := ob.ifaces[li.peer]; pi != nil && pi.typ == TypePatch && pi.peer == li.name {
			e.removeIface(ob, pi)
		}
	}
}

// dropPending closes the unattached end waiting for li's peer.
func (e *engine) dropPending(li *liveIface) {
	if li.typ != TypePatch {
		return
	}
	if p := e.pending[li.peer]; p != nil && p.Peer() == li.name {
		_ = p.Close()
		delete(e.pending, li.peer)
	}
}

// ovsVLANLimit is Open_vSwitch other_config:vlan-limit as OVS's bridge.c
// reads it (smap_get_int with default 1): absent or not an integer gives
// flow.DefaultVLANLimit; 0 (unlimited) is kept for datapath.Config.
func ovsVLANLimit(oc map[string]string) int {
	n, err := strconv.Atoi(oc["vlan-limit"])
	if err != nil {
		return flow.DefaultVLANLimit
	}
	return max(n, 0)
}

// configureBridge applies the Bridge row's fail_mode and other_config.
func (e *engine) configureBridge(lb *liveBridge, b *bridgeCfg) {
	fm, ok := bridge.ParseFailMode(b.FailMode)
	if !ok {
		e.log.Warn("unknown fail_mode, using standalone", "bridge", b.Name, "fail_mode", b.FailMode)
	}
	lb.br.SetFailMode(fm)
	lb.br.SetForwardBPDU(b.OtherConfig["forward-bpdu"] == "true")
	targets := make([]string, 0, len(b.Controllers))
	probe := DefaultProbeInterval
	for _, c := range b.Controllers {
		if c.Target != "" {
			targets = append(targets, c.Target)
		}
		// rconn_set_probe_interval: at least 5 s; 0 disables probing.
		if d := time.Duration(c.Probe) * time.Millisecond; d > probe {
			probe = d
		}
	}
	lb.br.SetHasControllers(len(targets) > 0)
	if !slices.Equal(targets, lb.ctrls) || probe != lb.probe {
		lb.ctrls, lb.probe = targets, probe
		if e.onControllers != nil {
			e.onControllers(lb.name, lb.br, targets, probe)
		}
	}
}

// DefaultProbeInterval is a controller connection's inactivity probe
// interval when Controller.inactivity_probe is not set (OVS: 5 s, also
// the minimum); fail-open starts after three of them without a
// controller.
const DefaultProbeInterval = 5 * time.Second

// portInfo builds the bridge.PortInfo of li from its Port row.
func (e *engine) portInfo(lb *liveBridge, li *liveIface, p *portCfg) bridge.PortInfo {
	vc, warns, err := normal.PortFromDB(li.ofport, li.name, p.Tag, p.Trunks, p.VLANMode)
	for _, w := range warns {
		e.log.Warn(w, "bridge", lb.name, "port", p.Name)
	}
	if err != nil {
		e.log.Warn("port VLAN configuration", "bridge", lb.name, "port", p.Name, "err", err)
	}
	return bridge.PortInfo{OFPort: li.ofport, Name: li.name, Type: li.typ, VLAN: vc}
}

func (e *engine) configurePort(lb *liveBridge, li *liveIface, p *portCfg) {
	li.portName = p.Name
	if changed, err := lb.br.SetPortInfo(e.portInfo(lb, li, p)); err != nil {
		e.log.Warn("configuring port", "bridge", lb.name, "port", p.Name, "err", err)
	} else if changed {
		e.log.Info("port reconfigured", "bridge", lb.name, "port", p.Name)
	}
}

// addIface opens and attaches one interface.
func (e *engine) addIface(lb *liveBridge, b *bridgeCfg, p *portCfg, ic *ifaceCfg) {
	lastBefore := lb.last
	fail := func(err error) {
		lb.last = lastBefore // a failed interface consumes no number
		msg := err.Error()
		if e.failed[ic.UUID] != msg {
			e.log.Warn("could not add interface", "bridge", lb.name, "interface", ic.Name, "err", err)
		} else {
			e.log.Debug("could not add interface", "bridge", lb.name, "interface", ic.Name, "err", err)
		}
		e.nextFailed[ic.UUID] = msg
		e.results[ic.UUID] = ifaceResult{err: msg}
	}
	if ic.BondError {
		fail(fmt.Errorf("could not open network device %s (port %s has %d interfaces: bonds are not supported)", ic.Name, p.Name, len(p.Ifaces)))
		return
	}
	typ := normType(ic.Type)
	li := &liveIface{uuid: ic.UUID, name: ic.Name, typ: typ, portName: p.Name, carrierBase: -1}
	used := map[flow.PortNo]bool{}
	for _, x := range lb.ifaces {
		used[x.ofport] = true
	}
	if ic.Name == b.Name && typ == TypeInternal {
		li.ofport = flow.PortLocal
		if used[flow.PortLocal] {
			fail(errors.New("could not open network device " + ic.Name + " (File exists)"))
			return
		}
	} else {
		li.ofport = pickOFPort(ic.OFPortRequest, ic.DBOFPort, used, &lb.last)
		if li.ofport == 0 {
			fail(errors.New("could not add network device " + ic.Name + " to ofproto (No space left on device)"))
			return
		}
	}
	var (
		port ports.Port
		err  error
	)
	switch typ {
	case TypePatch:
		port, err = e.openPatch(ic)
		li.peer = ic.Options["peer"]
	case "", TypeInternal, TypeTap:
		port, err = e.opener.Open(ic.Name, typ)
	case TypeAFXDP:
		if oo, ok := e.opener.(OptionsOpener); ok {
			li.devOpts = deviceOptionsKey(typ, ic.Options)
			port, err = oo.OpenWithOptions(ic.Name, typ, ic.Options)
		} else {
			err = unsupportedType(ic.Name, ic.Type)
		}
	case "geneve", "vxlan":
		port, err = e.openTunnel(lb, li, ic)
	default:
		err = unsupportedType(ic.Name, ic.Type)
	}
	if err != nil {
		fail(err)
		return
	}
	li.port = port
	if err := lb.br.AddPort(e.portInfo(lb, li, p), port); err != nil {
		if li.tnlOpts != "" {
			lb.tnl.RemoveTunnel(li.ofport)
		}
		fail(fmt.Errorf("could not add network device %s to ofproto (%v)", ic.Name, err))
		return
	}
	lb.ifaces[ic.Name] = li
	e.results[ic.UUID] = ifaceResult{live: li}
	if m, ok := port.(interface{ ModeInUse() string }); ok { // afxdp: what best-effort chose, as OVS's xdp-mode-in-use
		e.log.Info("added interface", "bridge", lb.name, "interface", ic.Name, "type", ic.Type, "ofport", li.ofport, "xdp-mode-in-use", m.ModeInUse())
	} else {
		e.log.Info("added interface", "bridge", lb.name, "interface", ic.Name, "type", ic.Type, "ofport", li.ofport)
	}
}

// openPatch returns this interface's end of its patch pair: the pending
// end if the peer is attached already, else a new pair whose other end
// waits for the peer.
func (e *engine) openPatch(ic *ifaceCfg) (ports.Port, error) {
	peer := ic.Options["peer"]
	if peer == "" || peer == ic.Name {
		return nil, fmt.Errorf("could not set configuration (%s: patch type requires valid 'peer' argument)", ic.Name)
	}
	if p := e.pending[ic.Name]; p != nil {
		delete(e.pending, ic.Name)
		if p.Peer() == peer {
			return p, nil
		}
		_ = p.Close()
	}
	a, b, err := patch.Pair(ic.Name, peer, 0)
	if err != nil {
		return nil, err
	}
	if old := e.pending[peer]; old != nil {
		_ = old.Close()
	}
	e.pending[peer] = b
	return a, nil
}

// closeAll closes every bridge (ports, TAP devices) and pending patch end.
func (e *engine) closeAll(lock func() func()) {
	unlock := lock()
	bs := e.bridges
	e.bridges = map[string]*liveBridge{}
	unlock()
	for name, lb := range bs {
		e.notify(name, lb.br, false)
		_ = lb.br.Close()
		lb.tnl.Close()
	}
	for k, p := range e.pending {
		_ = p.Close()
		delete(e.pending, k)
	}
}
