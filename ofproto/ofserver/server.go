package ofserver

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"govs/ofproto/ofp"
)

// ConnKind is OVS's ofconn type: what a connection gets by default.
type ConnKind uint8

const (
	// KindService is a management connection (punix:<br>.mgmt, ovs-ofctl):
	// miss_send_len starts at 0 and it gets no asynchronous messages until
	// it sets a non-zero miss_send_len (OVS OFCONN_SERVICE).
	KindService ConnKind = iota
	// KindController is a controller connection (Controller table, tcp:
	// or ptcp:): miss_send_len starts at 128 (OVS OFCONN_PRIMARY).
	KindController
)

func (k ConnKind) String() string {
	if k == KindController {
		return "controller"
	}
	return "service"
}

// Defaults.
const (
	// DefaultMissSendLen is OFP_DEFAULT_MISS_SEND_LEN, a controller
	// connection's initial miss_send_len.
	DefaultMissSendLen = 128
	// DefaultVersions is the version bitmap offered: OpenFlow 1.0 and 1.3,
	// the versions the codec implements (bit n = wire version n).
	DefaultVersions = 1<<ofp.Version10 | 1<<ofp.Version13
	// DefaultQueueLen is how many messages may wait for a connection's
	// writer; asynchronous messages beyond it are dropped.
	DefaultQueueLen = 256
	// NTables is n_tables of FEATURES_REPLY (OVS: 254).
	NTables = 254
	// minBackoff and maxBackoff bound the reconnection delay of active
	// connections (OVS rconn: 1 s doubling to 8 s).
	minBackoff = time.Second
	maxBackoff = 8 * time.Second
	// dialTimeout bounds one connection attempt.
	dialTimeout = 5 * time.Second
	// sockPerm is the permission of punix sockets (OVS: 0770 via umask).
	sockPerm = 0o770
)

// Desc is the OFPST_DESC reply. Empty fields get OVS's values.
type Desc struct {
	Manufacturer, Hardware, Software, SerialNum, DPDesc string
}

// Config configures a Server.
type Config struct {
	// Bridge is the bridge name (logs; the default DP description).
	Bridge string
	// Versions is the bitmap of OpenFlow versions offered in HELLO; 0
	// means DefaultVersions. Versions the codec does not implement (1.1,
	// 1.2, 1.4, 1.5) may be offered, like vswitchd's 0x06 HELLO, but a
	// connection that negotiates one of them gets HELLO_FAILED.
	Versions uint32
	// Desc overrides the OFPST_DESC strings.
	Desc Desc
	// QueueLen is the per-connection output queue; 0 = DefaultQueueLen.
	QueueLen int
	// Logger receives connection events and refused messages; nil =
	// slog.Default().
	Logger *slog.Logger
}

// Counters are server-wide statistics.
type Counters struct {
	Connections  uint64 // accepted or dialled connections
	Messages     uint64 // messages received
	Errors       uint64 // OFPT_ERROR replies sent
	AsyncDropped uint64 // asynchronous messages dropped (queue full)
	PacketIns    uint64 // packet-ins queued to connections
}

// Server is the OpenFlow connection server of one bridge.
type Server struct {
	sw       Switch
	cfg      Config
	log      *slog.Logger
	versions uint32
	frag     atomic.Uint32 // switch-wide OFPC_FRAG_* mode

	// conns is the immutable list of live connections, replaced on
	// connect/disconnect, so asynchronous senders read it without a lock.
	conns atomic.Pointer[[]*conn]

	mu struct {
		sync.Mutex
		conns     map[*conn]struct{}     // guarded by mu
		listeners []net.Listener         // guarded by mu
		closed    bool                   // guarded by mu
		ports     map[uint32]PortDesc    // guarded by mu; last port list seen (PortsChanged)
		stop      chan struct{}          // guarded by mu; closed by Close
		active    map[string]struct{}    // guarded by mu; active targets (Connect)
		ctrl      map[string]*ctrlTarget // guarded by mu; SetControllers targets
	}
	wg sync.WaitGroup

	nConns, nMsgs, nErrors, nDropped, nPacketIns atomic.Uint64
}

// ErrClosed is returned by Listen and Connect after Close.
var ErrClosed = errors.New("ofserver: server closed")

// New returns a server for sw. It does not listen until Listen.
func New(sw Switch, cfg Config) *Server {
	s := &Server{sw: sw, cfg: cfg, log: cfg.Logger, versions: cfg.Versions}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("bridge", cfg.Bridge)
	if s.versions == 0 {
		s.versions = DefaultVersions
	}
	if s.cfg.QueueLen <= 0 {
		s.cfg.QueueLen = DefaultQueueLen
	}
	s.mu.conns = make(map[*conn]struct{})
	s.mu.stop = make(chan struct{})
	s.mu.active = make(map[string]struct{})
	s.mu.ctrl = make(map[string]*ctrlTarget)
	s.mu.ports = portMap(sw.Ports())
	empty := []*conn{}
	s.conns.Store(&empty)
	return s
}

// Counters returns the server's statistics.
func (s *Server) Counters() Counters {
	return Counters{Connections: s.nConns.Load(), Messages: s.nMsgs.Load(), Errors: s.nErrors.Load(),
		AsyncDropped: s.nDropped.Load(), PacketIns: s.nPacketIns.Load()}
}

// Listen starts accepting connections of kind on a passive target
// ("punix:PATH" or "ptcp:[PORT][:IP]"). A stale socket file at PATH is
// removed first, as OVS does.
func (s *Server) Listen(target string, kind ConnKind) (net.Addr, error) {
	t, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	if !t.Passive {
		return nil, fmt.Errorf("ofserver: Listen needs a passive target (punix:, ptcp:), not %q", target)
	}
	ln, err := s.listen(t)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		ln.Close()
		return nil, ErrClosed
	}
	s.mu.listeners = append(s.mu.listeners, ln)
	s.wg.Add(1)
	s.mu.Unlock()
	s.log.Info("listening", "target", t.String(), "kind", kind.String())
	go s.accept(ln, kind)
	return ln.Addr(), nil
}

func (s *Server) accept(ln net.Listener, kind ConnKind) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Warn("accept failed", "err", err)
			}
			return
		}
		if !s.startConn(nc, kind) {
			return
		}
	}
}

// Connect keeps an active connection to a controller ("tcp:IP[:PORT]" or
// "unix:PATH"): it dials, serves the connection until it closes, and
// redials with a backoff of 1 s doubling to 8 s, until Close.
func (s *Server) Connect(target string) error {
	t, err := ParseTarget(target)
	if err != nil {
		return err
	}
	if t.Passive {
		return fmt.Errorf("ofserver: Connect needs an active target (tcp:, unix:), not %q", target)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.closed {
		return ErrClosed
	}
	if _, dup := s.mu.active[t.String()]; dup {
		return fmt.Errorf("ofserver: already connecting to %s", t)
	}
	s.mu.active[t.String()] = struct{}{}
	s.wg.Add(1)
	// Not a SetControllers target: it is never removed (key "").
	go s.dialFor(&ctrlTarget{t: t, stop: make(chan struct{}), since: time.Now()}, s.mu.stop)
	return nil
}

// ServeConn serves an already established connection (tests, custom
// transports) on its own goroutine. It returns false if the server is
// closed (nc is then closed).
func (s *Server) ServeConn(nc net.Conn, kind ConnKind) bool { return s.startConn(nc, kind) }

func (s *Server) startConn(nc net.Conn, kind ConnKind) bool {
	c := s.newConn(nc, kind)
	if c == nil {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.serve()
	}()
	return true
}

// newConn registers a connection (nil if the server is closed).
func (s *Server) newConn(nc net.Conn, kind ConnKind) *conn { return s.newConnFor(nc, kind, "") }

// newConnFor registers a connection of controller target (nil if the
// server is closed).
func (s *Server) newConnFor(nc net.Conn, kind ConnKind, target string) *conn {
	c := newConn(s, nc, kind)
	c.target = target
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mu.closed {
		nc.Close()
		return nil
	}
	s.mu.conns[c] = struct{}{}
	s.publishConnsLocked()
	s.nConns.Add(1)
	return c
}

func (s *Server) dropConn(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.mu.conns, c)
	s.publishConnsLocked()
}

func (s *Server) publishConnsLocked() {
	l := make([]*conn, 0, len(s.mu.conns))
	for c := range s.mu.conns {
		l = append(l, c)
	}
	s.conns.Store(&l)
}

// NumConns returns the number of live connections.
func (s *Server) NumConns() int { return len(*s.conns.Load()) }

// Close stops listening and dialling, closes every connection and waits
// for all goroutines. It is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		return nil
	}
	s.mu.closed = true
	close(s.mu.stop)
	for key, ct := range s.mu.ctrl {
		close(ct.stop)
		if ct.ln != nil {
			ct.ln.Close()
			if ua, ok := ct.ln.Addr().(*net.UnixAddr); ok {
				_ = os.Remove(ua.Name)
			}
		}
		delete(s.mu.ctrl, key)
	}
	for _, ln := range s.mu.listeners {
		ln.Close()
		if ua, ok := ln.Addr().(*net.UnixAddr); ok {
			_ = os.Remove(ua.Name)
		}
	}
	for c := range s.mu.conns {
		c.close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// removeStale removes a stale unix socket file at path.
func removeStale(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// chmodSock gives a punix socket OVS's permissions.
func chmodSock(path string) { _ = os.Chmod(path, sockPerm) }

// errorReply sends the OFPT_ERROR for err in answer to raw.
func (s *Server) errorReply(c *conn, raw []byte, err error) {
	e, ok := asOFPError(TablesError(err))
	if !ok {
		e = &ofp.Error{Code: ofp.OFPBRC_EPERM, Detail: err.Error()}
	}
	var h ofp.Header
	_ = h.UnmarshalBinary(raw)
	s.log.Debug("refused message", "conn", c.name, "type", h.Type, "xid", h.Xid, "err", e)
	s.nErrors.Add(1)
	// OVS echoes the whole offending request (ovs-ofctl decodes it in its
	// error message), bounded so that the error fits in one message.
	data := raw
	if len(data) > maxErrorData {
		data = data[:maxErrorData]
	}
	v := h.Version
	if !validVersion(v) {
		v = c.version()
	}
	c.sendMsg(ofp.NewErrorMsg(e.Code, v, h.Xid, data))
}

// maxErrorData is the most request bytes an OFPT_ERROR carries: the
// largest message minus the error header (vendor form).
const maxErrorData = maxMsgLen - ofp.HeaderLen - 16

func validVersion(v uint8) bool { return v >= ofp.Version10 && v <= ofp.Version15 }

// discard is a logger that drops everything (tests).
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// DiscardLogger returns a logger that drops everything.
func DiscardLogger() *slog.Logger { return discard }
