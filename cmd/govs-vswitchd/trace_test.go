package main

import (
	"strings"
	"testing"

	"govs/ofproto/bridge"
)

func TestParseTraceArgs(t *testing.T) {
	tests := []struct {
		args     string
		bridge   string
		flow     string
		generate bool
		packet   bool
		err      string
	}{
		{args: "br in_port=1", bridge: "br", flow: "in_port=1"},
		{args: "br in_port=1 -generate", bridge: "br", flow: "in_port=1", generate: true},
		{args: "-generate br in_port=1", bridge: "br", flow: "in_port=1", generate: true},
		{args: "br in_port=1 ffffffffffff000000000001", bridge: "br", flow: "in_port=1", packet: true},
		{args: "br in_port=1 junk", err: "Trailing garbage in packet data"},
		{args: "br in_port=1 fff", err: "Trailing garbage in packet data"},
		{args: "br in_port=1 -generate x", err: "Syntax error"},
		{args: "br in_port=1 a b", err: "too many arguments"},
		{args: "in_port=1", err: "syntax error at in_port=1 (or the bridge name was omitted)"},
		{args: "-generate", err: "Syntax error"},
		{args: "--ct-next br in_port=1", err: "ofproto/trace option --ct-next is not supported by govs"},
	}
	for _, tt := range tests {
		ta, err := parseTraceArgs(strings.Fields(tt.args))
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: error %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || ta.bridge != tt.bridge || ta.flow != tt.flow || ta.generate != tt.generate || (ta.packet != nil) != tt.packet {
			t.Errorf("%q: got %+v, %v", tt.args, ta, err)
		}
	}
}

// FuzzTrace: ofproto/trace's argument and flow parsing never panic.
func FuzzTrace(f *testing.F) {
	f.Add("br in_port=1 -generate", "in_port=p1,dl_vlan=10,tcp,tp_dst=80", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 8, 0})
	f.Add("br x ffff", "in_port=1,nw_src=1.2.3.4/8", []byte(nil))
	f.Add("", "bogus=1,in_port(1)", []byte{0x81, 0})
	ports := []bridge.PortInfo{{OFPort: 1, Name: "p1"}, {OFPort: 65534, Name: "br"}}
	f.Fuzz(func(t *testing.T, args, flow string, pkt []byte) {
		_, _ = parseTraceArgs(strings.Fields(args))
		vlanLimit := len(pkt) % 3 // 0..2: every vlan-limit the datapath takes
		_, _ = traceKey(ports, flow, pkt, vlanLimit, nil)
	})
}
