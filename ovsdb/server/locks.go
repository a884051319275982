package server

import "sync"

// lockTable implements OVSDB locks: owners[name][0] holds the lock, the
// rest wait in order.
type lockTable struct {
	mu     sync.Mutex
	owners map[string][]*session // guarded by mu
}

// lock adds s as a waiter (or owner) and reports whether it holds the lock.
func (lt *lockTable) lock(name string, s *session) bool {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	q := lt.owners[name]
	for i, w := range q {
		if w == s {
			return i == 0
		}
	}
	lt.owners[name] = append(q, s)
	return len(q) == 0
}

// steal makes s the owner and returns the previous owner (or nil).
func (lt *lockTable) steal(name string, s *session) *session {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	q := lt.owners[name]
	var prev *session
	if len(q) > 0 && q[0] != s {
		prev = q[0]
	}
	nq := []*session{s}
	for _, w := range q {
		if w != s {
			nq = append(nq, w)
		}
	}
	lt.owners[name] = nq
	return prev
}

// unlock removes s and returns the new owner if ownership passed on.
func (lt *lockTable) unlock(name string, s *session) *session {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	q := lt.owners[name]
	for i, w := range q {
		if w != s {
			continue
		}
		nq := append(append([]*session{}, q[:i]...), q[i+1:]...)
		if len(nq) == 0 {
			delete(lt.owners, name)
			return nil
		}
		lt.owners[name] = nq
		if i == 0 {
			return nq[0]
		}
		return nil
	}
	return nil
}

// holds reports whether s owns the lock.
func (lt *lockTable) holds(name string, s *session) bool {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	q := lt.owners[name]
	return len(q) > 0 && q[0] == s
}
