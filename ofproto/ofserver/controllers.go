package ofserver

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
)

// ctrlTarget is one configured controller (a Bridge.controller row):
// an active target's dial loop, or a passive target's listener.
type ctrlTarget struct {
	t Target
	// key is the SetControllers key (t.String()), given to the target's
	// connections; "" for Connect's targets.
	key  string
	stop chan struct{} // closed when the target is removed
	ln   net.Listener  // passive only
	// since is when the target was added or its last connection ended
	// (OVS rconn_failure_duration); guarded by Server.mu.
	since time.Time
}

// SetControllers makes the bridge's controller connections those of
// targets (the Bridge.controller column): "tcp:IP[:PORT]" and
// "unix:PATH" are dialled and kept connected (as Connect), "ptcp:" and
// "punix:" are listened on for controller connections; targets that are
// no longer listed are stopped, closing their listener, dial loop and
// connections. Targets that cannot be parsed or listened on are skipped
// and reported in the error; the others are still applied.
func (s *Server) SetControllers(targets []string) error {
	var errs []error
	want := map[string]Target{}
	for _, ts := range targets {
		t, err := ParseTarget(ts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		want[t.String()] = t
	}
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	var drop []*conn
	for key, ct := range s.mu.ctrl {
		if _, ok := want[key]; ok {
			continue
		}
		close(ct.stop)
		if ct.ln != nil {
			ct.ln.Close()
		}
		delete(s.mu.ctrl, key)
		for c := range s.mu.conns {
			if c.target == key {
				drop = append(drop, c)
			}
		}
	}
	var add []Target
	for key, t := range want {
		if _, ok := s.mu.ctrl[key]; !ok {
			add = append(add, t)
		}
	}
	s.mu.Unlock()
	for _, c := range drop {
		c.close()
	}
	slices.SortFunc(add, func(a, b Target) int { return strings.Compare(a.String(), b.String()) })
	for _, t := range add {
		if err := s.addController(t); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// addController starts one controller target.
func (s *Server) addController(t Target) error {
	ct := &ctrlTarget{t: t, key: t.String(), stop: make(chan struct{}), since: time.Now()}
	if t.Passive {
		ln, err := s.listen(t)
		if err != nil {
			return err
		}
		ct.ln = ln
	}
	s.mu.Lock()
	if s.mu.closed {
		s.mu.Unlock()
		if ct.ln != nil {
			ct.ln.Close()
		}
		return ErrClosed
	}
	s.mu.ctrl[t.String()] = ct
	s.wg.Add(1)
	stop := s.mu.stop
	s.mu.Unlock()
	if t.Passive {
		s.log.Info("listening for controllers", "target", t.String())
		go s.acceptFor(ct)
	} else {
		go s.dialFor(ct, stop)
	}
	return nil
}

// acceptFor accepts controller connections on a passive target.
func (s *Server) acceptFor(ct *ctrlTarget) {
	defer s.wg.Done()
	for {
		nc, err := ct.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Warn("accept failed", "target", ct.t.String(), "err", err)
			}
			return
		}
		c := s.newConnFor(nc, KindController, ct.key)
		if c == nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

// dialFor keeps an active controller target connected (OVS rconn: 1 s
// backoff doubling to 8 s) until it is removed or the server closes
// (Connect and SetControllers).
func (s *Server) dialFor(ct *ctrlTarget, stop chan struct{}) {
	defer s.wg.Done()
	backoff := minBackoff
	for {
		d := net.Dialer{Timeout: dialTimeout}
		nc, err := d.Dial(ct.t.Network, ct.t.Address)
		if err == nil {
			backoff = minBackoff
			c := s.newConnFor(nc, KindController, ct.key)
			if c == nil {
				return
			}
			done := make(chan struct{})
			go func() {
				select {
				case <-ct.stop:
					c.close()
				case <-done:
				}
			}()
			c.serve()
			close(done)
			s.mu.Lock()
			ct.since = time.Now()
			s.mu.Unlock()
		} else {
			s.log.Info("controller connection failed", "target", ct.t.String(), "err", err)
		}
		select {
		case <-stop:
			return
		case <-ct.stop:
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// ControllerStatus is the state of one configured controller target.
type ControllerStatus struct {
	Target string
	// Connected is true while a connection from or to the target has
	// completed the HELLO exchange (Controller.is_connected).
	Connected bool
}

// Controllers returns the configured controller targets' states, sorted
// by target.
func (s *Server) Controllers() []ControllerStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ControllerStatus, 0, len(s.mu.ctrl))
	for key := range s.mu.ctrl {
		out = append(out, ControllerStatus{Target: key, Connected: s.connectedLocked(key)})
	}
	slices.SortFunc(out, func(a, b ControllerStatus) int { return strings.Compare(a.Target, b.Target) })
	return out
}

func (s *Server) connectedLocked(target string) bool {
	for c := range s.mu.conns {
		if c.target == target && c.version() != 0 {
			return true
		}
	}
	return false
}

// FailureDuration is OVS's connmgr_failure_duration over the active
// controller targets: 0 when there is none or one is connected, else how
// long the most recently connected one has been down (since it was
// configured, if it never connected). ok is false without active targets.
func (s *Server) FailureDuration(now time.Time) (d time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d = time.Duration(1<<63 - 1)
	for key, ct := range s.mu.ctrl {
		if ct.t.Passive {
			continue
		}
		ok = true
		if s.connectedLocked(key) {
			return 0, true
		}
		d = min(d, now.Sub(ct.since))
	}
	if !ok {
		return 0, false
	}
	return d, true
}

// listen opens a passive target's listener (a stale unix socket file is
// removed first, as OVS does).
func (s *Server) listen(t Target) (net.Listener, error) {
	if t.Network == "unix" {
		if err := removeStale(t.Address); err != nil {
			return nil, fmt.Errorf("ofserver: %s: %w", t, err)
		}
	}
	ln, err := net.Listen(t.Network, t.Address)
	if err != nil {
		return nil, fmt.Errorf("ofserver: %s: %w", t, err)
	}
	if t.Network == "unix" {
		chmodSock(t.Address)
	}
	return ln, nil
}
