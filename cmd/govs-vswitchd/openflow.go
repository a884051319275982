package main

import (
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath/flow"
	"govs/ofproto/bridge"
	"govs/ofproto/ofp"
	"govs/ofproto/ofserver"
	"govs/ofproto/reconcile"
	"govs/ofproto/tables"
	"govs/ports/ethtool"
	"govs/tunnel"
)

const (
	// mgmtSuffix names a bridge's management socket, <rundir>/<br>.mgmt,
	// as ovs-vswitchd (ovs-ofctl connects to it).
	mgmtSuffix = ".mgmt"
)

// ofBridge is the OpenFlow side of one bridge: its server and the
// goroutine that turns port-change signals into PORT_STATUS.
type ofBridge struct {
	srv  *ofserver.Server
	br   *bridge.Bridge
	pipe *reconcile.OFPipeline
	log  *slog.Logger
	// probe is the controllers' inactivity probe interval (ns): fail-open
	// starts after three of them without a controller.
	probe atomic.Int64
	kick  chan struct{}
	stop  chan struct{}
	done  chan struct{}
	close sync.Once
}

// ofBridges are the daemon's OpenFlow servers by bridge name. They are
// started and stopped on the reconciler's goroutine (onBridge); the
// mutex lets shutdown close leftovers.
type ofBridges struct {
	mu sync.Mutex
	m  map[string]*ofBridge // guarded by mu
}

// startOpenFlow serves OpenFlow for br on punix:<rundir>/<name>.mgmt.
func (d *daemon) startOpenFlow(name string, br *bridge.Bridge) {
	op, ok := br.Pipeline().(*reconcile.OFPipeline)
	if !ok {
		d.log.Warn("bridge has no OpenFlow pipeline; not serving OpenFlow", "bridge", name)
		return
	}
	t := op.Tables()
	sw := ofserver.NewBridgeSwitch(br, t, ofserver.BridgeOptions{
		Describe: describePort,
		PacketOut: func(po *ofserver.PacketOut) error {
			return op.PacketOut(po.InPort, po.Data, po.Actions)
		},
		PortMod: func(m *ofserver.PortMod) error { return d.portMod(br, m) },
		TLV:     op.TLV(),
	})
	srv := ofserver.New(sw, ofserver.Config{Bridge: name, Logger: d.vlog.logger("ofserver")})
	sw.SetEvents(srv)
	target := "punix:" + filepath.Join(d.cfg.Rundir, name+mgmtSuffix)
	if _, err := srv.Listen(target, ofserver.KindService); err != nil {
		d.log.Error("could not serve OpenFlow", "bridge", name, "target", target, "err", err)
		_ = srv.Close()
		return
	}
	ob := &ofBridge{srv: srv, br: br, pipe: op, log: d.log.With("bridge", name), kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	ob.probe.Store(int64(reconcile.DefaultProbeInterval))
	br.Datapath().SetControllerHook(&ofserver.ControllerHook{Server: srv, Decode: func(cookie uint64) (ofserver.ControllerInfo, bool) {
		ci, ok := op.ControllerInfo(cookie)
		return ofserver.ControllerInfo{Reason: ci.Reason, Table: ci.Table, Cookie: ci.Cookie, MaxLen: ci.MaxLen}, ok
	}})
	op.SetOnRemoved(func(rs []tables.Removed) {
		for i := range rs {
			if rs[i].Rule.SendFlowRem() {
				srv.FlowRemoved(ofserver.RemovedEvent(&rs[i]))
			}
		}
	})
	// PortsChanged runs with the bridge lock held and Server.PortsChanged
	// reads the bridge's ports: signal a goroutine instead.
	op.SetOnPortsChanged(func() {
		select {
		case ob.kick <- struct{}{}:
		default:
		}
	})
	go ob.portLoop()
	srv.PortsChanged()

	d.ofb.mu.Lock()
	if d.ofb.m == nil {
		d.ofb.m = make(map[string]*ofBridge)
	}
	old := d.ofb.m[name]
	d.ofb.m[name] = ob
	d.ofb.mu.Unlock()
	if old != nil {
		old.shutdown()
	}
}

// stopOpenFlow closes bridge name's server (its .mgmt socket is removed).
func (d *daemon) stopOpenFlow(name string) {
	d.ofb.mu.Lock()
	ob := d.ofb.m[name]
	delete(d.ofb.m, name)
	d.ofb.mu.Unlock()
	if ob != nil {
		ob.shutdown()
	}
}

// stopAllOpenFlow closes every server (daemon shutdown).
func (d *daemon) stopAllOpenFlow() {
	d.ofb.mu.Lock()
	m := d.ofb.m
	d.ofb.m = nil
	d.ofb.mu.Unlock()
	for _, ob := range m {
		ob.shutdown()
	}
}

// failOpenCheck is how often a bridge checks whether to fail open.
const failOpenCheck = time.Second

// failOpenProbes is OVS's fail-open trigger: three probe intervals
// without any controller (fail-open.c trigger_duration).
const failOpenProbes = 3

func (ob *ofBridge) portLoop() {
	defer close(ob.done)
	tick := time.NewTicker(failOpenCheck)
	defer tick.Stop()
	for {
		select {
		case <-ob.stop:
			return
		case <-ob.kick:
			ob.srv.PortsChanged()
		case now := <-tick.C:
			ob.checkFailOpen(now)
		}
	}
}

// checkFailOpen is OVS's fail_open_run: a standalone bridge whose active
// controllers have all been unreachable for three probe intervals
// forwards with a hidden NORMAL rule above every flow until one connects
// again (fail_open_recover); a secure bridge never fails open.
func (ob *ofBridge) checkFailOpen(now time.Time) {
	d, ok := ob.srv.FailureDuration(now)
	trigger := failOpenProbes * time.Duration(ob.probe.Load())
	open := ok && ob.br.FailMode() == bridge.FailStandalone && ob.br.HasControllers() && d >= trigger
	if open == ob.pipe.FailOpen() {
		return
	}
	ob.pipe.SetFailOpen(open)
	ob.br.Revalidate()
	if open {
		ob.log.Warn(fmt.Sprintf("Could not connect to controller (or switch failed controller's post-connection admission control policy) for %d seconds, failing open", int(d/time.Second)))
	} else {
		ob.log.Warn("No longer in fail-open mode")
	}
}

// onControllers is the reconciler's controller hook: the bridge's server
// connects to and listens on its controller targets.
func (d *daemon) onControllers(name string, _ *bridge.Bridge, targets []string, probe time.Duration) {
	d.ofb.mu.Lock()
	ob := d.ofb.m[name]
	d.ofb.mu.Unlock()
	if ob == nil {
		return
	}
	ob.probe.Store(int64(probe))
	if err := ob.srv.SetControllers(targets); err != nil {
		d.log.Warn("controller configuration", "bridge", name, "err", err)
	}
}

// controllerConnected reports Controller.is_connected for the reconciler.
func (d *daemon) controllerConnected(name, target string) bool {
	d.ofb.mu.Lock()
	ob := d.ofb.m[name]
	d.ofb.mu.Unlock()
	if ob == nil {
		return false
	}
	t, err := ofserver.ParseTarget(target)
	if err != nil {
		return false
	}
	for _, st := range ob.srv.Controllers() {
		if st.Target == t.String() {
			return st.Connected
		}
	}
	return false
}

// shutdown detaches the hooks, stops the port goroutine and closes the
// server. It is idempotent.
func (ob *ofBridge) shutdown() {
	ob.close.Do(func() {
		ob.pipe.SetOnPortsChanged(nil)
		ob.pipe.SetOnRemoved(nil)
		close(ob.stop)
		<-ob.done
		_ = ob.srv.Close()
	})
}

// portMod applies OFPT_PORT_MOD as OVS's update_port_config: PORT_DOWN
// turns the device's IFF_UP off or on (when that fails the bit is left as
// it is, without an error, as OVS), the other bits go to the bridge,
// which revalidates.
func (d *daemon) portMod(br *bridge.Bridge, m *ofserver.PortMod) error {
	no := flow.PortNo(m.PortNo)
	if m.Mask&ofp.PortConfigPortDown != 0 {
		for _, in := range br.Ports() {
			if in.OFPort != no {
				continue
			}
			if err := setAdminUp(in.Name, m.Config&ofp.PortConfigPortDown == 0); err != nil {
				d.log.Warn("could not change the port's administrative state", "bridge", br.Name(), "port", in.Name, "err", err)
			}
		}
	}
	bits := m.Mask & bridge.PortConfigBits
	_, err := br.SetPortConfig(no, m.Config&bits, bits)
	return err
}

// describePort fills in a port's hardware address, link state and
// current speed from the kernel device of the same name (a device that
// is gone reports a zero address and link down).
func describePort(info bridge.PortInfo, d *ofserver.PortDesc) {
	if tunnel.IsTunnelType(info.Type) {
		// A tunnel port has no device: it is live, with a stable locally
		// administered address (OVS gives vports a random one).
		h := fnv.New32a()
		h.Write([]byte(info.Name))
		v := h.Sum32()
		d.HWAddr = [6]byte{0x02, 0x67, byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		d.State = ofp.PortStateLive
		return
	}
	ifc, err := net.InterfaceByName(info.Name)
	if err != nil {
		d.State = ofp.PortStateLinkDown
		return
	}
	copy(d.HWAddr[:], ifc.HardwareAddr)
	d.Curr, d.CurrSpeed = linkFeatures(info.Name)
	switch {
	case ifc.Flags&net.FlagUp == 0:
		d.Config |= ofp.PortConfigPortDown
		d.State = ofp.PortStateLinkDown
	case ifc.Flags&net.FlagRunning == 0:
		d.State = ofp.PortStateLinkDown
	default:
		d.State = ofp.PortStateLive
	}
}

// Kernel link speeds (Mb/s, as /sys/class/net/DEV/speed reports them) and
// their OpenFlow feature bits, as OVS's netdev_linux_read_features.
var linkSpeeds = []struct {
	mbps   int
	hd, fd uint32
}{
	{10, ofp.PortFeature10MBHD, ofp.PortFeature10MBFD},
	{100, ofp.PortFeature100MBHD, ofp.PortFeature100MBFD},
	{1000, ofp.PortFeature1GBHD, ofp.PortFeature1GBFD},
	{10000, ofp.PortFeature10GBFD, ofp.PortFeature10GBFD},
	{40000, ofp.PortFeature40GBFD, ofp.PortFeature40GBFD},
	{100000, ofp.PortFeature100GBFD, ofp.PortFeature100GBFD},
	{1000000, ofp.PortFeature1TBFD, ofp.PortFeature1TBFD},
}

// kbpsPerMbps converts Mb/s to the kb/s of ofp_port.curr_speed.
const kbpsPerMbps = 1000

// linkFeatures returns a device's current-speed feature bits and speed in
// kb/s as OVS's netdev_linux_read_features reads them with ETHTOOL_GSET
// (which answers for a device that is down, unlike sysfs): the speed's
// feature bit (OTHER for a speed OpenFlow has no bit for), COPPER for a
// twisted-pair port (virtual devices: veth, tun), FIBER for fibre; 0, 0
// when the driver does not know the speed.
func linkFeatures(name string) (uint32, uint32) {
	l, err := ethtool.LinkSettings(name)
	if err != nil || l.SpeedMbps == 0 {
		return 0, 0
	}
	f := uint32(ofp.PortFeatureOther)
	for _, ls := range linkSpeeds {
		if ls.mbps == int(l.SpeedMbps) {
			f = ls.hd
			if l.FullDuplex {
				f = ls.fd
			}
		}
	}
	switch {
	case l.TwistedPair:
		f |= ofp.PortFeatureCopper
	case l.Fibre:
		f |= ofp.PortFeatureFiber
	}
	return f, l.SpeedMbps * kbpsPerMbps
}
