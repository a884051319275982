package ofctl

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"govs/internal/ovsoracle"
)

// ovsTools are the real Open vSwitch programs the oracle tests need.
var ovsTools = []string{"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl"}

const (
	ovsCmdTimeout = 20 * time.Second
	oracleBridge  = "br0"
)

// ovsEnv is a private ovsdb-server + ovs-vswitchd in a temp dir, with
// bridge br0 (dummy datapath) and dummy ports p1 (1) and p2 (2).
type ovsEnv struct {
	*ovsoracle.OVS
	dir string
}

// runTool runs a real OVS tool with the private rundir, bounded in time.
func (o *ovsEnv) runTool(t testing.TB, stdin string, name string, args ...string) (string, string, int) {
	t.Helper()
	return o.Exec(stdin, name, args...)
}

func (o *ovsEnv) mustRun(t testing.TB, name string, args ...string) {
	t.Helper()
	if out, errs, code := o.runTool(t, "", name, args...); code != 0 {
		t.Fatalf("%s %v: exit %d\n%s%s", name, args, code, out, errs)
	}
}

// startOVS starts the private switch, or skips when OVS is not installed.
func startOVS(t *testing.T) *ovsEnv {
	t.Helper()
	o := &ovsEnv{OVS: ovsoracle.Start(t, ovsoracle.Options{DirPrefix: "gof", Tools: ovsTools})}
	o.dir = o.Dir
	o.mustRun(t, "ovs-vsctl", "--db="+o.DB, "--timeout=20", "add-br", oracleBridge,
		"--", "set", "bridge", oracleBridge, "datapath_type=dummy",
		"--", "add-port", oracleBridge, "p1", "--", "set", "interface", "p1", "type=dummy", "ofport_request=1",
		"--", "add-port", oracleBridge, "p2", "--", "set", "interface", "p2", "type=dummy", "ofport_request=2")
	o.WaitMgmt(oracleBridge)
	return o
}

// runGovs runs govs-ofctl in process against the private switch.
func (o *ovsEnv) runGovs(stdin string, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := Run(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Rundir: o.dir})
	return out.String(), errb.String(), code
}

// baselineFlows is the flow table every oracle step starts from.
const baselineFlows = "priority=0,actions=NORMAL\n" +
	"table=0,priority=100,in_port=1,actions=output:2\n" +
	"table=0,priority=90,dl_type=0x0800,nw_src=10.0.0.0/8,actions=drop\n" +
	"table=1,priority=5,reg0=1,actions=resubmit(,2)\n" +
	"cookie=0x77,priority=50,tcp,tp_dst=80,actions=mod_vlan_vid:10,output:1\n"

// transientOVS matches connection failures vswitchd occasionally causes
// under a burst of short connections; such runs are retried.
var transientOVS = regexp.MustCompile(`Broken pipe|Connection reset by peer`)

const maxAttempts = 3

// reset restores the baseline state with the real tool.
func (o *ovsEnv) reset(t *testing.T) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		err := o.tryReset(t)
		if err == "" {
			return
		}
		if attempt == maxAttempts || !transientOVS.MatchString(err) {
			t.Fatalf("reset: %s", err)
		}
		t.Logf("reset: retrying after transient error: %s", err)
	}
}

func (o *ovsEnv) tryReset(t *testing.T) string {
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"del-flows", oracleBridge}},
		{"", []string{"del-tlv-map", oracleBridge}},
		{baselineFlows, []string{"add-flows", oracleBridge, "-"}},
		{"", []string{"mod-port", oracleBridge, "p1", "up"}},
		{"", []string{"mod-port", oracleBridge, "p1", "flood"}},
	} {
		if out, errs, code := o.runTool(t, c.stdin, "ovs-ofctl", c.args...); code != 0 {
			return fmt.Sprintf("%v: exit %d %s%s", c.args, code, out, errs)
		}
	}
	return ""
}

var (
	reDuration = regexp.MustCompile(`duration=[0-9.]+s`)
	reAge      = regexp.MustCompile(`idle_age=[0-9]+`)
	reHardAge  = regexp.MustCompile(`hard_age=[0-9]+, `) // shown only when != duration: timing
	reVlog     = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT[^\n]*\|[A-Z]+\|[^\n]*\n`)
	reProg     = regexp.MustCompile(`(?m)^ovs-ofctl: `)
)

// normalize removes what legitimately differs between two runs.
func normalize(s string) string {
	s = reDuration.ReplaceAllString(s, "duration=X")
	s = reAge.ReplaceAllString(s, "idle_age=X")
	s = reHardAge.ReplaceAllString(s, "")
	s = reVlog.ReplaceAllString(s, "")
	return reProg.ReplaceAllString(s, "govs-ofctl: ")
}

// sortFlowLines sorts each run of flow lines: vswitchd dumps a table in
// classifier (hash) order, which differs between two identical tables.
// Output the command sorted itself (--sort/--rsort) is left alone.
func sortFlowLines(out string, args []string) string {
	for _, a := range args {
		if strings.HasPrefix(a, "--sort") || strings.HasPrefix(a, "--rsort") {
			return out
		}
	}
	lines := strings.SplitAfter(out, "\n")
	for i := 0; i < len(lines); {
		j := i
		for j < len(lines) && strings.HasPrefix(lines[j], " cookie=") {
			j++
		}
		if j > i {
			sort.Strings(lines[i:j])
			i = j
		} else {
			i++
		}
	}
	return strings.Join(lines, "")
}

// oracleStep is one state epoch: commands run in order after a reset.
type oracleStep struct {
	stdin string // for the first command that reads "-"
	cmds  [][]string
}

func cmd(s string) []string { return strings.Fields(s) }

func steps(cmds ...string) oracleStep {
	st := oracleStep{}
	for _, c := range cmds {
		st.cmds = append(st.cmds, cmd(c))
	}
	return st
}

// oracleScript covers every command in both versions, valid and invalid.
func oracleScript(dir string) []oracleStep {
	flowFile := filepath.Join(dir, "flows.txt")
	badFile := filepath.Join(dir, "bad.txt")
	os.WriteFile(flowFile, []byte("# comment\n\npriority=7,in_port=2,actions=output:1\n"+
		"table=3,priority=1,actions=drop\ndelete in_port=1\n"), 0o600)
	os.WriteFile(badFile, []byte("priority=7,actions=drop\nbogus=1,actions=drop\n"), 0o600)
	br := oracleBridge
	of13 := "-O OpenFlow13 "
	out := []oracleStep{
		steps("show " + br),
		steps(of13 + "show " + br),
		steps("-O OpenFlow10,OpenFlow13 show " + br),
		steps("dump-desc " + br),
		steps(of13 + "dump-desc " + br),
		steps("dump-tables " + br),
		steps(of13 + "dump-tables " + br),
		steps("dump-table-features " + br),
		steps("dump-ports " + br),
		steps("dump-ports " + br + " p1"),
		steps("dump-ports " + br + " LOCAL"),
		steps(of13 + "dump-ports " + br + " 2"),
		steps("dump-ports " + br + " nosuch"),
		steps("dump-ports-desc " + br),
		steps(of13 + "dump-ports-desc " + br),
		steps("dump-ports-desc " + br + " p2"),
		steps("dump-flows " + br),
		steps(of13 + "dump-flows " + br),
		steps("dump-flows " + br + " table=1"),
		steps("dump-flows " + br + " in_port=p1"),
		steps(of13 + "dump-flows " + br + " tcp,tp_dst=80"),
		steps("dump-flows " + br + " cookie=0x77/-1"),
		steps("dump-flows " + br + " reg0=1"),
		steps("dump-flows --no-stats " + br),
		steps("dump-flows --names " + br),
		steps("dump-flows --sort " + br),
		steps("dump-flows --rsort=priority " + br),
		steps(of13 + "dump-flows --sort=in_port " + br),
		steps("dump-flows " + br + " in_port=nosuch"),
		steps("dump-flows " + br + " bogus=1"),
		steps("dump-ports --names " + br),
		steps("show --names " + br),
		steps(of13 + "dump-ports-desc --names " + br),
		steps("dump-flows --names " + br + " in_port=p1"),
		steps(of13 + "dump-flows --no-stats " + br),
		steps("dump-flows " + br + " out_port=1"),
		steps(of13 + "dump-flows " + br + " cookie=0x77/0xff"),
		steps("dump-aggregate " + br + " bogus=1"),
		steps("add-flow " + br + " in_port=1,actions=output:nosuch"),
		steps("del-flows --strict "+br+" in_port=99,priority=5", "dump-aggregate "+br),
		steps("dump-aggregate " + br),
		steps(of13 + "dump-aggregate " + br),
		steps("dump-aggregate " + br + " table=1"),
		steps("add-flow "+br+" in_port=p1,actions=output:p2", "dump-flows "+br),
		steps(of13+"add-flow "+br+" priority=3,in_port=p2,actions=output:p1", of13+"dump-flows "+br),
		steps("add-flow "+br+" table=1,priority=5,tun_id=0x5,actions=resubmit(,2)", "dump-flows "+br+" table=1"),
		steps("add-flow "+br+" priority=7,reg0=1,actions=drop", "dump-aggregate "+br),
		steps("add-flow " + br + " table=254,actions=drop"),
		steps(of13 + "add-flow " + br + " table=254,actions=drop"),
		steps("add-flow " + br + " in_port=nosuch,actions=drop"),
		steps("add-flow " + br + " foo=1,actions=drop"),
		steps("add-flow " + br + " in_port=1"),
		steps("add-flow nobr actions=drop"),
		steps("add-flow"),
		steps("--no-names add-flow " + br + " in_port=p1,actions=drop"),
		steps("add-flows "+br+" "+flowFile, "dump-flows "+br),
		steps(of13+"add-flows "+br+" "+flowFile, of13+"dump-flows "+br),
		steps("add-flows " + br + " " + badFile),
		steps("add-flows " + br + " " + filepath.Join(dir, "missing.txt")),
		{stdin: "priority=9,in_port=2,actions=drop\n", cmds: [][]string{cmd("add-flows " + br + " -"), cmd("dump-flows " + br)}},
		steps("mod-flows "+br+" in_port=1,actions=drop", "dump-flows "+br),
		steps(of13+"mod-flows "+br+" in_port=1,actions=output:2", of13+"dump-flows "+br),
		steps("mod-flows --strict "+br+" priority=100,in_port=1,actions=NORMAL", "dump-flows "+br),
		steps("mod-flows " + br + " in_port=nosuch,actions=drop"),
		steps("del-flows "+br+" in_port=p1", "dump-flows "+br),
		steps(of13+"del-flows "+br+" table=1", of13+"dump-flows "+br),
		steps("del-flows --strict "+br+" priority=0", "dump-aggregate "+br),
		steps("del-flows "+br, "dump-flows "+br),
		steps(of13+"del-flows "+br, of13+"dump-aggregate "+br),
		steps("del-flows nobr"),
		steps("mod-port "+br+" p1 down", "dump-ports-desc "+br),
		steps(of13+"mod-port "+br+" p2 no-flood", "show "+br),
		steps("mod-port "+br+" 1 noreceive", "dump-ports-desc "+br),
		steps("mod-port " + br + " nosuch up"),
		steps("mod-port " + br + " p1 bogus"),
		steps("packet-out " + br + " in_port=p1,packet=ffffffffffff00000000000108060001080006040001000000000001c0a80001000000000000c0a80002,actions=output:p2"),
		steps(of13 + "packet-out " + br + " in_port=1,packet=ffffffffffff0000000000010800,actions=drop"),
		steps("packet-out " + br + " in_port=p1 output:2 ffffffffffff0000000000010800"),
		steps("packet-out " + br + " in_port=1,packet=zz,actions=drop"),
		steps("packet-out " + br + " in_port=1,actions=drop"),
		steps("dump-tlv-map " + br),
		steps(of13 + "dump-tlv-map " + br),
		steps("add-tlv-map "+br+" {class=0x0102,type=0x80,len=4}->tun_metadata0,{class=1,type=2,len=8}->tun_metadata6", "dump-tlv-map "+br, of13+"dump-tlv-map "+br),
		steps("add-tlv-map "+br+" {class=0x0102,type=0x80,len=4}->tun_metadata0", "add-tlv-map "+br+" {class=0x0102,type=0x80,len=4}->tun_metadata0"),
		steps("add-tlv-map "+br+" {class=0x0102,type=0x80,len=4}->tun_metadata0", of13+"add-tlv-map "+br+" {class=0x0102,type=0x80,len=8}->tun_metadata1"),
		steps("add-tlv-map "+br+" {class=0x0102,type=0x80,len=4}->tun_metadata0", "del-tlv-map "+br+" {class=0,type=0,len=0}->tun_metadata0", "del-tlv-map "+br+" {class=1,type=1,len=4}->tun_metadata9", "dump-tlv-map "+br),
		steps("add-tlv-map "+br+" {class=0x0102,type=0x80,len=4}->tun_metadata0", "del-tlv-map "+br, "dump-tlv-map "+br),
		steps("add-tlv-map " + br + " {class=0xffff,type=0x1,len=124}->tun_metadata5,{class=0x1,type=0x2,len=124}->tun_metadata6,{class=0x1,type=0x3,len=124}->tun_metadata7"),
		steps("add-tlv-map " + br + " bogus"),
		steps("add-tlv-map " + br + " {class=1,type=2,len=4}"),
		steps("add-tlv-map " + br),
		steps("dump-tlv-map nobr"),
		steps("get-frags " + br),
		steps("probe " + br),
		steps("parse-flow in_port=1,actions=drop"),
		steps(of13 + "parse-flow reg0=1,actions=drop"),
		steps("parse-flow bogus=1"),
		steps("show nobr"),
		steps("show unix:" + filepath.Join(dir, "nonexistent.sock")),
		steps("show tcp:127.0.0.1:1"),
		steps("show"),
		steps("show " + br + " extra"),
		steps("nosuchcommand " + br),
		steps(""),
		steps("--bogus show " + br),
		steps("-t 0 show " + br),
		steps("-O OpenFlow99 show " + br),
		steps("show " + filepath.Join(dir, br+".mgmt")),
		steps("dump-flows unix:" + filepath.Join(dir, br+".mgmt")),
	}
	return out
}

// TestOracleDifferential runs every script step with the real ovs-ofctl
// and with govs-ofctl from the same switch state and compares stdout,
// stderr (program name normalised) and exit codes.
func TestOracleDifferential(t *testing.T) {
	o := startOVS(t)
	script := oracleScript(o.dir)
	n := 0
	dirty := true // switch state may differ from the baseline
	for i, st := range script {
		type result struct {
			out, err string
			code     int
		}
		var real, ours []result
		mutates := stepMutates(st)
		run := func(govs bool) []result {
			var rs []result
			if dirty {
				o.reset(t)
			}
			dirty = mutates
			for _, c := range st.cmds {
				var out, errs string
				var code int
				if govs {
					out, errs, code = o.runGovs(st.stdin, c...)
				} else {
					out, errs, code = o.runTool(t, st.stdin, "ovs-ofctl", c...)
				}
				rs = append(rs, result{sortFlowLines(normalize(out), c), normalize(errs), code})
			}
			return rs
		}
		for attempt := 1; attempt <= maxAttempts; attempt++ {
			real, ours = run(false), run(true)
			if !hasTransient(real) && !hasTransient(ours) {
				break
			}
			t.Logf("step %d: retrying after a transient connection error", i)
		}
		for j, c := range st.cmds {
			n++
			if real[j] != ours[j] {
				t.Errorf("step %d command %q:\novs-ofctl (exit %d):\n%s%s\ngovs-ofctl (exit %d):\n%s%s",
					i, strings.Join(c, " "), real[j].code, real[j].out, real[j].err, ours[j].code, ours[j].out, ours[j].err)
			}
		}
	}
	const minCommands = 60
	if n < minCommands {
		t.Fatalf("script has %d commands, want >= %d", n, minCommands)
	}
	t.Logf("%d commands compared", n)
}

// mutatingCommands change switch state; other steps skip the reset.
var mutatingCommands = map[string]bool{
	"add-flow": true, "add-flows": true, "mod-flows": true, "del-flows": true,
	"mod-port": true, "packet-out": true, "add-tlv-map": true, "del-tlv-map": true,
}

func stepMutates(st oracleStep) bool {
	for _, c := range st.cmds {
		for _, a := range c {
			if mutatingCommands[a] {
				return true
			}
		}
	}
	return false
}

func hasTransient[R any](rs []R) bool {
	return transientOVS.MatchString(fmt.Sprint(rs))
}

// describe is a short text of a captured message sequence, for failures.
func describe(convs [][][]byte) string {
	var b strings.Builder
	for i, c := range convs {
		fmt.Fprintf(&b, "conn %d:", i)
		for _, m := range c {
			fmt.Fprintf(&b, " %x", m)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestTCPTarget compares both tools through a tcp:IP:PORT target (the
// bridge listens after set-controller ptcp:PORT:127.0.0.1).
func TestTCPTarget(t *testing.T) {
	o := startOVS(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	o.mustRun(t, "ovs-vsctl", "--db=unix:"+filepath.Join(o.dir, "db.sock"), "--timeout=20",
		"set-controller", oracleBridge, fmt.Sprintf("ptcp:%d:127.0.0.1", port))
	tgt := fmt.Sprintf("tcp:127.0.0.1:%d", port)
	deadline := time.Now().Add(ovsCmdTimeout)
	for {
		c, err := net.Dial("tcp", tgt[len(tcpPrefix):])
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never listened: %v", tgt, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, c := range []string{
		"show " + tgt, "dump-flows " + tgt, "-O OpenFlow13 dump-ports " + tgt + " p1",
		"add-flow " + tgt + " in_port=p1,actions=drop", "dump-aggregate " + tgt,
	} {
		args := strings.Fields(c)
		var rOut, rErr, oOut, oErr string
		var rCode, oCode int
		for attempt := 1; attempt <= maxAttempts; attempt++ {
			o.reset(t)
			rOut, rErr, rCode = o.runTool(t, "", "ovs-ofctl", args...)
			o.reset(t)
			oOut, oErr, oCode = o.runGovs("", args...)
			if !transientOVS.MatchString(rErr + oErr) {
				break
			}
		}
		rOut, oOut = sortFlowLines(normalize(rOut), args), sortFlowLines(normalize(oOut), args)
		rErr, oErr = normalize(rErr), normalize(oErr)
		if rOut != oOut || rErr != oErr || rCode != oCode {
			t.Errorf("%s:\novs-ofctl (exit %d):\n%s%s\ngovs-ofctl (exit %d):\n%s%s", c, rCode, rOut, rErr, oCode, oOut, oErr)
		}
	}
}
