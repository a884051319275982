package ofp

import "testing"

func TestFeatures10(t *testing.T) {
	tests := []struct{ in, want uint32 }{
		{PortFeature10GBFD | PortFeatureCopper, 1<<6 | 1<<7},
		{PortFeature1GBFD | PortFeatureFiber | PortFeatureAutoneg, 1<<5 | 1<<8 | 1<<9},
		{PortFeature40GBFD | PortFeatureOther | PortFeaturePause | PortFeaturePauseAsym, 1<<10 | 1<<11},
		{PortFeature10MBHD, 1},
	}
	for _, tt := range tests {
		if got := Features10(tt.in); got != tt.want {
			t.Errorf("Features10(%#x) = %#x, want %#x", tt.in, got, tt.want)
		}
	}
}
