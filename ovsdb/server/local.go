package server

import "govs/ovsdb/db"

// LocalLock requests OVSDB lock name for an in-process owner (the
// embedding daemon, e.g. govs-vswitchd's "ovs_vswitchd" lock). It returns
// the db.Session to pass to db.Transact so that {"op":"assert"} succeeds
// while the lock is held, whether the lock was granted at once (otherwise
// the owner queues behind the current holder), and a release function.
func (s *Server) LocalLock(name string) (sess db.Session, locked bool, release func()) {
	ls := &session{srv: s, monitors: map[string]*monitor{}, held: map[string]bool{name: true}}
	locked = s.locks.lock(name, ls)
	return ls, locked, func() {
		if next := s.locks.unlock(name, ls); next != nil {
			next.notify(nLocked, []any{name})
		}
	}
}
