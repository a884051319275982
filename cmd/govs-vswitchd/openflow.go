package main

import (
	"encoding/binary"
	"hash/fnv"
	"net"
	"path/filepath"
	"sync"

	"govs/ofproto/bridge"
	"govs/ofproto/ofp"
	"govs/ofproto/ofserver"
	"govs/ofproto/reconcile"
	"govs/ofproto/tables"
	"govs/tunnel"
)

const (
	// mgmtSuffix names a bridge's management socket, <rundir>/<br>.mgmt,
	// as ovs-vswitchd (ovs-ofctl connects to it).
	mgmtSuffix = ".mgmt"
	// macLen is the length of an Ethernet address.
	macLen = 6
	// dpidMACOffset places the MAC in the low 48 bits of the 64-bit
	// datapath ID (OVS's bridge_pick_datapath_id).
	dpidMACOffset = 2
)

// ofBridge is the OpenFlow side of one bridge: its server and the
// goroutine that turns port-change signals into PORT_STATUS.
type ofBridge struct {
	srv   *ofserver.Server
	pipe  *reconcile.OFPipeline
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
		DatapathID: datapathID(name),
		Describe:   describePort,
	})
	srv := ofserver.New(sw, ofserver.Config{Bridge: name, Logger: d.vlog.logger("ofserver")})
	sw.SetEvents(srv)
	target := "punix:" + filepath.Join(d.cfg.Rundir, name+mgmtSuffix)
	if _, err := srv.Listen(target, ofserver.KindService); err != nil {
		d.log.Error("could not serve OpenFlow", "bridge", name, "target", target, "err", err)
		_ = srv.Close()
		return
	}
	ob := &ofBridge{srv: srv, pipe: op, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
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

func (ob *ofBridge) portLoop() {
	defer close(ob.done)
	for {
		select {
		case <-ob.stop:
			return
		case <-ob.kick:
			ob.srv.PortsChanged()
		}
	}
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

// describePort fills in a port's hardware address and link state from
// the kernel device of the same name (a device that is gone reports a
// zero address and link down).
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

// datapathID is the low 48 bits = the bridge's LOCAL device MAC (0 while
// the device does not exist).
func datapathID(name string) uint64 {
	ifc, err := net.InterfaceByName(name)
	if err != nil || len(ifc.HardwareAddr) != macLen {
		return 0
	}
	var b [8]byte
	copy(b[dpidMACOffset:], ifc.HardwareAddr)
	return binary.BigEndian.Uint64(b[:])
}
