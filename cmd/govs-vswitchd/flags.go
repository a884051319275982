package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Defaults (Debian's OVS layout).
const (
	defaultRundir      = "/var/run/openvswitch"
	defaultDBDir       = "/etc/openvswitch"
	defaultLogDir      = "/var/log/openvswitch"
	defaultMetricsAddr = "127.0.0.1:9476"
	programName        = "govs-vswitchd"
	envDetached        = "GOVS_VSWITCHD_DETACHED"
)

// Config is govs-vswitchd's configuration (its command line).
type Config struct {
	// Rundir holds db.sock, the pidfile and the unixctl socket.
	Rundir string
	// DBDir holds conf.db in embedded mode.
	DBDir string
	// DB is the OVSDB remote of an external server ("unix:/path/db.sock");
	// empty runs the embedded server on punix:<Rundir>/db.sock.
	DB string
	// Pidfile is the pidfile path ("" for none).
	Pidfile string
	// LogFile is the log file path ("" for none).
	LogFile string
	// Detach runs the daemon in the background.
	Detach bool
	// Verbose holds vlog specs applied at startup (-v, --verbose=SPEC).
	Verbose []string
	// MetricsAddr is the Prometheus listen address ("" disables).
	MetricsAddr string
	// Workers is the number of datapath workers per bridge (0 = 1).
	Workers int
}

const usageText = `govs-vswitchd: govs virtual switch daemon (drop-in for ovs-vswitchd)
usage: govs-vswitchd [OPTIONS] [DATABASE]
where DATABASE is an OVSDB remote (unix:FILE, tcp:IP:PORT); without it an
embedded OVSDB server listens on punix:<rundir>/db.sock and persists to
<dbdir>/conf.db.

Options:
  --rundir=DIR          run directory (default $OVS_RUNDIR or /var/run/openvswitch)
  --dbdir=DIR           database directory (default $OVS_DBDIR or /etc/openvswitch)
  --db=REMOTE           external OVSDB server, e.g. unix:/var/run/openvswitch/db.sock
  --pidfile[=FILE]      create pidfile (default <rundir>/govs-vswitchd.pid)
  --detach              run in background as daemon
  --log-file[=FILE]     enable logging to FILE (default $OVS_LOGDIR/govs-vswitchd.log)
  -v, --verbose[=SPEC]  set logging levels (e.g. -vdbg, --verbose=reconcile:file:dbg)
  --metrics-addr=ADDR   Prometheus listen address (default 127.0.0.1:9476, "" disables)
  --workers=N           datapath worker threads per bridge (default 1)
  -h, --help            display this help message
  -V, --version         display version information
`

// errHelp and errVersion ask main to print and exit 0.
var (
	errHelp    = errors.New("help")
	errVersion = errors.New("version")
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// parseFlags parses the OVS-style command line.
func parseFlags(args []string) (*Config, error) {
	cfg := &Config{
		Rundir:      envOr("OVS_RUNDIR", defaultRundir),
		DBDir:       envOr("OVS_DBDIR", defaultDBDir),
		MetricsAddr: defaultMetricsAddr,
	}
	var pidfile, logfile *string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			if cfg.DB != "" {
				return nil, fmt.Errorf("exactly zero or one non-option argument required")
			}
			cfg.DB = a
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		// needVal takes the value from "=x" or the next argument.
		needVal := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("option '%s' requires an argument", a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch {
		case name == "rundir":
			cfg.Rundir, err = needVal()
		case name == "dbdir":
			cfg.DBDir, err = needVal()
		case name == "db":
			cfg.DB, err = needVal()
		case name == "pidfile":
			v := ""
			if hasVal {
				v = val
			}
			pidfile = &v
		case name == "log-file":
			v := ""
			if hasVal {
				v = val
			}
			logfile = &v
		case name == "detach":
			cfg.Detach = true
		case name == "no-chdir", name == "monitor", name == "mlockall", name == "disable-system":
			// Accepted for ovs-ctl compatibility; nothing to do.
		case name == "metrics-addr":
			cfg.MetricsAddr, err = needVal()
		case name == "workers":
			var v string
			if v, err = needVal(); err == nil {
				cfg.Workers, err = strconv.Atoi(v)
				if err != nil || cfg.Workers < 1 {
					err = fmt.Errorf("--workers: %q is not a positive number", v)
				}
			}
		case name == "verbose":
			if hasVal {
				cfg.Verbose = append(cfg.Verbose, val)
			} else {
				cfg.Verbose = append(cfg.Verbose, "dbg")
			}
		case a == "-v" || strings.HasPrefix(a, "-v") && !strings.HasPrefix(a, "--"):
			spec := strings.TrimPrefix(a, "-v")
			if spec == "" {
				spec = "dbg"
			}
			cfg.Verbose = append(cfg.Verbose, spec)
		case name == "h" || name == "help":
			return nil, errHelp
		case name == "V" || name == "version":
			return nil, errVersion
		default:
			return nil, fmt.Errorf("unrecognized option '%s'", a)
		}
		if err != nil {
			return nil, err
		}
	}
	if pidfile != nil {
		cfg.Pidfile = *pidfile
		if cfg.Pidfile == "" {
			cfg.Pidfile = filepath.Join(cfg.Rundir, programName+".pid")
		} else if !filepath.IsAbs(cfg.Pidfile) {
			cfg.Pidfile = filepath.Join(cfg.Rundir, cfg.Pidfile)
		}
	}
	if logfile != nil {
		cfg.LogFile = *logfile
		if cfg.LogFile == "" {
			cfg.LogFile = filepath.Join(envOr("OVS_LOGDIR", defaultLogDir), programName+".log")
		}
	}
	return cfg, nil
}
