package run

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	return Config{Switches: []string{"bridge"}, Sizes: []int{64}, Flows: []int{1}, Runs: 1, Duration: time.Second}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		mut  func(*Config)
		ok   bool
	}{
		{"valid", func(*Config) {}, true},
		{"no switch", func(c *Config) { c.Switches = nil }, false},
		{"unknown switch", func(c *Config) { c.Switches = []string{"vpp"} }, false},
		{"no size", func(c *Config) { c.Sizes = nil }, false},
		{"small size", func(c *Config) { c.Sizes = []int{63} }, false},
		{"big size", func(c *Config) { c.Sizes = []int{9000} }, false},
		{"zero flows", func(c *Config) { c.Flows = []int{0} }, false},
		{"too many flows", func(c *Config) { c.Flows = []int{1 << 30} }, false},
		{"zero runs", func(c *Config) { c.Runs = 0 }, false},
		{"zero duration", func(c *Config) { c.Duration = 0 }, false},
		{"negative rate", func(c *Config) { c.Rate = -1 }, false},
		{"negative latency rate", func(c *Config) { c.LatencyRate = -1 }, false},
		{"negative rules", func(c *Config) { c.Rules = -1 }, false},
		{"negative window", func(c *Config) { c.Window = -1 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.mut(&c)
			if err := c.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestWriteRules(t *testing.T) {
	var b bytes.Buffer
	const n = 70000
	if err := WriteRules(&b, n); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d rules, want %d", len(lines), n)
	}
	seen := make(map[string]bool, n)
	for _, l := range lines {
		seen[l] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct rules", len(seen))
	}
	if lines[0] != "priority=100,ip,nw_src=11.0.0.0,actions=NORMAL" || lines[n-1] != "priority=100,ip,nw_src=11.1.17.111,actions=NORMAL" {
		t.Fatalf("first/last rule: %q %q", lines[0], lines[n-1])
	}
}
