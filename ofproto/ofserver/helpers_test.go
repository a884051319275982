package ofserver

import (
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"govs/flowtable"
	"govs/ofproto/ofp"
	"govs/ofproto/tables"
)

// memSwitch is an in-memory Switch for tests: real OpenFlow tables
// (ofproto/tables) behind a TablesSwitch, ports in a slice, and a log of
// the order in which flow mods, revalidations and packet-outs happened.
type memSwitch struct {
	*TablesSwitch
	mu      sync.Mutex
	ports   []PortDesc  // guarded by mu
	log     []string    // guarded by mu
	outs    []PacketOut // guarded by mu
	created time.Time
}

const testDPID = 0x0000aabbccddeeff

func newMemSwitch() *memSwitch {
	m := &memSwitch{created: time.Now()}
	m.ports = []PortDesc{
		{PortNo: 1, HWAddr: [6]byte{0xaa, 0x55, 0xaa, 0x55, 0, 0x0f}, Name: "p1"},
		{PortNo: 2, HWAddr: [6]byte{0xaa, 0x55, 0xaa, 0x55, 0, 0x0e}, Name: "p2"},
		{PortNo: flowtable.PortLocal, HWAddr: [6]byte{0x76, 0x8c, 0xbe, 0x8d, 0xc7, 0x43}, Name: "br0"},
	}
	for i := range m.ports {
		m.ports[i].State = portState(0)
	}
	t := tables.New(tables.Config{})
	t.AddDefaultNormal()
	m.TablesSwitch = NewTablesSwitch(TablesSwitchConfig{
		Tables:     t,
		DatapathID: func() uint64 { return testDPID },
		Ports: func() []PortDesc {
			m.mu.Lock()
			defer m.mu.Unlock()
			return append([]PortDesc(nil), m.ports...)
		},
		PortStats: func() []PortStats {
			m.mu.Lock()
			defer m.mu.Unlock()
			out := make([]PortStats, len(m.ports))
			for i, p := range m.ports {
				out[i] = PortStats{PortNo: p.PortNo, Duration: time.Since(m.created)}
			}
			return out
		},
		PortMod: func(pm *PortMod) error {
			m.mu.Lock()
			defer m.mu.Unlock()
			for i := range m.ports {
				if m.ports[i].PortNo == pm.PortNo {
					m.ports[i].Config = m.ports[i].Config&^pm.Mask | pm.Config
					m.ports[i].State = portState(m.ports[i].Config)
				}
			}
			m.log = append(m.log, "portmod")
			return nil
		},
		PacketOut: func(po *PacketOut) error {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.outs = append(m.outs, *po)
			m.log = append(m.log, "packetout")
			return nil
		},
		Revalidate: func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.log = append(m.log, "revalidate")
		},
	})
	return m
}

// portState is the state OVS reports for a dummy port: LINK_DOWN when
// administratively down, else LIVE.
func portState(config uint32) uint32 {
	if config&ofp.PortConfigPortDown != 0 {
		return ofp.PortStateLinkDown
	}
	return ofp.PortStateLive
}

// FlowMod records the order of flow mods.
func (m *memSwitch) FlowMod(fm *FlowMod) error {
	err := m.TablesSwitch.FlowMod(fm)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		m.log = append(m.log, "flowmod")
	}
	return err
}

// FlowModBatch logs each flow mod of a run as FlowMod does, and "run"
// per run.
func (m *memSwitch) FlowModBatch(run func(apply func(*FlowMod) error)) {
	m.mu.Lock()
	m.log = append(m.log, "run")
	m.mu.Unlock()
	m.TablesSwitch.FlowModBatch(func(apply func(*FlowMod) error) {
		run(func(fm *FlowMod) error {
			err := apply(fm)
			m.mu.Lock()
			defer m.mu.Unlock()
			if err == nil {
				m.log = append(m.log, "flowmod")
			}
			return err
		})
	})
}

// Barrier records barriers after the revalidation they caused.
func (m *memSwitch) Barrier() error {
	err := m.TablesSwitch.Barrier()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = append(m.log, "barrier")
	return err
}

func (m *memSwitch) events() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.log...)
}

// startServer runs a server for sw on punix:<dir>/br0.mgmt and returns it
// and the run directory.
func startServer(t *testing.T, sw Switch) (*Server, string) {
	t.Helper()
	dir := t.TempDir()
	s := New(sw, Config{Bridge: "br0", Logger: DiscardLogger()})
	if ts, ok := sw.(interface{ SetEvents(Events) }); ok {
		ts.SetEvents(s)
	}
	if _, err := s.Listen("punix:"+filepath.Join(dir, "br0.mgmt"), KindService); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// ioTimeout bounds every read in tests.
const ioTimeout = 10 * time.Second

// client is a raw OpenFlow client for tests.
type client struct {
	t  *testing.T
	nc net.Conn
}

func dial(t *testing.T, path string, version uint8) *client {
	t.Helper()
	nc, err := net.DialTimeout("unix", path, ioTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	c := &client{t: t, nc: nc}
	if version != 0 {
		c.send(&ofp.Hello{}, version, 1)
		if m := c.recv(); m.Hdr().Type != ofp.TypeHello {
			t.Fatalf("first message %T, want HELLO", m)
		}
	}
	return c
}

func (c *client) send(m ofp.Message, v uint8, xid uint32) {
	c.t.Helper()
	b, err := ofp.Encode(m, v, xid)
	if err != nil {
		c.t.Fatal(err)
	}
	c.write(b)
}

func (c *client) write(b []byte) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(ioTimeout))
	if _, err := c.nc.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *client) recvRaw() ([]byte, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(ioTimeout))
	return ofp.ReadMessage(c.nc)
}

func (c *client) recv() ofp.Message {
	c.t.Helper()
	b, err := c.recvRaw()
	if err != nil {
		c.t.Fatal(err)
	}
	m, err := ofp.Decode(b)
	if err != nil {
		c.t.Fatalf("decode %x: %v", b, err)
	}
	return m
}
