package bridge

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/maclearn"
	"govs/ofproto/normal"
	"govs/ports"
)

// Config configures a Bridge.
type Config struct {
	Name string
	// Datapath configures the bridge's datapath (workers, flow limit...).
	Datapath datapath.Config
	// NoStart leaves the datapath and the maintenance goroutine stopped
	// (tests drive Worker(0).ProcessBatch and Tick themselves).
	NoStart bool
}

// Errors.
var (
	ErrPortExists = errors.New("bridge: port number already in use")
	ErrNoPort     = errors.New("bridge: no such port")
	ErrClosed     = errors.New("bridge: closed")
)

// portEntry is one port of the bridge.
type portEntry struct {
	info PortInfo
	port ports.Port
}

// pipelineBox lets an interface value sit in an atomic.Pointer.
type pipelineBox struct{ p Pipeline }

// Bridge is one bridge: datapath, ports, fail mode and pipeline.
type Bridge struct {
	name string
	dp   *datapath.Datapath
	pipe atomic.Pointer[pipelineBox]

	mu struct {
		sync.Mutex
		ports       map[flow.PortNo]*portEntry // guarded by mu
		failMode    FailMode                   // guarded by mu
		forwardBPDU bool                       // guarded by mu
		controllers bool                       // guarded by mu
		closed      bool                       // guarded by mu
	}
	// dpid is the OpenFlow datapath id (FEATURES_REPLY), set by the
	// reconciler as OVS's bridge_configure_datapath_id.
	dpid    atomic.Uint64
	created time.Time
	started bool
	stop    chan struct{}
	done    chan struct{}
}

// New creates a bridge with no ports, in fail_mode standalone, with the
// drop pipeline until SetPipeline installs the OpenFlow one, and starts its datapath and maintenance goroutine unless cfg.NoStart.
func New(cfg Config) (*Bridge, error) {
	b := &Bridge{name: cfg.Name, created: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	b.mu.ports = make(map[flow.PortNo]*portEntry)
	b.pipe.Store(&pipelineBox{NewDropPipeline()})
	dp, err := datapath.New(b, cfg.Datapath)
	if err != nil {
		return nil, fmt.Errorf("bridge %s: %w", cfg.Name, err)
	}
	b.dp = dp
	if cfg.NoStart {
		close(b.done)
		return b, nil
	}
	if err := dp.Start(); err != nil {
		_ = dp.Close()
		return nil, fmt.Errorf("bridge %s: %w", cfg.Name, err)
	}
	b.started = true
	go b.maintain()
	return b, nil
}

// DatapathID returns the OpenFlow datapath id (0 until SetDatapathID).
func (b *Bridge) DatapathID() uint64 { return b.dpid.Load() }

// SetDatapathID sets the OpenFlow datapath id (other_config:datapath-id
// or the bridge's MAC, as the reconciler picks it).
func (b *Bridge) SetDatapathID(id uint64) { b.dpid.Store(id) }

// Created returns when the bridge was created (flow durations).
func (b *Bridge) Created() time.Time { return b.created }

// Name returns the bridge name.
func (b *Bridge) Name() string { return b.name }

// Datapath returns the bridge's datapath (dump-flows, stats, metrics).
func (b *Bridge) Datapath() *datapath.Datapath { return b.dp }

// Upcall implements datapath.Upcaller by delegating to the current pipeline.
func (b *Bridge) Upcall(k, mask *flow.Key, acts *datapath.Actions) error {
	return b.pipe.Load().p.Upcall(k, mask, acts)
}

// UpcallCookie implements datapath.CookieUpcaller: the current pipeline's
// UpcallCookie when it has one (rule counters), else its Upcall.
func (b *Bridge) UpcallCookie(k, mask *flow.Key, acts *datapath.Actions, frameLen int) (any, error) {
	p := b.pipe.Load().p
	if cu, ok := p.(datapath.CookieUpcaller); ok {
		return cu.UpcallCookie(k, mask, acts, frameLen)
	}
	return nil, p.Upcall(k, mask, acts)
}

var _ datapath.CookieUpcaller = (*Bridge)(nil)

// Pipeline returns the current pipeline.
func (b *Bridge) Pipeline() Pipeline { return b.pipe.Load().p }

// maintain runs Pipeline.Tick every TickInterval until Close.
func (b *Bridge) maintain() {
	defer close(b.done)
	t := time.NewTicker(TickInterval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case now := <-t.C:
			b.Tick(now)
		}
	}
}

// Tick runs the pipeline's periodic work once and revalidates when it asks.
func (b *Bridge) Tick(now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mu.closed {
		return
	}
	if b.pipe.Load().p.Tick(now) {
		b.revalidateLocked()
	}
}

// revalidateLocked revalidates the datapath with side effects off.
func (b *Bridge) revalidateLocked() {
	p := b.pipe.Load().p
	p.SetRevalidating(true)
	b.dp.Revalidate()
	p.SetRevalidating(false)
}

// Revalidate re-translates every cached datapath flow (for pipelines whose
// tables changed).
func (b *Bridge) Revalidate() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.mu.closed {
		b.revalidateLocked()
	}
}

// AddPort adds p as OpenFlow/datapath port info.OFPort. The bridge owns p
// from now on (it is closed by RemovePort or Close, and on error).
func (b *Bridge) AddPort(info PortInfo, p ports.Port) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mu.closed {
		_ = p.Close()
		return ErrClosed
	}
	if _, ok := b.mu.ports[info.OFPort]; ok {
		_ = p.Close()
		return fmt.Errorf("%w: %d", ErrPortExists, info.OFPort)
	}
	fixInfo(&info)
	if !isVirtual(p) {
		if err := b.dp.AddPort(info.OFPort, p); err != nil {
			_ = p.Close()
			return err
		}
	}
	b.mu.ports[info.OFPort] = &portEntry{info: info, port: p}
	b.portsChangedLocked()
	return nil
}

// VirtualPort is a port without a device of its own (a tunnel port):
// the bridge lists it for OpenFlow and NORMAL but does not add it to the
// datapath (translation never outputs to it directly).
type VirtualPort interface{ Virtual() bool }

func isVirtual(p ports.Port) bool {
	v, ok := p.(VirtualPort)
	return ok && v.Virtual()
}

// sameVLAN reports whether two ports have the same VLAN configuration.
func sameVLAN(a, b *normal.PortConfig) bool {
	return a.VLANMode == b.VLANMode && a.Tag == b.Tag && a.Trunks == b.Trunks && a.NoFlood == b.NoFlood
}

// fixInfo keeps the VLAN config's identity fields equal to the port's.
func fixInfo(info *PortInfo) {
	info.VLAN.OFPort = info.OFPort
	info.VLAN.Name = info.Name
	info.VLAN.IsLocal = info.OFPort == flow.PortLocal
	info.Config &= PortConfigBits
	info.VLAN.NoFlood = info.Config&PortNoFlood != 0
}

// RemovePort removes port no and closes it.
func (b *Bridge) RemovePort(no flow.PortNo) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.mu.ports[no]
	if !ok {
		return fmt.Errorf("%w: %d", ErrNoPort, no)
	}
	var err error
	if !isVirtual(e.port) {
		err = b.dp.RemovePort(no)
	}
	delete(b.mu.ports, no)
	b.portsChangedLocked()
	if cerr := e.port.Close(); err == nil {
		err = cerr
	}
	return err
}

// SetPortInfo changes the VLAN configuration (and name/type labels) of
// port info.OFPort. It reports whether anything changed.
func (b *Bridge) SetPortInfo(info PortInfo) (bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.mu.ports[info.OFPort]
	if !ok {
		return false, fmt.Errorf("%w: %d", ErrNoPort, info.OFPort)
	}
	info.Config = e.info.Config
	fixInfo(&info)
	if e.info.Name == info.Name && e.info.Type == info.Type && sameVLAN(&e.info.VLAN, &info.VLAN) {
		return false, nil
	}
	e.info = info
	b.portsChangedLocked()
	return true, nil
}

// SetPortConfig changes the OpenFlow config bits (PortNo*) of port no
// selected by mask to those of config, as OVS's update_port_config, and
// revalidates. It reports whether anything changed; bits outside
// PortConfigBits are an error.
func (b *Bridge) SetPortConfig(no flow.PortNo, config, mask uint32) (bool, error) {
	if mask&^PortConfigBits != 0 {
		return false, fmt.Errorf("bridge: port config bits %#x are not supported", mask&^PortConfigBits)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.mu.ports[no]
	if !ok {
		return false, fmt.Errorf("%w: %d", ErrNoPort, no)
	}
	nc := e.info.Config&^mask | config&mask
	if nc == e.info.Config {
		return false, nil
	}
	e.info.Config = nc
	fixInfo(&e.info)
	b.portsChangedLocked()
	return true, nil
}

// portsChangedLocked tells the pipeline and revalidates.
func (b *Bridge) portsChangedLocked() {
	b.pipe.Load().p.PortsChanged(b.portListLocked())
	b.revalidateLocked()
}

func (b *Bridge) portListLocked() []PortInfo {
	out := make([]PortInfo, 0, len(b.mu.ports))
	for _, e := range b.mu.ports {
		out = append(out, e.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OFPort < out[j].OFPort })
	return out
}

// Ports returns the bridge's ports sorted by OFPort.
func (b *Bridge) Ports() []PortInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.portListLocked()
}

// Port returns the ports.Port of port no.
func (b *Bridge) Port(no flow.PortNo) (ports.Port, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.mu.ports[no]
	if !ok {
		return nil, false
	}
	return e.port, true
}

// FailMode returns the fail mode.
func (b *Bridge) FailMode() FailMode { return getSetting(b, &b.mu.failMode) }

// SetFailMode changes the fail mode and, when the pipeline is a
// FailModeSetter, applies it (OVS flushes the flows) and revalidates.
func (b *Bridge) SetFailMode(m FailMode) {
	setSetting(b, &b.mu.failMode, m, func(p Pipeline) bool {
		fs, ok := p.(FailModeSetter)
		if ok {
			fs.SetFailMode(m)
		}
		return ok
	})
}

// HasControllers reports whether the bridge has controllers.
func (b *Bridge) HasControllers() bool { return getSetting(b, &b.mu.controllers) }

// SetHasControllers records whether the Bridge.controller column is
// non-empty. Going from no controllers to some or back is applied to a
// ControllerSetter pipeline (OVS flushes every flow) and revalidates.
func (b *Bridge) SetHasControllers(on bool) {
	setSetting(b, &b.mu.controllers, on, func(p Pipeline) bool {
		cs, ok := p.(ControllerSetter)
		if ok {
			cs.SetControllers(on, b.mu.failMode)
		}
		return ok
	})
}

// getSetting reads *field, a setting guarded by b.mu.
func getSetting[T any](b *Bridge, field *T) T {
	b.mu.Lock()
	defer b.mu.Unlock()
	return *field
}

// setSetting stores v in *field, a setting guarded by b.mu. When that changes
// it and the bridge is open, apply (called with b.mu held) hands it to
// the pipeline and reports whether the pipeline takes that setting; if
// so the datapath is revalidated.
func setSetting[T comparable](b *Bridge, field *T, v T, apply func(Pipeline) bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v == *field || b.mu.closed {
		return
	}
	*field = v
	if apply(b.pipe.Load().p) {
		b.revalidateLocked()
	}
}

// SetPipeline installs p (the OpenFlow pipeline); nil installs the drop
// pipeline.
func (b *Bridge) SetPipeline(p Pipeline) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mu.closed {
		return
	}
	if p == nil {
		p = NewDropPipeline()
	}
	b.installLocked(p)
}

func (b *Bridge) installLocked(p Pipeline) {
	p.PortsChanged(b.portListLocked())
	if cs, ok := p.(ControllerSetter); ok && b.mu.controllers {
		cs.SetControllers(true, b.mu.failMode)
	}
	if fs, ok := p.(FailModeSetter); ok {
		fs.SetFailMode(b.mu.failMode)
	}
	if bf, ok := p.(BPDUForwarder); ok {
		bf.SetForwardBPDU(b.mu.forwardBPDU)
	}
	old := b.pipe.Swap(&pipelineBox{p})
	b.revalidateLocked()
	old.p.Close()
}

// MACTable returns the pipeline's NORMAL MAC table, or nil when it has
// none (the drop pipeline).
func (b *Bridge) MACTable() *maclearn.Table {
	b.mu.Lock()
	defer b.mu.Unlock()
	if mt, ok := b.pipe.Load().p.(MACTabler); ok {
		return mt.MACTable()
	}
	return nil
}

// SetForwardBPDU applies other_config:forward-bpdu to the pipeline (when
// it is a BPDUForwarder) and revalidates.
func (b *Bridge) SetForwardBPDU(on bool) {
	setSetting(b, &b.mu.forwardBPDU, on, func(p Pipeline) bool {
		bf, ok := p.(BPDUForwarder)
		if ok {
			bf.SetForwardBPDU(on)
		}
		return ok
	})
}

// Close stops the datapath and the maintenance goroutine and closes every
// port. It is idempotent.
func (b *Bridge) Close() error {
	b.mu.Lock()
	if b.mu.closed {
		b.mu.Unlock()
		return nil
	}
	b.mu.closed = true
	b.mu.Unlock()
	if b.started {
		close(b.stop)
	}
	<-b.done
	err := b.dp.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	for no, e := range b.mu.ports {
		if cerr := e.port.Close(); err == nil {
			err = cerr
		}
		delete(b.mu.ports, no)
	}
	b.pipe.Load().p.Close()
	return err
}
