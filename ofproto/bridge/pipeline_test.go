package bridge

import (
	"testing"
	"time"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/ofproto/maclearn"
)

// fakePipeline records what the bridge forwards to an OpenFlow-style
// pipeline (cookie upcalls, fail mode, forward-bpdu, ticks).
type fakePipeline struct {
	cookieCalls, upcalls, ticks int
	modes                       []FailMode
	bpdu                        bool
	mac                         *maclearn.Table
	tickResult                  bool
}

const fakeCookie = "rules"

func (f *fakePipeline) Upcall(_, _ *flow.Key, _ *datapath.Actions) error { f.upcalls++; return nil }
func (f *fakePipeline) UpcallCookie(_, _ *flow.Key, _ *datapath.Actions, _ int) (any, error) {
	f.cookieCalls++
	return fakeCookie, nil
}
func (f *fakePipeline) PortsChanged([]PortInfo)    {}
func (f *fakePipeline) Tick(time.Time) bool        { f.ticks++; return f.tickResult }
func (f *fakePipeline) SetRevalidating(bool)       {}
func (f *fakePipeline) Close()                     {}
func (f *fakePipeline) SetFailMode(m FailMode)     { f.modes = append(f.modes, m) }
func (f *fakePipeline) SetForwardBPDU(on bool)     { f.bpdu = on }
func (f *fakePipeline) MACTable() *maclearn.Table  { return f.mac }
func (f *fakePipeline) lastMode() (FailMode, bool) { return lastOf(f.modes) }
func lastOf(ms []FailMode) (FailMode, bool) {
	n := len(ms)
	if n == 0 {
		return 0, false
	}
	return ms[n-1], true
}

func TestBridgeForwardsToPipeline(t *testing.T) {
	b, err := New(Config{Name: "br-fake", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	f := &fakePipeline{mac: maclearn.New(maclearn.Config{})}
	b.SetPipeline(f)
	if m, ok := f.lastMode(); !ok || m != FailStandalone {
		t.Fatalf("install: fail modes %v, want [standalone]", f.modes)
	}
	var k, mask flow.Key
	var acts datapath.Actions
	if c, err := b.UpcallCookie(&k, &mask, &acts, 0); err != nil || c != fakeCookie || f.cookieCalls != 1 || f.upcalls != 0 {
		t.Fatalf("UpcallCookie = %v, %v; cookie calls %d, upcalls %d", c, err, f.cookieCalls, f.upcalls)
	}
	tests := []struct {
		name string
		mode FailMode
		want []FailMode
	}{
		{"secure", FailSecure, []FailMode{FailStandalone, FailSecure}},
		{"same again: no flush", FailSecure, []FailMode{FailStandalone, FailSecure}},
		{"standalone", FailStandalone, []FailMode{FailStandalone, FailSecure, FailStandalone}},
	}
	for _, tc := range tests {
		b.SetFailMode(tc.mode)
		if len(f.modes) != len(tc.want) {
			t.Fatalf("%s: fail modes %v, want %v", tc.name, f.modes, tc.want)
		}
		for i := range tc.want {
			if f.modes[i] != tc.want[i] {
				t.Fatalf("%s: fail modes %v, want %v", tc.name, f.modes, tc.want)
			}
		}
	}
	b.SetForwardBPDU(true)
	if !f.bpdu {
		t.Fatal("forward-bpdu not forwarded")
	}
	if b.MACTable() != f.mac {
		t.Fatal("MACTable is not the pipeline's")
	}
	b.Tick(time.Now())
	if f.ticks != 1 {
		t.Fatalf("Tick drove the pipeline %d times, want 1", f.ticks)
	}
}

// plainPipeline has no UpcallCookie: the bridge falls back to Upcall.
type plainPipeline struct{ dropPipeline }

func TestBridgeUpcallCookieFallback(t *testing.T) {
	b, err := New(Config{Name: "br-plain", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	b.SetPipeline(plainPipeline{})
	var k, mask flow.Key
	var acts datapath.Actions
	if c, err := b.UpcallCookie(&k, &mask, &acts, 0); err != nil || c != nil {
		t.Fatalf("UpcallCookie = %v, %v; want nil, nil", c, err)
	}
	if b.MACTable() != nil {
		t.Fatal("a pipeline without a MAC table must give nil")
	}
}

func TestBridgeUpcallCookieAllocs(t *testing.T) {
	b, err := New(Config{Name: "br-alloc", NoStart: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	for _, p := range []Pipeline{&fakePipeline{}, plainPipeline{}} {
		b.SetPipeline(p)
		var k, mask flow.Key
		acts := make(datapath.Actions, 0, 1)
		if n := testing.AllocsPerRun(100, func() { _, _ = b.UpcallCookie(&k, &mask, &acts, 0) }); n != 0 {
			t.Fatalf("%T: UpcallCookie allocates %.1f times", p, n)
		}
	}
}

func BenchmarkBridgeUpcallCookie(bm *testing.B) {
	b, err := New(Config{Name: "br-bench", NoStart: true})
	if err != nil {
		bm.Fatal(err)
	}
	defer b.Close()
	b.SetPipeline(&fakePipeline{})
	var k, mask flow.Key
	acts := make(datapath.Actions, 0, 1)
	bm.ReportAllocs()
	for bm.Loop() {
		_, _ = b.UpcallCookie(&k, &mask, &acts, 0)
	}
}
