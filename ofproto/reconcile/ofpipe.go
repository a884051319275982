package reconcile

import (
	"sync/atomic"

	"govs/ofproto/bridge"
	"govs/ofproto/tables"
	"govs/ofproto/xlate"
)

// OFPipeline is a bridge's OpenFlow pipeline as the reconciler installs
// it: the xlate pipeline plus fail-mode handling (bridge.FailModeSetter)
// and two hooks the OpenFlow server sets after the bridge is created.
type OFPipeline struct {
	*xlate.Pipeline
	// onRemoved receives rules expired by Tick (FLOW_REMOVED).
	onRemoved atomic.Pointer[func([]tables.Removed)]
	// onPorts is called (bridge lock held: it must not call back into
	// the bridge) after every port change.
	onPorts atomic.Pointer[func()]
	// controllers: the bridge has controllers (set with the bridge lock
	// held, read by SetFailMode under it).
	controllers bool
}

var (
	_ bridge.Pipeline         = (*OFPipeline)(nil)
	_ bridge.FailModeSetter   = (*OFPipeline)(nil)
	_ bridge.ControllerSetter = (*OFPipeline)(nil)
	_ bridge.MACTabler        = (*OFPipeline)(nil)
	_ bridge.BPDUForwarder    = (*OFPipeline)(nil)
)

// NewOFPipeline returns the OpenFlow pipeline of br with empty tables; the
// bridge adds the standalone NORMAL flow through SetFailMode when the
// pipeline is installed.
func NewOFPipeline(br *bridge.Bridge) *OFPipeline {
	p := &OFPipeline{}
	p.Pipeline = xlate.New(xlate.Config{Bridge: br.Name(), Tables: tables.New(tables.Config{}),
		Datapath: br.Datapath(), OnRemoved: p.removed})
	return p
}

func (p *OFPipeline) removed(rs []tables.Removed) {
	if fn := p.onRemoved.Load(); fn != nil {
		(*fn)(rs)
	}
}

// SetOnRemoved sets the receiver of expired rules (nil: none).
func (p *OFPipeline) SetOnRemoved(fn func([]tables.Removed)) {
	if fn == nil {
		p.onRemoved.Store(nil)
		return
	}
	p.onRemoved.Store(&fn)
}

// SetOnPortsChanged sets fn, called after every port change with the
// bridge lock held (fn must only signal, e.g. a channel). nil: none.
func (p *OFPipeline) SetOnPortsChanged(fn func()) {
	if fn == nil {
		p.onPorts.Store(nil)
		return
	}
	p.onPorts.Store(&fn)
}

// PortsChanged implements bridge.Pipeline.
func (p *OFPipeline) PortsChanged(ports []bridge.PortInfo) {
	p.Pipeline.PortsChanged(ports)
	if fn := p.onPorts.Load(); fn != nil {
		(*fn)()
	}
}

// SetFailMode implements bridge.FailModeSetter as OVS's
// connmgr_set_fail_mode: every flow is flushed and, in standalone
// without controllers, "priority=0 actions=NORMAL" is added back
// (connmgr_flushed).
func (p *OFPipeline) SetFailMode(m bridge.FailMode) {
	t := p.Tables()
	t.Flush()
	if m == bridge.FailStandalone && !p.controllers {
		t.AddDefaultNormal()
	}
}

// SetControllers implements bridge.ControllerSetter as OVS's
// connmgr_set_controllers: going from no controllers to some, or back,
// flushes every flow (and connmgr_flushed re-adds NORMAL in standalone
// without controllers). Fail-open ends with the controllers.
func (p *OFPipeline) SetControllers(has bool, m bridge.FailMode) {
	p.controllers = has
	if !has {
		p.SetFailOpen(false)
	}
	p.SetFailMode(m)
}
