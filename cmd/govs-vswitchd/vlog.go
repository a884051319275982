package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// vlog levels, as OVS's lib/vlog.c (VLL_*).
type vlogLevel int

const (
	vllOff vlogLevel = iota
	vllEmer
	vllErr
	vllWarn
	vllInfo
	vllDbg
)

var vlogLevelNames = [...]string{"off", "emer", "err", "warn", "info", "dbg"}

func (l vlogLevel) String() string { return vlogLevelNames[l] }

// parseVlogLevel accepts OVS's level names.
func parseVlogLevel(s string) (vlogLevel, bool) {
	for i, n := range vlogLevelNames {
		if strings.EqualFold(s, n) {
			return vlogLevel(i), true
		}
	}
	return 0, false
}

// slogToVlog maps a slog level onto vlog's.
func slogToVlog(l slog.Level) vlogLevel {
	switch {
	case l >= slog.LevelError:
		return vllErr
	case l >= slog.LevelWarn:
		return vllWarn
	case l >= slog.LevelInfo:
		return vllInfo
	}
	return vllDbg
}

// Destinations. govs has no syslog output: the column is kept so that
// vlog/list and vlog/set specs read like OVS's, but nothing is sent there.
const (
	destConsole = iota
	destSyslog
	destFile
	numDests
)

var destNames = [numDests]string{"console", "syslog", "file"}

// Log modules of govs-vswitchd.
var vlogModules = []string{"bridge", "datapath", "metrics", "ovsdb", "reconcile", "unixctl", "vswitchd"}

// vlog holds the per-module, per-destination levels and the outputs.
type vlog struct {
	mu struct {
		sync.Mutex
		levels  map[string]*[numDests]vlogLevel // guarded by mu
		console io.Writer                       // guarded by mu
		file    io.Writer                       // guarded by mu
	}
	seq atomic.Uint64
}

// newVlog returns levels OVS starts with: INFO everywhere, console off
// when detached.
func newVlog(console, file io.Writer) *vlog {
	v := &vlog{}
	v.mu.levels = map[string]*[numDests]vlogLevel{}
	for _, m := range vlogModules {
		v.mu.levels[m] = &[numDests]vlogLevel{vllInfo, vllInfo, vllInfo}
	}
	v.mu.console, v.mu.file = console, file
	if console == nil {
		v.setAll(destConsole, vllOff)
	}
	return v
}

func (v *vlog) setAll(dest int, l vlogLevel) {
	for _, lv := range v.mu.levels {
		lv[dest] = l
	}
}

// set applies one vlog/set or -v spec: words separated by ':' naming a
// module (or "ANY"), a destination (or "ANY") and a level; missing parts
// mean all modules, all destinations, level dbg.
func (v *vlog) set(spec string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	module, dest, level := "", -1, vllDbg
	for _, w := range strings.FieldsFunc(spec, func(r rune) bool { return r == ':' || r == ' ' || r == ',' }) {
		if strings.EqualFold(w, "any") {
			continue
		}
		if l, ok := parseVlogLevel(w); ok {
			level = l
			continue
		}
		found := false
		for i, d := range destNames {
			if strings.EqualFold(w, d) {
				dest, found = i, true
			}
		}
		if _, ok := v.mu.levels[strings.ToLower(w)]; ok {
			module, found = strings.ToLower(w), true
		}
		if !found {
			return fmt.Errorf("no destination, level, or module %q", w)
		}
	}
	for m, lv := range v.mu.levels {
		if module != "" && m != module {
			continue
		}
		for d := range lv {
			if dest < 0 || d == dest {
				lv[d] = level
			}
		}
	}
	return nil
}

// list renders vlog/list as OVS does.
func (v *vlog) list() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	var b strings.Builder
	b.WriteString("                 console    syslog    file\n")
	b.WriteString("                 -------    ------    ------\n")
	mods := make([]string, 0, len(v.mu.levels))
	for m := range v.mu.levels {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	for _, m := range mods {
		lv := v.mu.levels[m]
		fmt.Fprintf(&b, "%-16s  %4s       %4s       %4s\n", m,
			strings.ToUpper(lv[destConsole].String()), strings.ToUpper(lv[destSyslog].String()), strings.ToUpper(lv[destFile].String()))
	}
	return b.String()
}

// setFile replaces the log file (vlog/reopen) and returns the previous
// one if it can be closed.
func (v *vlog) setFile(w io.Writer) io.Closer {
	v.mu.Lock()
	defer v.mu.Unlock()
	old, _ := v.mu.file.(io.Closer)
	v.mu.file = w
	return old
}

// logger returns an slog.Logger for module.
func (v *vlog) logger(module string) *slog.Logger {
	return slog.New(&vlogHandler{v: v, module: module})
}

// vlogHandler formats records as OVS log lines:
// 2026-01-02T03:04:05.678Z|00001|module|INFO|message key=value...
type vlogHandler struct {
	v      *vlog
	module string
	attrs  []slog.Attr
}

func (h *vlogHandler) Enabled(_ context.Context, l slog.Level) bool {
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	lv := h.v.mu.levels[h.module]
	if lv == nil {
		return false
	}
	want := slogToVlog(l)
	return (h.v.mu.console != nil && want <= lv[destConsole]) || (h.v.mu.file != nil && want <= lv[destFile])
}

// logSeqWidth is the zero-padded width of the sequence number.
const logSeqWidth = 5

func (h *vlogHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	lvl := slogToVlog(r.Level)
	fmt.Fprintf(&b, "%s|%0*d|%s|%s|%s", r.Time.UTC().Format("2006-01-02T15:04:05.000Z"), logSeqWidth, h.v.seq.Add(1), h.module,
		strings.ToUpper(lvl.String()), r.Message)
	for _, a := range h.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	b.WriteByte('\n')
	line := b.String()
	h.v.mu.Lock()
	defer h.v.mu.Unlock()
	lv := h.v.mu.levels[h.module]
	if h.v.mu.console != nil && lvl <= lv[destConsole] {
		_, _ = io.WriteString(h.v.mu.console, line)
	}
	if h.v.mu.file != nil && lvl <= lv[destFile] {
		_, _ = io.WriteString(h.v.mu.file, line)
	}
	return nil
}

func (h *vlogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &vlogHandler{v: h.v, module: h.module, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *vlogHandler) WithGroup(string) slog.Handler { return h }
