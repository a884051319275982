package ofpact

import (
	"testing"

	"govs/flowtable"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in       string
		asParsed string
		of10     string
		of13     string
		usable   flowtable.Protocols
	}{
		{"output:1,2,LOCAL", "output:1,output:2,LOCAL", "output:1,output:2,LOCAL", "output:1,output:2,LOCAL", flowtable.ProtoAny},
		{"controller:100", "CONTROLLER:100", "CONTROLLER:100", "CONTROLLER:100", flowtable.ProtoAny},
		{"controller(reason=no_match)", "controller(reason=no_match)", "controller(reason=no_match)", "controller(reason=no_match)", flowtable.ProtoAny},
		{"set_field:5->reg0", "set_field:0x5->reg0", "load:0x5->NXM_NX_REG0[]", "set_field:0x5->reg0", flowtable.ProtoNXMOXMAny},
		{"load:5->reg0[0..3]", "load:0x5->NXM_NX_REG0[0..3]", "load:0x5->NXM_NX_REG0[0..3]", "load:0x5->NXM_NX_REG0[0..3]", flowtable.ProtoAny},
		{"move:reg0[]->reg1[]", "move:NXM_NX_REG0[]->NXM_NX_REG1[]", "move:NXM_NX_REG0[]->NXM_NX_REG1[]", "move:NXM_NX_REG0[]->NXM_NX_REG1[]", flowtable.ProtoAny},
		{"goto_table:3", "goto_table:3", "resubmit(,3)", "goto_table:3", flowtable.ProtoAny},
		{"clear_actions,write_actions(output:1)", "clear_actions,write_actions(output:1)", "drop", "clear_actions,write_actions(output:1)", flowtable.ProtoAny},
		{"strip_vlan", "strip_vlan", "strip_vlan", "pop_vlan", flowtable.ProtoAny},
		{"note:0102", "note:01.02", "note:01.02.00.00.00.00", "note:01.02.00.00.00.00", flowtable.ProtoAny},
		{"set_tunnel:0x1ffffffff", "set_tunnel64:0x1ffffffff", "set_tunnel64:0x1ffffffff", "set_field:0x1ffffffff->tun_id", flowtable.ProtoAny},
		{"write_metadata:0x5/0xff", "write_metadata:0x5/0xff", "write_metadata:0x5/0xff", "write_metadata:0x5/0xff", flowtable.ProtoNXMOF11Up},
		{"push_vlan:0x8100", "push_vlan:0x8100", "push_vlan:0x8100", "push_vlan:0x8100", flowtable.ProtoOF11Up},
		{"enqueue:1:2", "enqueue:1:2", "enqueue:1:2", "set_queue:2,output:1,pop_queue", flowtable.ProtoAny},
		{"drop", "drop", "drop", "drop", flowtable.ProtoAny},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			acts, usable, err := ParseInstructions(tc.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if usable != tc.usable {
				t.Errorf("usable %v want %v", usable, tc.usable)
			}
			var m flowtable.Match
			if _, err := Check(acts, &m, 255); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				v    FormatVersion
				want string
			}{{AsParsed, tc.asParsed}, {OF10, tc.of10}, {OF13, tc.of13}} {
				if got := FormatActions(acts, c.v, nil); got != c.want {
					t.Errorf("version %d: got %q want %q", c.v, got, c.want)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"foo", "unknown action foo"},
		{"output:foo", "foo: output to unknown port"},
		{"drop,output:1", "\"drop\" must not be accompanied by any other action or instruction"},
		{"mod_vlan_vid:4096", "4096: not a valid VLAN VID"},
		{"load:16->reg0[0..3]", "16->reg0[0..3]: value 0x10 does not fit into 4 bits"},
		{"move:reg0[]->reg1[0..3]", "reg0[]->reg1[0..3]: source field is 32 bits wide but destination is 4 bits wide"},
		{"resubmit(,)", "at least one \"in_port\" or \"table\" must be specified on resubmit"},
		{"goto_table:1,output:2", "invalid instruction ordering: apply_actions must appear before goto_table, for OpenFlow 1.1+ compatibility"},
		{"clear_actions,clear_actions", "duplicate clear_actions instruction not allowed, for OpenFlow 1.1+ compatibility"},
		{"write_actions(goto_table:1)", "goto_table instruction not allowed here"},
		{"note:0g", "bad hex digit in `note' argument"},
		{"set_field:5->foo", "foo is not a valid OXM field name"},
		{"learn(table=1)", "learn: action not supported by govs"},
	}
	for _, tc := range tests {
		if _, _, err := ParseInstructions(tc.in, nil); err == nil || err.Error() != tc.want {
			t.Errorf("%q: err %v want %q", tc.in, err, tc.want)
		}
	}
}

func TestAppendActionsAllocs(t *testing.T) {
	acts, _, err := ParseInstructions("output:1,resubmit(,2),mod_dl_src:00:11:22:33:44:55,dec_ttl,NORMAL", nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { buf = AppendActions(buf[:0], acts, AsParsed, nil) }); n != 0 {
		t.Fatalf("AppendActions allocates %v times", n)
	}
}

func FuzzParseInstructions(f *testing.F) {
	for _, s := range []string{"output:1", "set_field:5->reg0", "load:1->reg0[0..3]", "move:reg0[]->reg1[]",
		"write_actions(output:1,write_actions(output:2))", "controller(reason=no_match,max_len=10)",
		"resubmit(1,2)", "note:01.02", "enqueue(1,2)", "dec_ttl(1,2,3)", "set_field:1.2.3.4/8->ip_src"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		acts, _, err := ParseInstructions(s, nil)
		if err != nil {
			return
		}
		var m flowtable.Match
		_, _ = Check(acts, &m, 255)
		for _, v := range []FormatVersion{AsParsed, OF10, OF13} {
			_ = FormatActions(acts, v, nil)
		}
	})
}

func BenchmarkAppendActions(b *testing.B) {
	acts, _, err := ParseInstructions("output:1,resubmit(,2),mod_dl_src:00:11:22:33:44:55,dec_ttl,NORMAL", nil)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendActions(buf[:0], acts, AsParsed, nil)
	}
}
