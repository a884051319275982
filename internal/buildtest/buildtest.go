// Package buildtest is test support for tests that run govs's own
// programs against the host (the lab scripts, govs-bench smoke runs): it
// skips a test the host cannot run, and builds govs commands into a
// fresh directory.
//
// Contract:
//   - Need skips (t.Skip), never fails: a missing tool or a non-root run
//     is the host's limit, not a govs bug.
//   - Build writes only to a t.TempDir (removed by the testing package),
//     fails the test with the compiler's output when the build fails, and
//     is bounded by BuildTimeout.
//
// Only _test.go files import it.
package buildtest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// BuildTimeout bounds one Build.
const BuildTimeout = 3 * time.Minute

// Need skips t unless it runs as root (when root is set) and every tool
// is on PATH.
func Need(t testing.TB, root bool, tools ...string) {
	t.Helper()
	if root && os.Geteuid() != 0 {
		t.Skip("needs root (namespaces, veths)")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is missing (make deps installs it)", tool)
		}
	}
}

// Build builds the main packages pkgs (import paths, such as
// "govs/cmd/govs-vswitchd") into a new temporary directory and returns
// that directory.
func Build(t testing.TB, pkgs ...string) string {
	t.Helper()
	bin := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), BuildTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", append([]string{"build", "-o", bin}, pkgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
