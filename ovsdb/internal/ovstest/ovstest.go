package ovstest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"govs/ovsdb/db"
	"govs/ovsdb/schema"
	"govs/ovsdb/server"
	"govs/ovsdb/storage"
)

// SchemaPath is the real vswitch schema on the host.
const SchemaPath = "/usr/share/openvswitch/vswitch.ovsschema"

// CmdTimeout bounds every external command.
const CmdTimeout = 20 * time.Second

const (
	startPoll    = 20 * time.Millisecond
	startTimeout = 10 * time.Second
)

// NeedTools skips the test unless every named binary is on PATH.
func NeedTools(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			t.Skipf("%s not installed", n)
		}
	}
	if _, err := os.Stat(SchemaPath); err != nil {
		t.Skipf("%s missing", SchemaPath)
	}
}

// Govs is a govs OVSDB server started by StartGovs.
type Govs struct {
	Dir    string
	Sock   string
	Server *server.Server
	DB     *db.DB
	Log    *storage.Log
}

// StartGovs serves the embedded Open_vSwitch schema, persisted in a temp
// dir, on a unix socket.
func StartGovs(t testing.TB) *Govs {
	t.Helper()
	dir := t.TempDir()
	d := db.New(schema.Vswitch())
	l, err := storage.Open(dir, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(d)
	sock := filepath.Join(dir, "db.sock")
	ln, err := server.Listen("punix:" + sock)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		l.Close()
	})
	return &Govs{Dir: dir, Sock: sock, Server: srv, DB: d, Log: l}
}

// StartReal starts the real ovsdb-server on a fresh database created with
// ovsdb-tool, detached, in a temp dir; it is killed in Cleanup.
func StartReal(t testing.TB) string {
	t.Helper()
	NeedTools(t, "ovsdb-tool", "ovsdb-server")
	dir := t.TempDir()
	dbf := filepath.Join(dir, "conf.db")
	sock := filepath.Join(dir, "db.sock")
	pid := filepath.Join(dir, "ovsdb-server.pid")
	if out, err := Run("ovsdb-tool", "create", dbf, SchemaPath); err != nil {
		t.Fatalf("ovsdb-tool create: %v %s", err, out)
	}
	out, err := Run("ovsdb-server", dbf, "--remote=punix:"+sock, "--pidfile="+pid, "--detach", "--no-chdir",
		"--log-file="+filepath.Join(dir, "ovsdb-server.log"), "--unixctl="+filepath.Join(dir, "ovsdb-server.ctl"))
	if err != nil {
		t.Fatalf("ovsdb-server: %v %s", err, out)
	}
	t.Cleanup(func() {
		b, err := os.ReadFile(pid)
		if err != nil {
			return
		}
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			_ = syscall.Kill(n, syscall.SIGTERM)
			deadline := time.Now().Add(startTimeout)
			for time.Now().Before(deadline) && syscall.Kill(n, 0) == nil {
				time.Sleep(startPoll)
			}
			_ = syscall.Kill(n, syscall.SIGKILL)
		}
	})
	WaitSocket(t, sock)
	return sock
}

// WaitSocket waits until a unix socket accepts connections.
func WaitSocket(t testing.TB, sock string) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return
		}
		time.Sleep(startPoll)
	}
	t.Fatalf("%s never came up", sock)
}

// Run runs a command with CmdTimeout and returns combined output.
func Run(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), CmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// NormalizeUUIDs replaces every UUID with "<uuid>".
func NormalizeUUIDs(s string) string { return uuidRE.ReplaceAllString(s, "<uuid>") }
