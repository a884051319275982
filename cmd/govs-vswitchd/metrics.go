package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"govs/ofproto/bridge"
)

const (
	metricsPath            = "/metrics"
	metricsReadTimeout     = 10 * time.Second
	metricsShutdownTimeout = 2 * time.Second
	bridgeLabel            = "bridge"
)

// metrics serves Prometheus metrics: every bridge's datapath collector,
// labelled bridge=<name>, plus the Go runtime collectors.
type metrics struct {
	reg  *prometheus.Registry
	srv  *http.Server
	addr net.Addr
	log  *slog.Logger
	mu   struct {
		sync.Mutex
		regs map[string]prometheus.Registerer // guarded by mu
	}
}

func startMetrics(addr string, log *slog.Logger) (*metrics, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(metricsPath, promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	m := &metrics{reg: reg, log: log, addr: l.Addr(), srv: &http.Server{Handler: mux, ReadHeaderTimeout: metricsReadTimeout}}
	m.mu.regs = map[string]prometheus.Registerer{}
	go func() {
		if err := m.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics server", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", l.Addr().String(), "path", metricsPath)
	return m, nil
}

func (m *metrics) bridge(name string, br *bridge.Bridge, added bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if added {
		r := prometheus.WrapRegistererWith(prometheus.Labels{bridgeLabel: name}, m.reg)
		if err := r.Register(br.Datapath()); err != nil {
			m.log.Warn("registering bridge metrics", "bridge", name, "err", err)
			return
		}
		m.mu.regs[name] = r
		return
	}
	if r := m.mu.regs[name]; r != nil {
		r.Unregister(br.Datapath())
		delete(m.mu.regs, name)
	}
}

func (m *metrics) close() {
	ctx, cancel := context.WithTimeout(context.Background(), metricsShutdownTimeout)
	defer cancel()
	_ = m.srv.Shutdown(ctx)
}
