package ofctl

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"govs/ofproto/ofp"
)

// Connection constants.
const (
	defaultOFPort  = "6653"  // tcp:IP without a port
	maxMessageLen  = 1 << 16 // OpenFlow length field is 16 bits
	mgmtSuffix     = ".mgmt" // vswitchd's per-bridge management socket
	defaultRundir  = "/var/run/openvswitch"
	unixPrefix     = "unix:"
	tcpPrefix      = "tcp:"
	dialTimeout    = 10 * time.Second // bound for a dial without -t
	exitTimeoutRun = 142              // shell status of a SIGALRM death (-t expired)
)

// conn is one short-lived OpenFlow connection (OVS struct vconn): the
// HELLO exchange is done, version is negotiated. Not safe for concurrent
// use; one command uses it on one goroutine.
type conn struct {
	s       *Session
	c       net.Conn
	name    string // vconn name, e.g. "unix:/var/run/openvswitch/br0.mgmt"
	version uint8
}

// msg is a received message: raw bytes and its header fields.
type msg struct {
	raw     []byte
	version uint8
	typ     uint8
	xid     uint32
}

// decode parses m; errors are codec *ofp.Error values.
func (m *msg) decode() (ofp.Message, error) { return ofp.Decode(m.raw) }

// errnoText renders a syscall error as glibc strerror does.
func errnoText(err error) string {
	var en syscall.Errno
	if errors.As(err, &en) {
		s := en.Error()
		if s != "" {
			return strings.ToUpper(s[:1]) + s[1:]
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "End of file"
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return "Connection timed out"
	}
	return err.Error()
}

// open connects to target as open_vconn__ does: a name with ':' is a vconn
// name; otherwise unix:NAME, unix:RUNDIR/NAME.mgmt, unix:RUNDIR/DP.mgmt.
func (s *Session) open(target string) (*conn, error) {
	if strings.Contains(target, ":") {
		c, err := s.dialVconn(target)
		if err != nil && s.timedOut(err) {
			return nil, &exitError{code: exitTimeoutRun}
		}
		if err != nil {
			return nil, fatalf("connecting to %s (%s)", target, errnoText(err))
		}
		return s.handshake(c, target, target)
	}
	dp := target
	if _, after, ok := strings.Cut(target, "@"); ok {
		dp = after // ofproto_parse_name: "type@name"
	}
	for _, path := range []string{target, s.rundir + "/" + target + mgmtSuffix, s.rundir + "/" + dp + mgmtSuffix} {
		c, err := s.dial("unix", path)
		if err == nil {
			return s.handshake(c, unixPrefix+path, target)
		}
		if !errors.Is(err, syscall.ENOENT) {
			return nil, fatalf("%s: failed to open socket (%s)", path, errnoText(err))
		}
	}
	return nil, fatalf("%s is not a bridge or a socket", target)
}

// dialVconn opens an active vconn name (unix:PATH or tcp:IP[:PORT]).
func (s *Session) dialVconn(name string) (net.Conn, error) {
	switch {
	case strings.HasPrefix(name, unixPrefix):
		return s.dial("unix", strings.TrimPrefix(name, unixPrefix))
	case strings.HasPrefix(name, tcpPrefix):
		hp := strings.TrimPrefix(name, tcpPrefix)
		host, port, err := net.SplitHostPort(hp)
		if err != nil {
			host, port = strings.Trim(hp, "[]"), defaultOFPort
		}
		if net.ParseIP(host) == nil {
			return nil, syscall.EINVAL
		}
		return s.dial("tcp", net.JoinHostPort(host, port))
	}
	return nil, syscall.EAFNOSUPPORT
}

func (s *Session) dial(network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout}
	if !s.deadline.IsZero() {
		d.Deadline = s.deadline
	}
	c, err := d.Dial(network, addr)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) {
			var se *os.SyscallError
			if errors.As(oe.Err, &se) {
				return nil, se.Err
			}
		}
		return nil, err
	}
	return c, nil
}

// handshake exchanges HELLOs and negotiates the version (vconn_connect).
func (s *Session) handshake(nc net.Conn, name, user string) (*conn, error) {
	c := &conn{s: s, c: nc, name: name}
	if !s.deadline.IsZero() {
		_ = nc.SetDeadline(s.deadline)
	}
	maxV := uint8(0)
	for v := uint8(ofp.Version15); v > 0; v-- {
		if s.opt.Versions&(1<<v) != 0 {
			maxV = v
			break
		}
	}
	h := &ofp.Hello{}
	if s.opt.Versions != uint32(1)<<(maxV+1)-2 {
		h.Versions = s.opt.Versions
	}
	if err := c.sendVersion(h, maxV); err != nil {
		nc.Close()
		return nil, err
	}
	m, err := c.recv()
	if err != nil {
		nc.Close()
		if s.timedOut(err) {
			return nil, &exitError{code: exitTimeoutRun}
		}
		return nil, fatalf("%s: failed to connect to socket (%s)", user, errnoText(err))
	}
	dm, derr := m.decode()
	peer, ok := dm.(*ofp.Hello)
	if derr != nil || !ok {
		nc.Close()
		return nil, fatalf("%s: failed to connect to socket (Protocol error)", user)
	}
	v, ok := ofp.Negotiate(s.opt.Versions, peer)
	if !ok {
		nc.Close()
		return nil, fatalf("%s: failed to connect to socket (Protocol error)", user)
	}
	c.version = v
	return c, nil
}

func (c *conn) close() { c.c.Close() }

// send encodes m for the connection's version with a fresh xid.
func (c *conn) send(m ofp.Message) (uint32, error) {
	xid := c.s.allocXID()
	return xid, c.sendXID(m, c.version, xid)
}

func (c *conn) sendVersion(m ofp.Message, v uint8) error {
	return c.sendXID(m, v, c.s.allocXID())
}

func (c *conn) sendXID(m ofp.Message, v uint8, xid uint32) error {
	b, err := ofp.Encode(m, v, xid)
	if err != nil {
		return fatalf("%s: cannot encode message (%v)", c.name, err)
	}
	if _, err := c.c.Write(b); err != nil {
		return c.ioErr("failed to send packet to switch", err)
	}
	return nil
}

// ioErr turns a socket error into the fatal message ovs-ofctl prints;
// an expired -t deadline becomes the SIGALRM exit status.
func (c *conn) ioErr(what string, err error) error {
	if c.s.timedOut(err) {
		return &exitError{code: exitTimeoutRun}
	}
	return fatalf("%s (%s)", what, errnoText(err))
}

// timedOut reports an I/O error caused by the -t deadline.
func (s *Session) timedOut(err error) bool {
	return !s.deadline.IsZero() && (errors.Is(err, os.ErrDeadlineExceeded) || !time.Now().Before(s.deadline))
}

// recv reads one whole message (a length below the header is EPROTO).
func (c *conn) recv() (*msg, error) {
	raw, err := ofp.ReadMessage(c.c)
	if errors.Is(err, ofp.ErrFraming) {
		return nil, syscall.EPROTO
	}
	if err != nil {
		return nil, err
	}
	h := ofp.Header{}
	_ = h.UnmarshalBinary(raw)
	return &msg{raw: raw, version: h.Version, typ: h.Type, xid: h.Xid}, nil
}

// recvXID reads until a message with xid arrives (others are dropped, as
// vconn_recv_xid does).
func (c *conn) recvXID(xid uint32, what string) (*msg, error) {
	for {
		m, err := c.recv()
		if err != nil {
			return nil, c.ioErr(what, err)
		}
		if m.xid == xid {
			return m, nil
		}
	}
}

// transact sends m and returns the reply with its xid.
func (c *conn) transact(m ofp.Message) (*msg, error) {
	xid, err := c.send(m)
	if err != nil {
		return nil, err
	}
	return c.recvXID(xid, "talking to "+c.name)
}

// transactNoReply sends m then a barrier and waits for the barrier reply
// (vconn_transact_noreply). It returns the reply to m (an error) or nil.
func (c *conn) transactNoReply(m ofp.Message) (*msg, error) {
	xid, err := c.send(m)
	if err != nil {
		return nil, err
	}
	bxid, err := c.send(&ofp.BarrierRequest{})
	if err != nil {
		return nil, err
	}
	for {
		r, err := c.recv()
		if err != nil {
			return nil, c.ioErr("talking to "+c.name, err)
		}
		switch r.xid {
		case xid:
			return r, nil
		case bxid:
			return nil, nil
		}
	}
}

// fatalError is "govs-ofctl: MSG" on stderr and exit status 1.
type fatalError struct{ msg string }

func (e *fatalError) Error() string { return e.msg }

func fatalf(format string, args ...any) error {
	return &fatalError{msg: fmt.Sprintf(format, args...)}
}

// exitError ends the command with code after text was written to stderr
// verbatim (e.g. an OFPT_ERROR reply printed by ofp_print).
type exitError struct {
	code int
	text string
}

func (e *exitError) Error() string { return e.text }
