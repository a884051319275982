package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"govs/ofproto/reconcile"
	"govs/ovsdb/client"
)

// TestVsctlLifecycle drives the daemon with the real ovs-vsctl, which
// waits for cur_cfg after every command.
func TestVsctlLifecycle(t *testing.T) {
	needRoot(t, "ovs-vsctl")
	d := newTestDaemon(t)
	br, va, vb, in, miss := uniq("b"), uniq("a"), uniq("p"), uniq("i"), uniq("m")
	vethPair(t, va, vb)
	sock := d.sock()

	vsctl(t, sock, "add-br", br)
	if !linkExists(br) {
		t.Fatalf("LOCAL TAP %s not created", br)
	}
	if got := get(t, sock, "Interface", br, "ofport"); got != "65534" {
		t.Fatalf("LOCAL ofport %s", got)
	}
	vsctl(t, sock, "add-port", br, va)
	vsctl(t, sock, "set", "port", va, "tag=10")
	vsctl(t, sock, "add-port", br, in, "--", "set", "interface", in, "type=internal")
	if !linkExists(in) {
		t.Fatalf("internal port %s not created", in)
	}
	if got := get(t, sock, "Interface", va, "ofport"); got != "1" {
		t.Fatalf("%s ofport %s", va, got)
	}
	if got := get(t, sock, "Interface", in, "ofport"); got != "2" {
		t.Fatalf("%s ofport %s", in, got)
	}
	mac, err := os.ReadFile("/sys/class/net/" + va + "/address")
	if err != nil {
		t.Fatal(err)
	}
	if got := get(t, sock, "Interface", va, "mac_in_use"); got != `"`+strings.TrimSpace(string(mac))+`"` {
		t.Fatalf("mac_in_use %s, device %s", got, mac)
	}
	if got := get(t, sock, "Interface", va, "error"); got != "[]" {
		t.Fatalf("error %s", got)
	}
	// The veth has a locally administered MAC, so the bridge keeps the
	// LOCAL port's MAC and the dpid is derived from it (bridge.c).
	brMAC, err := os.ReadFile("/sys/class/net/" + br + "/address")
	if err != nil {
		t.Fatal(err)
	}
	wantDPID := `"0000` + strings.ReplaceAll(strings.TrimSpace(string(brMAC)), ":", "") + `"`
	if dpid := get(t, sock, "Bridge", br, "datapath_id"); dpid != wantDPID {
		t.Fatalf("datapath_id %s, want %s", dpid, wantDPID)
	}
	vsctl(t, sock, "set", "bridge", br, "other_config:datapath-id=00000000000000aa")
	if dpid := get(t, sock, "Bridge", br, "datapath_id"); dpid != `"00000000000000aa"` {
		t.Fatalf("datapath_id %s after other_config", dpid)
	}

	// A missing device: ofport -1, OVS's error, and ovs-vsctl's warning.
	_, stderr := vsctl(t, sock, "add-port", br, miss)
	wantErr := "could not open network device " + miss + " (No such device)"
	if !strings.Contains(stderr, "Error detected while setting up '"+miss+"': "+wantErr) {
		t.Fatalf("ovs-vsctl stderr %q", stderr)
	}
	if got := get(t, sock, "Interface", miss, "ofport"); got != "-1" {
		t.Fatalf("missing ofport %s", got)
	}

	show, _ := vsctl(t, sock, "show")
	for _, want := range []string{"Bridge " + br, "Port " + va, "tag: 10", "type: internal", `error: "` + wantErr + `"`, `ovs_version: "` + dbOVSVersion + `"`} {
		if !strings.Contains(show, want) {
			t.Fatalf("show lacks %q:\n%s", want, show)
		}
	}
	if out, _ := vsctl(t, sock, "list-br"); strings.TrimSpace(out) != br {
		t.Fatalf("list-br %q", out)
	}
	if out, _ := vsctl(t, sock, "--columns=ofport,error", "list", "interface", miss); !strings.Contains(out, "-1") {
		t.Fatalf("list interface %q", out)
	}

	vsctl(t, sock, "del-port", br, in)
	if linkExists(in) {
		t.Fatalf("internal port %s still exists after del-port", in)
	}
	vsctl(t, sock, "del-br", br)
	if linkExists(br) {
		t.Fatalf("bridge TAP %s still exists after del-br", br)
	}
	if !linkExists(va) {
		t.Fatal("del-br removed the system device")
	}
}

// TestRestart checks that SIGTERM removes the TAP devices and that a new
// instance restores bridges, ports, tags and options from conf.db, also
// after kill -9.
func TestRestart(t *testing.T) {
	needRoot(t, "ovs-vsctl")
	d := newTestDaemon(t)
	sock := d.sock()
	br, br2, in, pa, pb := uniq("b"), uniq("c"), uniq("i"), uniq("pa"), uniq("pb")
	vsctl(t, sock, "add-br", br)
	vsctl(t, sock, "add-port", br, in, "tag=30", "--", "set", "interface", in, "type=internal", "ofport_request=9")
	vsctl(t, sock, "add-br", br2)
	vsctl(t, sock, "add-port", br, pa, "--", "set", "interface", pa, "type=patch", "options:peer="+pb)
	vsctl(t, sock, "add-port", br2, pb, "--", "set", "interface", pb, "type=patch", "options:peer="+pa)
	before, _ := vsctl(t, sock, "show")

	check := func(phase string) {
		t.Helper()
		for _, dev := range []string{br, br2, in} {
			d.waitFor(phase+": "+dev+" recreated", startTimeout, func() bool { return linkExists(dev) })
		}
		vsctl(t, sock, "--timeout=20", "wait-until", "interface", pb, "ofport=1")
		after, _ := vsctl(t, sock, "show")
		if ovsdbNorm(after) != ovsdbNorm(before) {
			t.Fatalf("%s: show differs:\nbefore:\n%s\nafter:\n%s", phase, before, after)
		}
		if got := get(t, sock, "Interface", in, "ofport"); got != "9" {
			t.Fatalf("%s: ofport %s", phase, got)
		}
		if got := get(t, sock, "Port", in, "tag"); got != "30" {
			t.Fatalf("%s: tag %s", phase, got)
		}
		if got := strings.Trim(get(t, sock, "Interface", pa, "options:peer"), `"`); got != pb {
			t.Fatalf("%s: peer %s", phase, got)
		}
	}

	d.stop(syscall.SIGTERM)
	for _, dev := range []string{br, br2, in} {
		if linkExists(dev) {
			t.Fatalf("TAP %s left after SIGTERM", dev)
		}
	}
	if _, err := os.Stat(d.sock()); err == nil {
		t.Fatal("db.sock left after SIGTERM")
	}
	if _, err := os.Stat(filepath.Join(d.rundir, "govs-vswitchd.pid")); err == nil {
		t.Fatal("pidfile left after SIGTERM")
	}
	d.start()
	check("after SIGTERM")

	oldCtl := d.ctlPath()
	d.stop(syscall.SIGKILL)
	d.start()
	check("after kill -9")
	if _, err := os.Stat(oldCtl); err == nil {
		t.Fatal("stale control socket of the killed instance left")
	}
}

// ovsdbNorm drops the UUID line of ovs-vsctl show.
func ovsdbNorm(s string) string {
	lines := strings.Split(s, "\n")
	if len(lines) > 0 {
		lines = lines[1:]
	}
	return strings.Join(lines, "\n")
}

// TestExternalDB runs against the real ovsdb-server.
func TestExternalDB(t *testing.T) {
	needRoot(t, "ovs-vsctl", "ovsdb-server", "ovsdb-tool")
	dir := t.TempDir()
	dbfile, sock, pidfile := filepath.Join(dir, "conf.db"), filepath.Join(dir, "db.sock"), filepath.Join(dir, "ovsdb-server.pid")
	mustRun(t, "ovsdb-tool", "create", dbfile, "/usr/share/openvswitch/vswitch.ovsschema")
	mustRun(t, "ovsdb-server", dbfile, "--remote=punix:"+sock, "--detach", "--no-chdir", "--pidfile="+pidfile,
		"--unixctl="+filepath.Join(dir, "ovsdb-server.ctl"), "--log-file="+filepath.Join(dir, "ovsdb-server.log"))
	t.Cleanup(func() {
		if data, err := os.ReadFile(pidfile); err == nil {
			_, _, _ = run(t, "kill", strings.TrimSpace(string(data)))
		}
	})
	_, _, _ = run(t, "ovs-vsctl", "--db=unix:"+sock, "--no-wait", "init")
	d := newTestDaemon(t, "--db=unix:"+sock)
	br := uniq("x")
	vsctl(t, sock, "add-br", br)
	if !linkExists(br) {
		t.Fatal("bridge TAP not created")
	}
	if got := get(t, sock, "Interface", br, "ofport"); got != "65534" {
		t.Fatalf("ofport %s", got)
	}
	cur := get(t, sock, "Open_vSwitch", ".", "cur_cfg")
	next := get(t, sock, "Open_vSwitch", ".", "next_cfg")
	if cur != next || cur == "0" {
		t.Fatalf("cur_cfg %s next_cfg %s", cur, next)
	}
	// The ovs_vswitchd lock is held by the daemon: we cannot get it.
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	c, err := client.Dial(ctx, "unix:"+sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := c.Lock(ctx, reconcile.LockName); err != nil || got {
		t.Fatalf("lock granted to a second client (%v, %v)", got, err)
	}
	vsctl(t, sock, "del-br", br)
	if linkExists(br) {
		t.Fatal("bridge TAP left after del-br")
	}
	_ = d
}

// TestAppctl checks govs-appctl and the real ovs-appctl against the daemon.
func TestAppctl(t *testing.T) {
	needRoot(t, "ovs-appctl", "ovs-vsctl")
	_, appctl := binaries(t)
	d := newTestDaemon(t)
	br := uniq("b")
	vsctl(t, d.sock(), "add-br", br)
	for _, tool := range []string{"ovs-appctl", appctl} {
		t.Run(filepath.Base(tool), func(t *testing.T) {
			tests := []struct {
				args   []string
				code   int
				stdout string
				stderr string
			}{
				{[]string{"version"}, 0, versionText + "\n", ""},
				{[]string{"list-commands"}, 0, "The available commands are:\n", ""},
				{[]string{"foo"}, 2, "", "\"foo\" is not a valid command (use \"list-commands\" to see a list of valid commands)\n"},
				{[]string{"ofproto/list"}, 0, br + "\n", ""},
				{[]string{"fdb/show", "nope"}, 2, "", "no such bridge\n"},
				{[]string{"fdb/show", br}, 0, " port  VLAN  MAC                Age\n", ""},
				{[]string{"fdb/flush"}, 0, "table successfully flushed\n", ""},
				{[]string{"vlog/list"}, 0, "                 console    syslog    file\n", ""},
				{[]string{"vlog/set", "bogus"}, 2, "", "no destination, level, or module \"bogus\"\n"},
				{[]string{"bridge/dump-flows", br}, 0, "duration=", ""},
				{[]string{"dpif-netdev/pmd-stats-show"}, 0, "", ""},
			}
			for _, tt := range tests {
				so, se, code := run(t, tool, append([]string{"-t", d.ctlPath()}, tt.args...)...)
				if code != tt.code || !strings.HasPrefix(so, tt.stdout) || !strings.HasPrefix(se, tt.stderr) {
					t.Errorf("%v: exit %d stdout %q stderr %q", tt.args, code, so, se)
				}
			}
		})
	}
	// Pidfile targets: govs-appctl's default and the real ovs-appctl's
	// `-t govs-vswitchd` (which needs the pidfile's fcntl lock).
	for _, argv := range [][]string{{appctl, "version"}, {"ovs-appctl", "-t", "govs-vswitchd", "version"}} {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), "OVS_RUNDIR="+d.rundir)
		out, err := cmd.CombinedOutput()
		if err != nil || string(out) != versionText+"\n" {
			t.Fatalf("%v: %q %v", argv, out, err)
		}
	}
	// exit replies, then the daemon shuts down and cleans up.
	mustRun(t, appctl, "-t", d.ctlPath(), "exit")
	select {
	case <-d.done:
		d.cmd = nil
	case <-time.After(stopTimeout):
		t.Fatal("daemon did not exit")
	}
	if linkExists(br) {
		t.Fatal("TAP left after exit")
	}
}
