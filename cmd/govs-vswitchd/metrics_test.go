package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"govs/ofproto/bridge"
)

func TestMetricsPerBridge(t *testing.T) {
	m, err := startMetrics("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	var brs []*bridge.Bridge
	for _, name := range []string{"bra", "brb"} {
		br, err := bridge.New(bridge.Config{Name: name, NoStart: true})
		if err != nil {
			t.Fatal(err)
		}
		defer br.Close()
		m.bridge(name, br, true)
		brs = append(brs, br)
	}
	scrape := func() string {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+m.addr.String()+metricsPath, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	out := scrape()
	for _, want := range []string{`govs_datapath_rx_packets_total{bridge="bra",worker="0"}`, `govs_datapath_rx_packets_total{bridge="brb",worker="0"}`} {
		if !strings.Contains(out, want) {
			t.Fatalf("scrape lacks %s", want)
		}
	}
	m.bridge("bra", brs[0], false)
	if strings.Contains(scrape(), `bridge="bra"`) {
		t.Fatal("deleted bridge still exported")
	}
}
