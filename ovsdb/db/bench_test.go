package db

import (
	"context"
	"testing"

	"govs/ovsdb/schema"
)

// BenchmarkTransactVsctlAddPort is the transaction ovs-vsctl add-port
// sends (waits, inserts, update, mutate, select, comment) against an
// in-memory Open_vSwitch database with one bridge.
func BenchmarkTransactVsctlAddPort(b *testing.B) {
	d := New(schema.Vswitch())
	ctx := context.Background()
	res := d.Transact(ctx, nil, parseOps(b, `[{"op":"insert","table":"Open_vSwitch","row":{"bridges":["named-uuid","br"]}},
		{"op":"insert","table":"Bridge","uuid-name":"br","row":{"name":"br0"}}]`))
	if _, ok := res[0].(map[string]any); !ok {
		b.Fatal(res)
	}
	br := d.Rows("Bridge")[0].UUID
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ops := parseOps(b, `[{"op":"wait","table":"Bridge","timeout":0,"where":[["_uuid","==",["uuid","`+string(br)+`"]]],"columns":["name"],"until":"==","rows":[{"name":"br0"}]},
			{"op":"insert","table":"Interface","uuid-name":"i","row":{"name":"p"}},
			{"op":"insert","table":"Port","uuid-name":"p","row":{"name":"p","interfaces":["named-uuid","i"]}},
			{"op":"update","table":"Bridge","where":[["_uuid","==",["uuid","`+string(br)+`"]]],"row":{"ports":["set",[["named-uuid","p"]]]}},
			{"op":"mutate","table":"Open_vSwitch","where":[],"mutations":[["next_cfg","+=",1]]},
			{"op":"select","table":"Open_vSwitch","where":[],"columns":["next_cfg"]},
			{"op":"comment","comment":"bench"}]`)
		res := d.Transact(ctx, nil, ops)
		if len(res) != len(ops) {
			b.Fatal(res)
		}
	}
}
