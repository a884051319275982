package vsctl

import (
	"io"
	"testing"

	"govs/ovsdb/internal/ovstest"
	"govs/ovsdb/schema"
)

func BenchmarkParseDatumMap(b *testing.B) {
	typ := &schema.Vswitch().Tables["Interface"].Columns["options"].Type
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseDatum(typ, `{remote_ip="1.2.3.4", key=flow, dst_port=4789}`, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDatumString(b *testing.B) {
	typ := &schema.Vswitch().Tables["Port"].Columns["trunks"].Type
	d, err := parseDatum(typ, "1-64", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = datumString(d, typ)
	}
}

// BenchmarkRunAddPort measures one whole add-port invocation (connect,
// monitor, commit) against govs's own server.
func BenchmarkRunAddPort(b *testing.B) {
	ours := ovstest.StartGovs(b)
	run := func(args ...string) int {
		return Run(Config{Args: append([]string{"--db=unix:" + ours.Sock, "--no-wait"}, args...), Stdout: io.Discard, Stderr: io.Discard})
	}
	if run("add-br", "br0") != 0 {
		b.Fatal("add-br failed")
	}
	b.ReportAllocs()
	for b.Loop() {
		if run("add-port", "br0", "p1", "--", "del-port", "p1") != 0 {
			b.Fatal("add-port failed")
		}
	}
}
