package unixctl

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Client is one connection to a unixctl server.
type Client struct {
	c   net.Conn
	dec *json.Decoder
	id  int
}

// Dial connects to the unix socket path.
func Dial(ctx context.Context, path string) (*Client, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, err
	}
	return &Client{c: c, dec: json.NewDecoder(&limitReader{r: c})}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.c.Close() }

// Call sends one command and waits for its reply (bounded by ctx).
func (c *Client) Call(ctx context.Context, method string, args []string) (*Reply, error) {
	if dl, ok := ctx.Deadline(); ok {
		_ = c.c.SetDeadline(dl)
	} else {
		_ = c.c.SetDeadline(time.Time{})
	}
	req, err := EncodeRequest(method, args, c.id)
	if err != nil {
		return nil, err
	}
	c.id++
	if _, err := c.c.Write(req); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := c.dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("unixctl: reading reply: %w", err)
	}
	return DecodeReply(raw)
}

// PidFileName and CtlFileName give the pidfile and socket names of a
// program in rundir, as OVS names them.
func PidFileName(rundir, program string) string {
	return filepath.Join(rundir, program+".pid")
}

// CtlFileName is <rundir>/<program>.<pid>.ctl.
func CtlFileName(rundir, program string, pid int) string {
	return filepath.Join(rundir, program+"."+strconv.Itoa(pid)+".ctl")
}

// ResolveTarget maps an ovs-appctl target to a socket path: a target with
// a "/" is a path; otherwise the pid is read from <rundir>/<target>.pid.
func ResolveTarget(rundir, target string) (string, error) {
	if strings.Contains(target, "/") {
		return target, nil
	}
	pidfile := PidFileName(rundir, target)
	data, err := os.ReadFile(pidfile)
	if err != nil {
		return "", fmt.Errorf("cannot read pidfile \"%s\" (%s)", pidfile, strerror(err))
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return "", fmt.Errorf("%s: pidfile contains invalid pid", pidfile)
	}
	return CtlFileName(rundir, target, pid), nil
}

// strerror renders an OS error as C's strerror text ("No such file or
// directory").
func strerror(err error) string {
	var pe *os.PathError
	if e, ok := err.(*os.PathError); ok {
		pe = e
	}
	if pe != nil {
		err = pe.Err
	}
	if oe, ok := err.(*net.OpError); ok {
		err = oe.Err
		if se, ok := err.(*os.SyscallError); ok {
			err = se.Err
		}
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Strerror is strerror for callers (govs-appctl's messages).
func Strerror(err error) string { return strerror(err) }
