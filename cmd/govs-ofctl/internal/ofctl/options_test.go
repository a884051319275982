package ofctl

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"govs/flowtable"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    string
		wantErr string
		check   func(t *testing.T, o *Options)
	}{
		{name: "defaults", args: "show br0", check: func(t *testing.T, o *Options) {
			if o.Allowed != flowtable.ProtoOF10Any || o.Versions != 1<<1 || o.Names != namesAuto || !o.ShowStats {
				t.Errorf("defaults: %+v", o)
			}
		}},
		{name: "permuted", args: "del-flows br0 --strict in_port=1", check: func(t *testing.T, o *Options) {
			if !o.Strict || !reflect.DeepEqual(o.Args, []string{"del-flows", "br0", "in_port=1"}) {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "double dash", args: "-- show --strict", check: func(t *testing.T, o *Options) {
			if o.Strict || !reflect.DeepEqual(o.Args, []string{"show", "--strict"}) {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "O13", args: "-O OpenFlow13 show br0", check: func(t *testing.T, o *Options) {
			if o.Allowed != flowtable.ProtoOF13OXM || o.Versions != 1<<4 {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "O attached", args: "-OOpenFlow10,OpenFlow13 show br0", check: func(t *testing.T, o *Options) {
			if o.Versions != 1<<1|1<<4 {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "protocols=", args: "--protocols=OpenFlow13 show br0", check: func(t *testing.T, o *Options) {
			if o.Versions != 1<<4 {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "abbrev", args: "--str --no-st --na show", check: func(t *testing.T, o *Options) {
			if !o.Strict || o.ShowStats || o.Names != namesOn {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "names then no-names", args: "--names --no-names show", check: func(t *testing.T, o *Options) {
			if o.Names != namesOff {
				t.Errorf("got %+v", o)
			}
		}},
		{name: "sort", args: "--sort --rsort=in_port --sort=priority dump-flows br0", check: func(t *testing.T, o *Options) {
			if len(o.Sort) != 4 || o.Sort[0].field != nil || o.Sort[1].field == nil || !o.Sort[1].desc ||
				o.Sort[2].field != nil || !o.Sort[3].desc {
				t.Errorf("got %+v", o.Sort)
			}
		}},
		{name: "timeout", args: "-t5 --timeout 7 show", check: func(t *testing.T, o *Options) {
			if o.TimeoutS != 7 {
				t.Errorf("got %d", o.TimeoutS)
			}
		}},
		{name: "help", args: "-h", check: func(t *testing.T, o *Options) {
			if !o.Help {
				t.Error("no help")
			}
		}},
		{name: "missing O", args: "-O", wantErr: "option requires an argument -- 'O'"},
		{name: "bad version", args: "-O OpenFlow99 show", wantErr: `Unknown OpenFlow version: "OpenFlow99"`},
		{name: "unsupported version", args: "-O OpenFlow14 show", wantErr: "OpenFlow14: only OpenFlow10 and OpenFlow13 are supported by govs-ofctl"},
		{name: "ambiguous", args: "--time show", wantErr: "option '--time' is ambiguous; possibilities: '--timeout' '--timestamp'"},
		{name: "ambiguous s", args: "--s", wantErr: "option '--s' is ambiguous; possibilities: '--strict' '--sort' '--stats' '--syslog-method' '--syslog-target' '--ssl-protocols' '--ssl-ciphers'"},
		{name: "no arg allowed", args: "--strict=1", wantErr: "option '--strict' doesn't allow an argument"},
		{name: "invalid short", args: "-x", wantErr: "invalid option -- 'x'"},
		{name: "unrecognized", args: "--bogus", wantErr: "unrecognized option '--bogus'"},
		{name: "bad timeout", args: "-tfoo", wantErr: "value foo on -t or --timeout is invalid"},
		{name: "zero timeout", args: "-t 0", wantErr: "value 0 on -t or --timeout is invalid"},
		{name: "bad sort field", args: "--sort=nosuch", wantErr: "nosuch: unknown field name"},
		{name: "long needs arg", args: "--timeout", wantErr: "option '--timeout' requires an argument"},
		{name: "unsupported option", args: "--bundle add-flow br0 actions=drop", wantErr: "option '--bundle' is not supported by govs-ofctl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := ParseArgs(strings.Fields(tt.args))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, o)
		})
	}
}

func TestDispatchErrors(t *testing.T) {
	tests := []struct {
		args    string
		wantErr string
		code    int
	}{
		{"", "govs-ofctl: missing command name; use --help for help\n", 1},
		{"nocmd", "govs-ofctl: unknown command 'nocmd'; use --help for help\n", 1},
		{"show", "govs-ofctl: 'show' command requires at least 1 arguments\n", 1},
		{"show a b", "govs-ofctl: 'show' command takes at most 1 arguments\n", 1},
		{"dump-flows a b c", "govs-ofctl: 'dump-flows' command takes at most 2 arguments\n", 1},
		{"monitor br0", "govs-ofctl: 'monitor' command is not supported by govs-ofctl\n", 1},
		{"parse-flow bogus=1", "govs-ofctl: must specify an action\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(strings.Fields(tt.args), Env{Stdout: &out, Stderr: &errb, Rundir: t.TempDir()})
			if code != tt.code || errb.String() != tt.wantErr {
				t.Errorf("code %d stderr %q, want %d %q", code, errb.String(), tt.code, tt.wantErr)
			}
		})
	}
}

func TestTargetNotFound(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := Run([]string{"show", "nobr"}, Env{Stdout: &out, Stderr: &errb, Rundir: dir})
	if code != 1 || errb.String() != "govs-ofctl: nobr is not a bridge or a socket\n" {
		t.Errorf("code %d stderr %q", code, errb.String())
	}
}

// FuzzParseArgs checks that any command line parses or fails cleanly,
// and that a successful parse keeps only known settings.
func FuzzParseArgs(f *testing.F) {
	for _, s := range []string{
		"show br0", "-O OpenFlow13 dump-flows br0 in_port=1", "--sort=in_port --rsort dump-flows br0",
		"-t5 --strict del-flows br0", "--s", "-O", "--protocols=", "-vdbg", "-- -x", "--names=1",
		"-hV", "--timeout=4294967296", "-O OpenFlow10,,OpenFlow13",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, " ")
		o, err := ParseArgs(args)
		if err != nil {
			if o != nil {
				t.Fatal("options with error")
			}
			return
		}
		if o.Versions == 0 || o.Versions&^supportedVersions != 0 {
			t.Fatalf("versions %#x", o.Versions)
		}
		if len(o.Args) > len(args) {
			t.Fatalf("args grew: %q", o.Args)
		}
		if o.Names < namesAuto || o.Names > namesOn {
			t.Fatalf("names %d", o.Names)
		}
	})
}
