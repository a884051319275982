package server_test

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"govs/ovsdb/internal/ovstest"
)

// vsctlSequence is run against both servers; outputs must match.
var vsctlSequence = [][]string{
	{"init"},
	{"add-br", "br0"},
	{"add-br", "br0"}, // error: already exists
	{"add-port", "br0", "p1"},
	{"set", "port", "p1", "tag=10"},
	{"set", "interface", "p1", "type=internal"},
	{"set", "bridge", "br0", "other_config:hwaddr=00:11:22:33:44:55", "fail_mode=secure"},
	{"add-port", "br0", "p2", "--", "set", "interface", "p2", "type=internal", "--", "set", "port", "p2", "trunks=1,2,3"},
	{"set", "port", "p1", "tag=5000"}, // error: out of range
	{"list-br"},
	{"list-ports", "br0"},
	{"show"},
	{"get", "port", "p1", "tag"},
	{"get", "bridge", "br0", "other_config"},
	{"list", "port", "p1"},
	{"list", "interface", "p2"},
	{"find", "interface", "name=p1"},
	{"find", "port", "tag=10"},
	{"--columns=name,trunks", "find", "port", "name=p2"},
	{"del-port", "p1"},
	{"del-port", "nonexistent"}, // error
	{"list-ports", "br0"},
	{"del-br", "br0"},
	{"list-br"},
	{"list", "interface"},
	{"show"},
}

// sortBlocks sorts sibling blocks (a line plus its more-indented
// children) at every level: ovs-vsctl prints rows in UUID or hash order,
// which differs between any two servers.
func sortBlocks(lines []string) []string {
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	var blocks [][]string
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && indent(lines[j]) > indent(lines[i]) {
			j++
		}
		blocks = append(blocks, append([]string{lines[i]}, sortBlocks(lines[i+1:j])...))
		i = j
	}
	sort.Slice(blocks, func(a, b int) bool { return strings.Join(blocks[a], "\n") < strings.Join(blocks[b], "\n") })
	var out []string
	for _, b := range blocks {
		out = append(out, b...)
	}
	return out
}

func runVsctl(sock string, args []string) string {
	full := append([]string{"--db=unix:" + sock, "--no-wait", "--timeout=10"}, args...)
	out, err := ovstest.Run("ovs-vsctl", full...)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		code = -1
	}
	out = ovstest.NormalizeUUIDs(out)
	if args[0] == "show" {
		out = strings.Join(sortBlocks(strings.Split(out, "\n")), "\n")
	}
	return fmt.Sprintf("$ ovs-vsctl %s\n%s[exit %d]\n", strings.Join(args, " "), out, code)
}

func TestOvsVsctlMatchesRealServer(t *testing.T) {
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-server", "ovsdb-tool")
	real := ovstest.StartReal(t)
	ours := ovstest.StartGovs(t)
	for _, args := range vsctlSequence {
		want := runVsctl(real, args)
		got := runVsctl(ours.Sock, args)
		if got != want {
			t.Errorf("output differs\n--- real ovsdb-server:\n%s--- govs:\n%s", want, got)
		}
	}
	// Garbage collection: del-br removed every Bridge/Port/Interface row.
	for _, tbl := range []string{"Bridge", "Port", "Interface"} {
		if n := len(ours.DB.Rows(tbl)); n != 0 {
			t.Errorf("%s has %d rows after del-br, want 0 (garbage collection)", tbl, n)
		}
	}
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestOvsdbClientMatchesRealServer(t *testing.T) {
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-client", "ovsdb-server", "ovsdb-tool")
	real := ovstest.StartReal(t)
	ours := ovstest.StartGovs(t)
	for _, sock := range []string{real, ours.Sock} {
		for _, args := range [][]string{{"init"}, {"add-br", "br0"}, {"add-port", "br0", "p1"}, {"set", "port", "p1", "tag=7"}} {
			runVsctl(sock, args)
		}
	}
	cmds := []struct {
		name   string
		args   []string
		sorted bool // row order is UUID order, which differs between servers
	}{
		{"list-dbs", []string{"list-dbs"}, false},
		// Table and column order is ovsdb-client's hash order of the
		// schema it received; compare as sets.
		{"list-tables", []string{"list-tables", "Open_vSwitch"}, true},
		{"list-columns", []string{"list-columns", "Open_vSwitch", "Port"}, true},
		{"get-schema-version", []string{"get-schema-version", "Open_vSwitch"}, false},
		{"dump", []string{"dump", "Open_vSwitch"}, true},
		{"dump Port", []string{"dump", "Open_vSwitch", "Port", "name", "tag"}, true},
		{"transact select", []string{"transact", `["Open_vSwitch",{"op":"select","table":"Port","where":[["name","==","p1"]],"columns":["name","tag"]}]`}, false},
		{"transact mutate", []string{"transact", `["Open_vSwitch",{"op":"mutate","table":"Port","where":[["name","==","p1"]],"mutations":[["tag","+=",1]]},{"op":"select","table":"Port","where":[["name","==","p1"]],"columns":["tag"]}]`}, false},
		{"transact range error", []string{"transact", `["Open_vSwitch",{"op":"update","table":"Port","where":[],"row":{"tag":9999}}]`}, false},
		{"transact bad enum", []string{"transact", `["Open_vSwitch",{"op":"update","table":"Port","where":[],"row":{"vlan_mode":"bogus"}}]`}, false},
		{"transact dangling ref", []string{"transact", `["Open_vSwitch",{"op":"update","table":"Bridge","where":[],"row":{"ports":["uuid","01234567-89ab-cdef-0123-456789abcdef"]}}]`}, false},
		{"transact unknown table", []string{"transact", `["Open_vSwitch",{"op":"select","table":"Nope","where":[]}]`}, false},
		{"transact unknown column", []string{"transact", `["Open_vSwitch",{"op":"insert","table":"Port","row":{"nope":1}}]`}, false},
		{"transact index", []string{"transact", `["Open_vSwitch",{"op":"insert","table":"Bridge","row":{"name":"br0"}}]`}, false},
		{"transact div zero", []string{"transact", `["Open_vSwitch",{"op":"mutate","table":"Port","where":[["name","==","p1"]],"mutations":[["tag","/=",0]]}]`}, false},
		{"transact mutate immutable", []string{"transact", `["Open_vSwitch",{"op":"mutate","table":"Port","where":[],"mutations":[["_uuid","+=",1]]}]`}, false},
		{"transact update uuid", []string{"transact", `["Open_vSwitch",{"op":"update","table":"Port","where":[],"row":{"_uuid":["uuid","01234567-89ab-cdef-0123-456789abcdef"]}}]`}, false},
		{"transact maxRows", []string{"transact", `["Open_vSwitch",{"op":"insert","table":"Open_vSwitch","row":{}}]`}, false},
		{"transact abort", []string{"transact", `["Open_vSwitch",{"op":"comment","comment":"x"},{"op":"abort"},{"op":"comment","comment":"y"}]`}, false},
		{"transact assert", []string{"transact", `["Open_vSwitch",{"op":"assert","lock":"ovs_vswitchd"}]`}, false},
		{"transact delete referenced", []string{"transact", `["Open_vSwitch",{"op":"delete","table":"Interface","where":[["name","==","p1"]]}]`}, false},
		{"transact unknown op", []string{"transact", `["Open_vSwitch",{"op":"frob"}]`}, false},
		{"transact missing where", []string{"transact", `["Open_vSwitch",{"op":"select","table":"Port"}]`}, false},
		{"transact bad type", []string{"transact", `["Open_vSwitch",{"op":"update","table":"Port","where":[],"row":{"tag":"x"}}]`}, false},
		{"transact too many", []string{"transact", `["Open_vSwitch",{"op":"update","table":"Port","where":[],"row":{"tag":["set",[1,2]]}}]`}, false},
		{"transact dup uuid-name", []string{"transact", `["Open_vSwitch",{"op":"insert","table":"Bridge","uuid-name":"a","row":{"name":"x1"}},{"op":"insert","table":"Bridge","uuid-name":"a","row":{"name":"x2"}}]`}, false},
		{"transact bad condition", []string{"transact", `["Open_vSwitch",{"op":"select","table":"Port","where":[["trunks","<",1]]}]`}, false},
		{"transact unknown db", []string{"transact", `["Nope",{"op":"comment","comment":"x"}]`}, false},
		{"transact wait timeout", []string{"transact", `["Open_vSwitch",{"op":"wait","table":"Port","timeout":0,"where":[],"columns":["name"],"until":"==","rows":[]}]`}, false},
	}
	for _, c := range cmds {
		t.Run(c.name, func(t *testing.T) {
			want, _ := ovstest.Run("ovsdb-client", append([]string{c.args[0], "unix:" + real}, c.args[1:]...)...)
			got, _ := ovstest.Run("ovsdb-client", append([]string{c.args[0], "unix:" + ours.Sock}, c.args[1:]...)...)
			want, got = ovstest.NormalizeUUIDs(want), ovstest.NormalizeUUIDs(got)
			if c.sorted {
				want, got = sortedLines(want), sortedLines(got)
			}
			if got != want {
				t.Errorf("ovsdb-client %s differs\n--- real:\n%s\n--- govs:\n%s", c.name, want, got)
			}
		})
	}
}

// monitorOutput runs ovsdb-client monitor, makes a change with ovs-vsctl
// once the initial table is printed, and returns the output once the
// change has been printed.
func monitorOutput(t *testing.T, sock string) string {
	ctx, cancel := context.WithTimeout(context.Background(), ovstest.CmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ovsdb-client", "monitor", "unix:"+sock, "Open_vSwitch", "Bridge", "name,fail_mode")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var lines []string
	sc := bufio.NewScanner(out)
	changed := false
	deadline := time.Now().Add(ovstest.CmdTimeout)
	for sc.Scan() && time.Now().Before(deadline) {
		line := sc.Text()
		lines = append(lines, line)
		if !changed && strings.Contains(line, "br0") {
			changed = true
			runVsctl(sock, []string{"set", "bridge", "br0", "fail_mode=secure"})
			runVsctl(sock, []string{"add-br", "br1"})
		}
		if strings.Contains(line, "br1") {
			break
		}
	}
	return ovstest.NormalizeUUIDs(strings.Join(lines, "\n"))
}

func TestOvsdbClientMonitorMatchesRealServer(t *testing.T) {
	ovstest.NeedTools(t, "ovs-vsctl", "ovsdb-client", "ovsdb-server", "ovsdb-tool")
	real := ovstest.StartReal(t)
	ours := ovstest.StartGovs(t)
	for _, sock := range []string{real, ours.Sock} {
		runVsctl(sock, []string{"init"})
		runVsctl(sock, []string{"add-br", "br0"})
	}
	want := monitorOutput(t, real)
	got := monitorOutput(t, ours.Sock)
	if got != want {
		t.Errorf("ovsdb-client monitor differs\n--- real:\n%s\n--- govs:\n%s", want, got)
	}
	if !strings.Contains(got, "br1") {
		t.Errorf("monitor never showed the insert:\n%s", got)
	}
}
