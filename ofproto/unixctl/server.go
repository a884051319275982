package unixctl

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
)

// Handler runs one command. The returned text is the reply body (OVS
// appends a newline to a non-empty body that lacks one, and so do we); an
// error becomes an error reply with err.Error() as its text.
type Handler func(args []string) (string, error)

// Command is one registered command.
type Command struct {
	Name  string
	Usage string // argument synopsis shown by list-commands
	Min   int    // minimum number of arguments
	Max   int    // maximum number of arguments (use Unlimited for no bound)
	Fn    Handler
	// After, if set, runs once the reply has been written (e.g. "exit"
	// shuts the daemon down after answering).
	After func()
}

// Unlimited as Command.Max accepts any number of arguments (OVS INT_MAX).
const Unlimited = int(^uint(0) >> 1)

// listUsageWidth is the column width of command names in list-commands
// output ("  %-23s %s\n" in lib/unixctl.c).
const listUsageWidth = 23

// Server answers unixctl requests on one or more listeners.
type Server struct {
	mu struct {
		sync.Mutex
		cmds      map[string]*Command // guarded by mu
		listeners []net.Listener      // guarded by mu
		conns     map[net.Conn]bool   // guarded by mu
		closed    bool                // guarded by mu
	}
	wg sync.WaitGroup
}

// NewServer returns a server with OVS's built-in commands list-commands and
// version (which replies versionText, e.g. "ovs-vswitchd (Open vSwitch) 3.1.0").
func NewServer(versionText string) *Server {
	s := &Server{}
	s.mu.cmds = make(map[string]*Command)
	s.mu.conns = make(map[net.Conn]bool)
	s.Register("list-commands", "", 0, 0, s.listCommands)
	s.Register("version", "", 0, 0, func([]string) (string, error) { return versionText, nil })
	return s
}

// Register adds (or replaces) a command.
func (s *Server) Register(name, usage string, minArgs, maxArgs int, fn Handler) {
	s.RegisterAfter(name, usage, minArgs, maxArgs, fn, nil)
}

// RegisterAfter adds a command whose after function runs once a
// successful reply has been written to the client.
func (s *Server) RegisterAfter(name, usage string, minArgs, maxArgs int, fn Handler, after func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.cmds[name] = &Command{Name: name, Usage: usage, Min: minArgs, Max: maxArgs, Fn: fn, After: after}
}

func (s *Server) listCommands([]string) (string, error) {
	s.mu.Lock()
	names := make([]string, 0, len(s.mu.cmds))
	for n := range s.mu.cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("The available commands are:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-*s %s\n", listUsageWidth, n, s.mu.cmds[n].Usage)
	}
	s.mu.Unlock()
	return b.String(), nil
}

// Listen opens the unix socket path, removing a stale socket file first.
func Listen(path string) (net.Listener, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		_ = os.Remove(path)
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if ul, ok := l.(*net.UnixListener); ok {
		ul.SetUnlinkOnClose(true)
	}
	return l, nil
}

// Serve accepts connections on l until l or the server is closed. It
// returns nil after Close.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		_ = l.Close()
		return nil
	}
	s.mu.listeners = append(s.mu.listeners, l)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	for {
		c, err := l.Accept()
		if err != nil {
			s.mu.Lock()
			closed := s.mu.closed
			s.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		s.mu.Lock()
		if s.mu.closed {
			s.mu.Unlock()
			_ = c.Close()
			return nil
		}
		s.mu.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(c)
	}
}

// Close stops every listener and connection and waits for their goroutines.
// A handler running at that moment is waited for.
func (s *Server) Close() error {
	s.mu.Lock()
	s.mu.closed = true
	for _, l := range s.mu.listeners {
		_ = l.Close()
	}
	for c := range s.mu.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// limitReader fails once more than MaxMessageSize bytes were read since
// the last reset (the decoder buffers ahead, so this bounds one message
// to at most twice the limit in memory).
type limitReader struct {
	r io.Reader
	n int
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > MaxMessageSize {
		return 0, fmt.Errorf("unixctl: message exceeds %d bytes", MaxMessageSize)
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}

func (s *Server) serveConn(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.mu.conns, c)
		s.mu.Unlock()
		_ = c.Close()
	}()
	lr := &limitReader{r: c}
	dec := json.NewDecoder(lr)
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return
		}
		lr.n = 0
		reply, after := s.handle(raw)
		if reply == nil {
			return
		}
		_, err := c.Write(reply)
		if after != nil {
			go after()
		}
		if err != nil {
			return
		}
	}
}

// handle answers one raw message; nil means "close the connection" (the
// message was not a request, as OVS drops such connections). after is the
// command's After function when it succeeded.
func (s *Server) handle(raw []byte) (reply []byte, after func()) {
	req, err := DecodeRequest(raw)
	if errors.Is(err, ErrNotRequest) {
		return nil, nil
	}
	var (
		body   string
		failed bool
	)
	if err != nil {
		body, failed = terminate(err.Error()), true
	} else {
		body, failed = s.Run(req.Method, req.Params)
		if !failed {
			s.mu.Lock()
			if cmd := s.mu.cmds[req.Method]; cmd != nil {
				after = cmd.After
			}
			s.mu.Unlock()
		}
	}
	var id json.RawMessage
	if req != nil {
		id = req.ID
	}
	out, err := EncodeReply(id, body, failed, body)
	if err != nil {
		return nil, nil
	}
	return out, after
}

// Run executes a command as a request would, with OVS's argument checks,
// and returns the reply body and whether it is an error.
func (s *Server) Run(method string, args []string) (body string, failed bool) {
	s.mu.Lock()
	cmd := s.mu.cmds[method]
	s.mu.Unlock()
	switch {
	case cmd == nil:
		return terminate(fmt.Sprintf("%q is not a valid command (use \"list-commands\" to see a list of valid commands)", method)), true
	case len(args) < cmd.Min:
		return terminate(fmt.Sprintf("%q command requires at least %d arguments", method, cmd.Min)), true
	case len(args) > cmd.Max:
		return terminate(fmt.Sprintf("%q command takes at most %d arguments", method, cmd.Max)), true
	}
	out, err := cmd.Fn(args)
	if err != nil {
		return terminate(err.Error()), true
	}
	return terminate(out), false
}

// terminate appends "\n" to a non-empty body that lacks it (unixctl.c).
func terminate(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}
