package ofp

import (
	"testing"

	"govs/flowtable/flowsyntax"
)

func TestIsFlowMod(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    Message
		v    uint8
		want bool
	}{
		{"OF10 ofp_match", &FlowMod{Format: FormatOF10, BufferID: NoBuffer}, Version10, true},
		{"OF10 NXT_FLOW_MOD", &FlowMod{Format: FormatNXM, BufferID: NoBuffer}, Version10, true},
		{"OF13", &FlowMod{BufferID: NoBuffer}, Version13, true},
		{"NXT_SET_FLOW_FORMAT", &SetFlowFormat{Format: FormatNXM}, Version10, false},
		{"barrier", &BarrierRequest{}, Version13, false},
	} {
		if fm, ok := tc.m.(*FlowMod); ok {
			fm.Command = flowsyntax.CmdAdd
		}
		b, err := Encode(tc.m, tc.v, 1)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := IsFlowMod(b); got != tc.want {
			t.Errorf("%s: IsFlowMod = %v, want %v", tc.name, got, tc.want)
		}
		if IsFlowMod(b[:4]) {
			t.Errorf("%s: short header taken for a flow mod", tc.name)
		}
	}
}
