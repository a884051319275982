package ofctl

import (
	"errors"
	"fmt"
	"io"
	"time"

	"govs/flowtable"
)

// Env is the process environment a command runs in.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Rundir         string // $OVS_RUNDIR, "" = /var/run/openvswitch
	StdoutIsTTY    bool   // decides whether names are shown by default
}

// Session is one govs-ofctl invocation: options, streams, the process-wide
// xid counter and the per-target name caches (get_port_map/get_table_map).
type Session struct {
	opt      *Options
	env      Env
	stdout   io.Writer
	rundir   string
	deadline time.Time
	nextXID  uint32

	portMaps  map[string]*portMap
	tableMaps map[string]map[uint8]string
}

// progName prefixes every error message.
const progName = "govs-ofctl"

// Run executes one govs-ofctl command line (args exclude the program name)
// and returns the exit status. It never panics on bad input.
func Run(args []string, env Env) int {
	opt, err := ParseArgs(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", progName, err)
		return 1
	}
	s := &Session{opt: opt, env: env, stdout: env.Stdout, rundir: env.Rundir, nextXID: 1,
		portMaps: map[string]*portMap{}, tableMaps: map[string]map[uint8]string{}}
	if s.rundir == "" {
		s.rundir = defaultRundir
	}
	if opt.TimeoutS > 0 {
		s.deadline = time.Now().Add(time.Duration(opt.TimeoutS) * time.Second)
	}
	err = s.dispatch()
	var fe *fatalError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		io.WriteString(env.Stderr, ee.text)
		return ee.code
	case errors.As(err, &fe):
		fmt.Fprintf(env.Stderr, "%s: %s\n", progName, fe.msg)
	default:
		fmt.Fprintf(env.Stderr, "%s: %s\n", progName, err)
	}
	return 1
}

func (s *Session) allocXID() uint32 {
	x := s.nextXID
	s.nextXID++
	return x
}

// acceptNames is should_accept_names: names are parsed unless --no-names.
func (s *Session) acceptNames() bool { return s.opt.Names != namesOff }

// showNames is should_show_names: --names, or a terminal without --no-names.
func (s *Session) showNames() bool {
	return s.opt.Names == namesOn || (s.opt.Names == namesAuto && s.env.StdoutIsTTY)
}

// portMap is a switch's port name table.
type portMap struct {
	byName map[string]flowtable.PortNo
	byNum  map[flowtable.PortNo]string
	pm     flowtable.PortMap
}

func newPortMap() *portMap {
	m := &portMap{byName: map[string]flowtable.PortNo{}, byNum: map[flowtable.PortNo]string{}}
	m.pm = flowtable.PortMap{
		Number: func(n string) (flowtable.PortNo, bool) { p, ok := m.byName[n]; return p, ok },
		Name:   func(p flowtable.PortNo) string { return m.byNum[p] },
	}
	return m
}

// put records a port as ofputil_port_map_put: a name or number seen twice
// becomes ambiguous and is dropped from that direction.
func (m *portMap) put(p flowtable.PortNo, name string) {
	if old, ok := m.byName[name]; ok && old != p {
		m.byName[name] = flowtable.PortNone
	} else {
		m.byName[name] = p
	}
	if old, ok := m.byNum[p]; ok && old != name {
		m.byNum[p] = ""
	} else {
		m.byNum[p] = name
	}
}

// portsToAccept returns the port map used to parse names (nil with
// --no-names), fetching it on first use.
func (s *Session) portsToAccept(target string) (*flowtable.PortMap, error) {
	if !s.acceptNames() {
		return nil, nil
	}
	return s.getPortMap(target)
}

// portsToShow returns the port map used to print names, or nil.
func (s *Session) portsToShow(target string) (*flowtable.PortMap, error) {
	if !s.showNames() {
		return nil, nil
	}
	return s.getPortMap(target)
}

// tablesToAccept / tablesToShow fetch the table map like ovs-ofctl (the
// connection and request are the same); table names are not used by the
// flow syntax, so only the fetch is observable.
func (s *Session) tablesToAccept(target string) error {
	if !s.acceptNames() {
		return nil
	}
	_, err := s.getTableMap(target)
	return err
}

func (s *Session) tablesToShow(target string) error {
	if !s.showNames() {
		return nil
	}
	_, err := s.getTableMap(target)
	return err
}

// showMaps evaluates ofp_print's map arguments in gcc's order: tables,
// then ports.
func (s *Session) showMaps(target string) (*flowtable.PortMap, error) {
	if err := s.tablesToShow(target); err != nil {
		return nil, err
	}
	return s.portsToShow(target)
}

// acceptMaps is ports_to_accept/tables_to_accept as function arguments:
// tables first, then ports.
func (s *Session) acceptMaps(target string) (*flowtable.PortMap, error) {
	if err := s.tablesToAccept(target); err != nil {
		return nil, err
	}
	return s.portsToAccept(target)
}

// passiveOrInvalid reports names get_port_map does not connect to.
func passiveOrInvalid(target string) bool {
	for i := 0; i < len(target); i++ {
		if target[i] == ':' {
			return !(hasPrefix(target, unixPrefix) || hasPrefix(target, tcpPrefix))
		}
	}
	return false
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func (s *Session) getPortMap(target string) (*flowtable.PortMap, error) {
	if m, ok := s.portMaps[target]; ok {
		return &m.pm, nil
	}
	m := newPortMap()
	s.portMaps[target] = m
	if passiveOrInvalid(target) {
		return &m.pm, nil
	}
	c, err := s.open(target)
	if err != nil {
		return nil, err
	}
	defer c.close()
	ports, err := c.fetchPorts()
	if err != nil {
		return nil, err
	}
	for _, p := range ports {
		m.put(p.PortNo, p.Name)
	}
	return &m.pm, nil
}

func (s *Session) getTableMap(target string) (map[uint8]string, error) {
	if m, ok := s.tableMaps[target]; ok {
		return m, nil
	}
	m := map[uint8]string{}
	s.tableMaps[target] = m
	if passiveOrInvalid(target) {
		return m, nil
	}
	c, err := s.open(target)
	if err != nil {
		return nil, err
	}
	defer c.close()
	if err := c.fetchTables(m); err != nil {
		return nil, err
	}
	return m, nil
}
