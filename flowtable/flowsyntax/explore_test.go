package flowsyntax

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// casesEnv names an extra case file (same syntax as testdata/parseflow.txt)
// to compare live against the installed ovs-ofctl; used to explore new
// syntax before adding cases to the golden corpus.
const casesEnv = "GOVS_PARSEFLOW_CASES"

func TestParseFlowExtraCases(t *testing.T) {
	p := os.Getenv(casesEnv)
	if p == "" {
		t.Skip(casesEnv + " not set")
	}
	bin, err := exec.LookPath("ovs-ofctl")
	if err != nil {
		t.Skip("ovs-ofctl not installed")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if c == "" || strings.HasPrefix(c, "#") {
			continue
		}
		r, err := runOracle(bin, c)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, r)
	}
}
