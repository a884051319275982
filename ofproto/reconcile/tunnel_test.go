package reconcile

import (
	"log/slog"
	"sync"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
	"govs/ports/memport"
	"govs/tunnel"
)

// underlays records the underlay ports a test opener opened.
type underlays struct {
	mu     sync.Mutex
	opened map[string]*memport.Port
}

// tunOpener is memOpener plus memport underlays.
type tunOpener struct {
	memOpener
	u *underlays
}

func (o tunOpener) OpenUnderlay(t tunnel.Type, port uint16, _ *slog.Logger) (ports.Port, error) {
	m, err := memport.New(t.SysName(port), memPortFrames)
	if err == nil {
		o.u.mu.Lock()
		o.u.opened[m.Name()] = m
		o.u.mu.Unlock()
	}
	return m, err
}

func (u *underlays) live(name string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	m := u.opened[name]
	return m != nil && !closedPort(m)
}

// closedPort reports whether a memport was closed (Read fails).
func closedPort(m *memport.Port) bool {
	_, err := m.Read(ports.NewBatch())
	return err != nil
}

func optMap(kv ...string) []any {
	pairs := []any{}
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, []any{kv[i], kv[i+1]})
	}
	return []any{"map", pairs}
}

// TestReconcileTunnels: geneve/vxlan rows become tunnel ports with their
// ofport; ports of one (type, dst_port) share an underlay port that goes
// away with its last user; option changes re-create the port; errors
// are OVS's texts.
func TestReconcileTunnels(t *testing.T) {
	u := &underlays{opened: map[string]*memport.Port{}}
	e := newEnvOpener(t, tunOpener{memOpener{}, u})
	ops := bridgeOps("br0", nil,
		portSpec{name: "gnv0", iface: map[string]any{"type": "geneve", "options": optMap("remote_ip", "10.0.0.2", "key", "1")}},
		portSpec{name: "gnv1", iface: map[string]any{"type": "geneve", "options": optMap("remote_ip", "10.0.0.3")}},
		portSpec{name: "vx0", iface: map[string]any{"type": "vxlan", "options": optMap("remote_ip", "10.0.0.2", "dst_port", "8472")}},
		portSpec{name: "bad", iface: map[string]any{"type": "geneve", "options": optMap("remote_ip", "224.0.0.9")}})
	e.bumpAndWait(append(ops, e.setBridges("br0"))...)
	for _, n := range []string{"gnv0", "gnv1", "vx0"} {
		if got := num(e.selectCol("Interface", n, "ofport")); got < 1 {
			t.Fatalf("%s ofport %d, error %v", n, got, e.selectCol("Interface", n, "error"))
		}
	}
	if got := e.selectCol("Interface", "bad", "error"); got != "bad: multicast remote_ip=224.0.0.9 not allowed" {
		t.Fatalf("bad error %v", got)
	}
	if !u.live("genev_sys_6081") || !u.live("vxlan_sys_8472") || len(u.opened) != 2 {
		t.Fatalf("underlays %v", u.opened)
	}
	br := e.r.Bridge("br0")
	for _, p := range br.Ports() {
		if p.Name == "genev_sys_6081" || (p.OFPort >= tunnel.UnderlayPortBase && p.OFPort != flow.PortLocal) {
			t.Fatalf("underlay port visible as a bridge port: %+v", p)
		}
	}
	of0 := num(e.selectCol("Interface", "gnv0", "ofport"))
	// An options change re-creates gnv0 (same ofport), the shared
	// underlay stays.
	e.bumpAndWait(map[string]any{"op": "update", "table": "Interface", "where": []any{[]any{"name", "==", "gnv0"}},
		"row": map[string]any{"options": optMap("remote_ip", "10.0.0.2", "key", "2")}})
	if got := num(e.selectCol("Interface", "gnv0", "ofport")); got != of0 {
		t.Fatalf("gnv0 ofport %d -> %d", of0, got)
	}
	tbl := br.Pipeline().(*OFPipeline).Tunnels()
	if ti, ok := tbl.Tunnel(flow.PortNo(of0)); !ok || ti.Config.InKey != 2 {
		t.Fatalf("gnv0 config not updated: %+v", ti)
	}
	// vx0 losing its remote_ip fails it (OVS's text) and closes its
	// underlay, the last user.
	e.bumpAndWait(map[string]any{"op": "update", "table": "Interface", "where": []any{[]any{"name", "==", "vx0"}},
		"row": map[string]any{"options": optMap()}})
	if got := e.selectCol("Interface", "vx0", "error"); got != "vx0: vxlan type requires valid 'remote_ip' argument" {
		t.Fatalf("vx0 error %v", got)
	}
	e.waitFor("vxlan underlay closed", func() bool { return !u.live("vxlan_sys_8472") })
	if !u.live("genev_sys_6081") {
		t.Fatal("geneve underlay closed with users left")
	}
}
