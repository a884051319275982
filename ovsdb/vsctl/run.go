package vsctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode"

	"govs/ovsdb/client"
	"govs/ovsdb/schema"
)

// ExitTimeout is Run's status when --timeout expires. ovs-vsctl dies of
// SIGALRM then (shell status 128+14); the command is expected to do the
// same (see DieOfAlarm).
const ExitTimeout = 142

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
)

// Defaults from the OVS build.
const (
	defaultRundir = "/var/run/openvswitch"
	defaultLogdir = "/var/log/openvswitch"
	envRundir     = "OVS_RUNDIR"
	envLogdir     = "OVS_LOGDIR"
	programName   = "govs-vsctl"
)

// Config is one invocation.
type Config struct {
	// Prog is the program name used in messages ("govs-vsctl" if empty).
	Prog string
	// Args are the command-line arguments without the program name.
	Args []string
	// Stdout and Stderr receive output and messages.
	Stdout, Stderr io.Writer
	// Getenv looks up OVS_RUNDIR and OVS_LOGDIR (os.Getenv if nil).
	Getenv func(string) string

	// beforeCommit, if set, runs just before each transact (tests use
	// it to race another client).
	beforeCommit func()
}

// logger writes OVS-style console log lines
// ("<time>|<seq>|<module>|WARN|<msg>").
type logger struct {
	w   io.Writer
	seq int
}

func (l *logger) warn(module, msg string) {
	l.seq++
	fmt.Fprintf(l.w, "%s|%05d|%s|WARN|%s\n", time.Now().UTC().Format("2006-01-02T15:04:05Z"), l.seq, module, msg)
}

type runner struct {
	cfg   Config
	prog  string
	opts  *options
	cmds  []*command
	log   *logger
	cl    *client.Client
	rep   *replica
	db    string
	args  string
	rw    bool
	print *tablePrinter
}

// Run executes one ovs-vsctl style invocation and returns the exit
// status (0, 1, 2 for br-exists, or ExitTimeout).
func Run(cfg Config) int {
	if cfg.Prog == "" {
		cfg.Prog = programName
	}
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Stdout == nil {
		cfg.Stdout = io.Discard
	}
	if cfg.Stderr == nil {
		cfg.Stderr = io.Discard
	}
	r := &runner{cfg: cfg, prog: cfg.Prog, log: &logger{w: cfg.Stderr}}
	return r.main()
}

func (r *runner) fatal(err error) int {
	fmt.Fprintf(r.cfg.Stderr, "%s: %s\n", r.prog, err.Error())
	return exitFailure
}

func (r *runner) main() int {
	o, rest, err := parseOptions(r.prog, r.cfg.Args)
	if err != nil {
		return r.fatal(err)
	}
	r.opts = o
	if o.help {
		r.usage()
		return exitOK
	}
	if o.version {
		fmt.Fprintf(r.cfg.Stdout, "%s (govs) 3.1.0-compatible\nDB Schema %s\n", r.prog, schema.Vswitch().Version)
		return exitOK
	}
	cmds, err := parseCommands(rest, o.local)
	if err != nil {
		return r.fatal(err)
	}
	r.cmds = cmds
	for _, c := range cmds {
		if c.syntax.rw {
			r.rw = true
		}
	}
	if r.rw {
		// "Called as ..." is logged at INFO (to syslog), which takes
		// the first log sequence number.
		r.log.seq++
	}
	r.args = escapeArgs(append([]string{r.prog}, r.cfg.Args...))
	r.db = o.db
	if r.db == "" {
		rundir := r.cfg.Getenv(envRundir)
		if rundir == "" {
			rundir = defaultRundir
		}
		r.db = "unix:" + rundir + "/db.sock"
	}
	r.print = &tablePrinter{style: o.style}
	ctx := context.Background()
	if o.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(o.timeout)*time.Second)
		defer cancel()
	}
	code := r.execute(ctx)
	if r.cl != nil {
		r.cl.Close()
	}
	return code
}

// timedOut reports the --timeout expiry the way ovs-vsctl's fatal signal
// handler does.
func (r *runner) timedOut() int {
	r.log.warn("fatal_signal", "terminating with signal 14 (Alarm clock)")
	return ExitTimeout
}

func strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		s := errno.Error()
		if s != "" {
			rs := []rune(s)
			rs[0] = unicode.ToUpper(rs[0])
			return string(rs)
		}
	}
	return err.Error()
}

func (r *runner) execute(ctx context.Context) int {
	cl, err := client.Dial(ctx, r.db)
	if err != nil {
		if ctx.Err() != nil {
			return r.timedOut()
		}
		return r.fatal(fmt.Errorf("%s: database connection failed (%s)", r.db, strerror(err)))
	}
	r.cl = cl
	rep, err := startReplica(ctx, cl)
	if err != nil {
		if ctx.Err() != nil {
			return r.timedOut()
		}
		return r.fatal(fmt.Errorf("%s: database connection failed (%s)", r.db, strerror(err)))
	}
	r.rep = rep
	if err := checkSchema(rep.s); err != nil {
		return r.fatal(err)
	}
	for {
		done, code := r.attempt(ctx)
		if done {
			return code
		}
		select {
		case <-rep.changed:
		case <-ctx.Done():
			return r.timedOut()
		case <-cl.Done():
			return r.fatal(fmt.Errorf("%s: database connection failed (%s)", r.db, "connection closed"))
		}
	}
}

// attempt runs every command once against a fresh snapshot and commits
// (do_vsctl). done=false means "try again after the next update".
func (r *runner) attempt(ctx context.Context) (bool, int) {
	// Drain a stale change token: this attempt sees everything so far.
	select {
	case <-r.rep.changed:
	default:
	}
	v := newView(r.rep.s, r.rep.snapshot())
	if ovsRows := v.rows(tableOpenVSwitch); len(ovsRows) > 0 {
		v.ovs = ovsRows[0]
	} else {
		v.ovs = v.insert(tableOpenVSwitch, "", false)
	}
	x := &cmdContext{v: v, st: newSymbolTable(), warn: r.log.warn}
	for i, c := range r.cmds {
		c.output.Reset()
		c.table = nil
		x.last = i == len(r.cmds)-1
		if err := c.syntax.run(x, c); err != nil {
			var ee *exitError
			if errors.As(err, &ee) {
				return true, ee.code
			}
			return true, r.fatal(err)
		}
		if x.tryAgain {
			return false, 0
		}
	}
	for _, name := range x.st.order {
		sym := x.st.syms[name]
		if !sym.created {
			return true, r.fatal(fmt.Errorf("row id \"%s\" is referenced but never created (e.g. with \"-- --id=%s create ...\")", name, name))
		}
		if !sym.strongRef {
			if !sym.weakRef {
				r.log.warn("vsctl", fmt.Sprintf("row id \"%s\" was created but no reference to it was inserted, so it will not actually appear in the database", name))
			} else {
				r.log.warn("vsctl", fmt.Sprintf("row id \"%s\" was created but only a weak reference to it was inserted, so it will not actually appear in the database", name))
			}
		}
	}
	wait := !r.opts.noWait
	b := v.build(wait, r.prog+": "+r.args)
	real := map[schema.UUID]schema.UUID{}
	var nextCfg int64
	committed := b.changed && !r.opts.dryRun
	if committed {
		if r.cfg.beforeCommit != nil {
			r.cfg.beforeCommit()
		}
		results, err := r.cl.Transact(ctx, dbOpenVSwitch, b.ops...)
		if err != nil {
			var te *client.TransactError
			if !errors.As(err, &te) {
				if ctx.Err() != nil {
					return true, r.timedOut()
				}
				return true, r.fatal(fmt.Errorf("transaction error: %s", err))
			}
		}
		retry, hard := classify(results)
		if hard != "" {
			r.log.warn("ovsdb_idl", "transaction error: "+hard)
			return true, r.fatal(fmt.Errorf("transaction error: %s", hard))
		}
		if retry {
			return false, 0
		}
		for _, ins := range b.inserts {
			if ins.index < len(results) && results[ins.index].UUID != "" {
				real[ins.uuid] = results[ins.index].UUID
			}
		}
		nextCfg = b.nextCfg
		if wait && b.selectAt >= 0 && b.selectAt < len(results) {
			nextCfg = selectedNextCfg(results[b.selectAt])
		}
	}
	for _, c := range r.cmds {
		if c.syntax.post != nil {
			if err := c.syntax.post(x, c, real); err != nil {
				return true, r.fatal(err)
			}
		}
	}
	r.printOutputs()
	if wait && committed {
		return true, r.waitReload(ctx, nextCfg, x.expectIfaces, real)
	}
	return true, exitOK
}

// classify sorts a transact reply into retry (a "wait" timed out: the
// rows changed under us) or a hard error, formatted as the OVS IDL does.
func classify(results []client.OpResult) (retry bool, hard string) {
	for _, res := range results {
		if res.Err == nil {
			continue
		}
		switch res.Err.Kind {
		case schema.ErrTimedOut:
			retry = true
		case schema.ErrAborted:
		default:
			if hard == "" {
				obj := map[string]any{"error": res.Err.Kind}
				if res.Err.Details != "" {
					obj["details"] = res.Err.Details
				}
				hard = ovsJSON(obj, false)
			}
		}
	}
	return retry, hard
}

func selectedNextCfg(res client.OpResult) int64 {
	if len(res.Rows) != 1 {
		return 0
	}
	switch n := res.Rows[0][colNextCfg].(type) {
	case json.Number:
		v, _ := n.Int64()
		return v
	case float64:
		return int64(n)
	}
	return 0
}

func (r *runner) printOutputs() {
	w := r.cfg.Stdout
	for _, c := range r.cmds {
		switch {
		case c.table != nil:
			r.print.print(w, c.table)
		case r.opts.oneline:
			s := strings.TrimSuffix(c.output.String(), "\n")
			s = strings.NewReplacer("\\", "\\\\", "\n", "\\n").Replace(s)
			io.WriteString(w, s+"\n")
		default:
			io.WriteString(w, c.output.String())
		}
	}
}

// waitReload waits until ovs-vswitchd has applied next_cfg (cur_cfg >=
// next_cfg), then reports interfaces it failed to set up.
func (r *runner) waitReload(ctx context.Context, next int64, ifaces []schema.UUID, real map[schema.UUID]schema.UUID) int {
	for {
		if cur, ok := r.rep.curCfg(); ok && cur >= next {
			break
		}
		select {
		case <-r.rep.changed:
		case <-ctx.Done():
			return r.timedOut()
		case <-r.cl.Done():
			return r.fatal(fmt.Errorf("%s: database connection failed (%s)", r.db, "connection closed"))
		}
	}
	snap := r.rep.snapshot()
	printed := false
	for _, tmp := range ifaces {
		u, ok := real[tmp]
		if !ok {
			continue
		}
		row := snap[tableInterface][u]
		if row == nil {
			continue
		}
		of := row[colOfport]
		if len(of.Keys) == 1 && of.Keys[0] != int64(-1) {
			continue
		}
		name := ""
		if d := row[colName]; len(d.Keys) == 1 {
			name, _ = d.Keys[0].(string)
		}
		msg := ""
		if d := row[colError]; len(d.Keys) == 1 {
			msg, _ = d.Keys[0].(string)
		}
		if msg != "" {
			fmt.Fprintf(r.cfg.Stderr, "%s: Error detected while setting up '%s': %s.  See ovs-vswitchd log for details.\n", r.prog, name, msg)
		} else {
			fmt.Fprintf(r.cfg.Stderr, "%s: Error detected while setting up '%s'.  See ovs-vswitchd log for details.\n", r.prog, name)
		}
		printed = true
	}
	if printed {
		logdir := r.cfg.Getenv(envLogdir)
		if logdir == "" {
			logdir = defaultLogdir
		}
		fmt.Fprintf(r.cfg.Stderr, "%s: The default log directory is \"%s\".\n", r.prog, logdir)
	}
	return exitOK
}

// escapeArgs joins arguments, quoting those with shell-special
// characters (process_escape_args).
func escapeArgs(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a != "" && !strings.ContainsAny(a, " \\'\"\r\n\t") {
			out[i] = a
			continue
		}
		var b strings.Builder
		b.WriteByte('"')
		for _, c := range []byte(a) {
			if c == '\\' || c == '"' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte('"')
		out[i] = b.String()
	}
	return strings.Join(out, " ")
}

func (r *runner) usage() {
	p := r.prog
	fmt.Fprintf(r.cfg.Stdout, `%s: ovs-vswitchd management utility
usage: %s [OPTIONS] COMMAND [ARG...]

Open vSwitch commands:
  init                        initialize database, if not yet initialized
  show                        print overview of database contents

Bridge commands:
  add-br BRIDGE               create a new bridge named BRIDGE
  add-br BRIDGE PARENT VLAN   create new fake BRIDGE in PARENT on VLAN
  del-br BRIDGE               delete BRIDGE and all of its ports
  list-br                     print the names of all the bridges
  br-exists BRIDGE            exit 2 if BRIDGE does not exist
  br-to-vlan BRIDGE           print the VLAN which BRIDGE is on
  br-to-parent BRIDGE         print the parent of BRIDGE
  br-set-external-id BRIDGE KEY VALUE  set KEY on BRIDGE to VALUE
  br-set-external-id BRIDGE KEY  unset KEY on BRIDGE
  br-get-external-id BRIDGE KEY  print value of KEY on BRIDGE
  br-get-external-id BRIDGE  list key-value pairs on BRIDGE

Port commands:
  list-ports BRIDGE           print the names of all the ports on BRIDGE
  add-port BRIDGE PORT        add network device PORT to BRIDGE
  add-bond BRIDGE PORT IFACE...  add bonded port PORT in BRIDGE from IFACES
  del-port [BRIDGE] PORT      delete PORT from BRIDGE
  port-to-br PORT             print name of bridge that contains PORT

Interface commands:
  list-ifaces BRIDGE          print the names of all interfaces on BRIDGE
  iface-to-br IFACE           print name of bridge that contains IFACE

Controller commands:
  get-controller BRIDGE      print the controllers for BRIDGE
  del-controller BRIDGE      delete the controllers for BRIDGE
  set-controller BRIDGE TARGET...  set the controllers for BRIDGE
  get-fail-mode BRIDGE       print the fail-mode for BRIDGE
  del-fail-mode BRIDGE       delete the fail-mode for BRIDGE
  set-fail-mode BRIDGE MODE  set the fail-mode for BRIDGE to MODE

Manager commands:
  get-manager                print the managers
  del-manager                delete the managers
  set-manager TARGET...      set the list of managers to TARGET...

Database commands:
  list TBL [REC]              list RECord (or all records) in TBL
  find TBL CONDITION...       list records satisfying CONDITION in TBL
  get TBL REC COL[:KEY]       print values of COLumns in RECord in TBL
  set TBL REC COL[:KEY]=VALUE set COLumn values in RECord in TBL
  add TBL REC COL [KEY=]VALUE add (KEY=)VALUE to COLumn in RECord in TBL
  remove TBL REC COL [KEY=]VALUE  remove (KEY=)VALUE from COLumn
  clear TBL REC COL           clear values from COLumn in RECord in TBL
  create TBL COL[:KEY]=VALUE  create and initialize new record
  destroy TBL REC             delete RECord from TBL
  wait-until TBL REC [COL[:KEY]=VALUE]  wait until condition is true

Options:
  --db=DATABASE               connect to DATABASE
                              (default: unix:%s/db.sock)
  --no-wait                   do not wait for ovs-vswitchd to reconfigure
  -t, --timeout=SECS          wait at most SECS seconds for ovs-vswitchd
  --dry-run                   do not commit changes to database
  --oneline                   print exactly one line of output per command
  -f, --format=FORMAT         list/find output: list, table, csv, json, html
  --columns=COLS, --bare, --no-headings
`, p, p, defaultRundir)
}

// requiredColumns are the tables and columns the commands use directly.
var requiredColumns = map[string][]string{
	tableOpenVSwitch: {colBridges, colNextCfg, colCurCfg},
	tableBridge:      {colName, colPorts, colController, colFailMode},
	tablePort:        {colName, colInterfaces, colTag, colFakeBridge},
	tableInterface:   {colName, colType, colOfport, colError},
	tableController:  {colTarget},
}

// checkSchema refuses a server whose schema is not Open_vSwitch-like.
func checkSchema(s *schema.Schema) error {
	for t, cols := range requiredColumns {
		tbl := s.Tables[t]
		if tbl == nil {
			return fmt.Errorf("database schema has no table %s (not an Open_vSwitch database?)", t)
		}
		for _, c := range cols {
			if tbl.Columns[c] == nil {
				return fmt.Errorf("database schema has no column %s.%s (unsupported schema version)", t, c)
			}
		}
	}
	return nil
}
