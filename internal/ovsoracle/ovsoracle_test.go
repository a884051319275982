package ovsoracle

import (
	"slices"
	"testing"
)

func TestSplitActions(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"drop", []string{"drop"}},
		{"1", []string{"1"}},
		{"push_vlan(vid=10,pcp=0),1,2", []string{"push_vlan(vid=10,pcp=0)", "1", "2"}},
		{"pop_vlan,set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)),3",
			[]string{"pop_vlan", "set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02))", "3"}},
		{"", []string{""}},
	}
	for _, tc := range tests {
		if got := SplitActions(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitActions(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
