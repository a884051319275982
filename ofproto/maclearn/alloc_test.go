package maclearn

import (
	"sync"
	"testing"
	"time"

	"govs/datapath/flow"
)

func TestAllocs(t *testing.T) {
	tb, clk := newTable(t, Config{})
	for i := range 100 {
		tb.Learn(1, mac(i), flow.PortNo(1+i%4), 0)
	}
	tests := []struct {
		name string
		fn   func()
	}{
		{"lookup hit", func() { tb.Lookup(1, mac(7)) }},
		{"lookup miss", func() { tb.Lookup(2, mac(7)) }},
		{"lookup multicast", func() { tb.Lookup(1, MAC{1}) }},
		{"learn repeat", func() { tb.Learn(1, mac(7), 4, 0) }},
		{"learn refresh", func() { clk.Advance(time.Second); tb.Learn(1, mac(8), 1, 0) }},
		{"learn move", func() { tb.Learn(1, mac(9), 1, 0); tb.Learn(1, mac(9), 2, 0) }},
		{"learn grat arp", func() { tb.Learn(1, mac(10), 3, GratuitousARP) }},
		{"generation", func() { tb.Generation() }},
		{"expire none", func() { tb.Expire() }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(100, tc.fn); n != 0 {
				t.Fatalf("%v allocs per run", n)
			}
		})
	}
	// A full table at its high-water mark recycles slots: learning new
	// MACs (each evicting one) does not allocate.
	full, _ := newTable(t, Config{MaxEntries: MinMaxEntries})
	for i := range MinMaxEntries {
		full.Learn(1, mac(i), 1, 0)
	}
	i := 1000
	if n := testing.AllocsPerRun(100, func() { i++; full.Learn(1, mac(i), 1, 0) }); n != 0 {
		t.Fatalf("learning into a full table: %v allocs per run", n)
	}
}

func TestConcurrentLearnLookup(t *testing.T) {
	tb, clk := newTable(t, Config{MaxEntries: 64, AgingSeconds: 15})
	const workers, rounds = 4, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				m := mac(i % 100)
				tb.Learn(uint16(i%3), m, flow.PortNo(1+(i+w)%5), 0)
				tb.Lookup(uint16(i%3), m)
				switch i % 500 {
				case 0:
					clk.Advance(time.Second)
					tb.Expire()
				case 250:
					tb.FlushPort(flow.PortNo(1 + w))
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			tb.AppendFDBShow(nil)
			tb.Stats()
		}
	}()
	wg.Wait()
	checkInvariants(t, tb)
}

func BenchmarkLookup(b *testing.B) {
	tb, _ := newTable(b, Config{})
	for i := range 1000 {
		tb.Learn(1, mac(i), flow.PortNo(1+i%8), 0)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		tb.Lookup(1, mac(i%1000))
	}
}

func BenchmarkLookupParallel(b *testing.B) {
	tb, _ := newTable(b, Config{})
	for i := range 1000 {
		tb.Learn(1, mac(i), flow.PortNo(1+i%8), 0)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			tb.Lookup(1, mac(i%1000))
		}
	})
}

func BenchmarkLearnRepeat(b *testing.B) {
	tb, _ := newTable(b, Config{})
	for i := range 1000 {
		tb.Learn(1, mac(i), flow.PortNo(1+i%8), 0)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		tb.Learn(1, mac(i%1000), flow.PortNo(1+i%1000%8), 0)
	}
}

func BenchmarkLearnNewEvicting(b *testing.B) {
	tb, _ := newTable(b, Config{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		tb.Learn(uint16(i>>16)&MaxVID, mac(i), flow.PortNo(1+i%8), 0)
	}
}
