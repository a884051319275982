package vsctl

import (
	"io"
	"strings"
	"testing"

	"govs/ovsdb/internal/ovstest"
)

// FuzzRun feeds arbitrary command lines to a whole invocation against
// govs's own server: it must never panic and must end with one of the
// documented statuses.
func FuzzRun(f *testing.F) {
	for _, s := range []string{
		"add-br br0", "add-port br0 p1 tag=10 -- set interface p1 type=internal",
		"set port p1 trunks=1-3,7 other_config:x=y", "get port p1 trunks other_config:x _uuid",
		"list bridge", "--format=table find port tag>=1", "-- --id=@c create controller target=tcp:1.1.1.1 -- add bridge br0 controller @c",
		"remove port p1 trunks 2", "clear port p1 trunks", "del-port br0 p1", "destroy qos @x", "add-br fb br0 5",
		"--bare --columns=name list interface", "show", "del-br br0", "set open . external_ids:a=\"b c\"",
	} {
		f.Add(s)
	}
	ours := ovstest.StartGovs(f)
	f.Fuzz(func(t *testing.T, in string) {
		// wait-until and --timeout could block for as long as the input
		// says; they are covered by other tests.
		if strings.Contains(in, "wait") || strings.Contains(in, "-t") || strings.Contains(in, "--t") {
			t.Skip()
		}
		args := append([]string{"--db=unix:" + ours.Sock, "--no-wait"}, strings.Fields(in)...)
		code := Run(Config{Args: args, Stdout: io.Discard, Stderr: io.Discard})
		switch code {
		case exitOK, exitFailure, exitBrMissing:
		default:
			t.Fatalf("%q: exit %d", in, code)
		}
	})
}
