package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"govs/bench/switches"
)

func TestParseIntList(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"64", []int{64}, true},
		{"1,1000,100000", []int{1, 1000, 100000}, true},
		{" 1 , 100k ,1K", []int{1, 100000, 1000}, true},
		{"64,64,512", []int{64, 512}, true},
		{"", nil, false},
		{"0", nil, false},
		{"-1", nil, false},
		{"1,,2", nil, false},
		{"k", nil, false},
		{"99999999999", nil, false},
		{"3000000k", nil, false},
		{"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", nil, false},
		{"0x10", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseIntList("x", tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseSwitches(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"all", switches.Names, true},
		{"bridge", []string{"bridge"}, true},
		{"ovs, govs ,ovs", []string{"ovs", "govs"}, true},
		{"ovs,nope", nil, false},
		{"", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSwitches(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, o *options)
		ok    bool
	}{
		{"defaults", nil, func(t *testing.T, o *options) {
			c := o.cfg
			if !slices.Equal(c.Sizes, []int{64, 512, 1500}) || !slices.Equal(c.Flows, []int{1, 1000, 100000}) ||
				c.Runs != 3 || c.Duration != 3*time.Second || !c.FlowSetup || c.Rules != 100000 || len(c.Switches) != len(switches.Names) {
				t.Fatalf("defaults %+v", c)
			}
		}, true},
		{"quick", []string{"-quick"}, func(t *testing.T, o *options) {
			c := o.cfg
			if !slices.Equal(c.Sizes, []int{64}) || len(c.Flows) != 1 || c.Runs != 1 || c.Duration != time.Second ||
				c.Warmup != 0 || c.FlowSetup || c.Rules != 0 {
				t.Fatalf("quick %+v", c)
			}
		}, true},
		{"quick with explicit runs", []string{"-quick", "-runs", "2", "-switches", "bridge"}, func(t *testing.T, o *options) {
			if o.cfg.Runs != 2 || o.cfg.Duration != time.Second || !slices.Equal(o.cfg.Switches, []string{"bridge"}) {
				t.Fatalf("%+v", o.cfg)
			}
		}, true},
		{"outputs", []string{"-json", "a.json", "-chart", "b.png"}, func(t *testing.T, o *options) {
			if o.jsonFile != "a.json" || o.chartFile != "b.png" {
				t.Fatalf("%+v", o)
			}
		}, true},
		{"bad size", []string{"-sizes", "60"}, nil, false},
		{"bad flows", []string{"-flows", "0"}, nil, false},
		{"bad runs", []string{"-runs", "0"}, nil, false},
		{"bad duration", []string{"-duration", "-1s"}, nil, false},
		{"bad switch", []string{"-switches", "vpp"}, nil, false},
		{"bad window", []string{"-window", "-2"}, nil, false},
		{"window", []string{"-window", "256"}, func(t *testing.T, o *options) {
			if o.cfg.Window != 256 {
				t.Fatalf("window %d", o.cfg.Window)
			}
		}, true},
		{"stray arg", []string{"extra"}, nil, false},
		{"unknown flag", []string{"-nope"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, io.Discard)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok {
				tt.check(t, o)
			}
		})
	}
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
}

// FuzzParseFlags checks that no command line panics and that accepted
// ones give a valid configuration.
func FuzzParseFlags(f *testing.F) {
	for _, s := range []string{"", "-quick", "-sizes 64,1500 -flows 1,100k", "-switches ovs,bridge", "-flows 99999999k", "-sizes ,", "-runs -3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parseFlags(strings.Fields(s), io.Discard)
		if err != nil {
			return
		}
		if verr := o.cfg.Validate(); verr != nil {
			t.Fatalf("accepted %q but config invalid: %v", s, verr)
		}
	})
}

func FuzzParseIntList(f *testing.F) {
	for _, s := range []string{"1", "1,1000,100k", "", "k", "1K,2k", "4294967296"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseIntList("x", s)
		if err != nil {
			return
		}
		if len(v) == 0 || len(v) > maxListItems {
			t.Fatalf("%q: %d values", s, len(v))
		}
		for _, n := range v {
			if n <= 0 {
				t.Fatalf("%q: value %d", s, n)
			}
		}
	})
}

func TestParseFlagsTunnel(t *testing.T) {
	tests := []struct {
		args []string
		want []string // switches; nil: an error
	}{
		{[]string{"-tunnel", "geneve"}, []string{"govs", "ovs"}},
		{[]string{"-tunnel", "vxlan", "-switches", "ovs"}, []string{"ovs"}},
		{[]string{"-tunnel", "geneve", "-switches", "all"}, []string{"govs", "ovs"}},
		{[]string{"-tunnel", "gre"}, nil},
		{[]string{"-tunnel", "geneve", "-switches", "bridge"}, nil},
		{[]string{"-tunnel", "geneve", "-switches", "govs-datapath"}, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			o, err := parseFlags(tt.args, io.Discard)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("accepted, switches %v", o.cfg.Switches)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(o.cfg.Switches, tt.want) || o.cfg.Switch.Tunnel != tt.args[1] {
				t.Fatalf("switches %v tunnel %q", o.cfg.Switches, o.cfg.Switch.Tunnel)
			}
		})
	}
	// Without -tunnel nothing changes.
	o, err := parseFlags(nil, io.Discard)
	if err != nil || o.cfg.Switch.Tunnel != "" || !slices.Equal(o.cfg.Switches, switches.Names) {
		t.Fatalf("default: %v %+v", err, o.cfg)
	}
}
