package ofserver

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"govs/internal/ovsoracle"
)

// toolTimeout bounds one ovs-ofctl / ovs-vsctl run.
const toolTimeout = 10 * time.Second

func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed", name)
	}
	return p
}

// ofctlStep is one ovs-ofctl invocation: args after the options, and
// stdin.
type ofctlStep struct {
	args  []string
	stdin string
	// settle: retry (bounded) until the command succeeds and leave its
	// output out of the transcript. OVS releases a flow's hold on a TLV
	// mapping after an RCU grace period, so a del-tlv-map right after
	// del-flows may still fail there (NXTTMFC_INVALID_TLV_DEL) for a
	// moment; govs releases it at once.
	settle bool
}

// testPacket is an Ethernet/IPv4/UDP frame for packet-out.
const testPacket = "ffffffffffff02000000000108004500001c0001000040117cce0a0000010a00000204d2162e0008f0a3"

// ofctlSteps is the command sequence run against govs and against OVS.
func ofctlSteps(flowsFile string, proto []string) []ofctlStep {
	s := func(args ...string) ofctlStep { return ofctlStep{args: append(append([]string{}, proto...), args...)} }
	in := s("add-flows", "br0", "-")
	in.stdin = "priority=30,dl_type=0x0800,nw_dst=10.0.0.0/8,actions=output:1\npriority=31,udp,tp_dst=53,actions=drop\n"
	out := []ofctlStep{
		s("show", "br0"),
		s("dump-ports-desc", "br0"),
		s("dump-tables", "br0"),
		s("dump-desc", "br0"),
		s("add-flow", "br0", "in_port=1,actions=output:2"),
		s("add-flow", "br0", "table=1,priority=5,tun_id=0x5,actions=resubmit(,2)"),
		s("add-flow", "br0", "priority=7,reg0=1,cookie=0x12,actions=drop"),
		s("add-flow", "br0", "priority=8,in_port=p2,idle_timeout=60,actions=p1"),
		s("add-flows", "br0", flowsFile),
		in,
		s("dump-flows", "br0"),
		s("dump-flows", "br0", "in_port=1"),
		s("dump-flows", "br0", "cookie=0x12/-1"),
		s("dump-flows", "--no-stats", "br0"),
		s("dump-flows", "--names", "br0"),
		s("dump-flows", "br0", "out_port=1"),
		s("mod-flows", "br0", "in_port=1,actions=drop"),
		s("mod-flows", "--strict", "br0", "priority=7,reg0=1,actions=output:2"),
		s("dump-aggregate", "br0"),
		s("dump-aggregate", "br0", "table=1"),
		s("del-flows", "--strict", "br0", "priority=7,reg0=1"),
		s("del-flows", "br0", "in_port=1"),
		s("dump-flows", "br0"),
		s("dump-ports", "br0"),
		s("dump-ports", "br0", "1"),
		s("mod-port", "br0", "p2", "no-flood"),
		s("mod-port", "br0", "p1", "down"),
		s("show", "br0"),
		s("mod-port", "br0", "p1", "up"),
		s("packet-out", "br0", "in_port=LOCAL,packet="+testPacket+",actions=output:1"),
		s("add-flow", "br0", "table=254,actions=drop"),
		s("add-flow", "br0", "in_port=1,actions=output:99999"),
		s("del-flows", "br0"),
		s("dump-flows", "br0"),
		s("get-frags", "br0"),
		s("dump-tlv-map", "br0"),
		s("add-tlv-map", "br0", "{class=0x0102,type=0x80,len=4}->tun_metadata0,{class=1,type=2,len=8}->tun_metadata6"),
		s("dump-tlv-map", "br0"),
		s("add-tlv-map", "br0", "{class=0x0102,type=0x80,len=4}->tun_metadata0"),
		s("add-tlv-map", "br0", "{class=0x0102,type=0x80,len=8}->tun_metadata1"),
		s("del-tlv-map", "br0", "{class=0,type=0,len=0}->tun_metadata6"),
		s("del-tlv-map", "br0", "{class=0,type=0,len=0}->tun_metadata9"),
		s("dump-tlv-map", "br0"),
		s("del-tlv-map", "br0"),
		s("dump-tlv-map", "br0"),
		// tun_metadata flows need a mapping; a used mapping stays.
		s("add-flow", "br0", "priority=9,tun_metadata0=0x1234,actions=drop"),
		s("add-tlv-map", "br0", "{class=0xffff,type=0x1,len=8}->tun_metadata1,{class=0x0102,type=0x80,len=4}->tun_metadata0"),
		s("add-flow", "br0", "priority=9,tun_metadata0=0x1234,actions=drop"),
		s("add-flow", "br0", "priority=8,tun_metadata0=0xa/0xff,tun_metadata1=0x1122334455667788,tun_id=5,actions=drop"),
		s("dump-flows", "br0"),
		s("dump-flows", "br0", "tun_metadata0=0x1234"),
		s("del-tlv-map", "br0", "{class=0,type=0,len=0}->tun_metadata0"),
		s("del-flows", "br0", "tun_metadata0=0xa/0xff"),
		s("del-flows", "br0", "tun_metadata0=0x1234"),
		s("dump-flows", "br0"),
		settled(s("del-tlv-map", "br0")),
	}
	// set_field to tun_metadata: OFPAT_SET_FIELD in 1.3, NXAST_REG_LOAD2
	// in 1.0 and for masked writes.
	out = append(out,
		s("add-tlv-map", "br0", "{class=0x0102,type=0x80,len=4}->tun_metadata0"),
		s("add-flow", "br0", "priority=9,in_port=1,actions=set_field:0x0a0b0c0d->tun_metadata0,output:2"),
		s("add-flow", "br0", "priority=8,in_port=1,actions=set_field:0x1/0xff->tun_metadata0,output:2"),
		s("add-flow", "br0", "priority=9,in_port=2,actions=set_field:0x0a0b0c0d->tun_metadata3,output:1"),
		s("dump-flows", "br0"),
		s("del-tlv-map", "br0"),
		s("del-flows", "br0"),
		settled(s("del-tlv-map", "br0")),
	)
	return out
}

func settled(st ofctlStep) ofctlStep { st.settle = true; return st }

// runSteps runs steps with OVS_RUNDIR=rundir and returns one transcript
// entry per step.
func runSteps(t *testing.T, rundir string, steps []ofctlStep) []string {
	t.Helper()
	ofctl := needTool(t, "ovs-ofctl")
	env := append(os.Environ(), "OVS_RUNDIR="+rundir)
	run := func(st ofctlStep) (stdout, stderr string, code int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, ofctl, st.args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(st.stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%v: %v", st.args, err)
		}
		return out.String(), errb.String(), code
	}
	var out []string
	for _, st := range steps {
		stdout, stderr, code := run(st)
		if st.settle {
			const tries, pause = 100, 20 * time.Millisecond
			for i := 0; code != 0 && i < tries; i++ {
				time.Sleep(pause)
				_, _, code = run(st)
			}
			if code != 0 {
				t.Fatalf("%v never succeeded", st.args)
			}
			out = append(out, fmt.Sprintf("$ ovs-ofctl %s (settled)\n", strings.Join(st.args, " ")))
			continue
		}
		text := normalize(stdout, st.args) + "stderr: " + normalize(stderr, st.args)
		out = append(out, fmt.Sprintf("$ ovs-ofctl %s (exit %d)\n%s", strings.Join(st.args, " "), code, strings.ReplaceAll(text, rundir, "RUNDIR")))
	}
	return out
}

var normalizers = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`duration=[0-9.]+s`), "duration=Ds"},
	{regexp.MustCompile(`idle_age=[0-9]+`), "idle_age=A"},
	{regexp.MustCompile(`hard_age=[0-9]+, `), ""},
	{regexp.MustCompile(`dpid:[0-9a-f]{16}`), "dpid:DPID"},
	{regexp.MustCompile(`addr:[0-9a-f:]{17}`), "addr:MAC"},
	{regexp.MustCompile(`(pkts|bytes|drop|errs|frame|over|crc|coll)=[0-9?]+`), "$1=N"},
	{regexp.MustCompile(`xid=0x[0-9a-f]+`), "xid=X"},
	// govs's Geneve option space is its 32-byte key slot, OVS's 256 bytes.
	{regexp.MustCompile(`max option space=(32|256) `), "max option space=S "},
	{regexp.MustCompile(`\|[0-9]{5}\|`), "|N|"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`), "TIME"},
}

// normalize removes what legitimately differs between two switches
// (times, ids, MACs, counters) and sorts flow lines: OpenFlow leaves the
// order of flow stats unspecified, and OVS's follows its classifier.
func normalize(s string, args []string) string {
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.repl)
	}
	if slicesContains(args, "dump-ports") {
		// One stanza per port ("  port N: ..." plus indented lines); OVS
		// lists ports in hash order.
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		var head []string
		var stanzas []string
		for _, l := range lines {
			switch {
			case strings.HasPrefix(l, "  port "):
				stanzas = append(stanzas, l)
			case len(stanzas) > 0 && strings.HasPrefix(l, "   "):
				stanzas[len(stanzas)-1] += "\n" + l
			default:
				head = append(head, l)
			}
		}
		sort.Strings(stanzas)
		s = strings.Join(append(head, stanzas...), "\n") + "\n"
	}
	if slicesContains(args, "dump-flows") {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		var head, flows []string
		for _, l := range lines {
			if strings.HasPrefix(l, " ") || strings.Contains(l, "actions=") {
				flows = append(flows, l)
			} else {
				head = append(head, l)
			}
		}
		sort.Strings(flows)
		s = strings.Join(append(head, flows...), "\n") + "\n"
	}
	return s
}

func slicesContains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// realOVS runs ovsdb-server and ovs-vswitchd (dummy datapath) in a
// private directory with bridge br0 and dummy ports p1 (ofport 1) and p2
// (ofport 2). It returns the run directory.
func realOVS(t *testing.T) string {
	t.Helper()
	o := ovsoracle.Start(t, ovsoracle.Options{DirPrefix: "ofsrv", SkipOnStartError: true})
	if out, errs, code := o.Exec("", "ovs-vsctl", "--db="+o.DB, "--timeout=10", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
		"--", "add-port", "br0", "p1", "--", "set", "interface", "p1", "type=dummy", "ofport_request=1",
		"--", "add-port", "br0", "p2", "--", "set", "interface", "p2", "type=dummy", "ofport_request=2"); code != 0 {
		t.Skipf("cannot start a private OVS: ovs-vsctl add-br: exit %d: %s%s", code, out, errs)
	}
	return o.Dir
}

// TestOfctlAgainstOVS runs the same ovs-ofctl command sequence against a
// govs server (backed by ofproto/tables) and against a real ovs-vswitchd,
// in OpenFlow 1.0 and 1.3, and compares the normalised transcripts.
func TestOfctlAgainstOVS(t *testing.T) {
	needTool(t, "ovs-ofctl")
	if testing.Short() {
		t.Skip("starts a real ovs-vswitchd")
	}
	ovsDir := realOVS(t)
	sw := newMemSwitch()
	srv, govsDir := startServer(t, sw)
	flowsFile := filepath.Join(t.TempDir(), "flows.txt")
	if err := os.WriteFile(flowsFile, []byte("# comment\npriority=20,arp,actions=NORMAL\ntable=2,priority=3,dl_src=02:00:00:00:00:01,actions=mod_vlan_vid:10,output:2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, proto := range [][]string{nil, {"-O", "OpenFlow13"}} {
		name := "OF10"
		if proto != nil {
			name = "OF13"
		}
		t.Run(name, func(t *testing.T) {
			steps := ofctlSteps(flowsFile, proto)
			want := runSteps(t, ovsDir, steps)
			got := runSteps(t, govsDir, steps)
			for i := range steps {
				if got[i] != want[i] {
					t.Errorf("govs and OVS differ:\n--- OVS:\n%s--- govs:\n%s", want[i], got[i])
				}
			}
		})
	}
	if c := srv.Counters(); c.Messages == 0 {
		t.Fatalf("server saw no messages: %+v", c)
	}
	if len(sw.outs) != 2 || len(sw.outs[0].Data) != len(testPacket)/2 {
		t.Errorf("packet-outs %d, want 2 of %d bytes", len(sw.outs), len(testPacket)/2)
	}
}

// TestOfctlPTCP connects ovs-ofctl over a ptcp: controller listener.
func TestOfctlPTCP(t *testing.T) {
	ofctl := needTool(t, "ovs-ofctl")
	s := New(newMemSwitch(), Config{Bridge: "br0", Logger: DiscardLogger()})
	t.Cleanup(func() { s.Close() })
	addr, err := s.Listen("ptcp:0:127.0.0.1", KindController)
	if err != nil {
		t.Skipf("ptcp: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, ofctl, "-O", "OpenFlow13", "show", "tcp:"+addr.String()).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, want := range []string{"dpid:0000aabbccddeeff", " 2(p2): addr:aa:55:aa:55:00:0e", "miss_send_len=128"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
