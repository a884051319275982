package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"govs/ovsdb/db"
	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
)

// Server serves one or more databases.
type Server struct {
	dbs    map[string]*db.DB
	names  []string
	server *db.DB
	opts   jsonrpc.Options
	locks  lockTable
	ctx    context.Context
	cancel context.CancelFunc

	mu struct {
		sync.Mutex
		listeners map[net.Listener]struct{} // guarded by mu
		sessions  map[*session]struct{}     // guarded by mu
		wg        sync.WaitGroup
	}
}

// New returns a server for dbs plus the built-in _Server database.
func New(dbs ...*db.DB) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{dbs: map[string]*db.DB{}, ctx: ctx, cancel: cancel}
	s.locks.owners = map[string][]*session{}
	s.mu.listeners = map[net.Listener]struct{}{}
	s.mu.sessions = map[*session]struct{}{}
	for _, d := range dbs {
		s.dbs[d.Name()] = d
		s.names = append(s.names, d.Name())
	}
	s.server = db.New(schema.Server())
	s.dbs[schema.ServerDB] = s.server
	s.names = append(s.names, schema.ServerDB)
	s.populateServerDB()
	return s
}

// SetOptions sets the per-connection limits for future connections.
func (s *Server) SetOptions(o jsonrpc.Options) { s.opts = o }

// DB returns the named database (nil if unknown).
func (s *Server) DB(name string) *db.DB { return s.dbs[name] }

func (s *Server) populateServerDB() {
	var ops []any
	for _, name := range s.names {
		sj, _ := jsonrpc.Marshal(s.dbs[name].Schema().JSON())
		ops = append(ops, map[string]any{
			"op": "insert", "table": "Database",
			"row": map[string]any{
				"name": name, "model": "standalone", "connected": true, "leader": true,
				"schema": string(sj),
			},
		})
	}
	res := s.server.Transact(context.Background(), nil, ops)
	for _, r := range res {
		if e, ok := r.(*schema.Error); ok {
			panic("server: cannot populate _Server: " + e.Error())
		}
	}
}

// Listen opens an OVSDB passive remote: "punix:<path>" or
// "ptcp:<port>[:<ip>]". A stale unix socket file is removed first.
func Listen(remote string) (net.Listener, error) {
	switch {
	case strings.HasPrefix(remote, "punix:"):
		path := strings.TrimPrefix(remote, "punix:")
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			_ = os.Remove(path)
		}
		return net.Listen("unix", path)
	case strings.HasPrefix(remote, "ptcp:"):
		parts := strings.SplitN(strings.TrimPrefix(remote, "ptcp:"), ":", 2)
		host := ""
		if len(parts) == 2 {
			host = parts[1]
		}
		return net.Listen("tcp", net.JoinHostPort(host, parts[0]))
	}
	return nil, fmt.Errorf("server: unsupported remote %q (want punix: or ptcp:)", remote)
}

// Serve accepts connections on l until l is closed or Close is called.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	s.mu.listeners[l] = struct{}{}
	s.mu.Unlock()
	for {
		nc, err := l.Accept()
		if err != nil {
			if s.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		sess := newSession(s, jsonrpc.NewConn(nc, s.opts))
		s.mu.Lock()
		if s.ctx.Err() != nil {
			s.mu.Unlock()
			sess.conn.Close()
			return nil
		}
		s.mu.sessions[sess] = struct{}{}
		s.mu.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.mu.wg.Done()
			sess.run()
			s.mu.Lock()
			delete(s.mu.sessions, sess)
			s.mu.Unlock()
		}()
	}
}

// Close stops all listeners and connections and waits for their
// goroutines.
func (s *Server) Close() error {
	s.cancel()
	s.mu.Lock()
	for l := range s.mu.listeners {
		l.Close()
	}
	for sess := range s.mu.sessions {
		sess.conn.Close()
	}
	s.mu.Unlock()
	s.mu.wg.Wait()
	return nil
}
