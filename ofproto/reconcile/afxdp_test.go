package reconcile

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"govs/ports"
	"govs/ports/afxdp"
	"govs/ports/memport"
)

// optsOpener is memOpener plus OptionsOpener: afxdp interfaces are
// memports opened after afxdp.ParseOptions, and the opens are counted.
type optsOpener struct {
	memOpener
	mu    *sync.Mutex
	opens map[string][]afxdp.Options
}

func (o optsOpener) OpenWithOptions(name, typ string, options map[string]string) (ports.Port, error) {
	if typ != TypeAFXDP {
		return o.Open(name, typ)
	}
	opts, err := afxdp.ParseOptions(name, options)
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	o.opens[name] = append(o.opens[name], opts)
	o.mu.Unlock()
	return memport.New(name, memPortFrames)
}

func (o optsOpener) opened(name string) []afxdp.Options {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]afxdp.Options(nil), o.opens[name]...)
}

// TestReconcileAFXDPUnsupportedOpener: an Opener without OptionsOpener
// refuses afxdp interfaces by name.
func TestReconcileAFXDPUnsupportedOpener(t *testing.T) {
	e := newEnv(t)
	ops := bridgeOps("br0", nil, portSpec{name: "x0", iface: map[string]any{"type": "afxdp"}})
	e.bumpAndWait(append(ops, e.setBridges("br0"))...)
	if got, _ := e.selectCol("Interface", "x0", "error").(string); got != `could not open network device x0 (unsupported interface type "afxdp")` {
		t.Fatalf("error %q", got)
	}
}

// TestReconcileAFXDP: afxdp interfaces are opened with their options; a
// change of an option the type reads re-creates the port, others do not;
// refused options are Interface.error.
func TestReconcileAFXDP(t *testing.T) {
	o := optsOpener{mu: &sync.Mutex{}, opens: map[string][]afxdp.Options{}}
	e := newEnvOpener(t, o)
	ops := bridgeOps("br0", nil,
		portSpec{name: "x0", iface: map[string]any{"type": "afxdp", "options": optMap("xdp-mode", "generic")}},
		portSpec{name: "x1", iface: map[string]any{"type": "afxdp", "options": optMap("n_rxq", "4")}})
	e.bumpAndWait(append(ops, e.setBridges("br0"))...)
	of0 := num(e.selectCol("Interface", "x0", "ofport"))
	if of0 < 1 {
		t.Fatalf("x0 ofport %d, error %v", of0, e.selectCol("Interface", "x0", "error"))
	}
	if got := o.opened("x0"); len(got) != 1 || got[0].Mode != afxdp.ModeGeneric {
		t.Fatalf("x0 opens %+v", got)
	}
	if got, _ := e.selectCol("Interface", "x1", "error").(string); !strings.Contains(got, "n_rxq=4 is not supported") {
		t.Fatalf("x1 error %q", got)
	}
	if got := fmt.Sprint(e.selectCol("Open_vSwitch", "", "iface_types")); !strings.Contains(got, "afxdp") {
		t.Fatalf("iface_types %s lacks afxdp", got)
	}
	update := func(name string, kv ...string) {
		e.bumpAndWait(map[string]any{"op": "update", "table": "Interface", "where": []any{[]any{"name", "==", name}},
			"row": map[string]any{"options": optMap(kv...)}})
	}
	update("x0", "xdp-mode", "generic", "unrelated", "1")
	if got := o.opened("x0"); len(got) != 1 {
		t.Fatalf("an unrelated option re-created x0: %+v", got)
	}
	update("x0", "xdp-mode", "native", "unrelated", "1")
	if got := o.opened("x0"); len(got) != 2 || got[1].Mode != afxdp.ModeNative {
		t.Fatalf("xdp-mode change: opens %+v", got)
	}
	if got := num(e.selectCol("Interface", "x0", "ofport")); got != of0 {
		t.Fatalf("x0 ofport %d -> %d", of0, got)
	}
	update("x0", "xdp-mode", "turbo")
	if got, _ := e.selectCol("Interface", "x0", "error").(string); !strings.HasPrefix(got, `could not set configuration (x0: invalid xdp-mode "turbo"`) {
		t.Fatalf("x0 error %q", got)
	}
}
