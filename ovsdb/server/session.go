package server

import (
	"bytes"
	"encoding/json"
	"sync"

	"govs/ovsdb/db"
	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
)

// Method names.
const (
	mListDBs       = "list_dbs"
	mGetSchema     = "get_schema"
	mTransact      = "transact"
	mMonitor       = "monitor"
	mMonitorCond   = "monitor_cond"
	mMonitorSince  = "monitor_cond_since"
	mMonitorChange = "monitor_cond_change"
	mMonitorCancel = "monitor_cancel"
	mLock          = "lock"
	mSteal         = "steal"
	mUnlock        = "unlock"
	mEcho          = "echo"
	mChangeAware   = "set_db_change_aware"
	mGetServerID   = "get_server_id"

	nUpdate  = "update"
	nUpdate2 = "update2"
	nUpdate3 = "update3"
	nLocked  = "locked"
	nStolen  = "stolen"
)

// session is one client connection.
type session struct {
	srv  *Server
	conn *jsonrpc.Conn

	// monitors is touched only by the session goroutine.
	monitors map[string]*monitor
	// held is touched only by the session goroutine.
	held map[string]bool
}

// monitor is one client monitor; pending holds updates produced before
// the initial reply was sent.
type monitor struct {
	db *db.DB
	m  *db.Monitor
	mu struct {
		sync.Mutex
		ready   bool               // guarded by mu
		pending []*jsonrpc.Message // guarded by mu
	}
}

func newSession(s *Server, c *jsonrpc.Conn) *session {
	return &session{srv: s, conn: c, monitors: map[string]*monitor{}, held: map[string]bool{}}
}

// HoldsLock implements db.Session.
func (s *session) HoldsLock(name string) bool { return s.srv.locks.holds(name, s) }

func (s *session) run() {
	defer s.cleanup()
	for {
		msg, err := s.conn.Receive()
		if err != nil {
			return
		}
		switch {
		case msg.IsRequest():
			s.handle(msg)
		case msg.IsNotification(), msg.IsResponse():
			// Replies to our echo requests and stray notifications are
			// ignored, as ovsdb-server does.
		}
	}
}

func (s *session) cleanup() {
	for _, m := range s.monitors {
		m.db.RemoveMonitor(m.m)
	}
	for name := range s.held {
		if next := s.srv.locks.unlock(name, s); next != nil {
			next.notify(nLocked, []any{name})
		}
	}
	s.conn.Close()
}

func (s *session) notify(method string, params any) {
	if s.conn == nil {
		return // in-process owner (LocalLock)
	}
	if n, err := jsonrpc.NewNotification(method, params); err == nil {
		_ = s.conn.Send(n)
	}
}

func (s *session) reply(id json.RawMessage, result any) {
	if r, err := jsonrpc.NewResponse(id, result); err == nil {
		_ = s.conn.Send(r)
	}
}

func (s *session) replyError(id json.RawMessage, e any) {
	if r, err := jsonrpc.NewErrorResponse(id, e); err == nil {
		_ = s.conn.Send(r)
	}
}

func decodeParams(raw json.RawMessage) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var p []any
	if len(raw) == 0 {
		return []any{}, nil
	}
	if err := dec.Decode(&p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *session) handle(msg *jsonrpc.Message) {
	params, err := decodeParams(msg.Params)
	if err != nil {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "params: %v", err))
		return
	}
	switch msg.Method {
	case mEcho:
		s.reply(msg.ID, json.RawMessage(msg.Params))
	case mListDBs:
		s.reply(msg.ID, s.srv.names)
	case mGetSchema:
		d, e := s.lookupDB(msg.Method, params)
		if e != nil {
			s.replyError(msg.ID, e)
			return
		}
		s.reply(msg.ID, d.Schema().JSON())
	case mTransact:
		s.transact(msg, params)
	case mMonitor, mMonitorCond, mMonitorSince:
		s.monitor(msg, params)
	case mMonitorChange:
		s.monitorChange(msg, params)
	case mMonitorCancel:
		s.monitorCancel(msg, params)
	case mLock, mSteal, mUnlock:
		s.lock(msg, params)
	case mChangeAware:
		s.reply(msg.ID, map[string]any{})
	case mGetServerID:
		s.reply(msg.ID, string(s.srv.server.Rows("Database")[0].UUID))
	default:
		s.replyError(msg.ID, "unknown method")
	}
}

func (s *session) lookupDB(method string, params []any) (*db.DB, *schema.Error) {
	var name string
	ok := len(params) > 0
	if ok {
		name, ok = params[0].(string)
	}
	if !ok {
		return nil, schema.NewError(schema.ErrSyntax, "%s request params must begin with <db-name>", method).WithSyntax(params)
	}
	d := s.srv.dbs[name]
	if d == nil {
		return nil, schema.NewError(schema.ErrUnknownDB, "%s request specifies unknown database %s", method, name).WithSyntax(params)
	}
	return d, nil
}

// readOnlyOps are the only ops allowed on the _Server database.
var readOnlyOps = map[string]bool{"select": true, "wait": true, "comment": true, "assert": true, "abort": true}

func (s *session) transact(msg *jsonrpc.Message, params []any) {
	d, e := s.lookupDB(msg.Method, params)
	if e != nil {
		s.replyError(msg.ID, e)
		return
	}
	ops := params[1:]
	if d == s.srv.server {
		for _, op := range ops {
			o, _ := op.(map[string]any)
			if name, _ := o["op"].(string); !readOnlyOps[name] {
				s.replyError(msg.ID, schema.NewError(schema.ErrNotSupported, "database %s is read-only", schema.ServerDB))
				return
			}
		}
	}
	res := d.Transact(s.srv.ctx, s, ops)
	s.reply(msg.ID, res)
}

func (s *session) monitor(msg *jsonrpc.Message, params []any) {
	d, e := s.lookupDB(msg.Method, params)
	if e != nil {
		s.replyError(msg.ID, e)
		return
	}
	version, method := db.MonitorV1, nUpdate
	switch msg.Method {
	case mMonitorCond:
		version, method = db.MonitorV2, nUpdate2
	case mMonitorSince:
		version, method = db.MonitorV3, nUpdate3
	}
	const minParams = 3
	if len(params) < minParams {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "%s needs database, id and requests", msg.Method))
		return
	}
	idb, _ := jsonrpc.Marshal(params[1])
	id := string(idb)
	if _, dup := s.monitors[id]; dup {
		s.replyError(msg.ID, "duplicate monitor ID")
		return
	}
	reqs, err := db.ParseMonitorRequests(d.Schema(), params[2], version)
	if err != nil {
		s.replyError(msg.ID, err)
		return
	}
	mon := &monitor{db: d}
	monID := json.RawMessage(idb)
	cb := func(updates map[string]any, txn schema.UUID) {
		var p []any
		if version == db.MonitorV3 {
			p = []any{monID, string(txn), updates}
		} else {
			p = []any{monID, updates}
		}
		n, err := jsonrpc.NewNotification(method, p)
		if err != nil {
			return
		}
		mon.mu.Lock()
		defer mon.mu.Unlock()
		if !mon.mu.ready {
			mon.mu.pending = append(mon.mu.pending, n)
			return
		}
		_ = s.conn.Send(n)
	}
	m, initial, last := d.AddMonitor(version, reqs, cb)
	mon.m = m
	s.monitors[id] = mon
	var result any = initial
	if version == db.MonitorV3 {
		found := false
		const sinceParam = 3
		if len(params) > sinceParam {
			if since, ok := params[sinceParam].(string); ok && since == string(last) && last != schema.ZeroUUID {
				found = true
			}
		}
		if found {
			result = []any{true, string(last), map[string]any{}}
		} else {
			result = []any{false, string(last), initial}
		}
	}
	mon.mu.Lock()
	s.reply(msg.ID, result)
	for _, n := range mon.mu.pending {
		_ = s.conn.Send(n)
	}
	mon.mu.pending = nil
	mon.mu.ready = true
	mon.mu.Unlock()
}

func (s *session) monitorChange(msg *jsonrpc.Message, params []any) {
	const changeParams = 3
	if len(params) < changeParams {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "monitor_cond_change needs old id, new id and changes"))
		return
	}
	oldb, _ := jsonrpc.Marshal(params[0])
	newb, _ := jsonrpc.Marshal(params[1])
	mon := s.monitors[string(oldb)]
	if mon == nil {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "unknown monitor session").WithSyntax(params[0]))
		return
	}
	if string(newb) != string(oldb) {
		if _, dup := s.monitors[string(newb)]; dup {
			s.replyError(msg.ID, "duplicate monitor ID")
			return
		}
		// Renaming a monitor is not supported: its callback captured the id.
		s.replyError(msg.ID, schema.NewError(schema.ErrNotSupported, "monitor_cond_change with a new monitor id"))
		return
	}
	if err := mon.m.ChangeConditions(mon.db.Schema(), params[2]); err != nil {
		s.replyError(msg.ID, err)
		return
	}
	s.reply(msg.ID, map[string]any{})
}

func (s *session) monitorCancel(msg *jsonrpc.Message, params []any) {
	if len(params) != 1 {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "monitor_cancel needs one id"))
		return
	}
	idb, _ := jsonrpc.Marshal(params[0])
	mon := s.monitors[string(idb)]
	if mon == nil {
		s.replyError(msg.ID, "unknown monitor")
		return
	}
	mon.db.RemoveMonitor(mon.m)
	delete(s.monitors, string(idb))
	s.reply(msg.ID, map[string]any{})
}

func (s *session) lock(msg *jsonrpc.Message, params []any) {
	if len(params) != 1 {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "%s needs one lock name", msg.Method))
		return
	}
	name, ok := params[0].(string)
	if !ok || name == "" {
		s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "lock name must be a non-empty string"))
		return
	}
	lt := &s.srv.locks
	switch msg.Method {
	case mLock, mSteal:
		if s.held[name] {
			s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "must issue \"unlock\" before new \"%s\"", msg.Method).WithSyntax(params))
			return
		}
		s.held[name] = true
		if msg.Method == mLock {
			s.reply(msg.ID, map[string]any{"locked": lt.lock(name, s)})
			return
		}
		if prev := lt.steal(name, s); prev != nil {
			prev.notify(nStolen, []any{name})
		}
		s.reply(msg.ID, map[string]any{"locked": true})
	case mUnlock:
		if !s.held[name] {
			s.replyError(msg.ID, schema.NewError(schema.ErrSyntax, "unlock: \"unlock\" without \"lock\" or \"steal\"").WithSyntax(params))
			return
		}
		delete(s.held, name)
		if next := lt.unlock(name, s); next != nil {
			next.notify(nLocked, []any{name})
		}
		s.reply(msg.ID, map[string]any{})
	}
}
