package flowsyntax

import (
	"testing"

	"govs/flowtable"
)

// TestParseCommands covers the command-dependent syntax of add-flow,
// mod-flows, del-flows and dump-flows (OVS parse_ofp_str__), which
// parse-flow (always "add") cannot show.
func TestParseCommands(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		cmd   Command
		err   string
		check func(t *testing.T, fm *FlowMod, p flowtable.Protocols)
	}{
		{name: "del match", in: "in_port=1,tcp", cmd: CmdDelete, check: func(t *testing.T, fm *FlowMod, p flowtable.Protocols) {
			if got := flowtable.FormatMatch(&fm.Match, int(fm.Priority), nil); got != "tcp,in_port=1" {
				t.Errorf("match %q", got)
			}
		}},
		{name: "del out_port", in: "out_port=LOCAL", cmd: CmdDelete, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.OutPort != flowtable.PortLocal {
				t.Errorf("out_port %d", fm.OutPort)
			}
		}},
		{name: "del priority refused", in: "priority=5", cmd: CmdDelete, err: "unknown keyword priority"},
		{name: "del strict priority", in: "priority=5,in_port=1", cmd: CmdDeleteStrict, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.Priority != 5 {
				t.Errorf("priority %d", fm.Priority)
			}
		}},
		{name: "del actions refused", in: "in_port=1,actions=drop", cmd: CmdDelete, err: "unknown keyword actions"},
		{name: "del cookie needs mask", in: "cookie=5", cmd: CmdDelete, err: "cannot set cookie (to match on a cookie, specify a mask, e.g. cookie=5/-1)"},
		{name: "del cookie mask", in: "cookie=0x5/-1", cmd: CmdDelete, check: func(t *testing.T, fm *FlowMod, p flowtable.Protocols) {
			if fm.Cookie != 5 || fm.CookieMask != ^uint64(0) || p != flowtable.ProtoNXMOF11Up {
				t.Errorf("cookie %#x/%#x usable %v", fm.Cookie, fm.CookieMask, p)
			}
		}},
		{name: "add cookie mask refused", in: "cookie=1/1,actions=drop", cmd: CmdAdd, err: "flow additions cannot use a cookie mask"},
		{name: "mod default cookie", in: "in_port=1,actions=drop", cmd: CmdModify, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.NewCookie != 0 || fm.ModifyCookie {
				t.Errorf("new cookie %#x", fm.NewCookie)
			}
		}},
		{name: "mod with cookie mask keeps cookie", in: "cookie=1/-1,actions=drop", cmd: CmdModify, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.NewCookie != CookieNoChange {
				t.Errorf("new cookie %#x", fm.NewCookie)
			}
		}},
		{name: "mod importance refused", in: "importance=1,actions=drop", cmd: CmdModify, err: "unknown keyword importance"},
		{name: "stats out_group", in: "out_group=5", cmd: CmdStats, check: func(t *testing.T, fm *FlowMod, p flowtable.Protocols) {
			if fm.OutGroup != 5 || p != flowtable.ProtoOF11Up {
				t.Errorf("group %d usable %v", fm.OutGroup, p)
			}
		}},
		{name: "stats table", in: "table=3,in_port=1", cmd: CmdStats, check: func(t *testing.T, fm *FlowMod, p flowtable.Protocols) {
			if fm.Table != 3 || p != flowtable.ProtoTID {
				t.Errorf("table %d usable %v", fm.Table, p)
			}
		}},
		{name: "auto delete", in: "delete in_port=1", cmd: CmdAuto, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.Command != CmdDelete {
				t.Errorf("command %v", fm.Command)
			}
		}},
		{name: "auto modify_strict", in: "modify_strict priority=3 actions=drop", cmd: CmdAuto, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.Command != CmdModifyStrict || fm.Priority != 3 {
				t.Errorf("command %v priority %d", fm.Command, fm.Priority)
			}
		}},
		{name: "auto default add", in: "in_port=1 actions=drop", cmd: CmdAuto, check: func(t *testing.T, fm *FlowMod, _ flowtable.Protocols) {
			if fm.Command != CmdAdd {
				t.Errorf("command %v", fm.Command)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fm, p, err := ParseFlow(tc.in, tc.cmd, nil)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err %v want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, fm, p)
		})
	}
}

func TestPortNamesOnInput(t *testing.T) {
	ports := map[string]flowtable.PortNo{"p1": 11, "uplink": 1}
	opt := &Options{Ports: &flowtable.PortMap{Number: func(n string) (flowtable.PortNo, bool) {
		p, ok := ports[n]
		return p, ok
	}}}
	fm, _, err := ParseFlow("in_port=p1,actions=output:uplink,resubmit(p1,2),enqueue:uplink:3", CmdAdd, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := string(AppendFlowMod(nil, fm, flowtable.ProtoOF10Std, 1, nil))
	if want := "OFPT_FLOW_MOD (xid=0x1): ADD in_port=11 actions=output:1,resubmit(11,2),enqueue:1:3"; out != want {
		t.Errorf("got %q want %q", out, want)
	}
	if _, _, err := ParseFlow("in_port=p9,actions=drop", CmdAdd, opt); err == nil || err.Error() != "p9: invalid or unknown port for in_port" {
		t.Errorf("err %v", err)
	}
	if _, _, err := ParseMatch("out_port=p9", opt); err == nil || err.Error() != "p9 is not a valid OpenFlow port" {
		t.Errorf("err %v", err)
	}
}
